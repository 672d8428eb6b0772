"""Pydantic models of a rule pack's files: pack.yaml, record types and the findings registry.

Every model forbids unknown keys, so a misspelt key is an error with a location, never ignored.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from peelcheck.schema.basics import Closed, Identifier, Reason, RuleRef, Slug
from peelcheck.schema.rubric import Rubric
from peelcheck.schema.windows import WindowOverrides, one_or_many_schema

__all__ = ["Closed", "Identifier", "Reason", "RuleRef", "Slug"]



class Document(Closed):
    """A source document the pack draws on (an inspection report, a response letter)."""

    id: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]*$")]
    title: str
    publisher: str
    date: dt.date
    file: str | None = Field(default=None, description="Name of the text in the seeds folder, if held.")


class Area(Closed):
    """A PEEL question or inspection area; its prefix starts the ids of its rules."""

    id: Slug
    title: str
    prefix: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,5}$")]
    description: str | None = None


class DisabledRule(Closed):
    """A rule switched off (a profile) or out of scope (an overlay), always with the reason."""

    rule: RuleRef
    reason: Reason


class ThresholdOverride(Closed):
    threshold: float = Field(ge=0.0, le=1.0)
    reason: Reason


class Extends(Closed):
    """A pack an overlay builds on: its id (or installed name) and the versions the overlay was written for."""

    pack: Slug
    version: str = Field(default="", description="A version specifier such as '>=0.2,<0.3'; empty: any.")


class Force(Closed):
    """The force an overlay is for: its name heads every report."""

    name: Annotated[str, StringConstraints(min_length=2)]
    short_name: str | None = None


class Pack(Closed):
    """pack.yaml: what the pack is and what it cites. A core pack has areas; an overlay ``extends`` one and
    adds its force, documents, findings and local rules, and adjusts the core's rules with reasons."""

    id: Slug
    title: str
    version: str
    description: str | None = None
    extends: list[Extends] = Field(default_factory=list)
    force: Force | None = None
    timezone: str = Field(default="Europe/London", description="IANA zone of the force's local date-times.")
    documents: list[Document] = Field(default_factory=list)
    areas: list[Area] = Field(default_factory=list)
    thresholds: dict[RuleRef, ThresholdOverride] = Field(default_factory=dict)
    out_of_scope: list[DisabledRule] = Field(default_factory=list)
    windows: dict[RuleRef, WindowOverrides] = Field(
        default_factory=dict, description="A base pack's rule's time window changed for this force, with the reason "
        "(one override, or a list of them, one per window field): see docs/packs.md.")
    rule_kinds: dict[RuleRef, RuleKind] = Field(
        default_factory=dict, description="What a base pack's rule is in this force's reports, where its findings "
        "registry alone would not say (see docs/packs.md): a core rule is a national expectation until then.")
    rubric: Rubric | None = Field(default=None, description="How areas get an indicative status (never a grade); "
                                  "an overlay without one uses its base's. See docs/reports.md.")

    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra=one_or_many_schema)

    @model_validator(mode="after")
    def _core_has_areas(self) -> Pack:
        if not self.extends and not self.areas:
            raise ValueError("a pack that extends no other must declare its 'areas'")
        return self


class FieldType(str, Enum):
    BOOL = "bool"
    INT = "int"
    FLOAT = "float"
    STRING = "string"
    ENUM = "enum"
    DATE = "date"
    DATETIME = "datetime"
    DURATION = "duration"
    DATE_LIST = "date_list"

    @property
    def is_temporal(self) -> bool:
        return self in (FieldType.DATE, FieldType.DATETIME)

    @property
    def is_ordered(self) -> bool:
        return self in (FieldType.INT, FieldType.FLOAT, FieldType.DATE, FieldType.DATETIME, FieldType.DURATION)


class FieldSpec(Closed):
    """One field of a record type. A field left out of a record is 'not recorded'."""

    type: FieldType
    description: Annotated[str, StringConstraints(min_length=1)]
    required: bool = False
    values: list[str] | None = Field(default=None, description="Allowed values of an enum field.")
    blank_cell: Literal["not_recorded", "empty_list"] = Field(
        default="not_recorded", description="What a blank CSV cell of a date_list field means: not recorded (like "
        "every blank cell), or, for an export that writes no dates as a blank, a recorded empty list.")

    @model_validator(mode="after")
    def _values_only_for_enums(self) -> FieldSpec:
        if (self.type is FieldType.ENUM) != (self.values is not None):
            raise ValueError("an enum field needs 'values'; other types must not have them")
        if self.blank_cell != "not_recorded" and self.type is not FieldType.DATE_LIST:
            raise ValueError("'blank_cell: empty_list' is for date_list fields")
        if self.values is not None and not self.values:
            raise ValueError("'values' must list at least one value")
        return self


class RecordTypeExtension(Closed):
    """An overlay's additions to a record type of the pack it extends: new fields (never required, so the
    core's records stay valid) and new values of enum fields (extra attestation questions, say)."""

    extends: Identifier
    fields: dict[Identifier, FieldSpec] = Field(default_factory=dict)
    values: dict[Identifier, list[str]] = Field(default_factory=dict, description="Enum field -> values added.")

    @model_validator(mode="after")
    def _optional_fields(self) -> RecordTypeExtension:
        required = sorted(name for name, spec in self.fields.items() if spec.required)
        if required:
            raise ValueError(f"added field(s) {', '.join(required)} cannot be required: the core's records "
                             "would no longer be valid")
        return self


class RecordTypeSpec(Closed):
    """A kind of record a force holds (a case-file audit, a call, an APSTRA...)."""

    name: Identifier
    title: str
    description: str
    key: Identifier = Field(description="The field that names a record in findings (a case reference).")
    personal: bool = Field(default=False, description="Each record is about a person (workforce records): its "
                           "key is pseudonymised in reports unless asked for in full (--show-personal).")
    fields: dict[Identifier, FieldSpec]

    @model_validator(mode="after")
    def _key_is_a_required_field(self) -> RecordTypeSpec:
        reserved = sorted({"id", "sid"} & set(self.fields))
        if reserved:
            raise ValueError(f"field name(s) {', '.join(reserved)} are reserved by the rules engine")
        doubled = sorted(name for name in self.fields if "__" in name)
        if doubled:  # the engines name derived columns so (a datetime's day is <field>__day in SQL)
            raise ValueError(f"field name(s) {', '.join(doubled)}: a double underscore is reserved for the "
                             "engines' own columns; use a single one")
        spec = self.fields.get(self.key)
        if spec is None:
            raise ValueError(f"key field {self.key!r} is not among the fields")
        if not spec.required:
            raise ValueError(f"key field {self.key!r} must be required")
        return self


class FindingKind(str, Enum):
    CAUSE_OF_CONCERN = "cause-of-concern"
    RECOMMENDATION = "recommendation"
    AREA_FOR_IMPROVEMENT = "area-for-improvement"
    FINDING = "finding"
    GRADED_JUDGMENT = "graded-judgment"
    LOCAL_STANDARD = "local-standard"
    PCC_PROGRESS_CLAIM = "pcc-progress-claim"
    # a national core's rule: what it is for a force comes from that force's own reports
    EXPECTATION = "expectation"

    @property
    def rank(self) -> int:
        """Order in reports: causes of concern and recommendations first."""
        return list(FindingKind).index(self)


class RuleKind(Closed):
    """An overlay's word on what a base pack's rule is in its force's reports."""

    kind: FindingKind
    from_praise: bool = Field(default=False, description="The force's report praised what the rule checks: met "
                              "means the force sustains it.")
    reason: Reason | None = None


class SourceFinding(Closed):
    """One finding in a source document (the findings registry)."""

    id: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")]
    document: str
    section: str
    kind: FindingKind
    quote: str
    rules: list[RuleRef] = Field(default_factory=list, description="Rules (core or overlay) that evidence it.")
    quoted_by: list[RuleRef] = Field(default_factory=list, description="Rules of 'rules' that quote these words "
                                     "as their source (a core rule quotes no force's report itself).")
    note: str | None = None
    disputes: str | None = Field(default=None, description="For a response to an inspection: the inspectorate's "
                                 "words it disputes, as the response quotes or names them.")


class FindingsFile(Closed):
    findings: list[SourceFinding]


def field_names(spec: RecordTypeSpec) -> list[str]:
    return list(spec.fields)


def dump_schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema()
