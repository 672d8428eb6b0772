"""The assessment result: the one typed model that every report format renders.

Its JSON Schema is committed (``schemas/assessment.schema.json``) and checked by the tests.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from peelcheck.evaluate.failures import FailureResult
from peelcheck.schema.outcomes import RuleStatus
from peelcheck.schema.pack import FindingKind
from peelcheck.schema.rule import Severity

SCHEMA_VERSION = "1"


class ResultModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceRef(ResultModel):
    document: str
    document_title: str
    section: str
    quote: str
    paragraph: str | None = None


class AnswerResult(ResultModel):
    """A manual rule's answer from the answers file: an auditor's judgment, with its evidence."""

    answer: str = Field(description="yes | partly | no")
    evidence: str
    who: str
    when: dt.date
    note: str | None = None


class RuleResult(ResultModel):
    id: str
    title: str
    area: str
    kind: FindingKind
    severity: Severity
    record_type: str
    source: SourceRef
    findings: list[str]
    status: RuleStatus
    applicable: int
    compliant: int
    non_compliant: int
    not_recorded: int
    compliance_rate: float | None = Field(description="compliant / applicable; null when nothing applies")
    threshold: float
    shortfall: int = Field(description="more compliant records needed to reach the threshold (0 if met)")
    count_target: str | None = Field(default=None, description="for count rules: 'at least N' / 'at most N'")
    question: str | None = None
    disabled_reason: str | None = None
    not_assessable_reason: str | None = Field(default=None, description="why the rule cannot be assessed: the "
                                              "columns its applicability needs that a file lacks")
    remediation: str
    failures: list[FailureResult]
    answer: AnswerResult | None = Field(default=None, description="for a manual rule answered in --answers: "
                                        "yes is met, partly or no is not met")


class AreaResult(ResultModel):
    id: str
    title: str
    met: int
    not_met: int
    not_assessed: int
    manual: int
    not_assessable: int = 0
    rules: list[str] = Field(description="rule ids, causes of concern and recommendations first")


class InputFile(ResultModel):
    path: str
    record_type: str
    records: int
    rejected: int
    repeated_rows: list[str] = Field(default_factory=list, description="rows that exactly repeat an earlier row "
                                     "(assessed as they are; reported so a force can check them)")
    absent_fields: list[str] = Field(default_factory=list, description="fields the assessed rules read that the "
                                     "file has no column for (not recorded in every row)")
    absent_columns: dict[str, str] = Field(default_factory=dict, description="of those, field -> the column the "
                                           "mapping expected")
    problems: int = Field(default=0, description="problems found in the rejected rows (a row may have several)")
    blank_lines: int = Field(default=0, description="blank lines skipped (and blank rows after a sheet's data)")
    blank_rows: list[int] = Field(default_factory=list, description="lines or sheet rows whose cells are all "
                                  "blank: reported, not assessed")
    ignored_columns: list[str] = Field(default_factory=list, description="columns read past, as the mapping said")
    mixed_offsets: list[str] = Field(default_factory=list, description="datetime fields holding both naive times "
                                     "and times with an offset")
    read_as: list[str] = Field(default_factory=list, description="how the file was read: encoding, delimiter, "
                               "sheet, mapping, timezone")


class RejectedRowResult(ResultModel):
    location: str
    field: str | None
    value: Any
    message: str


class Summary(ResultModel):
    rules: int
    met: int
    not_met: int
    not_assessed: int
    manual: int
    disabled: int
    not_assessable: int = 0
    rows_rejected: int = Field(default=0, description="rows rejected under --skip-invalid: results incomplete")
    rows_read: int = Field(default=0, description="rows read, valid and rejected")
    records: int
    failing_pairs: int


class Assessment(ResultModel):
    schema_version: str = SCHEMA_VERSION
    tool: str
    pack_id: str
    pack_title: str
    pack_version: str
    as_of: dt.date
    engine: str
    inputs: list[InputFile]
    rejected_rows: list[RejectedRowResult]
    summary: Summary
    areas: list[AreaResult]
    rules: list[RuleResult]
