"""Assessments spread over a Dask distributed cluster (``assess --cluster ADDRESS`` or ``local:N``).

A record file is cut into partitions: a CSV into byte ranges (load/csv_spans.py: each worker
reads the header and its own range), a Parquet file into its row groups (or blocks of rows, where
it has fewer row groups than partitions), any other file whole. A CSV that cannot be cut so (a
cut inside a quoted cell holding line breaks, an encoding or line end a byte count cannot follow)
is cut into interleaved blocks of rows instead, the shards ``--jobs`` uses, each read from the
whole file. Each partition is one task: a worker reads the file at the same path (a shared
filesystem: see docs/engines.md), evaluates its rows with the chosen engine and sends back counts
and failures. The partial results merge as ``--jobs``' do (``merge_shards``): counts add, failures
and rejected rows are put in file order, so the report is byte for byte the one a single process
writes. A worker lost mid-run has its
task run again elsewhere by the scheduler; only a finished task's one result is ever taken, so
nothing is counted twice or lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from peelcheck.compile.check import CompiledRule
from peelcheck.errors import Location, UsageError
from peelcheck.evaluate.breakdown import Waived
from peelcheck.evaluate.failure_spill import Spill, run_spill
from peelcheck.evaluate.parallel import (
    SPLIT_FORMATS,
    ShardResult,
    csv_ranges,
    evaluate_range,
    evaluate_shard,
    merge_shards,
    read_whole,
)
from peelcheck.evaluate.runner import Engine
from peelcheck.load.records import RecordSource, file_format

LOCAL = "local:"


@dataclass
class Cluster:
    """A connected Dask client and how many partitions a CSV is cut into."""

    client: Any
    partitions: int

    def evaluate(self, source: RecordSource, rules: list[CompiledRule], engine: Engine,
                 as_of: dt.date, by: tuple[str, ...] = (), waived: Waived | None = None) -> ShardResult:
        """One file's result, computed by the cluster's workers."""
        fmt = file_format(source.path)
        ranges = csv_ranges(source, self.partitions, self._mapped) if self.partitions > 1 else None
        if ranges is not None:
            # pure=False: a task is never taken from another run's cache, and each runs exactly once per success
            # each range keeps its share of what this process may hold, so the merge stores none again
            read = self._gathered(self.client.map(evaluate_range, ranges, rules=rules, engine=engine, as_of=as_of,
                                                  by=by, waived=waived, held=run_spill().share(len(ranges)),
                                                  pure=False))
            if read_whole(read):
                return merge_shards(read, ranges=True)
        count = self.partitions if fmt in SPLIT_FORMATS else 1  # a CSV not cut in byte ranges: in shards
        shards = [replace(source, shard=(k, count)) for k in range(count)] if count > 1 else [source]
        futures = self.client.map(evaluate_shard, shards, rules=rules, engine=engine, as_of=as_of, by=by,
                                  waived=waived, pure=False)
        return merge_shards(self._gathered(futures)) if len(futures) > 1 else self.client.gather(futures[0])

    def _mapped(self, function: Callable[..., Any], *arguments: list[Any]) -> list[Any]:
        """``function`` over ``arguments`` on the workers (a map, as a process pool's), the results in order."""
        return list(self.client.gather(self.client.map(function, *arguments, pure=False)))

    def _gathered(self, futures: list[Any]) -> list[Any]:
        """The partitions' results in partition order, each one's failures put on this process's disk as
        it arrives (as the bytes its worker sent), so the client never holds every failure at once."""
        from dask.distributed import as_completed

        # a budget of its own for failures in transit: they are let go once merged, and what the merge
        # keeps counts against the run's (counted in both, the merge would put nearly all on disk)
        spill, place = Spill(), {future.key: k for k, future in enumerate(futures)}
        results: dict[int, ShardResult] = {}
        for future, result in as_completed(futures, with_results=True):  # type: ignore[no-untyped-call]
            for tally in result.tallies if result is not None else []:
                tally.failures.park(spill)
            results[place[future.key]] = result
            future.release()
        if len(results) != len(futures):  # as_completed gives each once, or raises: never a partition short
            raise RuntimeError(f"{len(futures) - len(results)} of {len(futures)} partitions gave no result")
        return [results[k] for k in range(len(futures))]


def _threads(client: Any) -> int:
    return max(1, sum(int(w["nthreads"]) for w in client.scheduler_info()["workers"].values()))


@contextmanager
def connect(address: str) -> Iterator[Cluster]:
    """A client of the cluster at ``address``, or of a local cluster of N worker processes (``local:N``)."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:  # dask comes with the `cluster` extra, not with every install
        raise UsageError.single("no-dask", "--cluster needs dask.distributed", Location("--cluster"),
                                hint="pip install 'dask[distributed]'") from exc
    if address.startswith(LOCAL):
        local = LocalCluster(n_workers=_local_workers(address), threads_per_worker=1,  # type: ignore[no-untyped-call]
                             processes=True, dashboard_address=":0", host="127.0.0.1")
        with local, Client(local) as client:  # type: ignore[no-untyped-call]
            yield Cluster(client, _threads(client))
        return
    try:
        client = Client(address, timeout="20s")  # type: ignore[no-untyped-call]
    except OSError as exc:
        raise UsageError.single("no-cluster", f"cannot reach the Dask scheduler at {address}: {exc}",
                                Location("--cluster")) from exc
    with client:
        yield Cluster(client, _threads(client))


def _local_workers(address: str) -> int:
    count = address[len(LOCAL):]
    if not count.isdigit() or not 1 <= int(count) <= 64:
        raise UsageError.single("bad-cluster", f"{address!r}: write local:N with N from 1 to 64 worker processes",
                                Location("--cluster"))
    return int(count)


__all__ = ["Cluster", "connect"]
