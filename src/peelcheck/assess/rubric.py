"""An area's indicative status from the rubric the pack (or the force's profile) declares.

Reads only the area's rule results, after waivers and the interval verdict have settled their statuses.
An area with no rule met or not met gets no status: there is nothing to read. Nor does one where fewer
of its rules are decided than the rubric's ``min_decided_share``: a status read from one rule of
eleven would speak for ten rules nobody evidenced.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from peelcheck.schema.outcomes import RuleStatus
from peelcheck.schema.pack import FindingKind
from peelcheck.schema.rubric import ChosenRubric, Conditions, Rubric

INDICATIVE_NOTICE = "indicative self-assessment, not an HMICFRS grade"
_CONCERNS = (FindingKind.CAUSE_OF_CONCERN, FindingKind.RECOMMENDATION)
# rules the area could have evidenced but did not decide (disabled and waived ones are the force's stated choice)
_UNDECIDED = (RuleStatus.NOT_ASSESSED, RuleStatus.MANUAL, RuleStatus.NOT_ASSESSABLE, RuleStatus.INCONCLUSIVE)


class AreaCounts(BaseModel):
    """What a rubric's conditions are read against: the area's decided rules."""

    model_config = ConfigDict(extra="forbid")

    met: int = 0
    not_met: int = 0
    not_met_causes_of_concern: int = 0
    not_met_areas_for_improvement: int = 0
    undecided: int = Field(default=0, description="rules neither met nor not met: not assessed, manual, not "
                           "assessable or inconclusive (disabled and waived rules are not counted)")

    @property
    def decided(self) -> int:
        return self.met + self.not_met

    @property
    def decided_share(self) -> float:
        """Decided rules as a share of the rules the area could have decided."""
        return self.decided / (self.decided + self.undecided) if self.decided else 0.0


class IndicativeStatus(BaseModel):
    """An area's indicative status: the rubric level it reached, why, and whose rubric it was."""

    model_config = ConfigDict(extra="forbid")

    label: str = Field(description="the level's label; always says 'indicative'")
    level: int = Field(description="1 for the rubric's best level, counting down")
    levels: int = Field(description="how many levels the rubric has")
    rule_of_rubric: dict[str, float] = Field(description="the level's conditions, all of which the area meets "
                                             "(empty: the catch-all level)")
    counts: AreaCounts = Field(description="the area's figures the conditions were read against")
    rubric: str = Field(description="the rubric's title")
    source: Literal["pack", "profile"] = Field(description="where the rubric was declared")
    source_id: str = Field(description="the id of the pack or profile that declared it")
    notice: str = Field(default=INDICATIVE_NOTICE, description="what the status is, and is not")


class _RuleLike(Protocol):  # what the counting reads of a RuleResult (structural: tests build areas directly)
    @property
    def kind(self) -> FindingKind: ...

    @property
    def status(self) -> RuleStatus: ...


def area_counts(rules: Sequence[_RuleLike]) -> AreaCounts:
    not_met = [r for r in rules if r.status is RuleStatus.NOT_MET]
    return AreaCounts(met=sum(1 for r in rules if r.status is RuleStatus.MET), not_met=len(not_met),
                      not_met_causes_of_concern=sum(1 for r in not_met if r.kind in _CONCERNS),
                      not_met_areas_for_improvement=sum(1 for r in not_met
                                                        if r.kind is FindingKind.AREA_FOR_IMPROVEMENT),
                      undecided=sum(1 for r in rules if r.status in _UNDECIDED))


def holds(when: Conditions, counts: AreaCounts) -> bool:
    """Whether every condition the level states holds for the area."""
    share = counts.not_met / counts.decided if counts.decided else 0.0
    checks = [(when.max_not_met_causes_of_concern, counts.not_met_causes_of_concern, False),
              (when.max_not_met_areas_for_improvement, counts.not_met_areas_for_improvement, False),
              (when.max_not_met, counts.not_met, False), (when.max_not_met_share, share, False),
              (when.min_decided, counts.decided, True)]
    return all(limit is None or (value >= limit if at_least else value <= limit + 1e-9)
               for limit, value, at_least in checks)


def choose_level(rubric: Rubric, counts: AreaCounts) -> int:
    """The index of the first (best) level whose conditions hold; the catch-all last level always does."""
    return next(i for i, level in enumerate(rubric.levels) if holds(level.when, counts))


def withheld(chosen: ChosenRubric | None, counts: AreaCounts) -> str | None:
    """Why the area gets no status under ``chosen`` (None: it gets one)."""
    if chosen is None:
        return "no rubric"
    if counts.decided == 0:
        return "no rule met or not met"
    least = chosen.rubric.min_decided_share
    if least is not None and counts.decided_share < least:
        return (f"only {counts.decided} of {counts.decided + counts.undecided} rules met or not met; the rubric "
                f"reads an area with at least {least:.0%} of them decided")
    return None


def read_area(chosen: ChosenRubric | None, rules: Sequence[_RuleLike]) -> tuple[IndicativeStatus | None, str | None]:
    """The area's status under ``chosen``, or None and why not (``withheld``)."""
    counts = area_counts(rules)
    reason = withheld(chosen, counts)
    if chosen is None or reason is not None:
        return None, reason
    i = choose_level(chosen.rubric, counts)
    level = chosen.rubric.levels[i]
    return IndicativeStatus(label=level.label, level=i + 1, levels=len(chosen.rubric.levels),
                            rule_of_rubric=level.when.stated(), counts=counts, rubric=chosen.rubric.title,
                            source=chosen.source, source_id=chosen.source_id), None


def indicative_status(chosen: ChosenRubric | None, rules: Sequence[_RuleLike]) -> IndicativeStatus | None:
    """The area's status under ``chosen``; None where ``withheld`` says why not."""
    return read_area(chosen, rules)[0]
