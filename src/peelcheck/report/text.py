"""The gap report for a terminal: rich tables when stdout is a terminal, plain text in a pipe."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table

from peelcheck.assess.model import Assessment, RuleResult
from peelcheck.evaluate.values import plain
from peelcheck.report.common import KIND_WORDS, STATUS_WORDS, also_counted, measure
from peelcheck.schema.outcomes import RuleStatus
from peelcheck.schema.wording import show_value

_STYLE = {RuleStatus.MET: "green", RuleStatus.NOT_MET: "bold red", RuleStatus.NOT_ASSESSED: "yellow",
          RuleStatus.MANUAL: "cyan", RuleStatus.DISABLED: "dim", RuleStatus.INCONCLUSIVE: "yellow",
          RuleStatus.WAIVED: "magenta"}


def _rule_failures(console: Console, rule: RuleResult, limit: int | None) -> None:
    shown = rule.failures if limit is None else rule.failures[:limit]
    for f in shown:
        values = ", ".join(f"{k}={show_value(plain(v))}" for k, v in f.values.items())
        console.print(f"    {f.key} ({f.location}): {f.outcome.value.replace('_', ' ')}: {f.reason} [{values}]",
                      highlight=False, markup=False)
    if len(shown) < len(rule.failures):
        console.print(f"    ... {len(rule.failures) - len(shown)} more (use --format json or --max-failures)",
                      highlight=False)


def render_text(assessment: Assessment, console: Console, max_failures: int | None = 10) -> None:
    s = assessment.summary
    console.print(f"[bold]{assessment.pack_title}[/] ({assessment.pack_id} {assessment.pack_version}), "
                  f"as of {assessment.as_of}, engine {assessment.engine}, {s.records} records")
    console.print(f"{s.not_met} of {s.rules} rules not met; {s.met} met, {s.not_assessed} not assessed, "
                  f"{s.manual} manual, {s.disabled} disabled{also_counted(s)}")
    if assessment.rejected_rows:
        console.print(f"[yellow]{len(assessment.rejected_rows)} rows rejected and not assessed:[/]")
        for bad in assessment.rejected_rows:
            console.print(f"  {bad.location}: {bad.field or ''} {bad.message}", markup=False, highlight=False)
    for source in assessment.inputs:
        if source.absent_fields:
            console.print(f"[yellow]{source.path}: no column for {', '.join(source.absent_fields)}[/] (not recorded "
                          "in any row)", highlight=False)
        if source.repeated_rows:
            console.print(f"[yellow]{source.path}: {len(source.repeated_rows)} rows exactly repeat an earlier row "
                          f"(assessed as they are):[/] {'; '.join(source.repeated_rows)}", highlight=False)
    rules = {r.id: r for r in assessment.rules}
    for area in assessment.areas:
        # Boxes and colour for a terminal; plain columns for a pipe or a file.
        table = Table(title=area.title, title_justify="left", show_lines=False, expand=False,
                      box=box.SIMPLE_HEAD if console.is_terminal else None)
        for column in ("status", "rule", "kind", "measure", "title"):
            table.add_column(column, overflow="fold")
        for rid in area.rules:
            r = rules[rid]
            table.add_row(f"[{_STYLE[r.status]}]{STATUS_WORDS[r.status]}[/]", r.id, KIND_WORDS[r.kind.value],
                          measure(r), r.title)
        console.print(table)
    failing = [rules[rid] for a in assessment.areas for rid in a.rules if rules[rid].status is RuleStatus.NOT_MET]
    if failing:
        console.print("[bold]Why rules are not met[/]")
    for r in failing:
        console.print(f"  [bold]{r.id}[/] {r.title}: {measure(r)}", highlight=False)
        console.print(f"    source: {r.source.document_title}, {r.source.section}: \"{r.source.quote}\"",
                      markup=False, highlight=False)
        console.print(f"    remediation: {r.remediation}", markup=False, highlight=False)
        _rule_failures(console, r, max_failures)
