"""Progress on stderr for long runs: a bar with percentage and time left when the files' sizes tell
how many records to expect (CSV and JSONL: one record a line), a running count otherwise."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn

SAMPLE_BYTES = 1 << 20  # lines counted in the first MiB of a file give its bytes per record


def estimated_records(paths: list[Path]) -> int | None:
    """About how many records the files hold, from their sizes; None if any is not one record a line."""
    total = 0
    for path in paths:
        if path.suffix.lower() not in (".csv", ".jsonl"):
            return None
        try:
            size = path.stat().st_size
            with path.open("rb") as handle:
                sample = handle.read(SAMPLE_BYTES)
        except OSError:
            return None
        lines = sample.count(b"\n") - (1 if path.suffix.lower() == ".csv" else 0)  # a CSV's header is no record
        if lines <= 0:
            continue
        total += round(size * lines / len(sample)) if len(sample) < size else lines
    return total


@contextmanager
def progress_bar(paths: list[Path], console: Console | None = None,
                 quiet: bool = False) -> Iterator[Callable[[int], None] | None]:
    """A callback told how many records were read, chunk by chunk; nothing in a pipe, in CI or when quiet."""
    stderr = console or Console(stderr=True)
    if quiet or not stderr.is_terminal:
        yield None
        return
    total = estimated_records(paths)
    columns = [TextColumn("assessing"), BarColumn(), TaskProgressColumn(), TextColumn("{task.completed:,} records"),
               TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn()] if total else [
        TextColumn("assessing"), TextColumn("{task.completed:,} records"), TimeElapsedColumn()]
    with Progress(*columns, console=stderr, transient=True) as progress:
        task = progress.add_task("assess", total=total or None)

        def advance(records: int) -> None:
            progress.advance(task, records)
            done, limit = progress.tasks[0].completed, progress.tasks[0].total
            if limit is not None and done > limit:  # the estimate was low: keep the bar honest
                progress.update(task, total=done * 1.05)
        yield advance
