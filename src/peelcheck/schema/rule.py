"""Pydantic model of a rule file, and the loaded Rule with its parsed conditions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any

from pydantic import Field, StringConstraints, model_validator

from peelcheck.errors import Location
from peelcheck.schema.conditions import Condition
from peelcheck.schema.framework import FrameworkCitation, StandardCitation, ThresholdBasis
from peelcheck.schema.outcomes import Outcome, RuleStatus
from peelcheck.schema.pack import Closed, FindingKind, Identifier, Slug

RuleId = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,5}-[0-9]{2,4}[A-Z]?$")]


class Severity(str, Enum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)

    def fails_run(self, fail_on: str) -> bool:
        """Whether a gap of this severity fails the run under ``--fail-on`` (a severity, or ``never``)."""
        return fail_on != "never" and self.rank <= Severity(fail_on).rank


class Mode(str, Enum):
    AUTOMATED = "automated"
    MANUAL = "manual"


class Evidence(str, Enum):
    """What a rule's result rests on: the force's records, its own answer, or an auditor's judgment."""

    RECORDS = "records"
    SELF_DECLARED = "self-declared"
    AUDITOR_JUDGMENT = "auditor-judgment"


SELF_DECLARED_RECORD_TYPES = frozenset({"attestation"})


def derived_evidence(data: dict[str, Any]) -> Evidence:
    """The default evidence kind: manual -> auditor's judgment; answers to attestations -> self-declared."""
    if data.get("mode") in (Mode.MANUAL, Mode.MANUAL.value):
        return Evidence.AUDITOR_JUDGMENT
    if data.get("record_type") in SELF_DECLARED_RECORD_TYPES:
        return Evidence.SELF_DECLARED
    return Evidence.RECORDS


class Source(Closed):
    """Where the expectation comes from: document id, section, and a short quote."""

    document: str
    section: str
    quote: Annotated[str, StringConstraints(min_length=1)]
    paragraph: str | None = Field(default=None, description="Paragraph or page reference, if the text has one.")


class CountTarget(Closed):
    """An aggregate count: at least (or at most) so many records must match ``when``."""

    at_least: int | None = Field(default=None, ge=0)
    at_most: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one_bound(self) -> CountTarget:
        if (self.at_least is None) == (self.at_most is None):
            raise ValueError("give exactly one of at_least or at_most")
        return self

    def holds(self, count: int) -> bool:
        return count >= self.at_least if self.at_least is not None else count <= (self.at_most or 0)


DEFAULT_AS_OF = dt.date(2022, 4, 1)  # the date an example is judged on unless it gives its own (``as_of``)


class Example(Closed):
    """A worked example run by the test suite: one record and its outcome, or records and a status."""

    name: Slug
    description: str | None = None
    record: dict[str, Any] | None = None
    records: list[dict[str, Any]] | None = None
    outcome: Outcome | None = None
    status: RuleStatus | None = None
    as_of: dt.date | None = None

    @model_validator(mode="after")
    def _one_shape(self) -> Example:
        per_record = self.record is not None and self.outcome is not None and self.records is None
        rule_level = self.records is not None and self.status is not None and self.record is None
        if not (per_record or rule_level):
            raise ValueError("an example has either 'record' with 'outcome', or 'records' with 'status'")
        return self

    @property
    def passes(self) -> bool:
        return self.outcome is Outcome.COMPLIANT or self.status is RuleStatus.MET

    @property
    def fails(self) -> bool:
        return self.outcome in (Outcome.NON_COMPLIANT, Outcome.NOT_RECORDED) or self.status is RuleStatus.NOT_MET


class RuleSpec(Closed):
    """One rule file. ``when`` and ``expect`` are conditions in the rule language."""

    id: RuleId
    title: str
    area: Slug
    kind: FindingKind
    severity: Severity
    source: Source | None = Field(default=None, description="The words the rule encodes. A core rule may leave "
                                  "it out: composed with an overlay, it takes the quote of a finding that lists it.")
    findings: list[str] = Field(default_factory=list, description="Kept for older packs: findings list their "
                                "rules now (the registry's 'rules:'); the compiled rule holds both.")
    framework: list[FrameworkCitation] = Field(default_factory=list, description="PEEL Assessment Framework "
                                               "characteristics of good the rule gives evidence for.")
    basis: list[StandardCitation] = Field(default_factory=list, description="National standards the rule "
                                          "rests on.")
    record_type: Identifier
    mode: Mode = Mode.AUTOMATED
    question: str | None = Field(default=None, description="What an auditor must answer, for manual rules.")
    when: Any = None
    expect: Any = None
    count: CountTarget | None = None
    threshold: float = Field(default=1.0, description="Share of applicable records that must comply.")
    evidence_required: bool = Field(default=False, description="Not met (rather than not assessed) when no "
                                    "record applies: for documents and answers a force must hold.")
    threshold_source: str | None = Field(default=None, description="The standard the threshold comes from.")
    threshold_basis: ThresholdBasis | None = Field(default=None, description="What kind of source the threshold "
                                                   "has: a national standard, an inspectorate's figure, the "
                                                   "pack's default or the force's choice.")
    breakdown: list[Identifier] = Field(default_factory=list, description="Fields (enum, bool or short text) "
                                        "the rule's results are broken down by, value by value.")
    remediation: str
    evidence: Evidence = Field(default=Evidence.RECORDS, description="What the result rests on; when left out: "
                               "auditor-judgment for manual rules, self-declared over attestations, else records.")
    from_praise: bool = Field(default=False, description="Drawn from what a report praised: it guards good "
                              "practice and is never a failure of the source.")
    data_quality: bool = Field(default=False, description="The rule checks the quality of the data, not practice.")
    examples: list[Example] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _derive_evidence(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("evidence") is None:
            return {**data, "evidence": derived_evidence(data)}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> RuleSpec:
        if not 0.0 <= self.threshold <= 1.0:
            raise ValueError(f"threshold {self.threshold} is outside 0..1 (it is a share: 0.9 means 90%)")
        if self.mode is Mode.MANUAL:
            if not self.question:
                raise ValueError("a manual rule needs the 'question' an auditor must answer")
            return self
        if (self.expect is None) == (self.count is None):
            raise ValueError("an automated rule needs exactly one of 'expect' (per record) or 'count'")
        return self


@dataclass(frozen=True)
class Rule:
    """A rule as loaded: its spec, its parsed conditions and the file it came from."""

    spec: RuleSpec
    when: Condition | None
    expect: Condition | None
    path: str
    location: Location
    # the rule as its file wrote it, where a profile or an overlay changed its threshold or windows: its
    # worked examples are its author's, and are judged on what its author wrote (rule_examples)
    as_written: Rule | None = None

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def status_if_manual(self) -> RuleStatus | None:
        return RuleStatus.MANUAL if self.spec.mode is Mode.MANUAL else None
