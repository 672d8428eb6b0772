"""The source findings an assessment evidences, each with what its rules say: reports lead with
these (what the inspection found, and whether the force's evidence meets it), not rule counts."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from peelcheck.assess.model import FindingResult, RuleResult
from peelcheck.compile.pack_check import CompiledPack
from peelcheck.schema.outcomes import RuleStatus

# The first status any of a finding's rules has, in this order, is the finding's. Not assessable (a column
# the rule needs is absent) is a gap that fails the run, as not met does: it comes before inconclusive
# (which does not) and met, so a finding whose evidence could not be read never reads as met or disabled.
# Every status is here: disabled only when all its rules are.
_PRECEDENCE = (RuleStatus.NOT_MET, RuleStatus.NOT_ASSESSABLE, RuleStatus.INCONCLUSIVE, RuleStatus.MET,
               RuleStatus.MANUAL, RuleStatus.WAIVED, RuleStatus.NOT_ASSESSED, RuleStatus.DISABLED)


def finding_links(pack: CompiledPack) -> dict[str, list[str]]:
    """Finding id -> rule ids, from the rules' ``findings`` lists and the findings' own ``rules``."""
    links: dict[str, list[str]] = defaultdict(list)
    for rule in pack.rules:
        for finding in getattr(rule.rule.spec, "findings", None) or []:
            links[finding].append(rule.id)
    for finding in pack.findings.values():
        named: Any = getattr(finding, "rules", None) or []
        links[finding.id].extend(str(r) for r in named if str(r) not in links[finding.id])
    return links


def finding_status(rules: list[RuleResult]) -> RuleStatus:
    return worst_status([r.status for r in rules])


def worst_status(statuses: list[RuleStatus]) -> RuleStatus:
    """A finding's status from its rules' (one unmet rule leaves it unmet; one not assessable, unless
    another is unmet, leaves it not assessable)."""
    return next((s for s in _PRECEDENCE if s in statuses), RuleStatus.DISABLED)


def finding_results(pack: CompiledPack, rules: list[RuleResult]) -> list[FindingResult]:
    """Every finding with at least one rule in this assessment, by area, causes of concern first."""
    by_id = {r.id: r for r in rules}
    documents = {d.id: d for d in pack.pack.documents}
    area_order = {a.id: i for i, a in enumerate(pack.pack.areas)}
    document_order = {d.id: i for i, d in enumerate(pack.pack.documents)}
    out = []
    for finding_id, rule_ids in finding_links(pack).items():
        finding = pack.findings.get(finding_id)
        mine = sorted((by_id[r] for r in rule_ids if r in by_id), key=lambda r: r.id)
        if finding is None or not mine:
            continue
        document = documents.get(finding.document)
        out.append(FindingResult(
            id=finding.id, document=finding.document, document_title=document.title if document else finding.document,
            section=finding.section, kind=finding.kind, quote=finding.quote, area=mine[0].area,
            rules=[r.id for r in mine], status=finding_status(mine), from_praise=all(r.from_praise for r in mine)))
    out.sort(key=lambda f: (area_order.get(f.area, len(area_order)), f.kind.rank,
                            document_order.get(f.document, 0), f.id))
    for result in out:  # a link made on the finding (the overlay layout) shows on the rule too
        for rule_id in result.rules:
            if result.id not in by_id[rule_id].findings:
                by_id[rule_id].findings.append(result.id)
    return out
