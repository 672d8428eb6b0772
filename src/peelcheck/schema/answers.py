"""An answers file: an auditor's answers to the pack's manual rules (questions no record can settle)."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated, Any

from pydantic import Field, StringConstraints, field_validator

from peelcheck.schema.pack import Closed
from peelcheck.schema.rule import RuleId

Text = Annotated[str, StringConstraints(min_length=1)]


class AnswerValue(str, Enum):
    YES = "yes"
    PARTLY = "partly"
    NO = "no"


class ManualAnswer(Closed):
    """One answer: which rule, the answer, the evidence it rests on, who gave it and when."""

    rule: RuleId
    answer: AnswerValue
    evidence: Text = Field(description="Reference to the evidence the answer rests on (a document, an audit).")
    who: Text = Field(description="Who answered (role, and name or collar number).")
    when: dt.date = Field(description="Date of the answer.")
    note: str | None = None

    @field_validator("answer", mode="before")
    @classmethod
    def _yaml_booleans(cls, value: Any) -> Any:
        """YAML 1.1 reads an unquoted yes/no as a boolean: take it as the answer meant."""
        return {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value


class AnswersFile(Closed):
    answers: list[ManualAnswer]
