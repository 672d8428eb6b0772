"""--jobs: a CSV evaluated by several processes gives the same report, row for row."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from peelcheck.cli.main import cli

from .conftest import PACK_DIR, REPO, repeated_case_files


@pytest.fixture
def big_case_file(tmp_path: Path) -> Path:
    """The 2021 worked example's case files twenty times over (2,600 rows: three blocks of 1,000), one bad row."""
    return repeated_case_files(tmp_path / "case_file.csv", 20)


@pytest.mark.parametrize("engine", ["durable", "python", "columnar"])
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


def test_repeated_rows_are_found_in_every_block_with_two_processes(tmp_path):
    """Exact repeats are looked for once, by the first process, over the whole file, whichever
    process evaluates the repeating row (a repeat in another process's block was once missed)."""
    real = REPO.parent / "shared" / "data" / "real" / "2018-08-warwickshire-stop-and-search.csv"
    if not real.exists():
        pytest.skip("shared data not beside the checkout")
    with real.open(newline="", encoding="utf-8-sig") as handle:
        header, *rows = list(csv.reader(handle))
    big = tmp_path / "stop-and-search.csv"
    with big.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        for _ in range(16):  # 2,304 rows: blocks 0 and 2 go to one process, block 1 to the other
            out.writerows(rows)

    def repeats(jobs: int) -> list[str]:
        result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "--mapping", "police_uk_stop_search",
                                          str(big), "--as-of", "2018-09-01", "--format", "json", "--jobs", str(jobs)])
        assert result.exit_code in (0, 1), result.stderr
        return json.loads(result.stdout)["inputs"][0]["repeated_rows"]
    one = repeats(1)
    assert len(one) == 2304 - 138  # 138 distinct rows in the month's file
    assert repeats(2) == one
