"""Many small record files and the columnar engine: the python loader reads each (DuckDB would plan a query a
file, ~30 ms whatever its size), and their records are joined across files for one DuckDB query per
GATHERED_ROWS, kept back until the next file or the run's end. The report is the python engine's, failures
in file order, with a file DuckDB reads itself among them too."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from peelcheck.compile.pack_check import CompiledPack, load_compiled_pack
from peelcheck.evaluate import columnar
from peelcheck.load import duckdb_csv
from peelcheck.load.batch import Batch
from peelcheck.pipeline import AssessOptions, Engine, assess

from .bench_rows import BENCH_HEADER, BENCH_PACK, bench_rows
from .conftest import EXAMPLES


def _parts(folder: Path, sizes: list[int]) -> list[Path]:
    """The 2021 worked example's 130 case files cut into files of ``sizes`` rows, and one of the rest."""
    with (EXAMPLES / "west-mercia-2021" / "case_file.csv").open(newline="") as handle:
        header, *rows = list(csv.reader(handle))
    paths, start = [], 0
    for k, size in enumerate([*sizes, len(rows)]):
        path = folder / f"part-{k}.csv"
        with path.open("w", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows([header, *rows[start:start + size]])
        paths.append(path)
        start += size
    return paths


def _report(pack: CompiledPack, paths: list[Path], engine: Engine) -> dict[str, Any]:
    options = AssessOptions(as_of=dt.date(2022, 4, 1), engine=engine, record_type="case_file")
    report = assess(pack, paths, options).model_dump(mode="json")
    report.pop("engine")
    return report


def _bench_parts(folder: Path, sizes: list[int]) -> list[Path]:
    paths, first = [], 0
    for k, size in enumerate(sizes):
        path = folder / f"bench-{k}.csv"
        path.write_text("\n".join(",".join(row) for row in [BENCH_HEADER, *bench_rows(first, size)]) + "\n")
        paths.append(path)
        first += size
    return paths


def _queries(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The records of each DuckDB query the columnar engine runs on the python loader's batches (the real
    engine, its calls counted); GATHERED_ROWS made 50."""
    monkeypatch.setattr(columnar, "GATHERED_ROWS", 50)
    asked: list[int] = []
    real = columnar.ColumnarEvaluator.__call__

    def counted(self: columnar.ColumnarEvaluator, batch: Batch) -> Any:
        asked.append(len(batch))
        return real(self, batch)

    monkeypatch.setattr(columnar.ColumnarEvaluator, "__call__", counted)
    return asked


def test_small_files_are_joined_for_few_queries_to_the_python_engines_report(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, peel_pack: CompiledPack) -> None:
    """Seven files (six of 20 records, one of 10): three queries, of 60, 60 and 10, where one a file made seven."""
    sizes = [20, 20, 20, 20, 20, 20]
    paths = _parts(tmp_path, sizes)
    monkeypatch.setattr(duckdb_csv, "SMALLEST", 1 << 30)
    asked = _queries(monkeypatch)
    got = _report(peel_pack, paths, Engine.COLUMNAR)
    assert asked == [60, 60, 10]
    assert got == _report(peel_pack, paths, Engine.PYTHON)
    assert [f["records"] for f in got["inputs"]] == [*sizes, 10]


def test_records_kept_back_are_evaluated_before_a_file_duckdb_reads(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Two small files, a large one DuckDB reads itself, two small ones: the first two's 40 records are
    evaluated (one query) before the large file's results are added, so every failure is in file order."""
    pack = load_compiled_pack(BENCH_PACK)
    paths = _bench_parts(tmp_path, [20, 20, 400, 20, 10])
    monkeypatch.setattr(duckdb_csv, "SMALLEST", paths[2].stat().st_size)  # only the large file is read so
    asked = _queries(monkeypatch)
    options = AssessOptions(as_of=dt.date(2026, 11, 22), engine=Engine.COLUMNAR, record_type="bench_case")
    got = assess(pack, paths, options).model_dump(mode="json")
    assert asked == [40, 30]
    assert any(rule["failures"] for rule in got["rules"])
    python = assess(pack, paths, replace(options, engine=Engine.PYTHON)).model_dump(mode="json")
    assert {**got, "engine": None} == {**python, "engine": None}
