"""The ``peelcheck`` command line: assess, validate, rules, schema.

Reports go to stdout (or --output); diagnostics go to stderr. Exit codes: see exitcodes.py.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from enum import Enum
from pathlib import Path
from typing import TextIO

import click
from rich.console import Console

from peelcheck import __version__
from peelcheck.assess.model import Assessment
from peelcheck.cli.answers import answers_for, answers_option
from peelcheck.cli.coverage import coverage_command
from peelcheck.cli.data_in import assess_exit_code, register_data_in_commands
from peelcheck.cli.engine_notes import engine_notes
from peelcheck.cli.faults import GuardedGroup, echo_lines, report_errors
from peelcheck.cli.options import (
    as_of_option,
    output_option,
    pack_option,
    profile_option,
    progress_on_stderr,
    to_date,
)
from peelcheck.cli.packs import init_command, pack_folder, packs_group
from peelcheck.cli.protected import pack_files
from peelcheck.cli.report_options import apply_report_options, report_options
from peelcheck.compile.pack_check import CompiledPack, check_pack, load_compiled_pack, load_with_profile
from peelcheck.compile.source_quotes import check_quotes, quotes
from peelcheck.errors import PeelcheckError
from peelcheck.exitcodes import ExitCode
from peelcheck.pipeline import AssessOptions, Engine, assess
from peelcheck.report.json_report import write_json
from peelcheck.report.markdown import write_markdown
from peelcheck.report.output_file import check_output, files_under, report_file
from peelcheck.report.text import render_text
from peelcheck.schema.rule import Severity


class ReportFormat(str, Enum):
    TEXT = "text"
    MD = "md"
    JSON = "json"


FAIL_ON = [s.value for s in Severity] + ["never"]


def _fail(error: PeelcheckError) -> None:
    report_errors(error)


@click.group(cls=GuardedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="peelcheck")
@click.option("--debug", is_flag=True, help="On an internal error (exit 4), print the traceback.")
def cli(debug: bool) -> None:
    """Check a force's self-assessment records against HMICFRS PEEL expectations."""


@cli.command("assess")
@pack_option
@profile_option
@click.argument("record_files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice([f.value for f in ReportFormat]), default="text",
              show_default=True)
@output_option
@as_of_option
@click.option("--engine", type=click.Choice([e.value for e in Engine]), default="durable", show_default=True,
              help="durable-rules; the rules run as generated Python (used anyway where durable-rules cannot be "
                   "imported); or the rules as SQL in DuckDB (columnar). Every engine gives the same report.")
@click.option("--type", "record_type", default=None, help="Record type of every file given.")
@click.option("--mapping", default=None, help="A column mapping: a mapping file of your own (FILE.yaml), or the "
              "name of one in the pack or profile (e.g. police_uk_stop_search). See docs/mappings.md.")
@click.option("--sheet", default=None, help="The workbook sheet to read (default: the sheet named after the "
              "record type, or the only sheet).")
@click.option("--rule", "rule_ids", multiple=True, help="Assess only this rule (repeatable).")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Processes per CSV file (the report is the same, row for row).")
@click.option("--cluster", default=None, metavar="ADDRESS",
              help="Run on a Dask cluster: a scheduler address (tcp://host:8786), or local:N for N local worker "
                   "processes (the report is the same, byte for byte).")
@click.option("--skip-invalid", is_flag=True, help="Assess the valid rows and list rejected ones in the report, "
                                                   "instead of stopping with exit 2.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="low", show_default=True,
              help="Lowest severity of an unmet rule that makes the exit code 1.")
@click.option("--max-failures", type=int, default=None,
              help="Failing records shown per rule in text/md (text default 10, md default all).")
@report_options
@answers_option
def assess_command(pack_dir: str | None, profile: Path | None, record_files: tuple[Path, ...], fmt: str,
                   output: Path | None, as_of: dt.datetime | None, engine: str, record_type: str | None,
                   mapping: str | None, sheet: str | None, rule_ids: tuple[str, ...], jobs: int, cluster: str | None,
                   skip_invalid: bool, fail_on: str, max_failures: int | None, by: tuple[str, ...],
                   show_personal: bool, answers: Path | None) -> None:
    """Assess RECORD_FILES against the pack and print the gap report (`-`: records on standard input)."""
    try:
        folder = pack_folder(pack_dir, profile)
        reads = [*record_files, *([profile] if profile else []), *([answers] if answers else [])]
        if output is not None:  # refused before the run, not after it
            check_output(output, [*reads, *files_under(folder)])
        pack = load_compiled_pack(folder, profile)
        if output is not None:  # and the packs it extends
            check_output(output, [*reads, *pack_files(pack, folder)])
        options = AssessOptions(as_of=to_date(as_of), engine=Engine(engine), record_type=record_type,
                                mapping=mapping, sheet=sheet, skip_invalid=skip_invalid,
                                only_rules=frozenset(rule_ids) if rule_ids else None, jobs=jobs,
                                cluster=cluster, answers=answers_for(pack, answers))
        apply_report_options(options, by, show_personal)
        with progress_on_stderr() as options.progress:
            assessment = assess(pack, list(record_files), options)
    except PeelcheckError as error:
        _fail(error)
        return
    if assessment.engine != engine:
        click.echo(f"note: durable-rules cannot be imported on Python {sys.version_info.major}."
                   f"{sys.version_info.minor}; the {assessment.engine} engine was used", err=True)
    for note in assessment.engine_notes:
        echo_lines(f"note: {note}", err=True)
    if output:  # renamed into place only when complete
        with report_file(output) as handle:
            _write_report(assessment, ReportFormat(fmt), handle, max_failures)
    else:
        _write_report(assessment, ReportFormat(fmt), None, max_failures)
    sys.exit(assess_exit_code(assessment, fail_on))


def _write_report(assessment: Assessment, report_format: ReportFormat, out: TextIO | None,
                  max_failures: int | None) -> None:
    """The report in its format, to ``out`` (stdout if None), written as it is made."""
    if report_format is ReportFormat.TEXT:
        # A file or a pipe gets plain text at a readable width; a terminal gets its own width.
        console = Console(file=out, width=140 if out or not sys.stdout.isatty() else None)
        render_text(assessment, console, 10 if max_failures is None else max_failures)
    elif report_format is ReportFormat.JSON:
        write_json(assessment, out or sys.stdout)
    else:
        write_markdown(assessment, out or sys.stdout, max_failures)


@cli.command("validate")
@click.argument("pack_ref", metavar="[PACK]", required=False, default=None)
@profile_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--sources", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder holding the source documents' texts (pack.yaml `file:`): every rule's and finding's "
                   "quote must appear in its document.")
def validate_command(pack_ref: str | None, profile: Path | None, fmt: str, sources: Path | None) -> None:
    """Check a rule pack (a folder or an installed pack's name; with every pack it extends) and a force
    profile, and report every problem with file:line:col."""
    pack_dir = pack_folder(pack_ref, profile)
    loaded = load_with_profile(pack_dir, profile)
    compiled, diagnostics = check_pack(loaded)
    if sources is not None:
        misquoted = check_quotes(loaded, sources)
        diagnostics += misquoted
        compiled = None if misquoted else compiled
    notes = engine_notes(compiled)
    if fmt == "json":
        click.echo(json.dumps({"pack": str(pack_dir), "ok": not diagnostics,
                               "rules": len(compiled.rules) if compiled else None,
                               "diagnostics": [d.as_dict() for d in diagnostics], "notes": notes}, indent=2))
    else:
        for diagnostic in diagnostics:
            echo_lines(str(diagnostic), err=True)
        for note in notes:
            echo_lines(f"note: {note}", err=True)
        if compiled is not None:
            checked = f", {len(quotes(loaded))} quotes found in their documents" if sources is not None else ""
            click.echo(f"{pack_dir}: ok: {len(compiled.rules)} rules, {len(compiled.record_types)} record types"
                       f"{checked}")
        else:
            click.echo(f"{pack_dir}: {len(diagnostics)} problem(s)", err=True)
    sys.exit(ExitCode.OK if compiled is not None else ExitCode.ERROR)


@cli.group("rules")
def rules_group() -> None:
    """List the pack's rules or show one."""


def _pack_or_exit(pack_dir: str | None, profile: Path | None) -> CompiledPack:
    try:
        return load_compiled_pack(pack_folder(pack_dir, profile), profile)
    except PeelcheckError as error:
        _fail(error)
        raise


@rules_group.command("list")
@pack_option
@profile_option
def rules_list(pack_dir: str | None, profile: Path | None) -> None:
    """One line per rule: id, kind, severity, record type, title."""
    from peelcheck.report.rule_docs import rule_lines
    for line in rule_lines(_pack_or_exit(pack_dir, profile)):
        echo_lines(line)


@rules_group.command("show")
@pack_option
@profile_option
@click.argument("rule_id")
@as_of_option
def rules_show(pack_dir: str | None, profile: Path | None, rule_id: str, as_of: dt.datetime | None) -> None:
    """A rule in full: source quote, conditions in words, and the compiled durable-rules ruleset."""
    from peelcheck.report.rule_docs import rule_page
    pack = _pack_or_exit(pack_dir, profile)
    rule = pack.rule(rule_id)
    if rule is None:
        click.echo(f"error: no rule {rule_id!r} in {pack_dir} [unknown-rule]", err=True)
        sys.exit(ExitCode.ERROR)
    echo_lines(rule_page(pack, rule, to_date(as_of)))


@rules_group.command("docs")
@pack_option
@click.argument("output_dir", type=click.Path(path_type=Path), default=Path("docs/rules"))
def rules_docs(pack_dir: str | None, output_dir: Path) -> None:
    """Write one Markdown page per area (and an index) into OUTPUT_DIR."""
    from peelcheck.report.rule_docs import area_pages
    output_dir.mkdir(parents=True, exist_ok=True)
    pages = area_pages(_pack_or_exit(pack_dir, None))
    for name, text in pages.items():
        with report_file(output_dir / name) as handle:  # a page is replaced whole or not at all
            handle.write(text)
    click.echo(f"wrote {len(pages)} pages to {output_dir}")


@cli.command("schema")
@click.argument("what", type=click.Choice(["rule", "pack", "record-type", "findings", "mapping", "profile",
                                           "framework", "assessment"]), default="rule")
def schema_command(what: str) -> None:
    """Print a JSON Schema (for editors and tools); the same files ship in peelcheck/schemas/."""
    from peelcheck.report.schemas import schema_text
    click.echo(schema_text(what), nl=False)


cli.add_command(packs_group)
cli.add_command(init_command)
cli.add_command(coverage_command)
register_data_in_commands(cli)


def main() -> None:  # pragma: no cover
    cli()
