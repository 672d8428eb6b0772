"""A record that failed a rule: the one finding shape every report renders.

Built once, where the failure is found, and kept lean: a large audit can hold hundreds of thousands
of them, so the reason text is interned (it repeats per rule) and nothing is copied afterwards.
"""

from __future__ import annotations

import sys
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from peelcheck.schema.outcomes import Outcome


class FailureResult(BaseModel):
    """A record that failed a rule, and why: the clauses that decided it and the values seen."""

    model_config = ConfigDict(extra="forbid")

    key: str
    location: str = Field(description="file:line (or file[index]) of the record")
    outcome: Outcome
    part: str = Field(description="'expect', or 'when' if applicability could not be decided")
    reason: str
    values: dict[str, Any]


_FIELDS: set[str] = set(FailureResult.model_fields)  # shared by every instance: never mutated


def failure(key: str, location: str, outcome: Outcome, part: str, reason: str, values: dict[str, Any]) -> FailureResult:
    """A FailureResult from trusted values, without re-validation or per-instance bookkeeping."""
    return FailureResult.model_construct(_FIELDS, key=key, location=location, outcome=outcome, part=part,
                                         reason=sys.intern(reason), values=values)
