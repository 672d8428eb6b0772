"""The gap report as JSON, complete (every failure), matching the committed JSON Schema."""

from __future__ import annotations

from itertools import islice
from typing import Any, TextIO

from pydantic import TypeAdapter

from peelcheck.assess.model import Assessment, RuleResult
from peelcheck.evaluate.failure_result import FailureResult
from peelcheck.evaluate.failures import Failures

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
        out.write(("," if i else "") + "\n    ")
        _write_rule(rule, out)
    out.write("\n  ]" + after + "\n")


_FAILURES = '\n  "failures": []'  # how a rule without failures writes them
_CHUNK = 10_000  # failures made and written at a time
_LIST = TypeAdapter(list[FailureResult])


def _write_rule(rule: RuleResult, out: TextIO) -> None:
    """A rule's JSON as in the list of rules, its failures written ``_CHUNK`` at a time: a rule of a
    national run may have a million, waiting on disk (``failure_spill``), and never all made at once."""
    if not rule.failures:
        out.write(_indented(rule.model_dump_json(indent=2), 4))
        return
    head = rule.model_copy(update={"failures": Failures()}).model_dump_json(indent=2)
    before, marker, after = head.partition(_FAILURES)
    if not marker:  # the model changed shape: written whole rather than wrongly
        out.write(_indented(rule.model_dump_json(indent=2), 4))
        return
    out.write(_indented(before, 4) + _indented('\n  "failures": [', 4))
    failures = iter(rule.failures)
    for k, chunk in enumerate(iter(lambda: list(islice(failures, _CHUNK)), [])):
        items = _LIST.dump_json(chunk, indent=2).decode()[2:-2]  # "[\n" items "\n]", items two spaces in
        out.write(("," if k else "") + _indented("\n" + items, 6))
    out.write(_indented("\n  ]" + after, 4))


def _indented(text: str, spaces: int) -> str:
    """Every line of pretty JSON after the first moved ``spaces`` right (no raw line break is in a string)."""
    return text.replace("\n", "\n" + " " * spaces)


def assessment_schema() -> dict[str, Any]:
    schema = Assessment.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "peelcheck assessment"
    return schema

