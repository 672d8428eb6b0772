"""--jobs: a CSV evaluated by several processes gives the same report, row for row."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from peelcheck import pipeline
from peelcheck.cli.main import cli
from peelcheck.compile.pack_check import load_compiled_pack
from peelcheck.evaluate import parallel
from peelcheck.evaluate.parallel import auto_jobs, cores, csv_ranges, evaluate_in_parallel, read_whole
from peelcheck.evaluate.runner import Engine
from peelcheck.load.records import RecordSource

from .conftest import PACK_DIR, REPO, repeated_case_files
from .test_parquet import csv_as_parquet


@pytest.fixture
def big_case_file(tmp_path: Path) -> Path:
    """The 2021 worked example's case files twenty times over (2,600 rows: three blocks of 1,000), one bad row."""
    return repeated_case_files(tmp_path / "case_file.csv", 20)


def _report(path: Path, jobs: int | str, *args: str, exits: tuple[int, ...] = (1,)) -> dict:
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

    heard: list[int] = []  # the progress bar: the ranges' rows are taken back before the shards count theirs
    pack = load_compiled_pack(PACK_DIR)
    spec = pack.record_types["out_of_court_disposal"]
    rules = [rule for rule in pack.rules if rule.record_type.name == spec.name]
    evaluate_in_parallel(RecordSource(path, spec), rules, Engine.PYTHON, dt.date(2022, 4, 1), 2, progress=heard.append)
    assert wholes == [False, False]
    assert sum(heard) == 2 * 2000  # the shards' count alone: the first shard's blocks 0 and 2, scaled by two
    assert min(heard) < 0


def test_auto_splits_a_large_csv_or_parquet_file_over_the_cores_for_the_row_by_row_engines(tmp_path, monkeypatch):
    spec = load_compiled_pack(PACK_DIR).record_types["case_file"]

    def source(path: Path) -> RecordSource:
        return RecordSource(path, spec)
    csv_file = repeated_case_files(tmp_path / "case_file.csv", 20)
    size = csv_file.stat().st_size
    monkeypatch.setattr(parallel, "AUTO_BYTES_PER_JOB", size // 3)  # three parts' worth of bytes
    assert auto_jobs(source(csv_file), Engine.PYTHON, usable=8) == 3
    assert auto_jobs(source(csv_file), Engine.PYTHON, usable=2) == 2  # no more than the cores
    assert auto_jobs(source(csv_file), Engine.DURABLE, usable=8) == 3
    assert auto_jobs(source(csv_file), Engine.DURABLE, usable=5) == 2  # durable-rules takes a core of each
    assert auto_jobs(source(csv_file), Engine.DURABLE, usable=3) == 1
    # the columnar engine: the python loader reads this file (its lines end "\r\n"), on one core: split it
    assert auto_jobs(source(csv_file), Engine.COLUMNAR, usable=8) == 3
    clean = tmp_path / "clean" / "case_file.csv"  # lines ending "\n": DuckDB reads it, on every core itself
    clean.parent.mkdir()
    clean.write_bytes(csv_file.read_bytes().replace(b"\r\n", b"\n"))
    monkeypatch.setattr(parallel, "AUTO_BYTES_PER_JOB", clean.stat().st_size // 3)
    # ... but not where the rules do not all count in SQL: the python loader reads it then
    assert auto_jobs(source(clean), Engine.COLUMNAR, usable=8, counts_in_sql=False) == 3
    assert auto_jobs(source(clean), Engine.COLUMNAR, usable=8) == 1
    monkeypatch.setattr(parallel, "AUTO_BYTES_PER_JOB", size)  # one part's worth: not worth a second process
    assert auto_jobs(source(csv_file), Engine.PYTHON, usable=8) == 1
    monkeypatch.setattr(parallel, "AUTO_BYTES_PER_JOB", 1)
    assert auto_jobs(source(csv_file), Engine.PYTHON, usable=64) == parallel.AUTO_MOST_JOBS

    short = tmp_path / "short.csv"  # the header and 2,000 good rows
    short.write_text("".join(csv_file.read_text().splitlines(keepends=True)[:2001]))
    parquet = csv_as_parquet(short, tmp_path / "case_file.parquet", "case_file")
    monkeypatch.setattr(parallel, "AUTO_ROWS_PER_JOB", 1000)  # 2,000 rows: two parts
    assert auto_jobs(source(parquet), Engine.PYTHON, usable=8) == 2
    assert auto_jobs(source(parquet), Engine.COLUMNAR, usable=8) == 2  # Parquet: the python loader's
    damaged = tmp_path / "damaged.parquet"
    damaged.write_bytes(b"PAR1 not really")
    assert auto_jobs(source(damaged), Engine.PYTHON, usable=8) == 1  # one process reads it and says what is wrong
    workbook = tmp_path / "case_file.xlsx"
    workbook.write_bytes(b"")
    assert auto_jobs(source(workbook), Engine.PYTHON, usable=8) == 1
    assert cores() >= 1


def test_assess_splits_a_large_file_by_default_and_reports_as_one_process(big_case_file, monkeypatch):
    """--jobs defaults to auto: a file past the size splits (here a small one, the size lowered), and
    the report is the one a single process writes."""
    asked: list[int] = []

    def noted(source, rules, engine, as_of, jobs, *args, **kwargs):
        asked.append(jobs)
        return evaluate_in_parallel(source, rules, engine, as_of, jobs, *args, **kwargs)
    monkeypatch.setattr(pipeline, "evaluate_in_parallel", noted)
    monkeypatch.setattr(parallel, "AUTO_BYTES_PER_JOB", big_case_file.stat().st_size // 2)
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), str(big_case_file), "--as-of", "2022-04-01",
                                      "--format", "json", "--engine", "python", "--skip-invalid"])
    assert result.exit_code == 1, result.stderr
    assert asked == [2]
    assert json.loads(result.stdout) == _report(big_case_file, 1, "--engine", "python", "--skip-invalid")


@pytest.mark.parametrize("given", ["0", "65", "two", "-1", ""])
def test_jobs_takes_a_number_of_processes_or_auto(big_case_file, given):
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), str(big_case_file), "--jobs", given])
    assert result.exit_code == 2
    assert "from 1 to 64, or auto" in result.stderr


def test_where_no_process_can_start_auto_reads_in_one_and_a_number_asked_for_is_an_error(big_case_file, monkeypatch):
    """Some containers and serverless hosts have no POSIX semaphores: a pool cannot start there. --jobs auto
    (the default) then reads the file in one process, to the same report; --jobs 2 says why it cannot."""
    def no_semaphores(*_args, **_kwargs):
        raise ImportError("This platform lacks a functioning sem_open implementation")
    expected = _report(big_case_file, 1, "--engine", "python", "--skip-invalid")
    monkeypatch.setattr(parallel, "ProcessPoolExecutor", no_semaphores)
    monkeypatch.setattr(parallel, "AUTO_BYTES_PER_JOB", big_case_file.stat().st_size // 2)
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    assert _report(big_case_file, "auto", "--engine", "python", "--skip-invalid") == expected
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), str(big_case_file), "--as-of", "2022-04-01",
                                      "--engine", "python", "--skip-invalid", "--jobs", "2"])
    assert result.exit_code == 2
    assert "[no-processes]" in result.stderr and "sem_open" in result.stderr and "case_file.csv" in result.stderr


def test_worker_processes_started_afresh_give_the_same_report(big_case_file, monkeypatch):
    """Windows and macOS start a worker as a new interpreter (spawn), not a copy of this one (fork): with
    --jobs now auto by default, everything a worker is sent must stand on its own there."""
    import functools
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    one = _report(big_case_file, 1, "--engine", "python", "--skip-invalid")
    monkeypatch.setattr(parallel, "ProcessPoolExecutor",
                        functools.partial(ProcessPoolExecutor, mp_context=multiprocessing.get_context("spawn")))
    assert _report(big_case_file, 2, "--engine", "python", "--skip-invalid") == one
