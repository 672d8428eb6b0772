"""The ``peelcheck`` command line: assess, validate, rules, schema.

Reports go to stdout (or --output); diagnostics go to stderr. Exit codes: see exitcodes.py.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from peelcheck import __version__
from peelcheck.cli.answers import answers_option
from peelcheck.cli.coverage import coverage_command
from peelcheck.cli.data_in import register_data_in_commands
from peelcheck.cli.faults import GuardedGroup, echo_lines
from peelcheck.cli.memory_limit import memory_limit_option
from peelcheck.cli.options import (
    JobsType,
    as_of_option,
    output_folder,
    pack_only_option,
    pack_option,
    profile_option,
    to_date,
)
from peelcheck.cli.outputs import ReportFormat
from peelcheck.cli.packs import init_command, pack_or_exit, packs_group
from peelcheck.cli.plan_sample import plan_sample_command
from peelcheck.cli.report_options import report_options
from peelcheck.cli.results import AssessRequest, results_options, run_assess
from peelcheck.cli.validate_cmd import FORMATS as VALIDATE_FORMATS
from peelcheck.cli.validate_cmd import ValidateRequest, run_validate
from peelcheck.exitcodes import ExitCode
from peelcheck.pipeline import Engine
from peelcheck.report.output_file import report_file
from peelcheck.schema.rule import Severity

FAIL_ON = [s.value for s in Severity] + ["never"]


@click.group(cls=GuardedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="peelcheck")
@click.option("--debug", is_flag=True, help="On an internal error (exit 4), print the traceback.")
def cli(debug: bool) -> None:
    """Check a force's self-assessment records against HMICFRS PEEL expectations."""


@cli.command("assess")
@pack_option
@profile_option
@click.argument("record_files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice([f.value for f in ReportFormat]), default=None,
              help="Report format on stdout (default text), or for an -o file whose extension says none.")
@click.option("--output", "-o", "outputs", multiple=True, type=click.Path(path_type=Path),
              help="Write a report to this file (repeatable; format from the extension: .html .json .md .txt "
                   ".csv .xlsx .xml (JUnit) .sarif).")
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
@click.option("--jobs", "-j", type=JobsType(), default="auto", show_default=True,
              help="Processes per CSV or Parquet file, each reading its own part (the report is the same, row "
                   "for row). auto: for a file of some 400,000 rows or more (a CSV of 64 MiB), one per core "
                   "with the python engine, one per two cores with durable (at most 8); one otherwise. With "
                   "--engine columnar, one for a file DuckDB reads itself (it uses every core), else as python.")
@click.option("--cluster", default=None, metavar="ADDRESS",
              help="Run on a Dask cluster: a scheduler address (tcp://host:8786), or local:N for N local worker "
                   "processes (the report is the same, byte for byte).")
@memory_limit_option
@click.option("--skip-invalid", is_flag=True, help="Assess the valid rows and list rejected ones in the report, "
                                                   "instead of stopping with exit 2.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="low", show_default=True,
              help="Lowest severity of an unmet rule that makes the exit code 1.")
@click.option("--max-failures", type=click.IntRange(min=0), default=None,
              help="Failing records listed per rule, and problems of rejected rows per file, in text, md and html "
                   "(default: text 10, md 200, html 200); the rest are counted, and the JSON report and the "
                   "follow-up list have them all.")
@results_options
@report_options
@answers_option
def assess_command(pack_dir: str | None, profile: Path | None, record_files: tuple[Path, ...], fmt: str | None,
                   outputs: tuple[Path, ...], as_of: dt.datetime | None, engine: str, record_type: str | None,
                   mapping: str | None, sheet: str | None, rule_ids: tuple[str, ...], jobs: int | None,
                   cluster: str | None,
                   skip_invalid: bool, fail_on: str, max_failures: int | None, verdict: str, waivers: Path | None,
                   baseline: Path | None, quiet: bool, by: tuple[str, ...], show_personal: bool,
                   answers: Path | None) -> None:
    """Assess RECORD_FILES against the pack and print the gap report (`-`: records on standard input)."""
    run_assess(AssessRequest(pack_dir, profile, list(record_files), fmt, outputs, to_date(as_of), engine, record_type,
                             mapping, rule_ids, jobs, skip_invalid, fail_on, max_failures, verdict, waivers,
                             baseline, quiet, answers, cluster, by, show_personal, sheet))


@cli.command("validate")
@click.argument("pack_ref", metavar="[PACK]", required=False, default=None)
@profile_option
@click.option("--format", "fmt", type=click.Choice(VALIDATE_FORMATS), default="text", show_default=True,
              help="text, json, sarif (code scanning), junit (test reports) or github (annotations).")
@click.option("--sources", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder holding the source documents' texts (pack.yaml `file:`): every rule's and finding's "
                   "quote must appear in its document.")
@click.option("--waivers", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Also check a waivers file (expired waivers and unknown rules are problems).")
@click.option("--examples", is_flag=True, help="Run every rule's worked examples: each must come out as it says "
                                               "on the rule as its own file writes it (no overlay's or profile's "
                                               "threshold, window or scope), and every automated rule needs a "
                                               "passing and a failing one.")
@click.option("--quiet", "-q", is_flag=True, help="Print the problems only (nothing when the pack is sound).")
def validate_command(pack_ref: str | None, profile: Path | None, fmt: str, sources: Path | None, waivers: Path | None,
                     examples: bool, quiet: bool) -> None:
    """Check a rule pack (and a force profile): every problem with file:line:col on stdout.

    PACK is an installed pack's name (peel-core, west-mercia) or a pack folder; without it, the pack the
    --profile names, else the installed peel-core.

    Exits 0 when the pack is sound, 1 when problems are found, 2 when the command is misused."""
    run_validate(ValidateRequest(pack_ref, profile, fmt, sources, waivers, examples, quiet))


@cli.group("rules")
def rules_group() -> None:
    """List the pack's rules or show one."""


@rules_group.command("list")
@pack_option
@profile_option
def rules_list(pack_dir: str | None, profile: Path | None) -> None:
    """One line per rule: id, kind, severity, record type, title."""
    from peelcheck.report.rule_docs import rule_lines
    for line in rule_lines(pack_or_exit(pack_dir, profile)):
        echo_lines(line)


@rules_group.command("show")
@pack_option
@profile_option
@click.argument("rule_id")
@as_of_option
def rules_show(pack_dir: str | None, profile: Path | None, rule_id: str, as_of: dt.datetime | None) -> None:
    """A rule in full: source quote, conditions in words, and the compiled durable-rules ruleset."""
    from peelcheck.report.rule_docs import rule_page
    pack = pack_or_exit(pack_dir, profile)
    rule = pack.rule(rule_id)
    if rule is None:
        click.echo(f"error: no rule {rule_id!r} in pack {pack.pack.id} [unknown-rule]", err=True)
        sys.exit(ExitCode.ERROR)
    echo_lines(rule_page(pack, rule, to_date(as_of)))


@rules_group.command("docs")
@pack_only_option
@click.argument("output_dir", type=click.Path(path_type=Path), default=Path("docs/rules"))
def rules_docs(pack_dir: str | None, output_dir: Path) -> None:
    """Write one Markdown page per area (and an index) into OUTPUT_DIR."""
    from peelcheck.report.rule_docs import area_pages
    output_folder(output_dir)
    pages = area_pages(pack_or_exit(pack_dir, None))
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


cli.add_command(plan_sample_command)
cli.add_command(packs_group)
cli.add_command(init_command)
cli.add_command(coverage_command)
register_data_in_commands(cli)


def main() -> None:  # pragma: no cover
    cli()
