"""What breaking results down (``assess --by``) costs: the CPU time of evaluating the pack's case-file
rules over the 2021 worked example's case files, repeated to N records, with and without
breakdowns, per engine. Prints figures; asserts nothing about time.

    .venv/bin/python bench/breakdown_cost.py [--records 200000] [--reps 3]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import tempfile
import time
from pathlib import Path

from peelcheck.compile.pack_check import load_compiled_pack
from peelcheck.evaluate import durable_engine
from peelcheck.evaluate.runner import Engine, TypeEvaluation
from peelcheck.load.records import RecordReader, RecordSource, valid_batches
from peelcheck.schema.records import record_validator
from peelcheck.schema.rule import Mode

REPO = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2022, 4, 1)


def _write_records(target: Path, size: int) -> None:
    with (REPO / "examples" / "west-mercia-2021" / "case_file.csv").open(newline="") as handle:
        header, *rows = list(csv.reader(handle))
    key = header.index("case_ref")
    with target.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        for n in range(size):
            row = list(rows[n % len(rows)])
            row[key] = f"{row[key]}-{n}"
            out.writerow(row)


def _cpu_seconds(path: Path, engine: Engine, by: tuple[str, ...]) -> float:
    pack = load_compiled_pack(REPO / "rules")
    spec = pack.record_types["case_file"]
    rules = [r for r in pack.rules if r.record_type.name == "case_file" and r.rule.spec.mode is Mode.AUTOMATED]
    batches = list(valid_batches(RecordReader(RecordSource(path, spec), record_validator(spec)).batches(), []))
    evaluation = TypeEvaluation(spec, rules, engine, AS_OF, by)
    start = time.process_time()
    try:
        evaluation.feed(batches)
    finally:
        evaluation.close()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    engines = [Engine.PYTHON] + ([Engine.DURABLE] if durable_engine.available() else [])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "case_file.csv"
        _write_records(path, args.records)
        for engine in engines:
            for by in ((), ("crime_type",), ("crime_type", "attended")):
                best = min(_cpu_seconds(path, engine, by) for _ in range(args.reps))
                label = ",".join(by) or "(the rules' own breakdowns only)"
                print(f"{engine.value:8} --by {label:40} {best:6.2f} s CPU evaluating {args.records:,} records "
                      f"({args.records / best:,.0f} records/s)")


if __name__ == "__main__":
    main()
