"""What the command does when something goes wrong that no diagnostic covers.

A bug must never look like a result: exit 1 means "gaps found", so an unexpected exception exits
4 (ExitCode.INTERNAL) with one line on stderr naming what failed; ``--debug`` adds the traceback.
An interrupt (Ctrl-C, SIGTERM) exits 130 / 143 as shells expect, never 1; a file that cannot be
read or written (a full disk) is exit 2 with the system's message; a closed pipe (``| head``) 141.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import traceback
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

import click

from peelcheck.errors import Diagnostic, Location, PeelcheckError
from peelcheck.exitcodes import ExitCode
from peelcheck.report.common import visible

_PACKAGE = "peelcheck"
_INTERRUPTED = 130  # 128 + SIGINT
_TERMINATED = 143  # 128 + SIGTERM
_BROKEN_PIPE = 141  # 128 + SIGPIPE


def echo_lines(text: str, err: bool = False, nl: bool = True) -> None:
    """Text from a pack or the records, line by line, with control characters written out (``visible``)."""
    click.echo("\n".join(visible(line) for line in text.split("\n")), err=err, nl=nl)


def warn(diagnostics: Iterable[Diagnostic], quiet: bool = False) -> None:
    """Warnings (a pack's that loaded, a run's) on stderr: said, and the run goes on."""
    if not quiet:
        for diagnostic in diagnostics:
            echo_lines(str(diagnostic), err=True)


def report_errors(error: PeelcheckError) -> NoReturn:
    """Every diagnostic on stderr, then exit 2: the input or the pack is at fault, nothing was assessed."""
    for diagnostic in error.diagnostics:  # file names and values written out: no control character reaches stderr
        echo_lines(str(diagnostic), err=True)
    sys.exit(ExitCode.ERROR)


def _where(error: BaseException) -> str:
    """The innermost frame of the traceback inside peelcheck (module.function), else the innermost frame."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if _PACKAGE in Path(f.filename).parts] or frames
    if not ours:
        return "peelcheck"
    frame = ours[-1]
    parts = Path(frame.filename).with_suffix("").parts
    module = ".".join(parts[len(parts) - parts[::-1].index(_PACKAGE):]) if _PACKAGE in parts else frame.filename
    return f"{module}.{frame.name} (line {frame.lineno})"


def internal_error(error: BaseException, debug: bool) -> NoReturn:
    """One line naming what failed (the traceback too with --debug), exit 4."""
    if debug:
        traceback.print_exception(error, file=sys.stderr)
    message = " ".join(str(error).split())[:300] or "no message"
    hint = "" if debug else "; --debug shows the traceback"
    click.echo(f"peelcheck: internal error in {_where(error)}: {type(error).__name__}: {message} (a bug in "
               f"peelcheck; nothing is to be concluded from this run{hint})", err=True)
    sys.exit(ExitCode.INTERNAL)


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(_TERMINATED)  # unwinds like Ctrl-C, so half-written files are removed


@contextlib.contextmanager
def terminate_cleanly() -> Iterator[None]:
    """While a command runs, SIGTERM unwinds the stack (temporary files removed) instead of killing the
    process mid-write; the caller's own handler is put back after (the command may run inside a test)."""
    try:
        before = signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread (an embedding application): leave its signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


class GuardedGroup(click.Group):
    """A click group whose commands never leak a traceback or exit 1 on a fault."""

    def invoke(self, ctx: click.Context) -> Any:
        debug = bool(ctx.params.get("debug"))
        try:
            with terminate_cleanly():
                return super().invoke(ctx)
        except PeelcheckError as error:  # a diagnosed problem no command caught: still the user's input
            report_errors(error)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("peelcheck: interrupted", err=True)
            sys.exit(_INTERRUPTED)
        except BrokenPipeError:  # the reader of stdout went away (| head): nothing more to say to anyone
            with contextlib.suppress(OSError, ValueError):  # so the interpreter's last flush fails silently
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(_BROKEN_PIPE)
        except OSError as error:  # the disk, not peelcheck: a full disk, a file gone, permissions
            where = Location(os.fsdecode(error.filename) if error.filename is not None else "peelcheck")
            report_errors(PeelcheckError([Diagnostic("io-error", error.strerror or str(error), where)]))
        except Exception as error:  # noqa: BLE001 - the point: any other exception is a bug
            internal_error(error, debug)
