"""Failures past what a run holds in memory wait on disk (evaluate/failure_spill.py): read back, renamed,
waived, sent to another process and written out exactly as if they had stayed in memory."""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from peelcheck.cli.main import cli
from peelcheck.cli.report_options import SALT_VARIABLE
from peelcheck.compile.pack_check import load_compiled_pack
from peelcheck.evaluate import failure_spill
from peelcheck.evaluate.failure_cells import Unexplained
from peelcheck.evaluate.failure_columns import FailureColumns
from peelcheck.evaluate.failure_spill import Parcel, Spill, Spilled, one_per_run, run_spill
from peelcheck.evaluate.failures import Failures
from peelcheck.exitcodes import ExitCode
from peelcheck.pipeline import AssessOptions, Engine, assess
from peelcheck.report.json_report import render_json

from .conftest import EXAMPLES, PACK_DIR
from .test_failures import _alike, _columns

SELF_ASSESSMENT = sorted(str(p) for p in (EXAMPLES / "self-assessment").glob("*.csv"))


def _spilled(held: int) -> tuple[Failures, Failures]:
    """The same failures kept by a run holding ``held`` of them in memory, and held in memory alone."""
    spill, spilled, plain = Spill(held), Failures(), Failures()
    for group in (_columns([0, 1, 2]), _alike([3, 4]), _columns([5, 6, 7, 8]), _alike([9])):
        spilled.add(spill.keep(group))
        plain.add(group)
    return spilled, plain


def test_groups_past_what_a_run_holds_wait_on_disk_and_read_back_the_same():
    spilled, plain = _spilled(held=5)
    assert [type(g) for g in spilled._groups] == [type(_columns([0])), type(_alike([0])), Spilled, Spilled]
    assert list(spilled) == list(plain) and len(spilled) == len(plain) == 10
    assert [spilled[i] for i in range(-10, 10)] == [plain[i] for i in range(-10, 10)]
    assert spilled[7:2:-2] == plain[7:2:-2] and spilled[:6] == plain[:6]
    assert spilled.keys() == plain.keys() == [f"R{i}" for i in range(10)]


def test_a_spilled_run_sent_to_another_process_takes_its_failures_with_it():
    spilled, plain = _spilled(held=0)
    assert all(isinstance(g, Spilled) for g in spilled._groups)
    arrived = pickle.loads(pickle.dumps(spilled))
    assert list(arrived) == list(plain)
    assert all(isinstance(g, Parcel) for g in arrived._groups)  # its bytes, nothing pointing at this process's file
    arrived.park(Spill(0))  # and on this process's disk, as they came
    assert all(isinstance(g, Spilled) for g in arrived._groups) and list(arrived) == list(plain)


def test_renaming_and_waiving_change_what_waits_on_disk():
    spilled, plain = _spilled(held=3)
    for failures in (spilled, plain):
        failures.rename_keys(lambda key: key.lower())
    assert list(spilled) == list(plain) and spilled.keys()[-1] == "r9"
    waived = {"r1", "r6", "r7"}
    kept, _ = spilled.without(waived)
    assert list(kept) == [f for f in plain if f.key not in waived]
    assert isinstance(kept._groups[1], Spilled) and kept._groups[1] is spilled._groups[1]  # kept whole: not rewritten
    assert isinstance(kept._groups[2], Spilled) and len(kept._groups[2]) == 2  # cut, and back on disk


def _line(location: str) -> int:
    return int(location.rsplit(":", 1)[1])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 2), min_size=0, max_size=60), st.lists(st.integers(1, 6), min_size=1, max_size=8),
       st.integers(0, 40), st.booleans())
def test_shards_merge_into_file_order_a_window_at_a_time(owners, sizes, held, as_text):
    """Records 0..n-1 dealt to three shards; each shard's failures in file order, in groups of the given
    sizes (of both shapes, some as text locations), some on disk or sent as bytes: merged, every failure
    once, in file order, whatever the shapes, the windows or where each group waited."""
    shards = []
    for shard in range(3):
        mine, failures, spill, k = [i for i, owner in enumerate(owners) if owner == shard], Failures(), Spill(held), 0
        while mine:
            size = sizes[k % len(sizes)]
            part, mine, k = mine[:size], mine[size:], k + 1
            group = _alike(part) if k % 2 else _columns(part)
            if as_text and k % 3 == 0:
                group = FailureColumns.from_results(list(group))  # places as "cases.csv:N" text
            failures.add(spill.keep(group))
        shards.append(pickle.loads(pickle.dumps(failures)) if shard == 2 else failures)  # shard 2: parcels
    expected = sorted((f for shard in shards for f in shard), key=lambda f: _line(f.location))
    merged = Failures.merged(shards, _line, Spill(held))
    assert list(merged) == expected and len(merged) == len(owners)


def test_a_file_cut_short_under_a_run_is_an_error_not_fewer_failures():
    spill = Spill(0)
    group = spill.keep(_columns([0, 1, 2]))
    assert spill._file is not None
    spill._file.truncate(group.length - 1)
    with pytest.raises(OSError, match="ends 1 bytes early"):
        group.load()


EXAMPLE_2021 = EXAMPLES / "west-mercia-2021"
RUNS = {  # a waiver of a failing record; people's keys pseudonymised (rules of a profile's personal types)
    "waived": [*SELF_ASSESSMENT, "--as-of", "2022-04-01", "--waivers", "{waivers}"],
    "pseudonymised": [*sorted(str(p) for p in EXAMPLE_2021.glob("*.csv")),
                      "--profile", str(EXAMPLE_2021 / "profile.yaml"), "--as-of", "2022-04-01"],
}


def _report(tmp_path: Path, name: str, run: str, *args: str) -> str:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers:\n  - {rule: PVP-001, record: SYN-CF-0001, reason: case closed by CPS, "
                       "approver: DCI A, expires: 2030-01-01}\n")
    out = tmp_path / f"{name}.json"
    given = [a.format(waivers=waivers) for a in RUNS[run]]
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), *given, "-o", str(out), *args],
                                env={SALT_VARIABLE: "test key"})
    assert result.exit_code == 1, result.output
    return out.read_text()


@pytest.mark.parametrize("run", RUNS)
@pytest.mark.parametrize("args", [("--engine", "python"), ("--engine", "columnar"),
                                  ("--engine", "python", "--jobs", "2")], ids=["python", "columnar", "jobs"])
def test_a_report_is_the_same_whether_failures_stayed_in_memory_or_waited_on_disk(tmp_path, monkeypatch, args, run):
    in_memory = _report(tmp_path, "in-memory", run, *args)
    written: list[int] = []
    put = Spill.put  # every group reaches the disk through it: explained (write) or as its cells (put_cells)
    monkeypatch.setattr(failure_spill, "HELD", 0)
    monkeypatch.setattr(failure_spill, "HELD_BESIDE_DUCKDB", 0)
    monkeypatch.setattr(Spill, "put", lambda self, data, size: written.append(size) or put(self, data, size))
    on_disk = _report(tmp_path, "on-disk", run, *args)
    report = json.loads(on_disk)
    failing = sum(len(rule["failures"]) for rule in report["rules"])
    assert failing > 50
    if run == "waived":
        assert [w["record"] for w in report["waived"]] == ["SYN-CF-0001"]
    else:
        assert any(f["key"].startswith("person-") for rule in report["rules"] for f in rule["failures"])
    if "--jobs" not in args:  # its workers' writes are in their own processes
        assert sum(written) >= failing
    assert on_disk == in_memory


def test_a_held_failures_setting_that_is_not_a_number_is_a_usage_error(monkeypatch):
    monkeypatch.setenv(failure_spill.HELD_ENV, "lots")
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), *SELF_ASSESSMENT, "--as-of", "2022-04-01"])
    assert result.exit_code == ExitCode.ERROR and "[bad-held-failures]" in result.stderr
    assert "PEELCHECK_HELD_FAILURES='lots': give a whole number" in result.stderr


def test_no_room_for_failures_on_disk_stops_the_run_saying_where_and_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv(failure_spill.HELD_ENV, "0")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "gone"))  # a temporary folder that is not there
    out = tmp_path / "report.json"
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), *SELF_ASSESSMENT, "--as-of", "2022-04-01",
                                      "--engine", "python", "-o", str(out)])
    assert result.exit_code == ExitCode.ERROR and not out.exists()
    assert f"cannot keep failures past the first 0 on disk in {tmp_path / 'gone'}" in result.stderr
    assert "set TMPDIR to a folder with room" in result.stderr


def _held_in_memory(assessment) -> int:
    return sum(len(g) for rule in assessment.rules for g in rule.failures._groups if isinstance(g, FailureColumns))


@pytest.mark.parametrize("engine", [Engine.PYTHON, Engine.COLUMNAR])
def test_a_run_holds_its_budget_of_failures_across_all_its_files_and_record_types(monkeypatch, engine):
    """A national run reads many files of many types (the columnar engine evaluates each CSV file on its
    own): the failures it keeps in memory are counted once, for the whole run."""
    pack = load_compiled_pack(PACK_DIR, EXAMPLE_2021 / "profile.yaml")
    files = sorted(EXAMPLE_2021.glob("*.csv"))
    options = AssessOptions(as_of=dt.date(2022, 4, 1), engine=engine, pseudonym_salt=b"same key")
    everything = assess(pack, files, options)
    monkeypatch.setenv(failure_spill.HELD_ENV, "30")
    budgeted = assess(pack, files, options)
    assert len({r.record_type for r in everything.rules if r.failures}) > 2  # several files and types fail
    assert _held_in_memory(everything) > 100 and _held_in_memory(budgeted) <= 30
    assert render_json(budgeted) == render_json(everything)


def test_a_columnar_run_holds_fewer_failures_in_memory_than_the_others(monkeypatch):
    """The columnar engine's process also holds DuckDB and Arrow: its budget is HELD_BESIDE_DUCKDB; the
    other engines keep HELD. The environment's number wins over both."""
    monkeypatch.setattr(failure_spill, "HELD", 40)
    monkeypatch.setattr(failure_spill, "HELD_BESIDE_DUCKDB", 10)
    pack = load_compiled_pack(PACK_DIR, EXAMPLE_2021 / "profile.yaml")
    files = [EXAMPLE_2021 / "case_file.csv"]

    def held(engine: Engine) -> int:
        return _held_in_memory(assess(pack, files, AssessOptions(as_of=dt.date(2022, 4, 1), engine=engine,
                                                                 pseudonym_salt=b"same key")))
    assert held(Engine.COLUMNAR) <= 10 < held(Engine.PYTHON) <= 40
    monkeypatch.setenv(failure_spill.HELD_ENV, "35")
    assert 10 < held(Engine.COLUMNAR) <= 35


def test_a_forked_process_never_writes_with_its_parents_spill(monkeypatch):
    with one_per_run() as spill:
        assert run_spill() is spill  # within the run, on its thread: the run's
        monkeypatch.setattr(os, "getpid", lambda: spill.pid + 1)  # as in a --jobs worker, forked mid-run
        assert run_spill() is not spill
    assert run_spill() is not spill  # after the run: a spill of its own


def test_a_columnar_run_keeps_its_later_failures_on_disk_as_cells_read_back_as_if_explained_at_once(monkeypatch):
    """Past what the run holds, the columnar engine puts each group on disk as the failing rows' cells,
    explained only when read: every failure, its key alone, a copy sent to another process and a report
    are the same as from a run that held every failure, explained, in memory."""
    pack = load_compiled_pack(PACK_DIR, EXAMPLE_2021 / "profile.yaml")
    files = sorted(EXAMPLE_2021.glob("*.csv"))
    options = AssessOptions(as_of=dt.date(2022, 4, 1), engine=Engine.COLUMNAR, pseudonym_salt=b"same key")
    monkeypatch.setenv(failure_spill.HELD_ENV, "1000000")
    held = assess(pack, files, options)
    monkeypatch.setenv(failure_spill.HELD_ENV, "0")
    on_disk = assess(pack, files, options)
    as_cells = [g for rule in on_disk.rules for g in rule.failures._groups if isinstance(g, Unexplained)]
    assert sum(map(len, as_cells)) > 100 and not _held_in_memory(on_disk)
    for mine, theirs in zip(on_disk.rules, held.rules, strict=True):
        assert mine.failures.keys() == theirs.failures.keys()
        assert list(mine.failures) == list(theirs.failures)
        arrived = pickle.loads(pickle.dumps(mine.failures))  # explained here, sent as bytes
        assert all(isinstance(g, Parcel) for g in arrived._groups) and list(arrived) == list(theirs.failures)
    assert render_json(on_disk) == render_json(held)


def test_processes_each_keep_their_share_of_the_budget_and_the_merge_stores_nothing_again(tmp_path, monkeypatch):
    """--jobs 2: each process keeps half of what the run may hold and stores the rest itself, in parallel;
    merged, the kept failures fill the budget (once a process's own were counted twice, and stored again)."""
    from .conftest import repeated_case_files

    path = repeated_case_files(tmp_path / "case_file.csv", 20)
    pack = load_compiled_pack(PACK_DIR)
    options = AssessOptions(as_of=dt.date(2022, 4, 1), engine=Engine.PYTHON, skip_invalid=True,
                            pseudonym_salt=b"same key")
    one = assess(pack, [path], options)
    failing = sum(len(rule.failures) for rule in one.rules)
    budget = failing // 2
    monkeypatch.setenv(failure_spill.HELD_ENV, str(budget))
    options.jobs = 2
    writes: list[int] = []
    write = Spill.write
    monkeypatch.setattr(Spill, "write", lambda spill, group: writes.append(len(group)) or write(spill, group))
    two = assess(pack, [path], options)
    assert render_json(two) == render_json(one)
    assert budget * 0.8 < _held_in_memory(two) <= budget  # each half held to its share, less a part of a group
    assert sum(writes) <= failing - budget // 2  # this process stored only its own part's overflow
