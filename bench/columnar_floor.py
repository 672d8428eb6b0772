#!/usr/bin/env python3
"""How near the columnar engine can come to peer-bench's hand-written DuckDB SQL: its floor, part by part.

    .venv/bin/python bench/columnar_floor.py CASES.csv [--reps 3]

CASES.csv is peer-bench's generated file (bench/run.sh makes it, e.g. $PEERBENCH_DATA/cases-1000000.csv).
Prints figures; asserts nothing about time. In this one process, each the best of --reps runs (wall s,
and the CPU s of all threads in that run), every one reading the file from the page cache:

  peer, in process     rules_duckdb.evaluate: its query reading the CSV with DuckDB's own types into a
                       table of ten statuses, then its counts and failing refs (imports not counted)
  peelcheck query      the one query the columnar engine runs for bench/pack
                       (``columnar_csv_query.file_query``), streamed to Arrow and dropped: no counting,
                       no explaining, no report
  ... no cell checks   the same query with every cell's canonical-shape test taken out: what being
                       sure that DuckDB reads each cell as the python loader would costs (not a safe query)

and, each in a fresh interpreter, the imports: duckdb alone (the peer's) and what the columnar engine
imports (peelcheck, pydantic, duckdb, pyarrow). The floor is imports + query: what the columnar engine
would take if counting and explaining 300,000 failures cost nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from peelcheck.compile.pack_check import load_compiled_pack
from peelcheck.evaluate import columnar_csv_query
from peelcheck.evaluate.columnar import database
from peelcheck.load import duckdb_cells
from peelcheck.load.records import RecordSource

HERE = Path(__file__).resolve().parent
PEERBENCH_DIR = os.environ.get("PEERBENCH_DIR", str(HERE.parent.parent / "shared" / "peer-bench"))
AS_OF = dt.date(2026, 11, 22)  # as bench/peelcheck_peer.py
ENGINE_IMPORTS = "import duckdb, pyarrow, pyarrow.compute, peelcheck.pipeline, peelcheck.compile.pack_check"


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _best(run: Callable[[], object], reps: int) -> tuple[float, float]:
    """(wall, CPU) of the fastest of ``reps`` runs, after one run to warm the page cache."""
    run()
    best = (float("inf"), 0.0)
    for _ in range(reps):
        wall, cpu = time.perf_counter(), _cpu()
        run()
        best = min(best, (time.perf_counter() - wall, _cpu() - cpu))
    return best


def _import_time(statement: str, reps: int) -> float:
    """Wall time of a fresh interpreter running ``statement``, less that of one running nothing."""
    def once(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - start
    return min(once(statement) for _ in range(reps)) - min(once("pass") for _ in range(reps))


def _streamed(sql: str, params: list[str]) -> Callable[[], None]:
    def run() -> None:
        connection = database().cursor()
        for _ in connection.sql(sql, params=params).to_arrow_reader(columnar_csv_query.ROWS_PER_BATCH):
            pass
        connection.close()
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("csv", type=Path)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, PEERBENCH_DIR)
    import rules_duckdb  # peer-bench's own script (its ``common`` beside it)
    from common import Phases

    pack = load_compiled_pack(HERE / "pack")
    source = RecordSource(args.csv, pack.record_types["bench_case"])
    rules = [r for r in pack.rules if r.record_type.name == "bench_case"]
    query = columnar_csv_query.file_query(source, rules, AS_OF)
    if query is None:
        sys.exit(f"{args.csv}: the columnar engine would not read this file with DuckDB")
    shape = duckdb_cells._shape
    duckdb_cells._shape = lambda c, spec: "TRUE"  # every cell taken as canonical: timing only
    try:
        unchecked = columnar_csv_query.file_query(source, rules, AS_OF)
    finally:
        duckdb_cells._shape = shape
    assert unchecked is not None and unchecked[0] != query[0]

    rows = [("peer, in process", _best(lambda: rules_duckdb.evaluate(str(args.csv), Phases(0.0)), args.reps)),
            ("peelcheck query", _best(_streamed(*query), args.reps)),
            ("... no cell checks", _best(_streamed(*unchecked), args.reps))]
    peer_imports = _import_time("import duckdb", args.reps)
    our_imports = _import_time(ENGINE_IMPORTS, args.reps)
    print(f"{args.csv} (best of {args.reps})")
    print(f"{'':22}{'wall s':>8}{'CPU s':>8}")
    for name, (wall, cpu) in rows:
        print(f"{name:22}{wall:8.2f}{cpu:8.2f}")
    print(f"{'imports: duckdb':22}{peer_imports:8.2f}")
    print(f"{'imports: columnar':22}{our_imports:8.2f}")
    peer = peer_imports + rows[0][1][0]
    floor = our_imports + rows[1][1][0]
    print(f"peer (imports + work) {peer:.2f} s; columnar floor (imports + query) {floor:.2f} s: "
          f"at best {peer / floor:.2f}x the peer before a failure is counted or explained "
          f"({peer / (our_imports + rows[2][1][0]):.2f}x without the cell checks)")


if __name__ == "__main__":
    main()
