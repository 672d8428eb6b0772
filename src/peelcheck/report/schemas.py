"""JSON Schemas of the pack files and of the assessment, for editors and tools."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from peelcheck.report.json_report import assessment_schema
from peelcheck.schema.mapping import ColumnMapping
from peelcheck.schema.pack import FindingsFile, Pack, RecordTypeSpec
from peelcheck.schema.rule import RuleSpec

_MODELS: dict[str, type[BaseModel]] = {
    "rule": RuleSpec, "pack": Pack, "record-type": RecordTypeSpec, "findings": FindingsFile, "mapping": ColumnMapping,
}


def schema_for(what: str) -> dict[str, Any]:
    if what == "assessment":
        return assessment_schema()
    schema = _MODELS[what].model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
