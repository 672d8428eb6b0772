"""Rule documentation generated from the pack files alone: ``rules list``, ``rules show``, docs pages."""

from __future__ import annotations

import datetime as dt
import json

from peelcheck.compile.check import CompiledRule
from peelcheck.compile.durable import compile_ruleset
from peelcheck.compile.pack_check import CompiledPack
from peelcheck.report.common import KIND_WORDS
from peelcheck.schema.conditions import describe


def rule_lines(pack: CompiledPack) -> list[str]:
    return [f"{r.id}\t{r.rule.spec.kind.value}\t{r.rule.spec.severity.value}\t{r.record_type.name}\t"
            f"{r.rule.spec.title}" for r in pack.rules]


def rule_page(pack: CompiledPack, rule: CompiledRule, as_of: dt.date) -> str:
    """A rule in Markdown: what it expects, where that comes from, and how it is evaluated."""
    spec = rule.rule.spec
    document = next(d for d in pack.pack.documents if d.id == spec.source.document)
    lines = [f"## {spec.id}: {spec.title}", "",
             f"- Area: {pack.areas[spec.area].title}",
             f"- Kind: {KIND_WORDS[spec.kind.value]}; severity: {spec.severity.value}",
             f"- Source: {document.title} ({document.publisher}, {document.date}), {spec.source.section}"
             + (f", {spec.source.paragraph}" if spec.source.paragraph else ""),
             f"- Findings: {', '.join(spec.findings) or '-'}",
             f"- Record type: `{rule.record_type.name}`", "",
             f"> {spec.source.quote}", ""]
    if spec.mode.value == "manual":
        lines += [f"Manual: {spec.question}", ""]
    else:
        lines += [f"- Applies when: {describe(rule.when) if rule.when else 'every record'}"]
        if rule.expect is not None:
            lines += [f"- Expects: {describe(rule.expect)}",
                      f"- Threshold: {spec.threshold:.0%} of applicable records"
                      + (f" ({spec.threshold_source})" if spec.threshold_source else "")]
        if spec.count is not None:
            lines += [f"- Count: {spec.count.model_dump(exclude_none=True)}"]
        ruleset = compile_ruleset([rule], rule.record_type, as_of)
        lines += ["", f"Remediation: {spec.remediation}", "", "Compiled durable-rules ruleset:", "", "```json",
                  json.dumps(ruleset.definition, indent=2, default=str), "```"]
    return "\n".join(lines) + "\n"
