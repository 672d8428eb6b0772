"""The gap report as Markdown, for people: per area, then every rule not met with its failing records."""

from __future__ import annotations

import json

from peelcheck.assess.model import Assessment, RuleResult
from peelcheck.evaluate.values import plain
from peelcheck.report.common import KIND_WORDS, STATUS_WORDS, measure
from peelcheck.schema.outcomes import RuleStatus


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _failures(rule: RuleResult, limit: int | None) -> list[str]:
    lines = ["| record | where | outcome | reason | values |", "|---|---|---|---|---|"]
    shown = rule.failures if limit is None else rule.failures[:limit]
    for f in shown:
        values = json.dumps({k: plain(v) for k, v in f.values.items()}, ensure_ascii=False)
        lines.append(f"| {_cell(f.key)} | {_cell(f.location)} | {f.outcome.value.replace('_', ' ')} | "
                     f"{_cell(f.reason)} | `{_cell(values)}` |")
    if len(shown) < len(rule.failures):
        lines.append(f"\n{len(rule.failures) - len(shown)} more failing records not shown (see --format json).")
    return lines


def render_markdown(assessment: Assessment, max_failures: int | None = None) -> str:
    s = assessment.summary
    out = [f"# Gap report: {assessment.pack_title}", "",
           f"Pack `{assessment.pack_id}` {assessment.pack_version}; assessed as of {assessment.as_of}; "
           f"engine {assessment.engine}; {s.records} records.", "",
           f"**{s.not_met} of {s.rules} rules not met**; {s.met} met, {s.not_assessed} not assessed, "
           f"{s.manual} manual, {s.disabled} disabled.", ""]
    if assessment.rejected_rows:
        out += [f"**{len(assessment.rejected_rows)} rows were rejected** and not assessed:", ""]
        out += [f"- {r.location}: {r.field or ''} {r.message}" for r in assessment.rejected_rows] + [""]
    for source in assessment.inputs:
        if source.absent_fields:
            out += [f"**{source.path}** has no column for {len(source.absent_fields)} fields of `{source.record_type}`"
                    f", so they are not recorded in any of its rows: {', '.join(source.absent_fields)}.", ""]
        if source.repeated_rows:
            out += [f"**{source.path}**: {len(source.repeated_rows)} rows exactly repeat an earlier row (assessed "
                    f"as they are): {'; '.join(source.repeated_rows)}.", ""]
    rules = {r.id: r for r in assessment.rules}
    out += ["## Areas", "", "| area | met | not met | not assessed | manual |", "|---|---|---|---|---|"]
    out += [f"| {a.title} | {a.met} | {a.not_met} | {a.not_assessed} | {a.manual} |" for a in assessment.areas]
    for area in assessment.areas:
        out += ["", f"## {area.title}", "", "| status | rule | kind | measure | title |", "|---|---|---|---|---|"]
        for rid in area.rules:
            r = rules[rid]
            out.append(f"| {STATUS_WORDS[r.status]} | {r.id} | {KIND_WORDS[r.kind.value]} | {_cell(measure(r))} | "
                       f"{_cell(r.title)} |")
        for rid in area.rules:
            r = rules[rid]
            if r.status is not RuleStatus.NOT_MET:
                continue
            out += ["", f"### {r.id} not met: {r.title}", "",
                    f"> {r.source.quote}", ">", f"> {r.source.document_title}, {r.source.section}", "",
                    f"Measure: {measure(r)}. Remediation: {r.remediation}", ""]
            if r.failures:
                out += _failures(r, max_failures)
    return "\n".join(out) + "\n"
