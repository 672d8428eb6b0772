"""The gap report as Markdown, for people: per area, then every rule not met with its failing records."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TextIO

from peelcheck.assess.model import Assessment, RuleResult
from peelcheck.evaluate.values import plain
from peelcheck.report.common import KIND_WORDS, STATUS_WORDS, also_counted, measure
from peelcheck.schema.outcomes import RuleStatus

_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*[]|"} | {"<": "&lt;", ">": "&gt;", "&": "&amp;", "\n": " "})


def _cell(text: str) -> str:
    """Text in a table cell as itself: no HTML, emphasis, link or code made of a record's values."""
    return text.translate(_MARKDOWN)


def _failures(rule: RuleResult, limit: int | None) -> Iterator[str]:
    yield from ["| record | where | outcome | reason | values |", "|---|---|---|---|---|"]
    shown = rule.failures if limit is None else rule.failures[:limit]
    for f in shown:
        values = json.dumps(plain(f.values), ensure_ascii=False).replace("`", "'").replace("|", "\\|")
        yield (f"| {_cell(f.key)} | {_cell(f.location)} | {f.outcome.value.replace('_', ' ')} | "
               f"{_cell(f.reason)} | `{values}` |")
    if len(shown) < len(rule.failures):
        yield f"\n{len(rule.failures) - len(shown)} more failing records not shown (see --format json)."


def render_markdown(assessment: Assessment, max_failures: int | None = None) -> str:
    return "\n".join(markdown_lines(assessment, max_failures)) + "\n"


def write_markdown(assessment: Assessment, out: TextIO, max_failures: int | None = None) -> None:
    """The text of render_markdown, line by line: every failure of a large assessment is a line."""
    for line in markdown_lines(assessment, max_failures):
        out.write(line + "\n")


def markdown_lines(assessment: Assessment, max_failures: int | None = None) -> Iterator[str]:
    s = assessment.summary
    yield from [f"# Gap report: {assessment.pack_title}", "",
                f"Pack `{assessment.pack_id}` {assessment.pack_version}; assessed as of {assessment.as_of}; "
                f"engine {assessment.engine}; {s.records} records.", "",
                f"**{s.not_met} of {s.rules} rules not met**; {s.met} met, {s.not_assessed} not assessed, "
                f"{s.manual} manual, {s.disabled} disabled{also_counted(s)}.", ""]
    if assessment.rejected_rows:
        yield from [f"**{len(assessment.rejected_rows)} rows were rejected** and not assessed:", ""]
        yield from [f"- {r.location}: {r.field or ''} {r.message}" for r in assessment.rejected_rows] + [""]
    for source in assessment.inputs:
        if source.absent_fields:
            yield from [f"**{source.path}** has no column for {len(source.absent_fields)} fields of "
                        f"`{source.record_type}`, so they are not recorded in any of its rows: "
                        f"{', '.join(source.absent_fields)}.", ""]
        if source.repeated_rows:
            yield from [f"**{source.path}**: {len(source.repeated_rows)} rows exactly repeat an earlier row "
                        f"(assessed as they are): {'; '.join(source.repeated_rows)}.", ""]
    rules = {r.id: r for r in assessment.rules}
    yield from ["## Areas", "", "| area | met | not met | inconclusive | not assessed | manual | disabled | waived "
                "| rules |", "|---|---|---|---|---|---|---|---|---|"]
    yield from [f"| {a.title} | {a.met} | {a.not_met} | {a.inconclusive} | {a.not_assessed} | {a.manual} "
                f"| {a.disabled} | {a.waived} | {len(a.rules)} |" for a in assessment.areas]
    for area in assessment.areas:
        yield from ["", f"## {area.title}", "", "| status | rule | kind | measure | title |", "|---|---|---|---|---|"]
        for rid in area.rules:
            r = rules[rid]
            yield (f"| {STATUS_WORDS[r.status]} | {r.id} | {KIND_WORDS[r.kind.value]} | {_cell(measure(r))} | "
                   f"{_cell(r.title)} |")
        for rid in area.rules:
            r = rules[rid]
            if r.status is not RuleStatus.NOT_MET:
                continue
            yield from ["", f"### {r.id} not met: {r.title}", "",
                        f"> {r.source.quote}", ">", f"> {r.source.document_title}, {r.source.section}", "",
                        f"Measure: {measure(r)}. Remediation: {r.remediation}", ""]
            if r.failures:
                yield from _failures(r, max_failures)
