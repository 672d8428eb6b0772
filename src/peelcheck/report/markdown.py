"""The gap report as Markdown, for people: what it is, the source findings and whether the evidence
meets them, per area, then every rule not met (or praise not sustained) with its failing records."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TextIO

from peelcheck.assess.model import AreaResult, Assessment, RuleResult
from peelcheck.evaluate.values import plain
from peelcheck.report.common import (
    PRAISED,
    SUGGESTION,
    also_counted,
    basis_words,
    finding_words,
    heading,
    kind_words,
    measure,
    packs_words,
    percent,
    status_words,
    value_words,
)
from peelcheck.schema.outcomes import RuleStatus

_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*|"} | {"<": "&lt;", ">": "&gt;", "&": "&amp;", "\n": " "})


def _cell(text: str) -> str:
    """Text as itself: no HTML, emphasis, code or link made of a record's values ('[a](b)' keeps its
    brackets, which read as text, but not the '](' that would make it a link)."""
    return text.translate(_MARKDOWN).replace("](", "]\\(")


def _failures(rule: RuleResult, limit: int | None) -> Iterator[str]:
    yield from ["| record | where | outcome | reason | values |", "|---|---|---|---|---|"]
    shown = rule.failures if limit is None else rule.failures[:limit]
    for f in shown:
        values = json.dumps(plain(f.values), ensure_ascii=False).replace("`", "'").replace("|", "\\|")
        yield (f"| {_cell(f.key)} | {_cell(f.location)} | {f.outcome.value.replace('_', ' ')} | "
               f"{_cell(f.explanation)} | `{values}` |")
    if len(shown) < len(rule.failures):
        yield f"\n{len(rule.failures) - len(shown)} more failing records not shown (see --format json)."


def render_markdown(assessment: Assessment, max_failures: int | None = None) -> str:
    return "\n".join(markdown_lines(assessment, max_failures)) + "\n"


def write_markdown(assessment: Assessment, out: TextIO, max_failures: int | None = None) -> None:
    """The text of render_markdown, line by line: every failure of a large assessment is a line."""
    for line in markdown_lines(assessment, max_failures):
        out.write(line + "\n")


def _header(assessment: Assessment) -> Iterator[str]:
    s = assessment.summary
    yield from [f"# {_cell(heading(assessment))}", "", f"> {assessment.notice}", "",
                f"Packs: {_cell(packs_words(assessment))}; assessed as of {assessment.as_of}; "
                f"engine {assessment.engine}; {s.records} records.", ""]
    personal = assessment.personal_data
    if personal is not None:
        shown = "pseudonymised (`person-...`)" if personal.pseudonymised else "shown in full (`--show-personal`)"
        yield from [f"Records about people ({', '.join(personal.record_types)}): keys {shown}.", ""]
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


def _area_findings(assessment: Assessment, area: AreaResult, rules: dict[str, RuleResult]) -> Iterator[str]:
    findings = {f.id: f for f in assessment.findings}
    unlinked = [rules[rid] for rid in area.rules if not rules[rid].findings]
    if not area.findings and not unlinked:
        return
    yield from ["| status | finding | source | quote | evidence |", "|---|---|---|---|---|"]
    for fid in area.findings:
        f = findings[fid]
        evidence = "; ".join(f"{r} {status_words(rules[r].status, rules[r].from_praise)}: {measure(rules[r])}"
                             for r in f.rules)
        yield (f"| {_cell(finding_words(f))} | {f.id} | {_cell(f.document_title)}, {_cell(f.section)} | "
               f"{_cell(f.quote)} | {_cell(evidence)} |")
    for r in unlinked:  # a force's local standards, say: expectations with no source finding
        cited = (f"{_cell(r.source.document_title)}, {_cell(r.source.section)} | {_cell(r.source.quote)}"
                 if r.source is not None else "- | -")  # a core rule with no overlay quotes nothing
        yield (f"| {_cell(status_words(r.status, r.from_praise))}: {_cell(kind_words(r))} | - | "
               f"{cited} | {r.id}: {_cell(measure(r))} |")
    yield ""


def _rule_details(r: RuleResult, max_failures: int | None) -> Iterator[str]:
    title = f"{r.id} not sustained ({PRAISED})" if r.from_praise else f"{r.id} not met"
    quoted = [f"> {r.source.quote}", ">", f"> {r.source.document_title}, {r.source.section}", ""] \
        if r.source is not None else []
    yield from ["", f"### {title}: {_cell(r.title)}", "", *quoted, f"Measure: {measure(r)}."]
    if r.threshold_source:
        yield f"Threshold ({basis_words(r)}): {r.threshold_source.strip()}"
    yield from ["", f"{SUGGESTION}: {r.remediation.strip()}", ""]
    yield from _breakdowns(r)
    if r.failures:
        yield from _failures(r, max_failures)


def _breakdowns(r: RuleResult) -> Iterator[str]:
    for b in r.breakdowns:
        yield from [f"By {b.field} ({_cell(b.description.rstrip('.'))}): all {measure(r)}.", "",
                    "| value | rate | applicable | compliant | non-compliant | not recorded | threshold |",
                    "|---|---|---|---|---|---|---|"]
        for v in b.values:
            meets = {True: "met", False: "below", None: "-"}[v.meets_threshold]
            yield (f"| {_cell(value_words(v))} | {percent(v.compliance_rate)} | {v.applicable} | {v.compliant} | "
                   f"{v.non_compliant} | {v.not_recorded} | {meets} |")
        yield ""


def markdown_lines(assessment: Assessment, max_failures: int | None = None) -> Iterator[str]:
    yield from _header(assessment)
    rules = {r.id: r for r in assessment.rules}
    yield from ["## Findings and expectations by area", "",
                "| area | findings met or sustained | not met or not sustained | other findings | rules met | not met "
                "| not assessed | manual | disabled | inconclusive | waived |",
                "|---|---|---|---|---|---|---|---|---|---|---|"]
    status = {f.id: f.status for f in assessment.findings}
    for a in assessment.areas:
        found = [status[f] for f in a.findings]
        met, not_met = found.count(RuleStatus.MET), found.count(RuleStatus.NOT_MET)
        yield (f"| {a.title} | {met} | {not_met} | {len(found) - met - not_met} | {a.met} | {a.not_met} | "
               f"{a.not_assessed} | {a.manual} | {a.disabled} | {a.inconclusive} | {a.waived} |")
    s = assessment.summary
    yield from ["", f"Rules: {s.not_met} of {s.rules} not met; {s.met} met, {s.not_assessed} not assessed, "
                f"{s.manual} manual, {s.disabled} disabled{also_counted(s)}."]
    for area in assessment.areas:
        yield from ["", f"## {area.title}", ""]
        yield from _area_findings(assessment, area, rules)
        yield from ["| status | rule | kind | measure | title |", "|---|---|---|---|---|"]
        for rid in area.rules:
            r = rules[rid]
            yield (f"| {status_words(r.status, r.from_praise)} | {r.id} | {_cell(kind_words(r))} | "
                   f"{_cell(measure(r))} | {_cell(r.title)} |")
        for rid in area.rules:
            r = rules[rid]
            if r.status is RuleStatus.NOT_MET:
                yield from _rule_details(r, max_failures)
            elif r.breakdowns:
                yield from ["", f"### {r.id} {status_words(r.status, r.from_praise)}: {_cell(r.title)}", ""]
                yield from _breakdowns(r)
