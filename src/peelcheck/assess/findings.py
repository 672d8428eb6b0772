"""Findings of the source documents (causes of concern, recommendations, areas for improvement) and
how the rules that evidence each did: the inspection's own structure, for the reports."""

from __future__ import annotations

from collections import defaultdict

from peelcheck.assess.model import RuleResult
from peelcheck.assess.model_extras import FindingResult
from peelcheck.compile.pack_check import CompiledPack
from peelcheck.schema.outcomes import RuleStatus

# A finding takes the first of these that any of its rules has: one unmet rule leaves it unmet.
_PRECEDENCE = [RuleStatus.NOT_MET, RuleStatus.INCONCLUSIVE, RuleStatus.MET, RuleStatus.MANUAL,
               RuleStatus.WAIVED, RuleStatus.NOT_ASSESSED, RuleStatus.DISABLED]


def finding_status(statuses: list[RuleStatus]) -> RuleStatus:
    for status in _PRECEDENCE:
        if status in statuses:
            return status
    return RuleStatus.NOT_ASSESSED


def finding_results(pack: CompiledPack, rules: list[RuleResult]) -> list[FindingResult]:
    """Every finding some assessed rule evidences, causes of concern first, in registry order."""
    by_finding: dict[str, list[RuleResult]] = defaultdict(list)
    for rule in rules:  # links on the rule (one layout) ...
        for finding_id in rule.findings:
            by_finding[finding_id].append(rule)
    by_id = {r.id: r for r in rules}
    out = []
    for finding_id, finding in pack.findings.items():
        mine = by_finding.get(finding_id, [])
        for rule_id in getattr(finding, "rules", None) or []:  # ... or on the finding (the overlay layout)
            if rule_id in by_id and by_id[rule_id] not in mine:
                mine.append(by_id[rule_id])
        if not mine:
            continue
        out.append(FindingResult(id=finding_id, kind=finding.kind, document=finding.document,
                                 section=finding.section, quote=finding.quote, rules=[r.id for r in mine],
                                 status=finding_status([r.status for r in mine])))
    return sorted(out, key=lambda f: f.kind.rank)  # stable: registry order within a kind
