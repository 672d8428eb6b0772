"""Wording shared by the human-readable formats."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from peelcheck.assess.model import Assessment, Breakdown, BreakdownValue, FindingResult, RuleResult, Summary
from peelcheck.assess.stats import Interval, plus_minus, rate_percent
from peelcheck.schema.framework import ThresholdBasis
from peelcheck.schema.outcomes import RuleStatus
from peelcheck.schema.rule import Evidence

STATUS_WORDS = {
    RuleStatus.MET: "met",
    RuleStatus.NOT_MET: "NOT MET",
    RuleStatus.NOT_ASSESSED: "not assessed",
    RuleStatus.NOT_ASSESSABLE: "NOT ASSESSABLE",
    RuleStatus.MANUAL: "manual",
    RuleStatus.DISABLED: "disabled",
    RuleStatus.INCONCLUSIVE: "inconclusive",
    RuleStatus.WAIVED: "waived",
}
# a rule drawn from what a report praised is about keeping it up, never a failure of the report
PRAISE_WORDS = {RuleStatus.MET: "sustained", RuleStatus.NOT_MET: "NOT SUSTAINED"}
KIND_WORDS = {
    "cause-of-concern": "cause of concern",
    "recommendation": "recommendation",
    "area-for-improvement": "area for improvement",
    "finding": "finding",
    "graded-judgment": "graded judgment",
    "local-standard": "local standard",
    "pcc-progress-claim": "PCC's progress claim",
    "expectation": "national expectation",
}
BASIS_WORDS = {
    ThresholdBasis.NATIONAL_STANDARD: "national standard",
    ThresholdBasis.INSPECTORATE_FIGURE: "inspectorate's figure",
    ThresholdBasis.PACK_DEFAULT: "pack default",
    ThresholdBasis.FORCE_CHOICE: "force's choice",
}
ANSWER_WORDS = {"yes": "answered: yes", "no": "answered: no", "partly": "answered: partly",
                "yes-unsupported": "answered: yes, without what the rule asks", "not-recorded": "answer not recorded"}
EVIDENCE_WORDS = {Evidence.SELF_DECLARED: "self-declared", Evidence.AUDITOR_JUDGMENT: "auditor's judgment"}
PRAISED = "sustaining what the report found good"
# Failing records listed per rule in Markdown unless --max-failures says otherwise (the HTML's default
# too): a million-record assessment's Markdown stays a page a wiki can show; JSON and the follow-up
# list have every one.
FAILURES_SHOWN = 200


def status_words(status: RuleStatus, praise: bool = False) -> str:
    words = PRAISE_WORDS.get(status) if praise else None
    return words or STATUS_WORDS.get(status, status.value.replace("_", " "))


def kind_words(rule: RuleResult) -> str:
    words = KIND_WORDS.get(rule.kind.value, rule.kind.value)
    extra = [w for w, on in ((PRAISED, rule.from_praise), ("data quality", rule.data_quality),
                             (EVIDENCE_WORDS.get(rule.evidence, ""), rule.evidence in EVIDENCE_WORDS)) if on]
    return words + (f" ({'; '.join(extra)})" if extra else "")


# Characters that move the cursor, recolour a terminal or reorder text (C0 and C1 controls but the
# tab, zero-width and bidirectional marks): record values and file names come from anywhere.
_HIDDEN = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """Text with every control character written out (ESC as \\x1b): nothing in a report can drive the terminal."""
    return _HIDDEN.sub(_shown, text)


def also_counted(summary: Summary) -> str:
    """The summary's further counts, when there are any: inconclusive and waived rules (so the counts add
    up to the rules), and rules whose interval straddles the threshold (a note, counted among the others)."""
    parts = [f"{summary.inconclusive} inconclusive"] if summary.inconclusive else []
    parts += [f"{summary.waived} waived"] if summary.waived else []
    text = "".join(f", {p}" for p in parts)
    if summary.straddling and summary.verdict == "point":
        text += f" ({summary.straddling} with a 95% interval straddling the threshold)"
    return text


SHOWS_MORE = "--max-failures N shows more"


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` with its noun agreeing: '1 record', '1,503 records' (``plural`` where adding s is wrong)."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


def every_one_in(listed: int) -> str:
    """Where every one of ``listed`` failing records (or problems of rejected rows) is."""
    return f"the JSON report (-o report.json) and the follow-up list (-o followup.csv) list all {listed:,}"


def failures_left_out(listed: int, shown: int, shows_more: str | None = SHOWS_MORE) -> str | None:
    """What a report that shows ``shown`` of a rule's ``listed`` failing records says of the rest: how
    many, how that report shows more (``shows_more``; None for a report whose cap no option moves, as
    JUnit's) and where every one of them is (None when none was left out)."""
    left = listed - shown
    if left <= 0:
        return None
    how = f" ({shows_more})" if shows_more else ""
    return f"{counted(left, 'more failing record')} not shown{how}: {every_one_in(listed)}"


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def heading(assessment: Assessment) -> str:
    """Whose self-assessment this is: the force the pack names (else the pack's title)."""
    return f"Self-assessment: {assessment.force or assessment.pack_title}"


def packs_words(assessment: Assessment) -> str:
    return " + ".join(f"{p.id} {p.version}" for p in assessment.packs) or \
        f"{assessment.pack_id} {assessment.pack_version}"


def rule_rate(rule: RuleResult, rate: float | None = None) -> str:
    """The rule's rate (or a breakdown row's, ``rate``), never rounded onto its threshold or to 100.0%."""
    value = rule.compliance_rate if rate is None else rate
    if value is None:
        return "-"
    return rate_percent(value, rule.threshold if rule.count_target is None else None)


def basis_words(rule: RuleResult) -> str:
    return BASIS_WORDS[rule.threshold_basis] if rule.threshold_basis else "basis not stated"


def threshold_words(rule: RuleResult) -> str:
    """The threshold with what it rests on: "needs 90%: pack default"."""
    target = rule.count_target or percent(rule.threshold)
    return f"needs {target}: {basis_words(rule)}"


def records_waived(assessment: Assessment) -> dict[str, int]:
    """Per rule, the records that waivers of one record took out of its figures."""
    counts: Counter[str] = Counter()
    for w in assessment.waived:
        if w.record is not None:
            counts[w.rule] += w.failures
    return dict(counts)


def measures(assessment: Assessment) -> Callable[[RuleResult], str]:
    """:func:`measure` for the rules of ``assessment``, each knowing how many of its records were waived."""
    waived = records_waived(assessment)
    return lambda rule: measure(rule, waived.get(rule.id, 0))


def _besides(waived: int, more: str = "more ") -> str:
    """The records waived beside those a rule's figures count: ", 2 more records waived" (none: "")."""
    return f", {waived:,} {more}record{'' if waived == 1 else 's'} waived" if waived else ""


def measure(rule: RuleResult, waived: int = 0) -> str:
    """How the rule did, in a few words: the answer given, the rate against its threshold, or the count;
    ``waived``: how many of its records waivers took out of its figures, said beside them ("71.4% of 35,
    2 more records waived"), so the figures never read as every record the rule applied to."""
    if rule.status is RuleStatus.NOT_ASSESSABLE:
        return f"not assessable: {rule.not_assessable_reason}"
    if rule.status in (RuleStatus.MANUAL, RuleStatus.DISABLED):
        return rule.disabled_reason or "auditor to answer"
    if rule.answer is not None:  # a manual rule answered in --answers: the answer, not a rate
        answer = rule.answer
        return f"answered {answer.answer} by {answer.who} on {answer.when.isoformat()} (evidence: {answer.evidence})"
    if rule.self_declared_answer is not None:
        return ANSWER_WORDS.get(rule.self_declared_answer, f"answered: {rule.self_declared_answer}")
    if rule.count_target is not None:
        gap = ""
        if rule.shortfall:
            gap = f", {rule.shortfall} too many" if rule.count_target.startswith("at most") \
                else f", {rule.shortfall} short"
        return f"{rule.compliant} found{_besides(waived, '')} ({threshold_words(rule)}){gap}"
    if rule.applicable == 0 and waived:  # every record it applied to waived: not "no records apply"
        return f"{counted(waived, 'record')} waived, none left to assess ({threshold_words(rule)})"
    if rule.applicable == 0:
        none = "no evidence supplied" if rule.status is RuleStatus.NOT_MET else "no records apply"
        return f"{none} ({threshold_words(rule)})"
    rate = rule_rate(rule)
    if rule.interval is not None and rule.compliance_rate is not None:  # a sampled rate: '94.1% (95%: 88.8-97.0%)'
        rate = plus_minus(rule.compliance_rate, Interval(rule.interval.low, rule.interval.high), rule.threshold)
    text = f"{rate} of {rule.applicable}{_besides(waived)} ({threshold_words(rule)})"
    if rule.shortfall:
        text += f", {rule.shortfall} short"
    return text


def value_words(row: BreakdownValue) -> str:
    if row.other_values:
        return "(more than 200 values: not broken down)"
    if row.value is None:
        return "(not recorded)"
    return ("yes" if row.value else "no") if isinstance(row.value, bool) else str(row.value)


def breakdown_lines(rule: RuleResult, breakdown: Breakdown, waived: int = 0) -> list[str]:
    """One line per value: its rate and counts beside the rule's total (and its ``waived`` records, which
    no row counts)."""
    total = (f"all: {rule_rate(rule)} of {rule.applicable}{_besides(waived)}" if rule.count_target is None
             else f"all: {rule.compliant} found{_besides(waived, '')}")
    lines = [f"by {breakdown.field} ({breakdown.description.rstrip('.')}); {total}"]
    for row in breakdown.values:
        mark = {True: "", False: " below threshold", None: ""}[row.meets_threshold]
        lines.append(f"{value_words(row)}: {rule_rate(rule, row.compliance_rate)} of {row.applicable} "
                     f"({row.compliant} compliant, {row.non_compliant} non-compliant, "
                     f"{row.not_recorded} not recorded){mark}")
    return lines


def finding_words(finding: FindingResult) -> str:
    """A finding's status as the report reads: praise sustained or not; an ask met or not."""
    what = "what the report found good" if finding.from_praise else KIND_WORDS.get(finding.kind.value, "finding")
    repeat = " (repeat: not met at the baseline too)" if finding.baseline is not None and finding.baseline.repeat \
        else ""
    return f"{status_words(finding.status, finding.from_praise)}{repeat}: {what}"


SUGGESTION = "Suggested by the pack (not the inspectorate)"
WAIVERS_TITLE = "Waivers (approved exceptions: waived items are counted neither met nor not met)"


def waiver_lines(assessment: Assessment) -> list[str]:
    """One line per waiver that applied, then one per waiver that matched nothing: a waived failure is
    never out of the figures without the report saying so."""
    lines = []
    for w in assessment.waived:
        what = f"{w.rule}, record {w.record}: {w.failures} failing record(s) taken out of the figures" \
            if w.record else f"{w.rule}, whole rule: waived"
        lines.append(f"{what}; {w.reason.strip()}; approved by {w.approver}; expires {w.expires.isoformat()} "
                     f"({w.location})")
    for w in assessment.unused_waivers:
        scope = f" for record {w.record}" if w.record else ""
        lines.append(f"matched nothing: {w.rule}{scope} ({w.location})")
    return lines


FORCE_CHOICES_TITLE = "The force's own thresholds and time windows"


def force_choices(assessment: Assessment) -> list[RuleResult]:
    """The rules whose threshold or window is the force's choice (a profile's, an overlay's, or its own target
    as the pack encodes it), each with its reason: where the force departed from the packs, and why."""
    return [r for r in assessment.rules if r.threshold_basis is ThresholdBasis.FORCE_CHOICE and r.threshold_source]


def force_choice_lines(assessment: Assessment) -> list[str]:
    """``MOS-004 (not met): profile X: … (pack: 14 days)``, one per rule."""
    return [f"{r.id} ({status_words(r.status, r.from_praise)}): {r.threshold_source.strip()}"
            for r in force_choices(assessment) if r.threshold_source]


def warning_lines(assessment: Assessment) -> list[str]:
    """Each warning the run went past, in words: ``Warning about the pack (twin-window-kept), at
    profile.yaml:12:7: … Hint: …``."""
    return [f"Warning about the {w.about} ({w.code}), at {w.location}: {w.message}"
            + (f". Hint: {w.hint}" if w.hint else "") for w in assessment.warnings]
