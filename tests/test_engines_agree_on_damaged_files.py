"""Every engine and every split of a file gives the python engine's answer on damaged files, end to end.

Each seed makes one to three CSV files of bench/pack's record type and damages them as exports are
damaged: odd spellings of cells (padded, other cases, a day that does not exist, a time with a zone or
an hour 24, a key written as the header), rows repeated, short or long, blank lines, the header again,
Windows line ends, a byte-order mark, cp1252 text, a byte that is not UTF-8. The command line then
assesses them with the python engine in one process (the reference) and with the columnar engine (DuckDB
reads a clean file itself: conftest sets ``duckdb_csv.SMALLEST`` to 0), the python engine on two
processes, the columnar on two, and durable-rules; with ``--skip-invalid`` or without. Exit code and JSON
report must be the reference's but for the engine's name and notes. A differential fuzz of this kind found that a
byte range of a cp1252 file was read as UTF-8 (f659428).

CI runs SEEDS seeds; PEELCHECK_DIFFERENTIAL_SEEDS=2000 searches longer (about a second a seed), from
PEELCHECK_DIFFERENTIAL_FIRST (default 0).
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from peelcheck.cli.main import cli
from peelcheck.compile.pack_check import load_compiled_pack
from peelcheck.exitcodes import ExitCode

from .bench_rows import BENCH_HEADER, BENCH_PACK, bench_rows
from .odd_cells import ODD_BY_TYPE

SEEDS = int(os.environ.get("PEELCHECK_DIFFERENTIAL_SEEDS", "16"))
FIRST_SEED = int(os.environ.get("PEELCHECK_DIFFERENTIAL_FIRST", "0"))  # a longer search can start past CI's
RUNS = [("columnar", 1), ("columnar", 2), ("python", 2), ("durable", 1)]
FIELDS = load_compiled_pack(BENCH_PACK).record_types["bench_case"].fields
FIELD_TYPES = [FIELDS[name].type.value for name in BENCH_HEADER]
ODD_CELLS = {**ODD_BY_TYPE,
             "enum": ["Robbery", " theft", "robbery ", "other"],  # crime_type
             "key": ["CR00001", "case_ref", " CR1", "CR1 ", "cr00002", "x\u200b", "\u00a0x", '"quoted"'],
             "any": ["", " ", '"x,y"', "x" * 200]}


def _odd(rng: random.Random, column: int) -> str:
    """An odd spelling for the column (a row's cells past the header's: its last column's type)."""
    kind = "key" if column == 0 else FIELD_TYPES[min(column, len(FIELD_TYPES) - 1)]
    return rng.choice(ODD_CELLS[kind] if rng.random() < 0.85 else ODD_CELLS["any"])


def _damaged(rng: random.Random, rows: list[list[str]]) -> list[list[str]]:
    rows = [list(row) for row in rows]
    for _ in range(rng.choice([0, 1, 1, 1, 2, 5, 20])):
        i, what = rng.randrange(len(rows)), rng.random()
        if what < 0.7:
            if rows[i]:
                column = rng.randrange(len(rows[i]))
                rows[i][column] = _odd(rng, column)
        elif what < 0.8:
            rows.insert(rng.randrange(len(rows) + 1), list(rows[i]))  # a row twice
        elif what < 0.85:
            rows[i].append("")  # a cell more than the header
        elif what < 0.9:
            rows[i].pop()  # a cell less
        elif what < 0.95:
            rows.insert(rng.randrange(len(rows) + 1), [""])  # a blank line
        else:
            rows.insert(rng.randrange(len(rows) + 1), list(BENCH_HEADER))  # two exports joined
    return rows


def _write(rng: random.Random, path: Path, rows: list[list[str]]) -> None:
    end = "\r\n" if rng.random() < 0.05 else "\n"
    text = end.join(",".join(row) for row in [BENCH_HEADER, *rows]) + (end if rng.random() < 0.9 else "")
    form = rng.random()
    if form < 0.05:
        text = "\ufeff" + text
    data = text.encode("utf-8")
    if form > 0.97:
        data = text.encode("cp1252", "replace")
    elif form > 0.95:
        data = data.replace(b"CR0", b"CR\xff", 1)  # not UTF-8
    path.write_bytes(data)


def _files(seed: int, folder: Path) -> tuple[list[Path], bool]:
    rng = random.Random(seed)
    paths = []
    for k in range(rng.choice([1, 1, 2, 3])):
        path = folder / f"export-{k}.csv"
        _write(rng, path, _damaged(rng, bench_rows(rng.randrange(10_000), rng.choice([5, 60, 400, 3000]))))
        paths.append(path)
    return paths, rng.random() < 0.7


def _assessed(paths: list[Path], engine: str, jobs: int, skip_invalid: bool, out: Path) -> tuple[int, Any]:
    """(exit code, the JSON report but for the engine's name and notes, or the errors where none was written). An
    engine's notes say how it worked (durable-rules: which records its exact range left to the reference
    evaluator), not what it found."""
    args = ["assess", "--pack", str(BENCH_PACK), "--type", "bench_case", "--as-of", "2026-11-22",
            "--engine", engine, "--jobs", str(jobs), "-o", str(out), *(["--skip-invalid"] * skip_invalid),
            *map(str, paths)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code != ExitCode.INTERNAL, result.output
    if not out.exists():  # stopped before a report (exit 2): what it said of the input
        return result.exit_code, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    out.unlink()
    report.pop("engine")
    report.pop("engine_notes")
    return result.exit_code, report


@pytest.mark.parametrize("seed", range(FIRST_SEED, FIRST_SEED + SEEDS))
def test_every_engine_and_split_gives_the_python_engines_report(tmp_path: Path, seed: int) -> None:
    paths, skip_invalid = _files(seed, tmp_path)
    out = tmp_path / "report.json"
    reference = _assessed(paths, "python", 1, skip_invalid, out)
    for engine, jobs in RUNS:
        assert _assessed(paths, engine, jobs, skip_invalid, out) == reference, (engine, jobs)
