"""A rubric: how a pack (or a force's profile) turns an area's rule results into an indicative status.

Levels are listed best first; an area takes the first level whose conditions all hold. The last level has
no conditions, so every area with a decided rule gets one. The result is the force's own indicative
reading in the five-tier shape of PEEL grades, never a grade: every label must say "indicative".
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

Count = Annotated[int, Field(ge=0)]
Share = Annotated[float, Field(ge=0.0, le=1.0)]


class Closed(BaseModel):  # as schema.pack's, kept here so pack.py can import this module
    model_config = ConfigDict(extra="forbid", frozen=True)


class Conditions(Closed):
    """What a level asks of an area's rules. Counts are over rules met or not met (the decided ones); a rule's
    kind is the kind of finding it evidences. A condition left out does not constrain."""

    max_not_met_causes_of_concern: Count | None = Field(default=None, description="not-met rules evidencing a "
                                                        "cause of concern or a recommendation, at most")
    max_not_met_areas_for_improvement: Count | None = Field(default=None, description="not-met rules evidencing "
                                                            "an area for improvement, at most")
    max_not_met: Count | None = Field(default=None, description="not-met rules of any kind, at most")
    max_not_met_share: Share | None = Field(default=None, description="not met / decided, at most")
    min_decided: Count | None = Field(default=None, description="rules met or not met, at least (enough "
                                      "evidence to say so)")

    def stated(self) -> dict[str, float]:
        """The conditions given, by name (for the report's 'rule of the rubric')."""
        return {name: value for name, value in self.model_dump().items() if value is not None}


class Level(Closed):
    label: Annotated[str, StringConstraints(min_length=3)]
    when: Conditions = Field(default_factory=Conditions, description="all must hold; none: the catch-all level")
    meaning: str | None = Field(default=None, description="what the level says, in the pack's words")

    @field_validator("label")
    @classmethod
    def _reads_as_indicative(cls, label: str) -> str:
        if "indicative" not in label.lower():
            raise ValueError("a rubric label must say it is indicative (e.g. 'indicative: good'): it is a "
                             "self-assessment, not an HMICFRS grade")
        return label


class Rubric(Closed):
    """``rubric:`` in pack.yaml or profile.yaml."""

    title: Annotated[str, StringConstraints(min_length=3)]
    levels: list[Level] = Field(min_length=2, description="best first; the last has no conditions")
    min_decided_share: Share | None = Field(default=None, description="an area's rules met or not met, as a share "
                                            "of its rules not disabled or waived, at least; below it the area "
                                            "gets no status (too little of it is evidenced to read)")

    @model_validator(mode="after")
    def _catch_all_last(self) -> Rubric:
        if self.levels[-1].when.stated():
            raise ValueError("the last level must have no conditions, so that every area gets a level")
        labels = [level.label for level in self.levels]
        if len(set(labels)) != len(labels):
            raise ValueError("rubric labels must differ")
        return self


class ChosenRubric(Closed):
    """The rubric an assessment uses and where it came from."""

    rubric: Rubric
    source: Literal["pack", "profile"]
    source_id: str
