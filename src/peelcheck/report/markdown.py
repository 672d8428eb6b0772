"""The gap report as Markdown, for people: per area, then every rule not met with its failing records.

Every text from the pack or the records goes through ``_md``: HTML (``<script>``), links, code
spans and table pipes are escaped, control characters written out, so a record's key or value is
shown as written and never becomes markup in a viewer that renders the report.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import TextIO

from peelcheck.assess.model import Assessment, RuleResult
from peelcheck.evaluate.values import plain
from peelcheck.report.common import KIND_WORDS, STATUS_WORDS, measure, visible
from peelcheck.schema.outcomes import RuleStatus

# Backslash too, so the text cannot undo an escape; "_" is left alone (emphasis at most, and field
# names are full of it).
_MARKDOWN = re.compile(r"([\\`*\[\]|!])")
_PLAIN = re.compile(r"[^\w \-:/.,;()'\"=%{}+@]").search  # None: text with nothing to escape (most of it)
_JSON_SPECIAL = re.compile(r"[<>&`|]").search
_JSON_IN_CODE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "`": "\\u0060", "|": "\\u007c"})


def _md(text: str) -> str:
    """Pack or record text as literal Markdown text, on one line (it may sit in a table cell)."""
    if not _PLAIN(text):
        return text
    return _MARKDOWN.sub(r"\\\1", html.escape(visible(text), quote=False))


def _cell(text: str) -> str:
    return _md(text)


def _code(values: object) -> str:
    """Values as JSON in a code span; characters that could end the span or the cell are JSON-escaped."""
    text = json.dumps(values, ensure_ascii=False)
    return f"`{text.translate(_JSON_IN_CODE) if _JSON_SPECIAL(text) else text}`"


def _failures(rule: RuleResult, limit: int | None) -> Iterator[str]:
    yield from ["| record | where | outcome | reason | values |", "|---|---|---|---|---|"]
    shown = rule.failures if limit is None else rule.failures[:limit]
    for f in shown:
        yield (f"| {_cell(f.key)} | {_cell(f.location)} | {f.outcome.value.replace('_', ' ')} | "
               f"{_cell(f.reason)} | {_code(plain(f.values))} |")
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
    yield from [f"# Gap report: {_md(assessment.pack_title)}", "",
                f"Pack {_md(assessment.pack_id)} {_md(assessment.pack_version)}; assessed as of {assessment.as_of}; "
                f"engine {assessment.engine}; {s.records} records.", "",
                f"**{s.not_met} of {s.rules} rules not met**; {s.met} met, {s.not_assessed} not assessed, "
                f"{s.manual} manual, {s.disabled} disabled.", ""]
    if assessment.rejected_rows:
        yield from [f"**{len(assessment.rejected_rows)} rows were rejected** and not assessed:", ""]
        yield from [f"- {_md(r.location)}: {_md(r.field or '')} {_md(r.message)}"
                    for r in assessment.rejected_rows] + [""]
    for source in assessment.inputs:
        path = _md(source.path)
        if source.absent_fields:
            yield from [f"**{path}** has no column for {len(source.absent_fields)} fields of "
                        f"`{source.record_type}`, so they are not recorded in any of its rows: "
                        f"{_md(', '.join(source.absent_fields))}.", ""]
        if source.repeated_rows:
            yield from [f"**{path}**: {len(source.repeated_rows)} rows exactly repeat an earlier row "
                        f"(assessed as they are): {_md('; '.join(source.repeated_rows))}.", ""]
        if source.repeated_keys:
            yield from [f"**{path}**: {len(source.repeated_keys)} records repeat the key of an earlier record "
                        f"(assessed as they are): {_md('; '.join(source.repeated_keys))}.", ""]
    rules = {r.id: r for r in assessment.rules}
    yield from ["## Areas", "", "| area | met | not met | not assessed | manual |", "|---|---|---|---|---|"]
    yield from [f"| {_md(a.title)} | {a.met} | {a.not_met} | {a.not_assessed} | {a.manual} |" for a in assessment.areas]
    for area in assessment.areas:
        yield from ["", f"## {_md(area.title)}", "", "| status | rule | kind | measure | title |",
                    "|---|---|---|---|---|"]
        for rid in area.rules:
            r = rules[rid]
            yield (f"| {STATUS_WORDS[r.status]} | {_md(r.id)} | {KIND_WORDS[r.kind.value]} | {_cell(measure(r))} | "
                   f"{_cell(r.title)} |")
        for rid in area.rules:
            r = rules[rid]
            if r.status is not RuleStatus.NOT_MET:
                continue
            yield from ["", f"### {_md(r.id)} not met: {_md(r.title)}", "",
                        f"> {_md(r.source.quote)}", ">", f"> {_md(r.source.document_title)}, {_md(r.source.section)}",
                        "", f"Measure: {_md(measure(r))}. Remediation: {_md(r.remediation)}", ""]
            if r.failures:
                yield from _failures(r, max_failures)
