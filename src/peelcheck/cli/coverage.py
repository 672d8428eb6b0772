"""`peelcheck coverage`: per framework characteristic and per document finding, what the pack encodes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from peelcheck.cli.options import output_option, pack_option, profile_option
from peelcheck.cli.packs import pack_folder
from peelcheck.compile.pack_check import load_compiled_pack
from peelcheck.errors import PeelcheckError
from peelcheck.exitcodes import ExitCode
from peelcheck.report.coverage import as_json, coverage_of
from peelcheck.report.coverage_render import render_markdown, render_text


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
        pack = load_compiled_pack(pack_folder(pack_dir, profile), profile)
    except PeelcheckError as error:
        for diagnostic in error.diagnostics:
            click.echo(str(diagnostic), err=True)
        sys.exit(ExitCode.ERROR)
    cover = coverage_of(pack, sources)
    if fmt == "json":
        text = json.dumps({"pack": pack.pack.id, "version": pack.pack.version, **as_json(cover)}, indent=2) + "\n"
    else:
        text = render_markdown(pack, cover) if fmt == "md" else render_text(pack, cover)
    if output is not None:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    sys.exit(ExitCode.GAPS if cover.uncovered() else ExitCode.OK)
