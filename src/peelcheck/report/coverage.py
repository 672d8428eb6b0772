"""`peelcheck coverage`: what the pack encodes, per PEEL framework characteristic and per document finding.

Built from the pack files alone. A characteristic or finding is *encoded* when an automated rule gives
evidence for it, *manual* when only a manual question does, and *not covered* when no rule does. A finding
in the registry with no rule linked is counted, never left out: the registry should hold every finding of
its documents, encoded or not. Given the documents' texts, sentences that read as asks of the force but
are in no registry entry are counted too (``compile/text_findings.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peelcheck.compile.pack_check import CompiledPack
from peelcheck.compile.text_findings import TextAsk, asks_in, unregistered
from peelcheck.schema.pack import FindingKind, SourceFinding
from peelcheck.schema.rule import Mode

# Kinds a pack must cover: the inspectorate's explicit asks. Text findings are covered where encoded.
MUST_COVER = (FindingKind.CAUSE_OF_CONCERN, FindingKind.RECOMMENDATION, FindingKind.AREA_FOR_IMPROVEMENT)
STATES = ("encoded", "manual", "not covered")


@dataclass
class Evidence:
    """The rules that give evidence for one characteristic or finding."""

    automated: list[str] = field(default_factory=list)
    manual: list[str] = field(default_factory=list)

    @property
    def state(self) -> str:
        if self.automated:
            return "encoded"
        return "manual" if self.manual else "not covered"

    @property
    def rules(self) -> list[str]:
        return self.automated + [f"{r} (manual)" for r in self.manual]


@dataclass
class CharacteristicCoverage(Evidence):
    edition: str = ""
    id: str = ""
    summary: str = ""
    checked: bool = False


@dataclass
class FindingCoverage(Evidence):
    id: str = ""
    kind: FindingKind = FindingKind.FINDING
    quote: str = ""


@dataclass
class Coverage:
    """The whole picture: per edition, per document, and the documents' unregistered asks (if texts given)."""

    characteristics: dict[str, list[CharacteristicCoverage]]
    findings: dict[str, list[FindingCoverage]]
    unregistered: dict[str, list[TextAsk]] | None = None

    def uncovered(self) -> list[FindingCoverage]:
        """Causes of concern, recommendations and AFIs with no rule at all, automated or manual."""
        return [row for rows in self.findings.values() for row in rows
                if row.kind in MUST_COVER and row.state == "not covered"]


def _add(evidence: Evidence, rule_id: str, mode: Mode) -> None:
    target = evidence.manual if mode is Mode.MANUAL else evidence.automated
    if rule_id not in target:
        target.append(rule_id)


def framework_coverage(pack: CompiledPack) -> dict[str, list[CharacteristicCoverage]]:
    """Per edition, every characteristic in registry order with the rules that cite it."""
    rows = {(edition, c.id): CharacteristicCoverage(edition=edition, id=c.id, summary=c.summary, checked=c.checked)
            for edition, registry in pack.frameworks.items() for c in registry.characteristics}
    for rule in pack.rules:
        for citation in rule.rule.spec.framework:
            row = rows.get((citation.edition, citation.characteristic))
            if row is not None:  # validate has already refused unknown characteristics
                _add(row, rule.id, rule.rule.spec.mode)
    return {edition: [r for r in rows.values() if r.edition == edition] for edition in pack.frameworks}


def _finding_rules(finding: SourceFinding) -> list[str]:
    """Rules a registry entry names itself (the overlay layout links findings to rules on the finding)."""
    return list(getattr(finding, "rules", None) or [])


def finding_coverage(pack: CompiledPack) -> dict[str, list[FindingCoverage]]:
    """Per document id, its findings in registry order with the rules that evidence them."""
    rows = {f.id: FindingCoverage(id=f.id, kind=f.kind, quote=f.quote) for f in pack.findings.values()}
    modes = {r.id: r.rule.spec.mode for r in pack.rules}
    for rule in pack.rules:  # the old layout links rules to findings on the rule
        for finding_id in getattr(rule.rule.spec, "findings", None) or []:
            if finding_id in rows:
                _add(rows[finding_id], rule.id, rule.rule.spec.mode)
    for finding in pack.findings.values():
        for rule_id in _finding_rules(finding):
            if rule_id in modes:
                _add(rows[finding.id], rule_id, modes[rule_id])
    by_document: dict[str, list[FindingCoverage]] = {d.id: [] for d in pack.pack.documents}
    for finding in pack.findings.values():
        by_document.setdefault(finding.document, []).append(rows[finding.id])
    return by_document


def text_asks(pack: CompiledPack, sources: Path) -> dict[str, list[TextAsk]]:
    """Per document whose text is held in ``sources``: its asks that no registry entry quotes."""
    out: dict[str, list[TextAsk]] = {}
    for document in pack.pack.documents:
        if document.file is None or not (sources / document.file).is_file():
            continue
        quotes = [f.quote for f in pack.findings.values() if f.document == document.id]
        out[document.id] = unregistered(asks_in(sources / document.file, document.id), quotes)
    return out


def coverage_of(pack: CompiledPack, sources: Path | None = None) -> Coverage:
    return Coverage(framework_coverage(pack), finding_coverage(pack),
                    text_asks(pack, sources) if sources is not None else None)


def coverage(pack: CompiledPack) -> dict[str, list[FindingCoverage]]:
    """Per document id, its findings with the rules that evidence them (kept for callers of the old name)."""
    return finding_coverage(pack)


def uncovered(pack: CompiledPack) -> list[FindingCoverage]:
    return coverage_of(pack).uncovered()


def counts(rows: list[CharacteristicCoverage] | list[FindingCoverage]) -> dict[str, int]:
    """How many rows are in each state; the counts add up to len(rows)."""
    return {state: sum(row.state == state for row in rows) for state in STATES}


def as_json(cover: Coverage) -> dict[str, Any]:
    """The coverage as plain data (``--format json``)."""
    def evidence(row: Evidence) -> dict[str, Any]:
        return {"state": row.state, "automated": row.automated, "manual": row.manual}
    frameworks = {edition: {"counts": counts(rows), "characteristics": [
        {"id": r.id, "summary": r.summary, "checked": r.checked, **evidence(r)} for r in rows]}
        for edition, rows in cover.characteristics.items()}
    documents = {document: {"counts": counts(rows), "findings": [
        {"id": r.id, "kind": r.kind.value, **evidence(r)} for r in rows]}
        for document, rows in cover.findings.items()}
    out: dict[str, Any] = {"frameworks": frameworks, "documents": documents,
                           "uncovered_explicit": [r.id for r in cover.uncovered()]}
    if cover.unregistered is not None:
        out["unregistered_text"] = {document: [{"line": a.line, "text": a.text} for a in asks]
                                    for document, asks in cover.unregistered.items()}
    return out
