"""Evaluating one CSV file in several processes (``--jobs``): durable-rules never releases the GIL,
so threads give nothing; processes do.

Each process reads the whole file (reading is cheap next to validating and evaluating) but
validates and evaluates only its own blocks of rows, in a session of its own. The results are
merged in file order, so the report is the same as with one process, row for row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import partial

from peelcheck.compile.check import CompiledRule
from peelcheck.evaluate.breakdown import Waived
from peelcheck.evaluate.columnar_csv import evaluate_csv_file
from peelcheck.evaluate.failure_spill import run_spill
from peelcheck.evaluate.failures import Failures
from peelcheck.evaluate.runner import Engine, Tally, TypeEvaluation
from peelcheck.load.batch import valid_batches
from peelcheck.load.records import RecordReader, RecordSource
from peelcheck.load.rows import FileQuality, RejectedRow
from peelcheck.schema.records import record_validator


@dataclass
class ShardResult:
    records: int
    tallies: list[Tally]
    rejected: list[RejectedRow]
    quality: FileQuality  # the first shard's notes blank lines and repeats; every shard's, mixed offsets


SPLIT_FORMATS = ("csv", "parquet")  # formats read in shards: a CSV by blocks of rows, Parquet by row groups


def evaluate_shard(source: RecordSource, rules: list[CompiledRule], engine: Engine, as_of: dt.date,
                   by: tuple[str, ...] = (), progress: Callable[[int], None] | None = None,
                   waived: Waived | None = None) -> ShardResult:
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


def evaluate_in_parallel(source: RecordSource, rules: list[CompiledRule], engine: Engine, as_of: dt.date,
                             jobs: int, by: tuple[str, ...] = (), progress: Callable[[int], None] | None = None,
                             waived: Waived | None = None) -> ShardResult:
    """The same result as evaluating ``source`` (a CSV or a Parquet file) in one process, computed by ``jobs``
    processes, each reading its own share of the rows (a CSV's blocks, a Parquet file's row groups).

    ``progress`` hears this process's share of the rows, scaled by ``jobs`` (the shards run at one pace)."""
    shards = [replace(source, shard=(k, jobs)) for k in range(jobs)]
    others = len(shards) - 1  # this process takes the first shard itself rather than wait idle
    shard = partial(evaluate_shard, by=by, waived=waived)
    with ProcessPoolExecutor(max_workers=others) as pool:
        pending = pool.map(shard, shards[1:], [rules] * others, [engine] * others, [as_of] * others)
        scaled = (lambda n: progress(n * jobs)) if progress is not None else None
        results = [shard(shards[0], rules, engine, as_of, progress=scaled), *pending]
    return merge_shards(results)


def merge_shards(results: list[ShardResult]) -> ShardResult:
    """One file's shard results as one, in file order whatever order they came in (the first shard,
    which alone looks for repeated rows, first). Counts add up; failures and rejected rows are
    ordered by line, so how a file was split cannot change the report."""
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
        tally.failures = Failures.merged([failures[k] for failures in shards], _position, spill)
    merged.rejected.sort(key=lambda r: r.location.line if r.location.line is not None else _position(r.location.path))
    return merged


__all__ = ["SPLIT_FORMATS", "ShardResult", "evaluate_in_parallel", "evaluate_shard", "merge_shards"]
