"""Writing an assessment in one or more formats: ``--format`` to stdout, or ``-o FILE`` (repeatable),
each file's format from its extension (``--format`` decides for a file with an unknown one)."""

from __future__ import annotations

import errno
import os
import sys
import tempfile
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TextIO

from rich.console import Console

from peelcheck.assess.model import Assessment
from peelcheck.errors import Location, UsageError
from peelcheck.report.output_file import report_file


class ReportFormat(str, Enum):
    TEXT = "text"
    MD = "md"
    JSON = "json"
    HTML = "html"
    CSV = "csv"
    XLSX = "xlsx"
    JUNIT = "junit"
    SARIF = "sarif"


EXTENSIONS = {".txt": ReportFormat.TEXT, ".md": ReportFormat.MD, ".json": ReportFormat.JSON,
              ".html": ReportFormat.HTML, ".htm": ReportFormat.HTML, ".csv": ReportFormat.CSV,
              ".xlsx": ReportFormat.XLSX, ".xml": ReportFormat.JUNIT, ".sarif": ReportFormat.SARIF}


def format_of(path: Path, default: ReportFormat | None) -> ReportFormat:
    """A file's format from its extension (``x.sarif.json`` is SARIF), else the ``--format`` given."""
    name = path.name.lower()
    if name.endswith(".sarif.json"):
        return ReportFormat.SARIF
    found = EXTENSIONS.get(path.suffix.lower())
    if found is not None:
        return found
    if default is not None:
        return default
    raise UsageError.single("unknown-extension", f"cannot tell a report format from {path.name!r}",
                            Location(str(path)), hint=f"use one of {', '.join(sorted(EXTENSIONS))} or give --format")


def write_file(path: Path, write: Callable[[Path], None]) -> None:
    """Write a file whole or not at all: into a temporary file beside it, then renamed over it.

    The one place reports reach the disk (so a shared atomic writer can replace it)."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError.single("no-such-folder", "the folder for this report does not exist", Location(str(path)))
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    os.close(handle)
    try:
        write(Path(temporary))
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; a report gets the usual mode
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class _PipedConsole(Console):
    """rich's console, leaving a closed pipe (``| head``) to the command's handler (exit 141, cli.faults):
    rich's own ends the process with exit 1, which reads as "gaps found"."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")


def _text_writer(fmt: ReportFormat, assessment: Assessment, max_failures: int | None,
                 for_file: bool, fail_on: str) -> Callable[[TextIO], None]:
    from peelcheck.report import followup, html, junit, sarif
    from peelcheck.report.json_report import write_json
    from peelcheck.report.markdown import write_markdown
    from peelcheck.report.text import render_text

    def text(out: TextIO) -> None:
        # A file or a pipe gets plain text at a readable width; a terminal gets its own width.
        wide = for_file or not sys.stdout.isatty()
        render_text(assessment, _PipedConsole(file=out, width=140 if wide else None), 10 if max_failures is None
                    else max_failures)

    writers: dict[ReportFormat, Callable[[TextIO], None]] = {
        ReportFormat.TEXT: text,
        ReportFormat.MD: lambda out: write_markdown(assessment, out, max_failures),
        ReportFormat.JSON: lambda out: write_json(assessment, out),
        ReportFormat.HTML: lambda out: html.write_html(assessment, out, max_failures),
        ReportFormat.CSV: lambda out: followup.write_csv(assessment, out),
        ReportFormat.JUNIT: lambda out: junit.write_assessment_junit(assessment, out, fail_on),
        ReportFormat.SARIF: lambda out: sarif.write_assessment_sarif(assessment, out, fail_on),
    }
    return writers[fmt]


def write_report(assessment: Assessment, fmt: ReportFormat, path: Path | None, max_failures: int | None,
                 fail_on: str = "low") -> None:
    """One report: to ``path`` (atomically), or to stdout when ``path`` is None; ``fail_on`` (as --fail-on)
    decides which gaps the CI formats count as failures, as it decides the exit code."""
    if fmt is ReportFormat.XLSX:
        if path is None:
            raise UsageError.single("binary-to-stdout", "an xlsx workbook needs a file", Location("--format xlsx"),
                                    hint="give -o followup.xlsx")
        from peelcheck.report.followup import write_xlsx
        write_file(path, lambda target: write_xlsx(assessment, target))
        return
    writer = _text_writer(fmt, assessment, max_failures, path is not None, fail_on)
    if path is None:
        writer(sys.stdout)
        return
    with report_file(path) as out:  # renamed into place only when complete
        writer(out)


def check_outputs(fmt: str | None, outputs: tuple[Path, ...]) -> None:
    """Before a long assessment: every -o file's format is known and its folder exists."""
    default = ReportFormat(fmt) if fmt else None
    if not outputs and default is ReportFormat.XLSX:
        raise UsageError.single("binary-to-stdout", "an xlsx workbook needs a file", Location("--format xlsx"),
                                hint="give -o followup.xlsx")
    for path in outputs:
        format_of(path, default)
        if not (path.parent if str(path.parent) else Path(".")).is_dir():
            raise UsageError.single("no-such-folder", "the folder for this report does not exist", Location(str(path)))


def write_reports(assessment: Assessment, fmt: str | None, outputs: tuple[Path, ...],
                  max_failures: int | None, fail_on: str = "low") -> None:
    """``--format`` alone: stdout. ``-o`` files: each in its own format (checked before any is written)."""
    default = ReportFormat(fmt) if fmt else None
    if not outputs:
        write_report(assessment, default or ReportFormat.TEXT, None, max_failures, fail_on)
        return
    chosen = [(path, format_of(path, default)) for path in outputs]
    for path, report_format in chosen:
        write_report(assessment, report_format, path, max_failures, fail_on)


