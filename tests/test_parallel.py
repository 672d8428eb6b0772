"""--jobs: a CSV evaluated by several processes gives the same report, row for row."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from peelcheck.cli.main import cli

from .conftest import EXAMPLES, PACK_DIR


@pytest.fixture
def big_case_file(tmp_path: Path) -> Path:
    """The 2021 worked example's case files twenty times over (2,600 rows: three blocks of 1,000), one bad row."""
    source = EXAMPLES / "west-mercia-2021" / "case_file.csv"
    with source.open(newline="") as handle:
        header, *rows = list(csv.reader(handle))
    key = header.index("case_ref")
    target = tmp_path / "case_file.csv"
    with target.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        for copy in range(20):
            for row in rows:
                out.writerow([f"{cell}-{copy}" if i == key else cell for i, cell in enumerate(row)])
        out.writerow(["BAD-1"] + ["maybe"] * (len(header) - 1))
    return target


@pytest.mark.parametrize("engine", ["durable", "python"])
def test_two_processes_give_the_same_report_as_one(big_case_file, engine):
    def report(jobs: int) -> dict:
        result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), str(big_case_file), "--as-of",
                                          "2022-04-01", "--format", "json", "--engine", engine, "--skip-invalid",
                                          "--jobs", str(jobs)])
        assert result.exit_code == 1, result.stderr
        return json.loads(result.stdout)
    one, two = report(1), report(2)
    assert one["inputs"][0]["records"] == 2600
    assert {r["location"].rsplit(":", 1)[1] for r in one["rejected_rows"]} == {"2602"}  # one bad row, many fields
    assert sum(len(r["failures"]) for r in one["rules"]) > 1000
    assert one == two
