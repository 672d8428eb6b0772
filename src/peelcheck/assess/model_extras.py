"""Parts of the assessment model for sample statistics, waivers, findings and baselines.

Kept apart from model.py so that model.py only gains one field per part (it is shared by several
pieces of work); every field here is part of the Assessment's committed JSON Schema.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from peelcheck.errors import Diagnostic, Location
from peelcheck.schema.outcomes import RuleStatus


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RateInterval(_Model):
    """The Wilson 95% interval of a rule's compliance rate."""

    low: float
    high: float
    margin: float = Field(description="half the interval's width: the '±' shown beside the rate")
    population: int | None = Field(default=None, description="population the sample was drawn from, if given "
                                   "(finite population correction applied)")
    small_sample: bool = Field(description="fewer than 30 applicable records, sampled: read the rate with care "
                               "(never for a census, whose rate is exact)")
    straddles: bool = Field(description="the threshold lies within the interval: the sample cannot tell "
                            "met from not met")
    point_status: RuleStatus = Field(description="met or not met by the rate itself, whatever --verdict says")


class WarningResult(_Model):
    """A warning the run gave and went past (said on stderr too): about the pack, as loaded with the force's
    profile, or about the inputs. Located as ``validate`` locates a problem."""

    about: Literal["pack", "inputs"]
    code: str = Field(description="the diagnostic code (docs/diagnostics.md), e.g. twin-window-kept")
    message: str
    path: str
    line: int | None = None
    column: int | None = None
    hint: str | None = None

    @classmethod
    def of(cls, diagnostic: Diagnostic, about: Literal["pack", "inputs"]) -> WarningResult:
        where = diagnostic.location
        return cls(about=about, code=diagnostic.code, message=diagnostic.message, path=where.path, line=where.line,
                   column=where.column, hint=diagnostic.hint)

    @property
    def location(self) -> Location:
        return Location(self.path, self.line, self.column)

    def diagnostic(self) -> Diagnostic:
        """The warning as it was found (as stderr says it, hint and all)."""
        return Diagnostic(self.code, self.message, self.location, "warning", self.hint)


class WaiverResult(_Model):
    """A waiver that applied: a rule waived whole, or one record of a rule."""

    rule: str
    record: str | None = Field(default=None, description="the record's key; none when the rule is waived whole")
    reason: str
    approver: str
    expires: dt.date
    location: str = Field(description="file:line of the waiver")
    failures: int = Field(default=0, description="failing records this waiver took out of the rule's figures")


class Change(str, Enum):
    NEW = "new"  # not met now, not in (or met at) the baseline
    RESOLVED = "resolved"  # not met at the baseline, met now
    PERSISTING = "persisting"  # not met at both
    IMPROVED = "improved"  # rate up, status unchanged or better
    WORSENED = "worsened"  # rate down, status unchanged or worse
    UNCHANGED = "unchanged"  # met at both, rate the same
    # met or not met at one assessment only (absent, not assessed, waived, manual... at the other), and
    # not a new gap: nothing can be said of a change
    NOT_COMPARED = "not-compared"


class BaselineChange(_Model):
    change: Change
    previous_status: RuleStatus | None = None
    previous_rate: float | None = None
    previous_count: int | None = Field(default=None, description="a count rule's matches at the baseline")
    rate_change: float | None = Field(default=None, description="this rate minus the baseline's")
    intervals_separate: bool | None = Field(default=None, description="whether the two samples' 95% intervals "
                                            "do not overlap (a change the samples can tell apart)")
    repeat: bool = Field(default=False, description="not met at the baseline and now: a repeat")
    previous_threshold: float | None = Field(default=None, description="the baseline's threshold, where it was "
                                             "another: a change of status may be the threshold's, not the rate's")
    previous_count_target: str | None = Field(default=None, description="a count rule's baseline target, where "
                                              "it was another")


class BaselineInfo(_Model):
    path: str
    as_of: dt.date
    pack_version: str
