"""`peelcheck coverage`: per framework characteristic and per document finding, what the pack encodes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from peelcheck.cli.faults import echo_lines, report_errors, warn
from peelcheck.cli.options import output_option, pack_option, profile_option
from peelcheck.cli.packs import pack_folder
from peelcheck.cli.protected import pack_files
from peelcheck.compile.pack_check import load_compiled_pack
from peelcheck.errors import PeelcheckError
from peelcheck.exitcodes import ExitCode
from peelcheck.report.coverage import as_json, coverage_of
from peelcheck.report.coverage_render import render_markdown, render_text
from peelcheck.report.output_file import check_output, files_under, report_file


@click.command("coverage")
@pack_option
@profile_option
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text", show_default=True)
@output_option
@click.option("--sources", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder holding the source documents' texts: also count sentences that read as asks of the "
                   "force and are in no registry entry.")
def coverage_command(pack_dir: str | None, profile: Path | None, fmt: str, output: Path | None,
                     sources: Path | None) -> None:
    """Per PEEL framework characteristic and per source-document finding: encoded, manual or not covered.

    Exits 1 if a cause of concern, recommendation or area for improvement has no rule at all.
    """
    try:
        folder = pack_folder(pack_dir, profile)
        reads = [*([profile] if profile else []), *(files_under(sources) if sources else [])]
        if output is not None:  # refused before the run: a missing folder, or a file the run reads
            check_output(output, [*reads, *files_under(folder)])
        pack = load_compiled_pack(folder, profile)
        warn(pack.warnings)
        if output is not None:  # and the packs it extends
            check_output(output, [*reads, *pack_files(pack, folder)])
    except PeelcheckError as error:
        report_errors(error)
    cover = coverage_of(pack, sources)
    if fmt == "json":
        text = json.dumps({"pack": pack.pack.id, "version": pack.pack.version, **as_json(cover)}, indent=2) + "\n"
    else:
        text = render_markdown(pack, cover) if fmt == "md" else render_text(pack, cover)
    if output is not None:
        with report_file(output) as handle:  # renamed into place when complete
            handle.write(text)
    else:
        echo_lines(text, nl=False)
    sys.exit(ExitCode.GAPS if cover.uncovered() else ExitCode.OK)
