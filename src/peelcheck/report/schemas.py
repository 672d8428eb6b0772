"""JSON Schemas of the pack files and of the assessment, for editors and tools."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from peelcheck.report.json_report import assessment_schema
from peelcheck.schema.condition_schema import with_conditions
from peelcheck.schema.framework import FrameworkRegistry
from peelcheck.schema.mapping import ColumnMapping
from peelcheck.schema.pack import FindingsFile, Pack, RecordTypeSpec
from peelcheck.schema.profile import Profile
from peelcheck.schema.rule import RuleSpec

_MODELS: dict[str, type[BaseModel]] = {
    "rule": RuleSpec, "pack": Pack, "record-type": RecordTypeSpec, "findings": FindingsFile, "mapping": ColumnMapping,
    "profile": Profile, "framework": FrameworkRegistry,
}
SCHEMAS = [*_MODELS, "assessment"]
SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"


def schema_path(what: str) -> Path:
    """Where the committed schema of ``what`` lives (shipped inside the package)."""
    return SCHEMA_DIR / f"{what}.schema.json"


def schema_text(what: str) -> str:
    return json.dumps(schema_for(what), indent=2, sort_keys=True) + "\n"


def schema_for(what: str) -> dict[str, Any]:
    if what == "assessment":
        return assessment_schema()
    schema = _MODELS[what].model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return with_conditions(schema) if what == "rule" else schema
