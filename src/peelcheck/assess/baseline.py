"""Comparing an assessment with an earlier one (its JSON report): what is new, resolved, persisting,
improved or worsened, by how much, and whether the two samples' intervals tell the change apart."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from peelcheck.assess.baseline_file import BaselineRule, read_baseline_report
from peelcheck.assess.findings import worst_status
from peelcheck.assess.model import Assessment, RuleResult
from peelcheck.assess.model_extras import BaselineChange, BaselineInfo, Change
from peelcheck.assess.stats import Interval, intervals_separate, wilson
from peelcheck.errors import path_text
from peelcheck.schema.outcomes import RuleStatus

_EPSILON = 1e-9
_DECIDED = (RuleStatus.MET, RuleStatus.NOT_MET)


@dataclass(frozen=True)
class Before:
    """What the baseline said of a rule or finding (a count rule's ``count`` of matches, not a rate)."""

    status: RuleStatus
    rate: float | None = None
    interval: Interval | None = None
    threshold: float | None = None
    count: int | None = None
    count_target: str | None = None


def _rule_before(rule: BaselineRule) -> Before:
    rate, applicable, compliant, stored = rule.compliance_rate, rule.applicable or 0, rule.compliant or 0, rule.interval
    status = stored.point_status if stored else rule.status
    if rule.count_target is not None:  # matches counted against a target: no rate, no interval
        return Before(status, count=compliant, count_target=rule.count_target)
    if stored:  # the interval as that assessment drew it (with its population's correction)
        interval: Interval | None = Interval(stored.low, stored.high)
    else:
        interval = wilson(compliant, applicable) if rate is not None and applicable else None
    return Before(status, rate, interval, rule.threshold)


def read_baseline(path: Path) -> tuple[BaselineInfo, dict[str, Before], dict[str, Before]]:
    """A JSON gap report's rules and findings (findings derived from rules for reports without them); a
    report that cannot be read as one is an error at its line (``baseline_file``)."""
    report = read_baseline_report(path)
    rules = {r.id: _rule_before(r) for r in report.rules}
    info = BaselineInfo(path=path_text(path), as_of=report.as_of, pack_version=report.pack_version)
    findings = {f.id: Before(f.status) for f in report.findings}
    if not findings:
        linked: dict[str, list[RuleStatus]] = {}
        for rule in report.rules:
            for finding_id in rule.findings:
                linked.setdefault(finding_id, []).append(rules[rule.id].status)
        findings = {fid: Before(worst_status(statuses)) for fid, statuses in linked.items()}
    return info, rules, findings


def change(status: RuleStatus, rate: float | None, interval: Interval | None, before: Before | None, *,
           threshold: float | None = None, count: int | None = None,
           count_target: str | None = None) -> BaselineChange:
    """How a rule (or finding) stands against the baseline. A count rule compares its matches, better
    when more for 'at least' and fewer for 'at most'; a rate rule its rate."""
    point = status
    if before is None:
        return BaselineChange(change=Change.NEW if point is RuleStatus.NOT_MET else Change.NOT_COMPARED)
    delta = rate - before.rate if rate is not None and before.rate is not None else None
    better = delta
    if count is not None and before.count is not None and count_target is not None:
        better = (count - before.count) * (-1 if count_target.startswith("at most") else 1)
    separate = (intervals_separate(interval, before.interval)
                if interval is not None and before.interval is not None else None)
    was_unmet, unmet = before.status is RuleStatus.NOT_MET, point is RuleStatus.NOT_MET
    if unmet and was_unmet:
        kind = Change.PERSISTING
    elif unmet:
        kind = Change.NEW
    elif was_unmet and point is RuleStatus.MET:
        kind = Change.RESOLVED
    elif point not in _DECIDED or before.status not in _DECIDED:
        kind = Change.NOT_COMPARED
    elif better is not None and better > _EPSILON:
        kind = Change.IMPROVED
    elif better is not None and better < -_EPSILON:
        kind = Change.WORSENED
    else:
        kind = Change.UNCHANGED
    moved = threshold is not None and before.threshold is not None and abs(threshold - before.threshold) > _EPSILON
    return BaselineChange(change=kind, previous_status=before.status, previous_rate=before.rate,
                          previous_count=before.count, rate_change=delta,
                          intervals_separate=separate, repeat=unmet and was_unmet,
                          previous_threshold=before.threshold if moved else None,
                          previous_count_target=before.count_target if before.count_target != count_target
                          and count_target is not None and before.count_target is not None else None)


def _point(rule: RuleResult) -> RuleStatus:
    return rule.interval.point_status if rule.interval is not None else rule.status


def _interval(rule: RuleResult) -> Interval | None:
    return Interval(rule.interval.low, rule.interval.high) if rule.interval is not None else None


def _rule_change(rule: RuleResult, before: Before | None) -> BaselineChange:
    if rule.count_target is not None:
        return change(_point(rule), None, None, before, count=rule.compliant, count_target=rule.count_target)
    return change(_point(rule), rule.compliance_rate, _interval(rule), before, threshold=rule.threshold)


def compare(assessment: Assessment, path: Path) -> Assessment:
    """The assessment with each rule and finding marked against the baseline report at ``path``."""
    info, rules_before, findings_before = read_baseline(path)
    rules = [r.model_copy(update={"baseline": _rule_change(r, rules_before.get(r.id))}) for r in assessment.rules]
    points = {r.id: _point(r) for r in rules}
    findings = []
    for finding in assessment.findings:
        status = worst_status([points[rid] for rid in finding.rules if rid in points])
        findings.append(finding.model_copy(update={"baseline": change(status, None, None,
                                                                      findings_before.get(finding.id))}))
    return assessment.model_copy(update={"rules": rules, "findings": findings, "baseline": info})
