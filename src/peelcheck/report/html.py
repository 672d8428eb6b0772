"""The gap report as one self-contained HTML file (inline CSS, JavaScript and SVG; nothing fetched
when it is opened), rendered by Jinja2 with autoescaping and written as it is made.

A million-record assessment can hold hundreds of thousands of failures: each rule's drill-down shows
the first ``max_failures`` (default 200) and points to the follow-up list for the rest.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any, TextIO

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from peelcheck.assess.model import Assessment, RuleResult
from peelcheck.assess.rubric import INDICATIVE_NOTICE
from peelcheck.assess.stats import interval_end
from peelcheck.evaluate.failure_result import FailureResult
from peelcheck.report.changes import baseline_changes, repeats, since
from peelcheck.report.common import (
    FORCE_CHOICES_TITLE,
    KIND_WORDS,
    counted,
    failures_left_out,
    force_choices,
    measure,
    measures,
    percent,
    rule_rate,
    warning_lines,
)
from peelcheck.report.data_quality import incomplete_heading, input_quality, rejected_left_out
from peelcheck.report.indicative import rule_words, source_words
from peelcheck.schema.outcomes import RuleStatus
from peelcheck.schema.pack import FindingKind
from peelcheck.schema.values import plain

DEFAULT_LIMIT = 200
_DECIDED = (RuleStatus.MET, RuleStatus.NOT_MET, RuleStatus.INCONCLUSIVE)
WORDS = {RuleStatus.MET: "met", RuleStatus.NOT_MET: "not met", RuleStatus.INCONCLUSIVE: "inconclusive",
         RuleStatus.MANUAL: "manual", RuleStatus.NOT_ASSESSED: "not assessed", RuleStatus.DISABLED: "disabled",
         RuleStatus.WAIVED: "waived", RuleStatus.NOT_ASSESSABLE: "not assessable"}
# The summary's columns: every status, so each area's row adds up to its number of rules (not assessable
# only on a run where a rule is: see chunks).
COLUMNS = [("met", "Met", "met"), ("not_met", "Not met", "not_met"), ("inconclusive", "Inconclusive", "inconclusive"),
           ("manual", "Manual (auditor)", "manual"), ("not_assessed", "Not assessed (no records)", "not_assessed"),
           ("not_assessable", "Not assessable (column absent)", "not_assessable"),
           ("disabled", "Disabled (out of scope)", "disabled"), ("waived", "Waived", "waived")]
GROUPS = [(FindingKind.CAUSE_OF_CONCERN, "Causes of concern"), (FindingKind.RECOMMENDATION, "Recommendations"),
          (FindingKind.AREA_FOR_IMPROVEMENT, "Areas for improvement"), (FindingKind.FINDING, "Other findings"),
          (FindingKind.LOCAL_STANDARD, "Local standards")]
VERDICT_NOTES = {
    "point": "Met or not met is decided by each rate itself (--verdict point); a rate whose 95% interval "
             "straddles its threshold is flagged beside its status.",
    "interval": "A rule is met or not met only when its 95% interval lies wholly on one side of the threshold "
                "(--verdict interval); otherwise it is inconclusive and needs a larger sample.",
}

_ENV = Environment(loader=PackageLoader("peelcheck.report", "templates"),
                   autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
                   trim_blocks=True, lstrip_blocks=True)
_ENV.globals["counted"] = counted


def figures(rule: RuleResult, waived: int = 0) -> str:
    """The rule's measure, its rate with its 95% interval ('94.1% (95%: 88.8-97.0%) of 136'); ``waived``: its
    records waived (:func:`peelcheck.report.common.measures` knows them for an assessment's rules)."""
    return measure(rule, waived)


def chart(rule: RuleResult) -> Markup:
    """An inline SVG: the rate as a bar, the 95% interval as a whisker, the threshold as a line."""
    if rule.compliance_rate is None or rule.count_target is not None:
        return Markup("")
    width, x0 = 200, 2

    def x(value: float) -> float:
        return round(x0 + value * width, 1)
    label = f"rate {rule_rate(rule)}, threshold {percent(rule.threshold)}"
    parts = [f'<rect x="{x0}" y="4" width="{width}" height="10" fill="#e5e7eb"/>',
             f'<rect x="{x0}" y="4" width="{x(rule.compliance_rate) - x0}" height="10" '
             f'fill="{"#15803d" if rule.status is RuleStatus.MET else "#b91c1c"}"/>']
    if rule.interval is not None:
        low, high = x(rule.interval.low), x(rule.interval.high)
        ends = [interval_end(end, rule.threshold) for end in (rule.interval.low, rule.interval.high)]
        label += f", 95% interval {ends[0]}% to {ends[1]}%"
        parts.append(f'<path d="M{low} 9H{high}M{low} 5V13M{high} 5V13" stroke="#111" stroke-width="1.5"/>')
    threshold = x(rule.threshold)
    parts.append(f'<path d="M{threshold} 0V18" stroke="#1d3557" stroke-width="2" stroke-dasharray="3 2"/>')
    svg = (f'<svg class="rate" width="{width + 2 * x0}" height="18" viewBox="0 0 {width + 2 * x0} 18" role="img" '
           f'aria-label="{escape(label)}"><title>{escape(label)}</title>{"".join(parts)}</svg>')
    return Markup(svg)  # built from numbers and escaped text only


def _kind_order(kind: FindingKind) -> int:
    named = [k for k, _ in GROUPS]
    return named.index(kind) if kind in named else len(named) + kind.rank


def _groups(assessment: Assessment) -> list[dict[str, Any]]:
    """Findings by source document (the one these records answer most of first), then causes of concern,
    recommendations, areas for improvement and other findings: the inspection's own structure."""
    titles = {f.document: f.document_title for f in assessment.findings}
    decided = Counter(f.document for f in assessment.findings if f.status in _DECIDED)
    out = []
    for document in sorted(dict.fromkeys(f.document for f in assessment.findings), key=lambda d: -decided[d]):
        mine = [f for f in assessment.findings if f.document == document]
        titles_of_kinds = dict(GROUPS)  # a kind not named there still shows, after them, in its own words
        kinds = [{"title": titles_of_kinds.get(kind, kind.value.replace("-", " ").capitalize() + "s"),
                  "entries": [f for f in mine if f.kind is kind]} for kind in sorted(FindingKind, key=_kind_order)]
        out.append({"title": titles.get(document, document), "kinds": [k for k in kinds if k["entries"]]})
    return out


def chunks(assessment: Assessment, max_failures: int | None = None) -> Iterator[str]:
    """The HTML, piece by piece (Jinja2's generate: never one string of the whole report)."""
    limit = DEFAULT_LIMIT if max_failures is None else max_failures
    totals = {key: sum(getattr(area, key) for area in assessment.areas) for key, _, _ in COLUMNS}
    # "Not assessable (column absent)" only when a rule is: on a run with every column it needs, the
    # column would be a note about absent columns that says nothing (the rows add up without it).
    # "Inconclusive" likewise, but for --verdict interval, where a zero is news: under the point verdict
    # no rule can be inconclusive, and a column of zeros would suggest some check had been made.
    shown = {"not_assessable": bool(totals["not_assessable"]),
             "inconclusive": bool(totals["inconclusive"]) or assessment.summary.verdict == "interval"}
    columns = [c for c in COLUMNS if shown.get(c[0], True)]
    context = {
        "a": assessment, "rules": {r.id: r for r in assessment.rules}, "findings": _groups(assessment),
        "columns": [{"key": k, "label": label, "css": css} for k, label, css in columns], "totals": totals,
        "status_words": WORDS, "kind_words": KIND_WORDS, "limit": limit,
        "verdict_note": VERDICT_NOTES.get(assessment.summary.verdict, ""),
        "corrected": any(r.interval is not None and r.interval.population for r in assessment.rules),
        "figures": measures(assessment), "chart": chart, "rubric_source": source_words, "rubric_rule": rule_words,
        "indicative_notice": INDICATIVE_NOTICE, "since": since, "changes": baseline_changes(assessment),
        "repeats": repeats(assessment),
        "shown": lambda rule: rule.failures[:limit],
        "incomplete": incomplete_heading(assessment), "warnings": warning_lines(assessment),
        "quality": [f for f in input_quality(assessment) if f.notes or f.rejected],
        "rejected_left_out": rejected_left_out, "failures_left_out": failures_left_out,
        "values": lambda f: _values(f),
        "chosen": force_choices(assessment), "chosen_title": FORCE_CHOICES_TITLE,
    }
    yield from _ENV.get_template("report.html.j2").generate(context)


def _values(failure: FailureResult) -> str:
    return json.dumps(plain(failure.values), ensure_ascii=False)


def write_html(assessment: Assessment, out: TextIO, max_failures: int | None = None) -> None:
    for piece in chunks(assessment, max_failures):
        out.write(piece)


def render_html(assessment: Assessment, max_failures: int | None = None) -> str:
    return "".join(chunks(assessment, max_failures))
