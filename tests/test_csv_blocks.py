"""CSV text read a block at a time must give exactly the lines and rows a file opened with newline=""
gives csv, wherever the blocks are cut; quote-free runs cut into columns must equal csv's rows."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peelcheck.errors import RecordError
from peelcheck.load import csv_blocks, input_guards
from peelcheck.load.csv_blocks import Lines, split_columns
from peelcheck.load.records import RecordReader, RecordSource

from .test_csv_chunks import COLUMNAR_TYPE, _one_by_one, _write

# pieces a CSV export may hold: every line end, characters str.splitlines breaks at and files do not
PIECES = st.sampled_from(["a", "bc", ",", ";", '"', '""', "\n", "\r", "\r\n", "\x85", "\u2028", "\x0c", "\x1d", " ",
                          "é", "\x00"])
TEXTS = st.lists(PIECES, max_size=60).map("".join)


def _file(text: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8", newline="")


@settings(max_examples=400, deadline=None)
@given(text=TEXTS, block=st.integers(1, 9))
def test_lines_and_rows_are_a_files_own_wherever_blocks_are_cut(text: str, block: int):
    old, csv_blocks.BLOCK = csv_blocks.BLOCK, block
    try:
        lines = Lines(_file(text), "x.csv")
        assert list(lines) == list(_file(text))
        assert lines.taken == len(list(_file(text)))
        assert lines.longest >= max(map(len, _file(text)), default=0)
        assert list(csv.reader(Lines(_file(text), "x.csv"))) == list(csv.reader(_file(text)))
    finally:
        csv_blocks.BLOCK = old


@settings(max_examples=400, deadline=None)
@given(text=TEXTS, block=st.integers(1, 9), first=st.integers(0, 5))
def test_taking_runs_and_giving_them_back_keeps_the_lines_in_order(text: str, block: int, first: int):
    old, csv_blocks.BLOCK = csv_blocks.BLOCK, block
    try:
        lines = Lines(_file(text), "x.csv")
        run = lines.take(first)
        lines.give_back(run)
        assert lines.taken == 0
        assert lines.take(first) + list(lines) == list(_file(text))
    finally:
        csv_blocks.BLOCK = old


@settings(max_examples=400, deadline=None)
@given(text=TEXTS, delimiter=st.sampled_from([",", ";"]))
def test_quote_free_runs_cut_into_columns_are_csvs_rows(text: str, delimiter: str):
    run = list(_file(text.replace('"', "")))
    if not run:
        return
    rows = list(csv.reader(run, delimiter=delimiter))
    width = len(rows[0])
    columns = split_columns(run, "".join(run), delimiter, width, max(map(len, run)))
    if columns is not None:
        assert [list(row) for row in zip(*columns)] == rows
    else:  # only where csv's rows are not all of one width of two or more cells
        assert width < 2 or {len(row) for row in rows} != {width}


def test_a_clean_run_is_cut_into_columns():
    run = ["A,1,x\r\n", "B,,y\r\n", "C,3,\n", "D,4,z"]
    assert split_columns(run, "".join(run), ",", 3, 7) == [["A", "B", "C", "D"], ["1", "", "3", "4"],
                                                           ["x", "y", "", "z"]]
    assert split_columns(["A,1\n", "\n", "B,2\n"], "A,1\n\nB,2\n", ",", 2, 4) is None  # a blank line: csv reads it
    # lines of one cell too few and one too many, as many cells in all as two good lines
    assert split_columns(["A\n", "B,2,3\n"], "A\nB,2,3\n", ",", 2, 6) is None
    long = ["A," + "x" * input_guards.MAX_CELL_CHARS + "\n"]  # a cell longer than csv reads: for csv to report
    assert split_columns(long, long[0], ",", 2, len(long[0])) is None


@pytest.mark.parametrize("odd", [
    {},
    {1500: ("s1", "two\nlines"), 1501: ("s1", "three\r\nmore\nlines")},
    {10: ("b1", "yes"), 2400: ("t1", "2021-02-30T10:00:00")},
], ids=["clean", "line-breaks", "bad-rows"])
def test_records_and_their_lines_do_not_depend_on_where_blocks_are_cut(tmp_path: Path, monkeypatch, odd):
    path = tmp_path / "thing.csv"
    _write(path, 2500, odd)
    monkeypatch.setattr(csv_blocks, "BLOCK", 997)  # blocks end inside lines, inside "\r\n" and inside quotes
    got = list(RecordReader(RecordSource(path, COLUMNAR_TYPE), record_validator_for()).rows())
    expected = _one_by_one(path)
    assert [r.location.line for r in got] == [line for line, _ in expected]
    assert [getattr(r, "key", "rejected") for r in got] == [v if v == "rejected" else v["ref"]  # type: ignore[index]
                                                             for _, v in expected]


def test_a_long_line_is_named_whichever_block_it_starts_in(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(input_guards, "MAX_LINE_CHARS", 50)
    monkeypatch.setattr(csv_blocks, "MAX_LINE_CHARS", 50)
    monkeypatch.setattr(csv_blocks, "BLOCK", 16)
    lines = [f"K{i},theft\r\n" for i in range(30)]
    for at in (0, 7, 29):
        text = "".join(lines[:at]) + "C" * 60 + "\r\n" + "".join(lines[at:])
        with pytest.raises(RecordError) as error:
            list(Lines(_file(text), "x.csv"))
        assert [(d.code, d.location.line) for d in error.value.diagnostics] == [("line-too-long", at + 1)]
    ok = "".join(lines[:7]) + "C" * 49 + "\r\n" + "".join(lines[7:])  # just under the limit, its end not counted
    assert list(Lines(_file(ok), "x.csv")) == list(_file(ok))


def record_validator_for():  # type: ignore[no-untyped-def]
    from peelcheck.schema.records import record_validator
    return record_validator(COLUMNAR_TYPE)
