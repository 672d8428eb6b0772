"""Options shared by several commands, as decorators."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import Progress, TextColumn, TimeElapsedColumn

F = TypeVar("F", bound=Callable[..., Any])


PACK_HELP = "An installed pack's name (peel-core, west-mercia: `peelcheck packs list`) or a pack folder."


def pack_option(func: F) -> F:
    """--pack, on a command that also takes --profile."""
    return click.option("--pack", "pack_dir", default=None, metavar="NAME|FOLDER",
                        help=f"{PACK_HELP} Default: the pack the --profile names, else the installed "
                             "peel-core.")(func)


def pack_only_option(func: F) -> F:
    """--pack, on a command that takes no --profile: without it, the installed core."""
    return click.option("--pack", "pack_dir", default=None, metavar="NAME|FOLDER",
                        help=f"{PACK_HELP} Default: the installed peel-core.")(func)


def as_of_option(func: F) -> F:
    return click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                        help="Assessment date (YYYY-MM-DD); default today.")(func)


def to_date(value: dt.datetime | None) -> dt.date:
    return value.date() if value is not None else dt.date.today()


def output_option(func: F) -> F:
    return click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
                        help="Write the report to this file instead of stdout.")(func)


@contextmanager
def progress_on_stderr() -> Iterator[Callable[[int], None] | None]:
    """A live record count on stderr for people at a terminal; nothing in a pipe or CI."""
    stderr = Console(stderr=True)
    if not stderr.is_terminal:
        yield None
        return
    with Progress(TextColumn("assessing"), TextColumn("{task.completed:,} records"), TimeElapsedColumn(),
                  console=stderr, transient=True) as progress:
        task = progress.add_task("assess", total=None)
        yield lambda n: progress.advance(task, n)


def regular_file(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """An option's file, refused (``not-a-regular-file``) if it is a FIFO or the like: it is read twice."""
    if value is not None:
        from peelcheck.load.special_files import refuse_special
        refuse_special(value, f"--{param.name} file")
    return value


def output_folder(path: Path) -> Path:
    """A folder to write pages or templates into, made if absent; an existing file there is a usage error."""
    if path.exists() and not path.is_dir():
        from peelcheck.errors import Location, UsageError
        raise UsageError.single("not-a-folder", "a file, not a folder: the pages are written into a folder",
                                Location(str(path)), hint="name a folder (it is made if absent)")
    path.mkdir(parents=True, exist_ok=True)
    return path


def profile_option(func: F) -> F:
    return click.option("--profile", type=click.Path(path_type=Path), default=None, callback=regular_file,
                        help="A force profile: its own thresholds, disabled rules and local standards.")(func)


class JobsType(click.ParamType):  # type: ignore[type-arg]  # generic in newer click; subscripted, 8.1 fails
    """--jobs: a number of processes from 1 to 64, or ``auto`` (None: decided for each file)."""

    name = "N|auto"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int | None:
        if value is None or isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 64:
            return value
        text = str(value).strip().lower()
        if text == "auto":
            return None
        if text.isdigit() and 1 <= int(text) <= 64:
            return int(text)
        self.fail(f"{value!r}: write a number of processes from 1 to 64, or auto", param, ctx)
