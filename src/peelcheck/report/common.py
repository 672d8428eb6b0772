"""Wording shared by the human-readable formats."""

from __future__ import annotations

from peelcheck.assess.model import RuleResult, Summary
from peelcheck.assess.stats import Interval, plus_minus
from peelcheck.schema.outcomes import RuleStatus

STATUS_WORDS = {
    RuleStatus.MET: "met",
    RuleStatus.NOT_MET: "NOT MET",
    RuleStatus.NOT_ASSESSED: "not assessed",
    RuleStatus.MANUAL: "manual",
    RuleStatus.DISABLED: "disabled",
    RuleStatus.INCONCLUSIVE: "inconclusive",
    RuleStatus.WAIVED: "waived",
}
KIND_WORDS = {
    "cause-of-concern": "cause of concern",
    "recommendation": "recommendation",
    "area-for-improvement": "area for improvement",
    "finding": "finding",
    "graded-judgment": "graded judgment",
    "local-standard": "local standard",
    "pcc-progress-claim": "PCC's progress claim",
}


def also_counted(summary: Summary) -> str:
    """The summary's further counts, when there are any: inconclusive and waived rules (so the counts add
    up to the rules), and rules whose interval straddles the threshold (a note, counted among the others)."""
    parts = [f"{summary.inconclusive} inconclusive"] if summary.inconclusive else []
    parts += [f"{summary.waived} waived"] if summary.waived else []
    text = "".join(f", {p}" for p in parts)
    if summary.straddling and summary.verdict == "point":
        text += f" ({summary.straddling} with a 95% interval straddling the threshold)"
    return text


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def measure(rule: RuleResult) -> str:
    """How the rule did, in a few words: the rate against its threshold, or the count."""
    if rule.status in (RuleStatus.MANUAL, RuleStatus.DISABLED):
        return rule.disabled_reason or "auditor to answer"
    if rule.answer is not None:  # a manual rule answered in --answers: the answer, not a rate
        answer = rule.answer
        return f"answered {answer.answer} by {answer.who} on {answer.when.isoformat()} (evidence: {answer.evidence})"
    if rule.count_target is not None:
        return f"{rule.compliant} found (needs {rule.count_target})"
    if rule.applicable == 0:
        return "no evidence supplied" if rule.status is RuleStatus.NOT_MET else "no records apply"
    rate = percent(rule.compliance_rate)
    if rule.interval is not None and rule.compliance_rate is not None:  # a sampled rate: '94.1% (± 3.9%)'
        rate = plus_minus(rule.compliance_rate, Interval(rule.interval.low, rule.interval.high))
    text = f"{rate} of {rule.applicable} (needs {percent(rule.threshold)})"
    if rule.shortfall:
        text += f", {rule.shortfall} short"
    return text
