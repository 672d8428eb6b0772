"""A record that failed a rule: the one finding shape every report renders.

Kept apart from how a rule's many failures are held (``failure_columns``, ``failures``): this is
what reports, waivers and tests read, one failure at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import ConfigDict, Field, PlainSerializer

from peelcheck.schema.outcomes import Outcome
from peelcheck.schema.values import plain


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs three times as much, per failure
class FailureResult:
    """A record that failed a rule, and why: the clauses that decided it and the values seen."""

    __pydantic_config__ = ConfigDict(extra="forbid")

    key: str
    location: Annotated[str, Field(description="file:line (or file[index]) of the record")]
    outcome: Outcome
    part: Annotated[str, Field(description="'expect', or 'when' if applicability could not be decided")]
    reason: Annotated[str, Field(description="the clauses that decided it, naming the record type's fields")]
    explanation: Annotated[str, Field(description="the same in words: each field by its description")]
    # the record's own values (dates as dates), written out as reports show them only when rendered
    values: Annotated[dict[str, Any], PlainSerializer(plain, when_used="json")]


def failure(key: str, location: str, outcome: Outcome, part: str, reason: str, explanation: str,
            values: dict[str, Any]) -> FailureResult:
    """A FailureResult from trusted values (its texts are shared: explanations make each text once)."""
    return FailureResult(key, location, outcome, part, reason, explanation, values)


__all__ = ["FailureResult", "failure"]
