"""Shared fixtures: the repository's pack, compiled once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from peelcheck.compile.pack_check import CompiledPack, load_compiled_pack
from peelcheck.load import duckdb_csv

# The columnar engine leaves a file under 1 MiB to the python loader (faster there); the tests' files are
# small, and DuckDB must read them all the same, to be held to the python loader's result. Worker
# processes import the module afresh and read small files with the python loader: the same report.
duckdb_csv.SMALLEST = 0

REPO = Path(__file__).resolve().parent.parent
CORE_DIR = REPO / "rules" / "peel-core"  # the national core pack
PACK_DIR = REPO / "rules" / "west-mercia"  # the West Mercia overlay (extends the core): what tests assess with
EXAMPLES = REPO / "examples"


@pytest.fixture(scope="session")
def peel_pack() -> CompiledPack:
    return load_compiled_pack(PACK_DIR)


def repeated_case_files(target: Path, copies: int) -> Path:
    """The 2021 worked example's case files ``copies`` times over (keys made unique), then one bad row:
    a CSV of several blocks of 1,000 rows, for runs split over processes or cluster workers."""
    import csv

    with (EXAMPLES / "west-mercia-2021" / "case_file.csv").open(newline="") as handle:
        header, *rows = list(csv.reader(handle))
    key = header.index("case_ref")
    with target.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        for copy in range(copies):
            for row in rows:
                out.writerow([f"{cell}-{copy}" if i == key else cell for i, cell in enumerate(row)])
        out.writerow(["BAD-1"] + ["maybe"] * (len(header) - 1))
    return target
