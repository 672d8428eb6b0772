"""The gap report as JSON, complete (every failure), matching the committed JSON Schema."""

from __future__ import annotations

from typing import Any, TextIO

from peelcheck.assess.model import Assessment

_NO_RULES = '\n  "rules": []'  # how the last field of an assessment without rules is written


def render_json(assessment: Assessment) -> str:
    return assessment.model_dump_json(indent=2) + "\n"


def write_json(assessment: Assessment, out: TextIO) -> None:
    """The text of render_json, written one rule at a time: a million-record assessment holds
    hundreds of thousands of failures, and as one string its JSON would double the peak memory.

    A rule's JSON, written alone, is indented four more spaces to sit in the list (pretty JSON has
    no raw line break inside a string, so every line break starts a line of the structure)."""
    head = assessment.model_copy(update={"rules": []}).model_dump_json(indent=2)
    before, marker, after = head.rpartition(_NO_RULES)
    if not marker or not assessment.rules:
        out.write(render_json(assessment))
        return
    out.write(before + '\n  "rules": [')
    for i, rule in enumerate(assessment.rules):
        out.write(("," if i else "") + "\n    " + rule.model_dump_json(indent=2).replace("\n", "\n    "))
    out.write("\n  ]" + after + "\n")


def assessment_schema() -> dict[str, Any]:
    schema = Assessment.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "peelcheck assessment"
    return schema

