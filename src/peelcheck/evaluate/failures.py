"""A record that failed a rule: the one finding shape every report renders.

Built once, where the failure is found, and kept lean: a large audit can hold hundreds of thousands
of them, so it is a slotted dataclass (about 40% of a pydantic model's memory; pydantic still
validates, serialises and documents it as part of the Assessment), and failures of the same
clauses share one reason text (explanations make each text once per rule).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import ConfigDict, Field, PlainSerializer

from peelcheck.evaluate.values import plain
from peelcheck.schema.outcomes import Outcome


def _plain_values(values: dict[str, Any]) -> dict[str, Any]:
    return {name: plain(value) for name, value in values.items()}


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs three times as much, per failure
class FailureResult:
    """A record that failed a rule, and why: the clauses that decided it and the values seen."""

    __pydantic_config__ = ConfigDict(extra="forbid")

    key: str
    location: Annotated[str, Field(description="file:line (or file[index]) of the record")]
    outcome: Outcome
    part: Annotated[str, Field(description="'expect', or 'when' if applicability could not be decided")]
    reason: str
    # the record's own values (dates as dates), written out as reports show them only when rendered
    values: Annotated[dict[str, Any], PlainSerializer(_plain_values, when_used="json")]

    def __reduce__(self) -> tuple[type[FailureResult], tuple[Any, ...]]:
        # --jobs sends every failure between processes: rebuilding from a tuple halves the time
        # pickle's default way (slot by slot) takes.
        return FailureResult, (self.key, self.location, self.outcome, self.part, self.reason, self.values)


def failure(key: str, location: str, outcome: Outcome, part: str, reason: str, values: dict[str, Any]) -> FailureResult:
    """A FailureResult from trusted values (its reason text is shared: explanations make each text once)."""
    return FailureResult(key, location, outcome, part, reason, values)
