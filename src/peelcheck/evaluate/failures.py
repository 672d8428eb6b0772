"""A record that failed a rule: the one finding shape every report renders.

Built once, where the failure is found, and kept lean: a large audit can hold hundreds of thousands
of them, so it is a slotted dataclass (about 40% of a pydantic model's memory; pydantic still
validates, serialises and documents it as part of the Assessment), and failures of the same
clauses share one reason text (explanations make each text once per rule).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Annotated, Any

from pydantic import ConfigDict, Field, PlainSerializer

from peelcheck.evaluate.values import plain
from peelcheck.schema.outcomes import Outcome


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


_FIELDS = [f.name for f in fields(FailureResult)]
_ATTRIBUTES = attrgetter(*_FIELDS)
_OUTCOME = _FIELDS.index("outcome")
_OUTCOMES = {o.value: o for o in Outcome}


def pack_failures(failures: list[FailureResult]) -> list[tuple[Any, ...]]:
    """Failures field by field (outcomes as their values: an enum member pickles as a call)."""
    columns = list(zip(*map(_ATTRIBUTES, failures))) or [() for _ in _FIELDS]
    columns[_OUTCOME] = tuple(o.value for o in columns[_OUTCOME])
    return columns


def unpack_failures(columns: list[tuple[Any, ...]]) -> list[FailureResult]:
    columns = list(columns)
    columns[_OUTCOME] = tuple(map(_OUTCOMES.__getitem__, columns[_OUTCOME]))
    return [FailureResult(*values) for values in zip(*columns)]
