"""The gap report as JSON, complete (every failure), matching the committed JSON Schema."""

from __future__ import annotations

from typing import Any

from peelcheck.assess.model import Assessment


def render_json(assessment: Assessment) -> str:
    return assessment.model_dump_json(indent=2) + "\n"


def assessment_schema() -> dict[str, Any]:
    schema = Assessment.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "peelcheck assessment"
    return schema

