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

from peelcheck.compile.check import CompiledRule
from peelcheck.evaluate.runner import Engine, Tally, TypeEvaluation
from peelcheck.load.records import RecordReader, RecordSource, RejectedRow, valid_batches
from peelcheck.schema.records import record_validator


@dataclass
class ShardResult:
    records: int
    tallies: list[Tally]
    rejected: list[RejectedRow]
    repeated_rows: list[tuple[int, int]]
    absent_fields: list[str]


def _evaluate_shard(source: RecordSource, rules: list[CompiledRule], engine: Engine, as_of: dt.date,
                    progress: Callable[[int], None] | None = None) -> ShardResult:
    reader = RecordReader(source, record_validator(source.record_type))
    evaluation = TypeEvaluation(source.record_type, rules, engine, as_of)
    rejected: list[RejectedRow] = []
    try:
        evaluation.feed(valid_batches(reader.batches(), rejected), progress)
    finally:
        evaluation.close()
    return ShardResult(evaluation.records, evaluation.tallies, rejected, reader.repeated_rows, reader.absent_fields)


def _line(location: str) -> int:
    return int(location.rsplit(":", 1)[1])


def evaluate_csv_in_parallel(source: RecordSource, rules: list[CompiledRule], engine: Engine, as_of: dt.date,
                             jobs: int, progress: Callable[[int], None] | None = None) -> ShardResult:
    """The same result as evaluating ``source`` in one process, computed by ``jobs`` processes.

    ``progress`` hears this process's share of the rows, scaled by ``jobs`` (the shards run at one pace)."""
    shards = [replace(source, shard=(k, jobs)) for k in range(jobs)]
    others = len(shards) - 1  # this process takes the first shard itself rather than wait idle
    with ProcessPoolExecutor(max_workers=others) as pool:
        pending = pool.map(_evaluate_shard, shards[1:], [rules] * others, [engine] * others, [as_of] * others)
        scaled = (lambda n: progress(n * jobs)) if progress is not None else None
        results = [_evaluate_shard(shards[0], rules, engine, as_of, scaled), *pending]
    merged = results[0]
    for other in results[1:]:
        merged.records += other.records
        merged.rejected.extend(other.rejected)
        for mine, theirs in zip(merged.tallies, other.tallies):
            mine.merge(theirs)
    for tally in merged.tallies:
        tally.failures.sort(key=lambda f: _line(f.location))
    merged.rejected.sort(key=lambda r: r.location.line or 0)
    return merged


__all__ = ["ShardResult", "evaluate_csv_in_parallel"]
