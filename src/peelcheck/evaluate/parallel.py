"""Evaluating one CSV or Parquet file in several processes (``--jobs``): durable-rules and the python
engine never let go of the GIL, so threads give nothing; processes do.

A CSV is cut into byte ranges (load/csv_spans.py), each process reading and evaluating its own
bytes and no others, as a cluster's workers do; a CSV that cannot be cut so (see ``csv_ranges``)
and a Parquet file are read in shards: each process reads the whole file but validates and
evaluates only its own blocks of rows (a Parquet file's row groups). Either way the results are
merged in file order, so the report is the same as with one process, row for row.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any, TypeGuard, TypeVar

from peelcheck.compile.check import CompiledRule
from peelcheck.errors import RecordError, one_line
from peelcheck.evaluate.breakdown import Waived
from peelcheck.evaluate.columnar_csv import evaluate_csv_file
from peelcheck.evaluate.failure_spill import one_per_run, run_spill
from peelcheck.evaluate.failures import Failures
from peelcheck.evaluate.runner import Engine, Tally, TypeEvaluation
from peelcheck.load import duckdb_csv
from peelcheck.load.batch import valid_batches
from peelcheck.load.csv_reader import span_cuts
from peelcheck.load.csv_spans import spans, surveyed
from peelcheck.load.parquet_types import parquet_file
from peelcheck.load.records import RecordReader, RecordSource, file_format
from peelcheck.load.rows import FileQuality, RejectedRow
from peelcheck.schema.records import record_validator


@dataclass
class ShardResult:
    records: int
    tallies: list[Tally]
    rejected: list[RejectedRow]
    quality: FileQuality  # the first shard's notes blank lines and repeats; every shard's, mixed offsets


Part = TypeVar("Part")  # what evaluating one part gives
SPLIT_FORMATS = ("csv", "parquet")  # formats read in shards: a CSV by blocks of rows, Parquet by row groups


class NoProcesses(Exception):
    """This system cannot start worker processes (no POSIX semaphores: some containers and serverless hosts)."""


# --jobs auto: a process costs about half a second to start and import, and holds some 100 MB; a file
# is split only where each process gets enough rows to repay that many times over.
AUTO_BYTES_PER_JOB = 32 << 20  # of CSV: some 200,000 rows of the benchmark's case files
AUTO_ROWS_PER_JOB = 200_000  # of Parquet
AUTO_MOST_JOBS = 8


def cores() -> int:
    """The cores this process may use: its CPU affinity, and a container's CPU quota (cgroup v2)."""
    count = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
    except (OSError, ValueError):
        return count
    return count if quota == "max" else max(1, min(count, int(quota) // int(period)))


def auto_jobs(source: RecordSource, engine: Engine, usable: int | None = None, counts_in_sql: bool = True) -> int:
    """How many processes ``--jobs auto`` gives a file: for a CSV or Parquet file large enough, one per
    core under the python engine and one per two cores under durable (whose durable-rules runs in a
    child of each), at most AUTO_MOST_JOBS; otherwise one. Under ``columnar``, a file DuckDB reads itself
    gets one (its threads already use every core; splitting the file only slows it), and one the python
    loader reads (mapped, quoted, Parquet; or any, where the rules do not all count in SQL,
    ``TypeEvaluation.counts_in_sql``) is split as for the python engine: the loader runs on one core."""
    fmt = file_format(source.path)
    if fmt not in SPLIT_FORMATS or engine is Engine.COLUMNAR and counts_in_sql and duckdb_csv.likely_taken(source):
        return 1
    try:
        if fmt == "csv":
            parts = source.path.stat().st_size // AUTO_BYTES_PER_JOB
        else:
            with ExitStack() as stack:
                parts = parquet_file(source.path, stack).metadata.num_rows // AUTO_ROWS_PER_JOB
    except (OSError, ValueError):  # unreadable: one process reads it, and says what is wrong
        return 1
    per_job = 2 if engine is Engine.DURABLE else 1
    jobs = min((usable or cores()) // per_job, AUTO_MOST_JOBS, parts)
    return jobs if jobs > 1 else 1


def evaluate_shard(source: RecordSource, rules: list[CompiledRule], engine: Engine, as_of: dt.date,
                   by: tuple[str, ...] = (), progress: Callable[[int], None] | None = None,
                   waived: Waived | None = None, held: int | None = None) -> ShardResult:
    """A part of a file's result; ``held``: the failures this process may keep in memory (a worker's share of
    the run's), past which it stores them itself (they travel as their stored bytes)."""
    with one_per_run(held=held) if held is not None else nullcontext():
        return _evaluated(source, rules, engine, as_of, by, progress, waived)


def _evaluated(source: RecordSource, rules: list[CompiledRule], engine: Engine, as_of: dt.date,
               by: tuple[str, ...], progress: Callable[[int], None] | None, waived: Waived | None) -> ShardResult:
    whole = evaluate_csv_file(source, rules, as_of, by, progress) if engine is Engine.COLUMNAR else None
    if whole is not None:  # DuckDB read the file (load/duckdb_csv.py)
        return ShardResult(whole.records, whole.tallies, [], whole.quality)
    reader = RecordReader(source, record_validator(source.record_type, source.zone))
    evaluation = TypeEvaluation(source.record_type, rules, engine, as_of, by, waived)
    rejected: list[RejectedRow] = []
    try:
        evaluation.feed(valid_batches(reader.batches(), rejected), progress)
    finally:
        evaluation.close()
    return ShardResult(evaluation.records, evaluation.tallies, rejected, reader.quality)


def _position(location: str) -> int:
    """A record's place in its file: the line of ``file.csv:12``, the row of ``file.parquet[row 12]``."""
    digits = location.rstrip("]")
    return int(digits[len(digits.rstrip("0123456789")):] or 0)


def evaluate_range(source: RecordSource, rules: list[CompiledRule], engine: Engine, as_of: dt.date,
                   by: tuple[str, ...] = (), progress: Callable[[int], None] | None = None,
                   waived: Waived | None = None, held: int | None = None) -> ShardResult | None:
    """A CSV byte range's result; None where reading it failed, as it may where the range began inside a
    quoted cell: the file is then read again in shards, whose readers say what is wrong with it."""
    try:
        return evaluate_shard(source, rules, engine, as_of, by, progress, waived, held)
    except RecordError:
        return None


def csv_ranges(source: RecordSource, parts: int,
               mapped: Callable[..., Iterable[Any]]) -> list[RecordSource] | None:
    """A CSV file's byte ranges, at most ``parts`` (each one's lines counted by ``mapped``, a map over
    worker processes), or None: its encoding or line ends are not ones a count of bytes can follow."""
    planned = span_cuts(source.path, source.mapping, parts) if file_format(source.path) == "csv" else None
    if planned is None:
        return None
    cuts, header_lines = planned
    found = spans(list(mapped(surveyed, [source.path] * (len(cuts) - 1), cuts[:-1], cuts[1:])), header_lines)
    return None if found is None else [replace(source, span=span) for span in found]


def read_whole(results: list[ShardResult | None]) -> TypeGuard[list[ShardResult]]:
    """Whether every range was read to its end and no further: none began or ended inside a record."""
    return all(result is not None and not result.quality.cut_in_record for result in results)


def evaluate_in_parallel(source: RecordSource, rules: list[CompiledRule], engine: Engine, as_of: dt.date,
                         jobs: int, by: tuple[str, ...] = (), progress: Callable[[int], None] | None = None,
                         waived: Waived | None = None) -> ShardResult:
    """The same result as evaluating ``source`` (a CSV or a Parquet file) in one process, computed by ``jobs``
    processes, each reading its own share of the rows (a CSV's byte range, else its blocks; a Parquet
    file's row groups).

    ``progress`` hears this process's share of the rows, scaled by the parts (they run at one pace);
    where the file is read again in shards, what it heard of the ranges is taken back first."""
    heard = 0

    def told(records: int) -> None:
        nonlocal heard
        heard += records
        if progress is not None:
            progress(records)

    try:
        executor = ProcessPoolExecutor(max_workers=jobs - 1)
    except (OSError, ImportError, NotImplementedError) as exc:  # "lacks a functioning sem_open implementation"
        raise NoProcesses(one_line(exc)) from exc
    # Each process keeps its share of the failures the run may still hold (``Spill.share``); the merge
    # counts every part's kept failures afresh, this process's own included, and they all fit.
    spill = run_spill()
    start, limit, share = spill.held, spill.held_at_most, spill.share(jobs)
    with executor as pool:
        def here_first(theirs: Callable[..., Part], *columns: list[Any],
                       mine: Callable[..., Part] | None = None) -> list[Part]:
            """``theirs`` over the columns' items in order: the first here (``mine`` if given), rather than
            wait idle, the others by the workers."""
            pending = pool.map(theirs, *(column[1:] for column in columns))
            return [(mine or theirs)(*(column[0] for column in columns)), *pending]

        def run(evaluate: Callable[..., Part], parts: list[RecordSource]) -> list[Part]:
            spill.held_at_most = start + share
            try:
                return here_first(partial(evaluate, by=by, waived=waived, held=share), parts,
                                  *([value] * len(parts) for value in (rules, engine, as_of)),
                                  mine=partial(evaluate, by=by, progress=lambda n: told(n * len(parts)),
                                               waived=waived))
            finally:
                spill.held_at_most, spill.held = limit, start

        ranges = csv_ranges(source, jobs, here_first)
        if ranges is not None and read_whole(read := run(evaluate_range, ranges)):
            return merge_shards(read, ranges=True)
        told(-heard)
        return merge_shards(run(evaluate_shard, [replace(source, shard=(k, jobs)) for k in range(jobs)]))


def merge_shards(results: list[ShardResult], ranges: bool = False) -> ShardResult:
    """One file's shard results as one, in file order whatever order they came in (the first shard,
    which alone looks for repeated rows, first). Counts add up; failures and rejected rows are
    ordered by line, so how a file was split cannot change the report. A file's byte ranges
    (``ranges``, given in order) hold lines that follow one another: their failures are joined."""
    shards = [[tally.failures for tally in result.tallies] for result in results]  # each shard's, in file order
    merged = results[0]
    for other in results[1:]:
        merged.records += other.records
        merged.rejected.extend(other.rejected)
        for mine, theirs in zip(merged.tallies, other.tallies):
            theirs.failures = Failures()  # merged below, in file order
            mine.merge(theirs)
    merged.quality = FileQuality.merged([result.quality for result in results])
    spill = run_spill()  # the merged failures past what the run should hold in memory wait on disk
    for k, tally in enumerate(merged.tallies):
        parts = [failures[k] for failures in shards]
        tally.failures = Failures.joined(parts, spill) if ranges else Failures.merged(parts, _position, spill)
    merged.rejected.sort(key=lambda r: r.location.line if r.location.line is not None else _position(r.location.path))
    return merged


__all__ = ["SPLIT_FORMATS", "ShardResult", "csv_ranges", "evaluate_in_parallel", "evaluate_range", "evaluate_shard",
           "merge_shards", "read_whole"]
