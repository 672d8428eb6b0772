"""Wording shared by the human-readable formats."""

from __future__ import annotations

import re

from peelcheck.assess.model import RuleResult
from peelcheck.schema.outcomes import RuleStatus

STATUS_WORDS = {
    RuleStatus.MET: "met",
    RuleStatus.NOT_MET: "NOT MET",
    RuleStatus.NOT_ASSESSED: "not assessed",
    RuleStatus.MANUAL: "manual",
    RuleStatus.DISABLED: "disabled",
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


# Characters that move the cursor, recolour a terminal or reorder text (C0 and C1 controls but the
# tab, zero-width and bidirectional marks): record values and file names come from anywhere.
_HIDDEN = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """Text with every control character written out (ESC as \\x1b): nothing in a report can drive the terminal."""
    return _HIDDEN.sub(_shown, text)


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
    text = f"{percent(rule.compliance_rate)} of {rule.applicable} (needs {percent(rule.threshold)})"
    if rule.shortfall:
        text += f", {rule.shortfall} short"
    return text
