"""``peelcheck validate``: a pack's problems on stdout in the format CI reads, exit 1 when there are
problems and 2 when the command was misused (as ruff does)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from peelcheck.cli.faults import echo_lines, report_errors
from peelcheck.cli.packs import BY_ARGUMENT, pack_folder
from peelcheck.errors import Diagnostic, PeelcheckError
from peelcheck.exitcodes import ExitCode

FORMATS = ["text", "json", "sarif", "junit", "github"]
MISUSE = {"no-pack"}  # the pack folder named is not one: the command was misused, nothing was checked


@dataclass
class ValidateRequest:
    pack_ref: str | None  # a folder or an installed pack's name (None: the profile's, else the core)
    profile: Path | None
    fmt: str
    sources: Path | None
    waivers: Path | None
    examples: bool
    quiet: bool
    pack_dir: Path = Path(".")  # the folder pack_ref names, once resolved


def _github(diagnostic: Diagnostic) -> str:
    """A GitHub Actions workflow command: the problem shows as an annotation on its line."""
    where = diagnostic.location
    props = [f"file={where.path}"] + ([f"line={where.line}"] if where.line else []) + (
        [f"col={where.column}"] if where.column else []) + [f"title={diagnostic.code}"]
    message = diagnostic.message + (f" (hint: {diagnostic.hint})" if diagnostic.hint else "")
    escaped = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    level = "warning" if diagnostic.severity == "warning" else "error"
    return f"::{level} {','.join(props)}::{escaped}"


def _problems(request: ValidateRequest) -> tuple[list[Diagnostic], str, list[str]]:
    """Every problem found, what was checked (in words) when there were none, and notes on the engine."""
    from peelcheck.cli.engine_notes import engine_notes
    from peelcheck.compile.pack_check import check_pack, load_with_profile
    from peelcheck.compile.source_quotes import check_quotes, quotes
    loaded = load_with_profile(request.pack_dir, request.profile)
    compiled, diagnostics = check_pack(loaded)
    if request.sources is not None:
        diagnostics += check_quotes(loaded, request.sources)
    if request.waivers is not None:
        from peelcheck.assess.waivers import check_waivers
        diagnostics += check_waivers(request.waivers, dt.date.today(), {r.id for r in loaded.rules})[1]
    if request.examples and compiled is not None:
        from peelcheck.rule_examples import check_examples
        diagnostics += check_examples(compiled)
    if compiled is None:
        return diagnostics, "", []
    checked = f", {len(quotes(loaded))} quotes found in their documents" if request.sources is not None else ""
    checked += ", every rule's worked examples come out as they say" if request.examples else ""
    return (diagnostics, f"{len(compiled.rules)} rules, {len(compiled.record_types)} record types{checked}",
            engine_notes(compiled))


def _write(request: ValidateRequest, diagnostics: list[Diagnostic], checked: str, notes: list[str]) -> None:
    if request.fmt == "json":
        failed = any(_error(d) for d in diagnostics)
        click.echo(json.dumps({"pack": str(request.pack_dir), "ok": not failed,
                               "rules": int(checked.split()[0]) if checked and not failed else None,
                               "diagnostics": [d.as_dict() for d in diagnostics], "notes": notes}, indent=2))
        return
    if not request.quiet:  # what the engine will do differently: for people, on stderr
        for note in notes:
            echo_lines(f"note: {note}", err=True)
    if request.fmt == "sarif":
        from peelcheck.report.sarif import write_diagnostics_sarif
        write_diagnostics_sarif(diagnostics, sys.stdout)
    elif request.fmt == "junit":
        from peelcheck.report.junit import write_diagnostics_junit
        write_diagnostics_junit(str(request.pack_dir), diagnostics, sys.stdout)
    elif request.fmt == "github":
        for diagnostic in diagnostics:
            echo_lines(_github(diagnostic))
    else:  # pack file names and text written out: no control character reaches the terminal
        for diagnostic in diagnostics:
            echo_lines(str(diagnostic))
        if not request.quiet:
            errors = sum(map(_error, diagnostics))
            warned = f", {len(diagnostics) - errors} warning(s)" if len(diagnostics) > errors else ""
            echo_lines(f"{request.pack_dir}: {errors} problem(s){warned}" if errors
                       else f"{request.pack_dir}: ok: {checked}{warned}")


def _error(diagnostic: Diagnostic) -> bool:
    """A problem that fails validation; a warning (say, a window kept that may have been meant to move) does not."""
    return diagnostic.severity != "warning"


def run_validate(request: ValidateRequest) -> None:
    try:
        request.pack_dir = pack_folder(request.pack_ref, request.profile, request.quiet, given_as=BY_ARGUMENT)
        diagnostics, checked, notes = _problems(request)
    except PeelcheckError as error:  # an unknown pack name, an unreadable waivers file: misuse
        report_errors(error)
    if any(d.code in MISUSE for d in diagnostics):  # nothing was checked: misuse, said on stderr
        report_errors(PeelcheckError(diagnostics))
    _write(request, diagnostics, checked, notes)
    sys.exit(ExitCode.GAPS if any(map(_error, diagnostics)) or not checked else ExitCode.OK)
