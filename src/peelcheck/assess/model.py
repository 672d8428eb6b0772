"""The assessment result: the one typed model that every report format renders.

Its JSON Schema is committed (``schemas/assessment.schema.json``) and checked by the tests.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from peelcheck.assess.model_extras import BaselineChange, BaselineInfo, FindingResult, RateInterval, WaiverResult
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
    remediation: str
    failures: list[FailureResult]
    interval: RateInterval | None = Field(default=None, description="Wilson 95% interval of the rate")
    baseline: BaselineChange | None = None
    answer: AnswerResult | None = Field(default=None, description="for a manual rule answered in --answers: "
                                        "yes is met, partly or no is not met")


class AreaResult(ResultModel):
    id: str
    title: str
    met: int
    not_met: int
    not_assessed: int
    manual: int
    disabled: int = 0
    inconclusive: int = 0
    waived: int = 0
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
    records: int
    failing_pairs: int
    inconclusive: int = 0
    waived: int = 0
    straddling: int = Field(default=0, description="rules whose 95% interval straddles the threshold")
    verdict: str = Field(default="point", description="what decides met/not met: the rate ('point') or its "
                         "95% interval ('interval')")


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
    findings: list[FindingResult] = Field(default_factory=list)
    waived: list[WaiverResult] = Field(default_factory=list, description="waivers that applied")
    unused_waivers: list[WaiverResult] = Field(default_factory=list, description="waivers that matched nothing")
    baseline: BaselineInfo | None = None
    rules: list[RuleResult]
