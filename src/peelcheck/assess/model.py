"""The assessment result: the one typed model that every report format renders.

Its JSON Schema is committed (``schemas/assessment.schema.json``) and checked by the tests.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from peelcheck.assess.model_extras import BaselineChange, BaselineInfo, RateInterval, WaiverResult, WarningResult
from peelcheck.assess.rubric import IndicativeStatus
from peelcheck.evaluate.failures import Failures
from peelcheck.schema.framework import ThresholdBasis
from peelcheck.schema.outcomes import RuleStatus
from peelcheck.schema.pack import FindingKind
from peelcheck.schema.rule import Evidence, Severity

SCHEMA_VERSION = "1"
NOTICE = ("A self-assessment: the force's own reading of its records against the expectations of the rule packs "
          "named here. It is not an inspection, a judgment or a grade by HMICFRS.")


class ResultModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceRef(ResultModel):
    document: str
    document_title: str
    section: str
    quote: str
    paragraph: str | None = None


class BreakdownValue(ResultModel):
    value: str | bool | None = Field(description="the field's value; null: not recorded")
    other_values: bool = Field(default=False, description="true for the one row of a field with more than 200 "
                               "distinct values, which is not broken down")
    applicable: int
    compliant: int
    non_compliant: int
    not_recorded: int
    compliance_rate: float | None
    meets_threshold: bool | None = Field(description="this value's rate against the rule's threshold; null when "
                                         "nothing applies or the rule counts matches")


class Breakdown(ResultModel):
    field: str
    description: str
    values: list[BreakdownValue] = Field(description="per value; their counts add up to the rule's")


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
    source: SourceRef | None = None  # None: a core rule assessed with no overlay quoting it
    findings: list[str]
    status: RuleStatus
    applicable: int
    compliant: int
    non_compliant: int
    not_recorded: int
    compliance_rate: float | None = Field(description="compliant / applicable; null when nothing applies")
    threshold: float
    threshold_basis: ThresholdBasis | None = Field(description="what the threshold rests on; null: not stated")
    threshold_source: str | None = Field(description="the pack's (or the profile's) reason for the threshold")
    evidence: Evidence
    from_praise: bool = Field(description="drawn from what a report praised: met means the force sustains it")
    data_quality: bool = Field(description="checks the quality of the data rather than a practice")
    self_declared_answer: str | None = Field(default=None, description="for a rule decided by a single "
                                             "self-declared answer (an attestation): "
                               "yes, partly or no as given; yes-unsupported (a yes without the evidence or review "
                               "the rule asks for) or not-recorded")
    shortfall: int = Field(description="more compliant records needed to reach the threshold; for a count rule "
                           "'at most N', the matches over N (0 if met)")
    count_target: str | None = Field(default=None, description="for count rules: 'at least N' / 'at most N'")
    question: str | None = None
    disabled_reason: str | None = None
    not_assessable_reason: str | None = Field(default=None, description="why the rule cannot be assessed: the "
                                              "columns its applicability needs that a file lacks")
    remediation: str = Field(description="the pack's suggestion, not the inspectorate's")
    breakdowns: list[Breakdown] = Field(default_factory=list)
    personal: bool = Field(default=False, description="its records are about people: keys are pseudonymised "
                           "unless the run asked for them in full")
    failures: Failures
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
    not_assessable: int = 0
    disabled: int = 0
    inconclusive: int = 0
    waived: int = 0
    rules: list[str] = Field(description="rule ids, causes of concern and recommendations first")
    findings: list[str] = Field(default_factory=list, description="ids of the source findings its rules evidence")
    indicative_status: IndicativeStatus | None = Field(default=None, description="the rubric level its rule "
                                                       "results reach: an indicative self-assessment, not an "
                                                       "HMICFRS grade; null without a rubric or a decided rule")
    indicative_withheld: str | None = Field(default=None, description="why the area has no indicative status "
                                            "(no rubric, no decided rule, or too few of its rules decided)")


class FindingResult(ResultModel):
    """A finding of a source document, and what the force's evidence says of it."""

    id: str
    document: str
    document_title: str
    section: str
    kind: FindingKind
    quote: str
    area: str
    rules: list[str]
    status: RuleStatus = Field(description="not met if any of its rules is not met; else not assessable if one "
                               "is (a gap); met if one is met; else manual, waived, not assessed or disabled")
    from_praise: bool = Field(description="what the report found good: met means sustained")
    baseline: BaselineChange | None = None


class PackRef(ResultModel):
    id: str
    title: str
    version: str


class InputFile(ResultModel):
    path: str
    record_type: str
    records: int
    rejected: int
    repeated_rows: list[str] = Field(default_factory=list, description="rows that exactly repeat an earlier row "
                                     "(assessed as they are; reported so a force can check them)")
    absent_fields: list[str] = Field(default_factory=list, description="fields the assessed rules read that the "
                                     "file has no column for (not recorded in every row)")
    repeated_keys: list[str] = Field(default_factory=list, description="records whose key an earlier record of the "
                                     "file has, in file order, each as \"'KEY' at line N (first at line M)\" (row "
                                     "for a sheet or Parquet file, record for a JSON document): KEY as written there, "
                                     "with the first's as written added where it differs (\"'007' at line 3 (first "
                                     "at line 2 as '7')\": keys are compared by their value as read). Rejected rows "
                                     "are not records and are not among them. Assessed as they are; a data-quality "
                                     "finding")
    absent_columns: dict[str, str] = Field(default_factory=dict, description="of those, field -> the column the "
                                           "mapping expected")
    problems: int = Field(default=0, description="problems found in the rejected rows (a row may have several)")
    place_unit: str = Field(default="line", description="what the file's places count: a CSV's 'line', a "
                            "sheet's or a Parquet file's 'row' (blank_lines, blank_rows and repeated_rows are in it)")
    blank_lines: int = Field(default=0, description="blank lines skipped (and blank rows after a sheet's data)")
    blank_rows: list[int] = Field(default_factory=list, description="lines or sheet rows whose cells are all "
                                  "blank: reported, not assessed")
    ignored_columns: list[str] = Field(default_factory=list, description="columns read past, as the mapping said")
    mixed_offsets: list[str] = Field(default_factory=list, description="datetime fields holding both naive times "
                                     "and times with an offset")
    read_as: list[str] = Field(default_factory=list, description="how the file was read: encoding, delimiter, "
                               "sheet, mapping, timezone")
    sheets_not_read: dict[str, int] = Field(default_factory=dict, description="a workbook read without --sheet: "
                                            "its other sheets holding data -> their rows below the header")


class RejectedRowResult(ResultModel):
    location: str
    field: str | None
    value: Any
    message: str
    code: str = Field(default="bad-record", description="the diagnostic code (docs/diagnostics.md), e.g. "
                      "invisible-character-in-key")


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
    inconclusive: int = 0
    waived: int = 0
    straddling: int = Field(default=0, description="rules whose 95% interval straddles the threshold")
    verdict: str = Field(default="point", description="what decides met/not met: the rate ('point') or its "
                         "95% interval ('interval')")


class PersonalData(ResultModel):
    record_types: list[str] = Field(description="record types whose records are about people")
    pseudonymised: bool = Field(description="their keys are shown as keyed-hash pseudonyms (person-...)")
    stable: bool = Field(description="the pseudonyms are the same in every run keyed alike (false: this run only)")


class Assessment(ResultModel):
    schema_version: str = SCHEMA_VERSION
    tool: str
    notice: str = Field(default=NOTICE, description="what this report is, and is not")
    force: str | None = Field(default=None, description="the force assessed, as the pack names it")
    packs: list[PackRef] = Field(default_factory=list, description="every pack assessed against, with its version")
    pack_id: str
    pack_title: str
    pack_version: str
    as_of: dt.date
    engine: str
    inputs: list[InputFile]
    rejected_rows: list[RejectedRowResult]
    summary: Summary
    personal_data: PersonalData | None = None
    areas: list[AreaResult]
    findings: list[FindingResult] = Field(default_factory=list)
    waived: list[WaiverResult] = Field(default_factory=list, description="waivers that applied")
    unused_waivers: list[WaiverResult] = Field(default_factory=list, description="waivers that matched nothing")
    baseline: BaselineInfo | None = None
    rules: list[RuleResult]
    # how the run evaluated where it left durable-rules: rules or records the python evaluators decided
    engine_notes: list[str] = Field(default_factory=list)
    warnings: list[WarningResult] = Field(default_factory=list, description="what the run warned of and went "
                                          "past: the pack's warnings as loaded, then the inputs'")
