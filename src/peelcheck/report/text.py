"""The gap report for a terminal: rich tables when stdout is a terminal, plain text in a pipe.

It leads with what it is (a self-assessment, against which packs) and with the source findings and
whether the evidence meets them; the rule tables and the failing records follow.

Text from the pack or the records is never read as Rich markup (``_safe``, or ``_say`` without
markup) and its control characters are written out (``visible``): a title, a file name or a value
cannot restyle or drive the terminal."""

from __future__ import annotations

from collections.abc import Callable

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from peelcheck.assess.model import Assessment, RuleResult
from peelcheck.report.changes import baseline_line, since
from peelcheck.report.common import (
    FORCE_CHOICES_TITLE,
    PRAISED,
    SUGGESTION,
    WAIVERS_TITLE,
    also_counted,
    basis_words,
    breakdown_lines,
    counted,
    failures_left_out,
    finding_words,
    force_choice_lines,
    heading,
    kind_words,
    measures,
    packs_words,
    records_waived,
    status_words,
    visible,
    waiver_lines,
    warning_lines,
)
from peelcheck.report.data_quality import file_notes, incomplete_heading, input_quality, rejected_left_out
from peelcheck.report.indicative import status_line
from peelcheck.schema.outcomes import RuleStatus
from peelcheck.schema.values import plain
from peelcheck.schema.wording import show_value

_STYLE = {RuleStatus.MET: "green", RuleStatus.NOT_MET: "bold red", RuleStatus.NOT_ASSESSED: "yellow",
          RuleStatus.NOT_ASSESSABLE: "bold magenta",
          RuleStatus.MANUAL: "cyan", RuleStatus.DISABLED: "dim", RuleStatus.INCONCLUSIVE: "yellow",
          RuleStatus.WAIVED: "magenta"}


def _say(console: Console, text: str, indent: int = 0) -> None:
    console.print(" " * indent + visible(text), markup=False, highlight=False)


def _safe(text: str) -> str:
    """Pack or record text to put inside Rich markup: shown as written."""
    return escape(visible(text))


def _rule_failures(console: Console, rule: RuleResult, limit: int | None) -> None:
    shown = rule.failures if limit is None else rule.failures[:limit]
    for f in shown:
        values = ", ".join(f"{k}={show_value(plain(v))}" for k, v in f.values.items())
        _say(console, f"{f.key} ({f.location}): {f.outcome.value.replace('_', ' ')}: {f.explanation} [{values}]", 4)
    more = failures_left_out(len(rule.failures), len(shown))
    if more:
        _say(console, f"... {more}", 4)


def _header(assessment: Assessment, console: Console, limit: int | None) -> None:
    console.print(f"[bold]{_safe(heading(assessment))}[/]", highlight=False)
    incomplete = incomplete_heading(assessment)
    if incomplete:
        console.print(f"[bold red]{incomplete}[/]", highlight=False)
    _say(console, assessment.notice)
    _say(console, f"Packs: {packs_words(assessment)}; as of {assessment.as_of}; engine {assessment.engine}; "
                  f"{counted(assessment.summary.records, 'record')}")
    for note in assessment.engine_notes:  # which rules another evaluator decided, and why
        _say(console, f"Engine note: {note}")
    for line in warning_lines(assessment):  # what the run went past: the pack's, the inputs'
        console.print(f"[yellow]{_safe(line)}[/]", highlight=False)
    personal = assessment.personal_data
    if personal is not None:
        shown = "pseudonymised (person-...)" if personal.pseudonymised else "shown in full (--show-personal)"
        _say(console, f"Records about people ({', '.join(personal.record_types)}): keys {shown}")
    compared = baseline_line(assessment)
    if compared:
        _say(console, compared)
    _rejected(assessment, console, limit)
    for source in assessment.inputs:
        for note in file_notes(source):
            console.print(f"[yellow]{_safe(source.path)}:[/] {_safe(note)}", highlight=False)


def _rejected(assessment: Assessment, console: Console, limit: int | None) -> None:
    """The rejected rows, the first ``limit`` problems of each file's, and how many more there are."""
    if not assessment.rejected_rows:
        return
    console.print(f"[yellow]{counted(assessment.summary.rows_rejected, 'row')} rejected and not assessed "
                  f"({counted(len(assessment.rejected_rows), 'problem')}):[/]")
    for q in input_quality(assessment):
        shown = q.rejected if limit is None else q.rejected[:limit]
        for bad in shown:
            _say(console, f"{bad.row.location}: {bad.row.field or ''} {bad.row.message}", 2)
        more = rejected_left_out(q.path, len(q.rejected), len(shown))
        if more:
            _say(console, f"... {more}", 2)


def _findings(assessment: Assessment, console: Console, rules: dict[str, RuleResult],
              measure: Callable[[RuleResult], str]) -> None:
    findings = {f.id: f for f in assessment.findings}
    if findings:
        console.print("\n[bold]Findings and expectations[/]")
    for area in assessment.areas:
        unlinked = [rules[rid] for rid in area.rules if not rules[rid].findings]
        if not area.findings and not unlinked:
            continue
        console.print(f"[bold]{_safe(area.title)}[/]", highlight=False)
        for fid in area.findings:
            f = findings[fid]
            _say(console, f"{finding_words(f)} {f.id} ({f.document_title}, {f.section}): \"{f.quote}\"", 2)
            evidence = "; ".join(f"{r} {status_words(rules[r].status, rules[r].from_praise)}, {measure(rules[r])}"
                                 for r in f.rules)
            _say(console, f"evidence: {evidence}", 6)
        for r in unlinked:  # a force's local standards, say: expectations with no source finding
            _say(console, f"{status_words(r.status, r.from_praise)}: {kind_words(r)} {r.id} {r.title}: {measure(r)}",
                 2)


def _tables(assessment: Assessment, console: Console, rules: dict[str, RuleResult],
            measure: Callable[[RuleResult], str]) -> None:
    for area in assessment.areas:
        # Boxes and colour for a terminal; plain columns for a pipe or a file.
        table = Table(title=_safe(area.title), title_justify="left", show_lines=False, expand=False,
                      box=box.SIMPLE_HEAD if console.is_terminal else None)
        compared = assessment.baseline is not None
        for column in ("status", "rule", "kind", "measure", *(["since baseline"] if compared else []), "title"):
            table.add_column(column, overflow="fold")
        for rid in area.rules:
            r = rules[rid]
            table.add_row(f"[{_STYLE[r.status]}]{status_words(r.status, r.from_praise)}[/]", _safe(r.id),
                          _safe(kind_words(r)), _safe(measure(r)), *([_safe(since(r))] if compared else []),
                          _safe(r.title))
        console.print(table)
        _say(console, status_line(area.indicative_status, area.indicative_withheld), 2)
    s = assessment.summary
    _say(console, f"Rules: {s.not_met} of {s.rules} not met; {s.met} met, {s.not_assessed} not assessed, "
                  f"{s.not_assessable} not assessable, {s.manual} manual, {s.disabled} disabled{also_counted(s)}")


def _details(console: Console, r: RuleResult, max_failures: int | None, measure: Callable[[RuleResult], str],
             waived: int = 0) -> None:
    console.print(f"  [bold]{_safe(r.id)}[/] {_safe(r.title)}: {_safe(measure(r))}", highlight=False)
    if r.threshold_source:
        _say(console, f"threshold ({basis_words(r)}): {r.threshold_source.strip()}", 4)
    for breakdown in r.breakdowns:
        for i, line in enumerate(breakdown_lines(r, breakdown, waived)):
            _say(console, line, 4 if i == 0 else 6)
    if r.source is not None:  # a core rule assessed with no overlay quotes no report
        _say(console, f"source: {r.source.document_title}, {r.source.section}: \"{r.source.quote}\"", 4)
    _say(console, f"{SUGGESTION}: {r.remediation.strip()}", 4)
    _rule_failures(console, r, max_failures)


def render_text(assessment: Assessment, console: Console, max_failures: int | None = 10) -> None:
    rules = {r.id: r for r in assessment.rules}
    _header(assessment, console, max_failures)
    measure, waived = measures(assessment), records_waived(assessment)
    _findings(assessment, console, rules, measure)
    _tables(assessment, console, rules, measure)
    ordered = [rules[rid] for a in assessment.areas for rid in a.rules]
    failing = [r for r in ordered if r.status is RuleStatus.NOT_MET and not r.from_praise]
    lapsed = [r for r in ordered if r.status is RuleStatus.NOT_MET and r.from_praise]
    broken_down = [r for r in ordered if r.breakdowns and r.status is not RuleStatus.NOT_MET]
    for title, group in (("Why rules are not met", failing), (f"Not sustained ({PRAISED})", lapsed),
                         ("Breakdowns of rules met or not assessed", broken_down)):
        if group:
            console.print(f"[bold]{title}[/]")
        for r in group:
            _details(console, r, max_failures, measure, waived.get(r.id, 0))
    for title, lines in ((FORCE_CHOICES_TITLE, force_choice_lines(assessment)),
                         (WAIVERS_TITLE, waiver_lines(assessment))):
        if lines:
            console.print(f"[bold]{title}[/]")
        for line in lines:
            _say(console, line, 2)
