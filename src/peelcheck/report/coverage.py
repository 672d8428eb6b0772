"""`peelcheck coverage`: which findings of each source document have rules, which are manual,
and which have none. Built from the pack files alone."""

from __future__ import annotations

from dataclasses import dataclass, field

from peelcheck.compile.pack_check import CompiledPack
from peelcheck.schema.pack import FindingKind
from peelcheck.schema.rule import Mode

# Kinds a pack must cover: the inspectorate's explicit asks. Text findings are covered where encoded.
MUST_COVER = (FindingKind.CAUSE_OF_CONCERN, FindingKind.RECOMMENDATION, FindingKind.AREA_FOR_IMPROVEMENT)


@dataclass
class FindingCoverage:
    id: str
    kind: FindingKind
    quote: str
    automated: list[str] = field(default_factory=list)
    manual: list[str] = field(default_factory=list)

    @property
    def state(self) -> str:
        if self.automated:
            return "covered"
        return "manual" if self.manual else "none"


def coverage(pack: CompiledPack) -> dict[str, list[FindingCoverage]]:
    """Per document id, its findings in registry order with the rules that evidence them."""
    rows = {f.id: FindingCoverage(f.id, f.kind, f.quote) for f in pack.findings.values()}
    for rule in pack.rules:
        for finding_id in rule.rule.spec.findings:
            row = rows[finding_id]
            target = row.manual if rule.rule.spec.mode is Mode.MANUAL else row.automated
            target.append(rule.id)
    by_document: dict[str, list[FindingCoverage]] = {d.id: [] for d in pack.pack.documents}
    for finding in pack.findings.values():
        by_document[finding.document].append(rows[finding.id])
    return by_document


def uncovered(pack: CompiledPack) -> list[FindingCoverage]:
    """Causes of concern, recommendations and AFIs with no rule at all, automated or manual."""
    return [row for rows in coverage(pack).values() for row in rows
            if row.kind in MUST_COVER and row.state == "none"]


def render_coverage(pack: CompiledPack) -> str:
    titles = {d.id: d.title for d in pack.pack.documents}
    out = []
    for document, rows in coverage(pack).items():
        counts = {state: sum(r.state == state for r in rows) for state in ("covered", "manual", "none")}
        out.append(f"{document}: {titles[document]}: {len(rows)} findings, {counts['covered']} with rules, "
                   f"{counts['manual']} manual, {counts['none']} without rules")
        for row in rows:
            rules = ", ".join(row.automated + [f"{r} (manual)" for r in row.manual]) or "-"
            flag = "!! " if row.kind in MUST_COVER and row.state == "none" else "   "
            out.append(f"  {flag}{row.id:<14} {row.kind.value:<22} {row.state:<8} {rules}")
    missing = uncovered(pack)
    out.append(f"{len(missing)} cause(s) of concern, recommendation(s) or AFI(s) without a rule"
               + (": " + ", ".join(r.id for r in missing) if missing else ""))
    return "\n".join(out) + "\n"
