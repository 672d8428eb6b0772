"""The gap report as Markdown, for people: what it is, the source findings and whether the evidence
meets them, per area, then every rule not met (or praise not sustained) with its first failing records
(200 unless --max-failures) and how many more there are.

Every text from the pack or the records goes through ``_cell``: HTML (``<script>``), links, code
spans and table pipes are escaped, control characters written out, so a record's key or value is
shown as written and never becomes markup in a viewer that renders the report."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import TextIO

from peelcheck.assess.model import AreaResult, Assessment, RuleResult
from peelcheck.report.changes import baseline_line, since
from peelcheck.report.common import (
    FAILURES_SHOWN,
    FORCE_CHOICES_TITLE,
    PRAISED,
    SUGGESTION,
    WAIVERS_TITLE,
    also_counted,
    basis_words,
    counted,
    failures_left_out,
    finding_words,
    force_choice_lines,
    heading,
    kind_words,
    measures,
    packs_words,
    rule_rate,
    status_words,
    value_words,
    visible,
    waiver_lines,
    warning_lines,
)
from peelcheck.report.data_quality import (
    REJECTED_SHOWN,
    file_notes,
    incomplete_heading,
    input_quality,
    rejected_left_out,
)
from peelcheck.report.indicative import status_line
from peelcheck.schema.outcomes import RuleStatus
from peelcheck.schema.values import plain

# Backslash too, so the text cannot undo an escape; "_" is left alone (emphasis at most, and field
# names are full of it). Brackets are escaped only in text that could make a link or image of them
# ("](", "]:", "][", "!["): a force named "Exampleshire [East]" stays as written. A link cannot be
# made across two texts, as the report never puts one right after another.
_MARKDOWN = re.compile(r"([\\`*|])")
_LINKS = re.compile(r"\]\(|\]:|\]\[|!\[").search
_BRACKETS = re.compile(r"([\[\]!])")
_HTML = re.compile(r"<|>|&(?=#?\w+;)")  # tags, and what an entity would be read as
_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
_PLAIN = re.compile(r"[^\w \-:/.,;()'\"=%{}+@]").search  # None: text with nothing to escape (most of it)
_JSON_SPECIAL = re.compile(r"[<>&`|]").search
_JSON_IN_CODE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "`": "\\u0060", "|": "\\u007c"})


def _cell(text: str) -> str:
    """Pack or record text as literal Markdown text, on one line (it may sit in a table cell)."""
    if not _PLAIN(text):
        return text
    text = _MARKDOWN.sub(r"\\\1", _HTML.sub(lambda m: _ENTITIES[m.group()[0]], visible(text)))
    return _BRACKETS.sub(r"\\\1", text) if _LINKS(text) else text


def _code(values: object) -> str:
    """Values as JSON in a code span; characters that could end the span or the cell are JSON-escaped."""
    text = json.dumps(values, ensure_ascii=False)
    return f"`{text.translate(_JSON_IN_CODE) if _JSON_SPECIAL(text) else text}`"


def _failures(rule: RuleResult, limit: int) -> Iterator[str]:
    yield from ["| record | where | outcome | reason | values |", "|---|---|---|---|---|"]
    shown = rule.failures[:limit]
    for f in shown:
        yield (f"| {_cell(f.key)} | {_cell(f.location)} | {f.outcome.value.replace('_', ' ')} | "
               f"{_cell(f.explanation)} | {_code(plain(f.values))} |")
    more = failures_left_out(len(rule.failures), len(shown))
    if more:
        yield f"\n{more}."


def render_markdown(assessment: Assessment, max_failures: int | None = None) -> str:
    return "\n".join(markdown_lines(assessment, max_failures)) + "\n"


def write_markdown(assessment: Assessment, out: TextIO, max_failures: int | None = None) -> None:
    """The text of render_markdown, line by line: every failure of a large assessment is a line."""
    for line in markdown_lines(assessment, max_failures):
        out.write(line + "\n")


def _header(assessment: Assessment, limit: int) -> Iterator[str]:
    s = assessment.summary
    incomplete = incomplete_heading(assessment)
    yield from [f"# {_cell(heading(assessment))}", ""] + ([f"**{incomplete}.**", ""] if incomplete else [])
    yield from [f"> {assessment.notice}", "",
                f"Packs: {_cell(packs_words(assessment))}; assessed as of {assessment.as_of}; "
                f"engine {assessment.engine}; {counted(s.records, 'record')}.", ""]
    notes = [f"- Engine note: {_cell(note)}." for note in assessment.engine_notes]  # which rules another decided
    notes += [f"- {_cell(line)}." for line in warning_lines(assessment)]  # what the run went past
    yield from notes + ([""] if notes else [])
    compared = baseline_line(assessment)
    if compared:
        yield from [f"{_cell(compared)}.", ""]
    personal = assessment.personal_data
    if personal is not None:
        shown = "pseudonymised (`person-...`)" if personal.pseudonymised else "shown in full (`--show-personal`)"
        yield from [f"Records about people ({', '.join(personal.record_types)}): keys {shown}.", ""]
    yield from _rejected(assessment, limit)
    for source in assessment.inputs:
        notes = file_notes(source)
        yield from [f"**{_cell(source.path)}**: {_cell(note)}." for note in notes] + ([""] if notes else [])


def _rejected(assessment: Assessment, limit: int) -> Iterator[str]:
    """The rejected rows, the first ``limit`` problems of each file's, and how many more there are."""
    if not assessment.rejected_rows:
        return
    rejected = assessment.summary.rows_rejected
    yield from [f"**{counted(rejected, 'row')} {'was' if rejected == 1 else 'were'} rejected** "
                f"({counted(len(assessment.rejected_rows), 'problem')}) and not assessed:", ""]
    for q in input_quality(assessment):
        shown = q.rejected[:limit]
        yield from [f"- {_cell(r.row.location)}: {_cell(r.row.field or '')} {_cell(r.row.message)}" for r in shown]
        more = rejected_left_out(q.path, len(q.rejected), len(shown))
        yield from (["", f"{_cell(more)}.", ""] if more else [""] if shown else [])


def _area_findings(assessment: Assessment, area: AreaResult, rules: dict[str, RuleResult],
                   measure: Callable[[RuleResult], str]) -> Iterator[str]:
    findings = {f.id: f for f in assessment.findings}
    unlinked = [rules[rid] for rid in area.rules if not rules[rid].findings]
    if not area.findings and not unlinked:
        return
    yield from ["| status | finding | source | quote | evidence |", "|---|---|---|---|---|"]
    for fid in area.findings:
        f = findings[fid]
        evidence = "; ".join(f"{r} {status_words(rules[r].status, rules[r].from_praise)}: {measure(rules[r])}"
                             for r in f.rules)
        yield (f"| {_cell(finding_words(f))} | {_cell(f.id)} | {_cell(f.document_title)}, {_cell(f.section)} | "
               f"{_cell(f.quote)} | {_cell(evidence)} |")
    for r in unlinked:  # a force's local standards, say: expectations with no source finding
        cited = (f"{_cell(r.source.document_title)}, {_cell(r.source.section)} | {_cell(r.source.quote)}"
                 if r.source is not None else "- | -")  # a core rule with no overlay quotes nothing
        yield (f"| {_cell(status_words(r.status, r.from_praise))}: {_cell(kind_words(r))} | - | "
               f"{cited} | {_cell(r.id)}: {_cell(measure(r))} |")
    yield ""


def _rule_details(r: RuleResult, max_failures: int, measure: Callable[[RuleResult], str]) -> Iterator[str]:
    title = f"{_cell(r.id)} not sustained ({PRAISED})" if r.from_praise else f"{_cell(r.id)} not met"
    quoted = [f"> {_cell(r.source.quote)}", ">", f"> {_cell(r.source.document_title)}, {_cell(r.source.section)}",
              ""] if r.source is not None else []
    yield from ["", f"### {title}: {_cell(r.title)}", "", *quoted, f"Measure: {_cell(measure(r))}."]
    if r.threshold_source:
        yield f"Threshold ({basis_words(r)}): {_cell(r.threshold_source.strip())}"
    yield from ["", f"{SUGGESTION}: {_cell(r.remediation.strip())}", ""]
    yield from _breakdowns(r, measure)
    if r.failures:
        yield from _failures(r, max_failures)


def _breakdowns(r: RuleResult, measure: Callable[[RuleResult], str]) -> Iterator[str]:
    for b in r.breakdowns:
        yield from [f"By {_cell(b.field)} ({_cell(b.description.rstrip('.'))}): all {_cell(measure(r))}.", "",
                    "| value | rate | applicable | compliant | non-compliant | not recorded | threshold |",
                    "|---|---|---|---|---|---|---|"]
        for v in b.values:
            meets = {True: "met", False: "below", None: "-"}[v.meets_threshold]
            yield (f"| {_cell(value_words(v))} | {rule_rate(r, v.compliance_rate)} | {v.applicable} | {v.compliant} | "
                   f"{v.non_compliant} | {v.not_recorded} | {meets} |")
        yield ""


def _rule_table(assessment: Assessment, area: AreaResult, rules: dict[str, RuleResult],
                measure: Callable[[RuleResult], str]) -> Iterator[str]:
    """The area's rules, with the change since the baseline where there is one."""
    compared = assessment.baseline is not None
    yield "| status | rule | kind | measure | " + ("since baseline | " if compared else "") + "title |"
    yield "|---|---|---|---|" + ("---|" if compared else "") + "---|"
    for rid in area.rules:
        r = rules[rid]
        change = f" {_cell(since(r))} |" if compared else ""
        yield (f"| {status_words(r.status, r.from_praise)} | {_cell(r.id)} | {_cell(kind_words(r))} | "
               f"{_cell(measure(r))} |{change} {_cell(r.title)} |")


def markdown_lines(assessment: Assessment, max_failures: int | None = None) -> Iterator[str]:
    """The report's lines; ``max_failures`` failing records per rule and problems of rejected rows per
    file are listed (None: 200 of each), each list followed by how many more there are and where."""
    yield from _header(assessment, REJECTED_SHOWN if max_failures is None else max_failures)
    limit = FAILURES_SHOWN if max_failures is None else max_failures
    rules = {r.id: r for r in assessment.rules}
    measure = measures(assessment)
    yield from ["## Findings and expectations by area", "",
                "| area | findings met or sustained | not met, not sustained or not assessable | other findings "
                "| rules met | not met | not assessed | not assessable | manual | disabled | inconclusive | waived |",
                "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    status = {f.id: f.status for f in assessment.findings}
    for a in assessment.areas:
        found = [status[f] for f in a.findings]
        # a finding not assessable is a gap (it fails the run), never one of the "other" findings
        met, not_met = found.count(RuleStatus.MET), found.count(RuleStatus.NOT_MET) + found.count(
            RuleStatus.NOT_ASSESSABLE)
        yield (f"| {_cell(a.title)} | {met} | {not_met} | {len(found) - met - not_met} | {a.met} | {a.not_met} | "
               f"{a.not_assessed} | {a.not_assessable} | {a.manual} | {a.disabled} | {a.inconclusive} | {a.waived} |")
    s = assessment.summary
    yield from ["", f"Rules: {s.not_met} of {s.rules} not met; {s.met} met, {s.not_assessed} not assessed, "
                f"{s.not_assessable} not assessable, {s.manual} manual, {s.disabled} disabled{also_counted(s)}."]
    for area in assessment.areas:
        reading = status_line(area.indicative_status, area.indicative_withheld)
        yield from ["", f"## {_cell(area.title)}", "", f"*{_cell(reading)}*", ""]
        yield from _area_findings(assessment, area, rules, measure)
        yield from _rule_table(assessment, area, rules, measure)
        for rid in area.rules:
            r = rules[rid]
            if r.status is RuleStatus.NOT_MET:
                yield from _rule_details(r, limit, measure)
            elif r.breakdowns:
                yield from ["", f"### {_cell(r.id)} {status_words(r.status, r.from_praise)}: {_cell(r.title)}", ""]
                yield from _breakdowns(r, measure)
    for title, lines in ((FORCE_CHOICES_TITLE, force_choice_lines(assessment)),
                         (WAIVERS_TITLE, waiver_lines(assessment))):
        if lines:
            yield from ["", f"## {title}", "", *(f"- {_cell(line)}" for line in lines)]
