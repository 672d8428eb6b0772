"""What changed since the baseline (``--baseline``), in the words every human-readable format uses: a
summary line of the rules' changes and the repeated findings, and per rule its change and the figure the
baseline gave it."""

from __future__ import annotations

from collections import Counter

from peelcheck.assess.model import Assessment, RuleResult
from peelcheck.assess.stats import rate_percent
from peelcheck.report.common import percent

CHANGE_ORDER = ["resolved", "improved", "persisting", "worsened", "new", "unchanged", "not-compared"]
_EPSILON = 1e-9
_CHANCE = {True: "intervals separate", False: "within chance: the intervals overlap", None: ""}


def baseline_changes(assessment: Assessment) -> list[tuple[str, int]]:
    """How many rules have each change, in CHANGE_ORDER, leaving out the changes no rule has."""
    changes = Counter(r.baseline.change.value for r in assessment.rules if r.baseline is not None)
    return [(name, changes[name]) for name in CHANGE_ORDER if changes[name]]


def repeats(assessment: Assessment) -> int:
    """Findings not met at the baseline and now."""
    return sum(1 for f in assessment.findings if f.baseline is not None and f.baseline.repeat)


def baseline_line(assessment: Assessment) -> str | None:
    """The comparison in one line (None without a baseline): which assessment, the rules' changes, repeats."""
    info = assessment.baseline
    if info is None:
        return None
    counts = ", ".join(f"{count} {name.replace('-', ' ')}" for name, count in baseline_changes(assessment))
    return (f"Compared with the assessment of {info.as_of} ({info.path}, pack {info.pack_version}): "
            f"rules {counts or 'none compared'}; {repeats(assessment)} findings not met at both assessments "
            "(repeats)")


def _answered(rule: RuleResult) -> bool:
    """Decided by an answer (self-declared, or a manual rule's in --answers): its rate is no figure to show."""
    return rule.self_declared_answer is not None or rule.answer is not None


def previous_figure(rule: RuleResult) -> str:
    """What the baseline said of the rule: 'was 80.0% (not met)', 'was manual', or 'not in the baseline'."""
    change = rule.baseline
    if change is None or change.previous_status is None:
        return "not in the baseline"
    status = change.previous_status.value.replace("_", " ")
    if change.previous_count is not None and rule.count_target is not None:
        return f"was {change.previous_count:,} found ({status})"
    if change.previous_rate is None or rule.count_target is not None or _answered(rule):
        return f"was {status}"
    threshold = change.previous_threshold if change.previous_threshold is not None else rule.threshold
    return f"was {rate_percent(change.previous_rate, threshold)} ({status})"


def since(rule: RuleResult) -> str:
    """The rule's change since the baseline, the baseline's figure, by how much the rate moved (if it did)
    and whether the samples tell it from chance ("" without a baseline): 'resolved: was 80.0% (not met);
    +12.0 points, intervals separate'. A rule decided by an answer shows the status it had, not a rate."""
    change = rule.baseline
    if change is None:
        return ""
    parts = [f"{change.change.value.replace('-', ' ')}: {previous_figure(rule)}"]
    if change.rate_change is not None and abs(change.rate_change) > _EPSILON and not _answered(rule):
        moved = f"{change.rate_change * 100:+.1f} points"
        chance = _CHANCE[change.intervals_separate]
        parts.append(f"{moved}, {chance}" if chance else moved)
    if change.previous_threshold is not None:
        parts.append(f"threshold was {percent(change.previous_threshold)}")
    if change.previous_count_target is not None:
        parts.append(f"target was {change.previous_count_target}")
    if change.repeat:
        parts.append("repeat")
    return "; ".join(parts)
