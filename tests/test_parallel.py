"""--jobs: a CSV evaluated by several processes gives the same report, row for row."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from peelcheck.cli.main import cli
from peelcheck.evaluate import parallel
from peelcheck.evaluate.parallel import csv_ranges, read_whole

from .conftest import PACK_DIR, REPO, repeated_case_files


@pytest.fixture
def big_case_file(tmp_path: Path) -> Path:
    """The 2021 worked example's case files twenty times over (2,600 rows: three blocks of 1,000), one bad row."""
    return repeated_case_files(tmp_path / "case_file.csv", 20)


def _report(path: Path, jobs: int, *args: str, exits: tuple[int, ...] = (1,)) -> dict:
    """The JSON report of ``path`` assessed with ``jobs`` processes."""
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), str(path), "--as-of", "2022-04-01",
                                      "--format", "json", "--jobs", str(jobs), *args])
    assert result.exit_code in exits, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("engine", ["durable", "python", "columnar"])
def test_two_processes_give_the_same_report_as_one(big_case_file, engine):
    one, two = (_report(big_case_file, jobs, "--engine", engine, "--skip-invalid") for jobs in (1, 2))
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


def test_each_process_reads_its_own_byte_range_of_a_csv(big_case_file, monkeypatch):
    """--jobs cuts a CSV into byte ranges, one per process, as a cluster does (no process parses the
    whole file); the merged report is the one process's (on every engine: the test above)."""
    planned: list[list[object]] = []

    def noted(*args, **kwargs):
        ranges = csv_ranges(*args, **kwargs)
        planned.append([source.span for source in ranges or []])
        return ranges
    monkeypatch.setattr(parallel, "csv_ranges", noted)
    assert _report(big_case_file, 2, "--engine", "python", "--skip-invalid") == \
        _report(big_case_file, 1, "--engine", "python", "--skip-invalid")
    [[first, second]] = planned
    size = big_case_file.stat().st_size
    assert first.start == 0 and first.end == second.start and second.end is None
    assert size // 3 < second.start < size * 2 // 3  # the data cut in half, at a line's start
    assert big_case_file.read_bytes()[second.start - 1:second.start] == b"\n"


def test_a_cut_inside_a_quoted_cell_is_read_again_in_shards_with_the_same_report(tmp_path, monkeypatch):
    """A record whose quoted cell holds line breaks across the cut: the ranges' reading says so, and the
    file is read again in blocks of rows by each process; nothing is counted twice or lost."""
    path = tmp_path / "q3.out_of_court_disposal.csv"
    rows = [f"D{i},caution,CR{i}" for i in range(3000)]
    rows[1500] = 'D1500,caution,"CR1500' + "\nstill the same cell" * 400 + '"'  # the cut falls in it
    path.write_text("disposal_ref,disposal_type,crime_ref\n" + "\n".join(rows) + "\n")
    wholes: list[bool] = []

    def noted(results):
        wholes.append(read_whole(results))
        return wholes[-1]
    monkeypatch.setattr(parallel, "read_whole", noted)
    one, two = (_report(path, jobs, exits=(0, 1)) for jobs in (1, 2))
    assert wholes == [False]
    assert one["inputs"][0]["records"] == 3000 and two == one
