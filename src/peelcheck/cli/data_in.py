"""Commands for getting a force's data in: blank templates, the data dictionary, mapping suggestions;
and the exit code of an assessment (gaps, incomplete results)."""

from __future__ import annotations

import difflib
import sys
import tempfile
from pathlib import Path

import click

from peelcheck.assess.model import Assessment
from peelcheck.cli.faults import report_errors
from peelcheck.cli.options import output_folder, pack_only_option, pack_option, profile_option
from peelcheck.cli.packs import pack_or_exit
from peelcheck.errors import Diagnostic, Location, PeelcheckError, UsageError
from peelcheck.exitcodes import ExitCode
from peelcheck.schema.outcomes import RuleStatus

GAP_STATUSES = (RuleStatus.NOT_MET, RuleStatus.NOT_ASSESSABLE)


def assess_exit_code(assessment: Assessment, fail_on: str) -> ExitCode:
    """1 if a rule at a --fail-on severity is not met or not assessable; else 3 if rows were rejected
    (results incomplete: never a pass); else 0. Gaps come first: a gap found in the rows that were
    read is news whatever the rejected rows held, and the report still says the results are incomplete."""
    gaps = [r for r in assessment.rules if r.status in GAP_STATUSES and r.severity.fails_run(fail_on)]
    if gaps:
        return ExitCode.GAPS
    return ExitCode.INCOMPLETE if assessment.summary.rows_rejected else ExitCode.OK


@click.command("template")
@pack_option
@profile_option
@click.argument("record_types", nargs=-1)
@click.option("--all", "every", is_flag=True, help="A template for every record type of the pack.")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv"]), default="xlsx", show_default=True)
@click.option("--output", "-o", "output", type=click.Path(path_type=Path), default=Path("."), show_default=True,
              help="Folder to write the templates into.")
def template_command(pack_dir: str | None, profile: Path | None, record_types: tuple[str, ...], every: bool, fmt: str,
                     output: Path) -> None:
    """Write blank input sheets for RECORD_TYPES: one column per field, ready to fill in and assess."""
    from peelcheck.report.templates import write_template
    pack = pack_or_exit(pack_dir, profile)
    names = sorted(pack.record_types) if every else list(record_types)
    unknown = [n for n in names if n not in pack.record_types]
    if not names or unknown:
        click.echo(f"error: {'unknown record type(s): ' + ', '.join(unknown) if unknown else 'name a record type'}"
                   f" (the pack has: {', '.join(sorted(pack.record_types))}) [unknown-record-type]", err=True)
        sys.exit(ExitCode.ERROR)
    output_folder(output)
    for name in names:
        path = write_template(pack, pack.record_types[name], output, fmt)
        click.echo(f"wrote {path}")


@click.command("dictionary")
@pack_only_option
@click.argument("output_dir", type=click.Path(path_type=Path), default=Path("docs/data-dictionary"))
def dictionary_command(pack_dir: str | None, output_dir: Path) -> None:
    """Write the data dictionary: one Markdown page per record type (and an index) into OUTPUT_DIR."""
    from peelcheck.report.data_dictionary import dictionary_pages
    output_folder(output_dir)
    pages = dictionary_pages(pack_or_exit(pack_dir, None))
    for name, text in pages.items():
        (output_dir / name).write_text(text, encoding="utf-8")
    click.echo(f"wrote {len(pages)} pages to {output_dir}")


@click.group("mapping")
def mapping_group() -> None:
    """Column mappings: from a file's own column names to a record type's fields."""


@mapping_group.command("suggest")
@pack_option
@profile_option
@click.argument("record_file", type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--type", "record_type", required=True, help="The record type the file holds.")
@click.option("--sheet", default=None, help="The workbook sheet (for .xlsx).")
def suggest_command(pack_dir: str | None, profile: Path | None, record_file: Path, record_type: str,
                    sheet: str | None) -> None:
    """Propose a mapping for RECORD_FILE (a CSV file, a workbook or a Parquet file; - for standard input)
    from its header, by close matching, for a person to check and edit."""
    from peelcheck.load.mapping_suggest import suggest_mapping
    from peelcheck.load.sources import STDIN, STDIN_LABEL, spooled
    pack = pack_or_exit(pack_dir, profile)
    spec = pack.record_types.get(record_type)
    if spec is None:
        report_errors(UsageError([_unknown_type(record_type, sorted(pack.record_types))]))
    try:
        if str(record_file) != STDIN:
            draft = suggest_mapping(record_file, spec, sheet)
        else:  # copied to a file named for the format its first bytes show, as assess does
            with tempfile.TemporaryDirectory(prefix="peelcheck-") as folder:
                draft = suggest_mapping(spooled(sys.stdin.buffer, Path(folder)), spec, sheet, STDIN_LABEL)
    except PeelcheckError as error:
        report_errors(error)
    click.echo(draft, nl=False)


def _unknown_type(name: str, known: list[str]) -> Diagnostic:
    """``--type`` naming no record type of the pack: at ``--type``, with the closest and every name."""
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return Diagnostic("unknown-record-type", f"no record type {name!r} in the pack", Location("--type"),
                      hint=(f"did you mean {close[0]!r}? " if close else "") + f"the pack has: {', '.join(known)}")


@mapping_group.command("check")
@pack_only_option
@click.argument("mapping_file", type=click.Path(path_type=Path))
def check_command(pack_dir: str | None, mapping_file: Path) -> None:
    """Check a mapping file against the pack's record types: every problem with file:line:col."""
    from peelcheck.load.mapping_files import load_mapping_file
    pack = pack_or_exit(pack_dir, None)
    try:
        mapping = load_mapping_file(mapping_file, pack.record_types)
    except PeelcheckError as error:
        report_errors(error)
    click.echo(f"{mapping_file}: ok: mapping {mapping.name} for {mapping.record_type}, "
               f"{len(mapping.columns)} columns mapped")


def register_data_in_commands(cli: click.Group) -> None:
    cli.add_command(template_command)
    cli.add_command(dictionary_command)
    cli.add_command(mapping_group)
