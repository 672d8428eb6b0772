"""A workbook's midnight as Excel shows it, by either reader: a date cell at exactly 00:00 whose number format
shows a time of day is a datetime at 00:00; one whose format shows a date alone stays a date, which a datetime
field refuses unless the mapping says ``date_only:`` (docs/mappings.md). calamine gives both as a date, so a
genuine 00:00 in a police export (``2021-04-27 00:00``) was refused and stopped the run."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from peelcheck.load.xlsx_midnight import date_styles_show_time, shows_time

from .pack_factory import rule_spec, write_pack
from .workbooks import READERS, assess_with, workbook

MIDNIGHT = dt.datetime(2021, 4, 27)
TIMED = "yyyy-mm-dd hh:mm"


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """t2 within an hour after t1: decided by t1's time (tests/strategies.py: a field of every type)."""
    return write_pack(tmp_path_factory.mktemp("pack"), [rule_spec(0, expect={"t2": {"within": {
        "hours": 1, "after": "t1"}}})])


def _sheet(path: Path, rows: list[list[Any]], formats: dict[str, str]) -> Path:
    """``rows`` under the header ref, t1, t2, d1, s1."""
    return workbook(path, [["ref", "t1", "t2", "d1", "s1"], *rows], formats)


def _failures(result: Result) -> list[tuple[str, dict[str, Any]]]:
    rule, = (rule for rule in json.loads(result.stdout)["rules"] if rule["id"] == "GEN-001")
    return sorted((failure["key"], failure["values"]) for failure in rule["failures"])


@pytest.mark.parametrize("reader", READERS)
def test_a_midnight_shown_with_its_time_is_read_as_00_00(tmp_path: Path, pack: Path, reader: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A1 is met only if t1 is 00:00 (t2 at 00:30); A2 fails at 00:00 + 2 h, shown with t1's time; A3 has a time
    of day, as before. A date field given a midnight cell with a time format still reads its date."""
    path = _sheet(tmp_path / "w.xlsx", [
        ["A1", MIDNIGHT, MIDNIGHT.replace(minute=30), MIDNIGHT, "x"],
        ["A2", MIDNIGHT, MIDNIGHT.replace(hour=2), MIDNIGHT, "x"],
        ["A3", MIDNIGHT.replace(hour=7, minute=40), MIDNIGHT.replace(hour=8), MIDNIGHT, "x"]],
        {"B2:C4": TIMED, "D2:D4": TIMED})
    result = assess_with(reader, pack, path, monkeypatch)
    assert result.exit_code == 1, result.stderr
    assert _failures(result) == [("A2", {"t1": "2021-04-27T00:00:00", "t2": "2021-04-27T02:00:00"})]
    assert json.loads(result.stdout)["rejected_rows"] == []


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("number_format", ["yyyy-mm-dd", "dd/mm/yyyy", "d-mmm-yy", "[$-en-GB]dd mmmm yyyy"])
def test_a_midnight_shown_as_a_date_alone_is_refused_or_read_as_the_mapping_says(
        tmp_path: Path, pack: Path, reader: str, number_format: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a workbook whose other datetime cells show their time (so each cell's own format decides)."""
    path = _sheet(tmp_path / "w.xlsx", [["A1", MIDNIGHT.replace(hour=7), MIDNIGHT.replace(hour=7, minute=30)],
                                        ["A2", MIDNIGHT, MIDNIGHT.replace(minute=30)]],
                  {"B2:C3": TIMED, "B3": number_format})
    result = assess_with(reader, pack, path, monkeypatch)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}[thing]!B3: error: t1: a date with no time")
    assert result.stderr.rstrip().endswith("(value '2021-04-27') [bad-record]")
    mapping = tmp_path / "map.yaml"
    mapping.write_text("name: days\nrecord_type: thing\ndate_only:\n  t1: start_of_day\n")
    result = assess_with(reader, pack, path, monkeypatch, "--mapping", str(mapping))
    assert result.exit_code == 0, result.stderr  # read as 00:00: t2 at 00:30 is within the hour


@pytest.mark.parametrize("reader", READERS)
def test_each_cell_is_read_by_its_own_format(tmp_path: Path, pack: Path, reader: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Formats showing a time (hours, seconds, AM/PM) and a date alone, in one column; ``mm`` is the month alone
    and minutes next to ``ss``. Rows alternate, so no one format can decide for its column."""
    shown = {"dd/mm/yyyy hh:mm:ss": True, "[$-en-GB]dd/mm/yyyy h:mm AM/PM": True, "mm:ss": True,
             "yyyy-mm-dd": False, "d-mmm-yy": False, "mm/yyyy": False, '"at" dd/mm/yyyy': False}
    rows = [[f"A{i}", MIDNIGHT, MIDNIGHT.replace(minute=30)] for i in range(1, len(shown) + 1)]
    formats = {"C2:C99": TIMED, **{f"B{i}": fmt for i, fmt in enumerate(shown, start=2)}}
    result = assess_with(reader, pack, _sheet(tmp_path / "w.xlsx", rows, formats), monkeypatch, "--skip-invalid")
    refused = sorted(row["location"].rsplit("!", 1)[1] for row in json.loads(result.stdout)["rejected_rows"])
    assert refused == [f"B{i}" for i, time in enumerate(shown.values(), start=2) if not time]


@pytest.mark.parametrize("reader", READERS)
def test_a_midnight_in_a_text_field_is_refused_as_a_date_by_both(tmp_path: Path, pack: Path, reader: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A text field is not asked what a date cell shows: refused as the date, by either reader, as before."""
    path = _sheet(tmp_path / "w.xlsx", [["A1", MIDNIGHT.replace(hour=1), MIDNIGHT.replace(hour=1), None,
                                         MIDNIGHT]], {"B2:C2": TIMED, "E2": TIMED})
    result = assess_with(reader, pack, path, monkeypatch)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}[thing]!E2: error: s1:")
    assert "(value '2021-04-27')" in result.stderr


@pytest.mark.parametrize("number_format, time", [
    ("yyyy-mm-dd hh:mm", True), ("dd/mm/yyyy hh:mm:ss", True), ("[$-en-GB]dd/mm/yyyy h:mm AM/PM", True),
    ("mm:ss", True), ("m/d/yy h:mm", True), ("yyyy-mm-dd a/p", True), ("dd/mm/yyyy;@", False),
    ("d-mmm-yy", False), ("yyyy-mm-dd", False), ("mmmm yyyy", False), ('dd "hours" mm', False),
    (r"dd\h mm", False), ("[Red]dd/mm/yyyy", False), ("[$-x-sysdate]dddd, mmmm dd, yyyy", False),
    ("dd/mm/yyyy_h", False), ("dd/mm/yyyy*s", False)])
def test_shows_time(number_format: str, time: bool) -> None:
    assert shows_time(number_format) is time


def test_the_style_table_decides_a_workbook_of_one_kind(tmp_path: Path) -> None:
    rows = [["A1", MIDNIGHT, MIDNIGHT]]
    assert date_styles_show_time(_sheet(tmp_path / "a.xlsx", rows, {"B2:C2": TIMED})) == {True}
    assert date_styles_show_time(_sheet(tmp_path / "b.xlsx", rows, {"B2:C2": "dd/mm/yyyy"})) == {False}
    assert date_styles_show_time(_sheet(tmp_path / "c.xlsx", rows, {"B2": TIMED, "C2": "d-mmm-yy"})) == {
        True, False}


@pytest.mark.parametrize("reader", READERS)
def test_a_table_right_of_column_a_is_read_by_its_own_cells(tmp_path: Path, pack: Path, reader: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """calamine starts a row at its first column in use; the formats are read at Excel's own columns. (Not rows:
    python-calamine 0.9.1 yields the empty rows above a table too, and the reader adds them again, so a table
    below row 1 is misplaced on that reader, formats aside.)"""
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.title = "thing"
    for row, values in enumerate([["ref", "t1", "t2"], ["A1", MIDNIGHT, MIDNIGHT.replace(minute=30)],
                                  ["A2", MIDNIGHT, MIDNIGHT.replace(minute=30)]], start=1):
        for column, value in enumerate(values, start=3):
            sheet.cell(row, column, value).number_format = TIMED
    sheet["D3"].number_format = "dd/mm/yyyy"
    book.save(tmp_path / "w.xlsx")
    result = assess_with(reader, pack, tmp_path / "w.xlsx", monkeypatch, "--skip-invalid")
    assert [row["location"].rsplit("!", 1)[1] for row in json.loads(result.stdout)["rejected_rows"]] == ["D3"]


@pytest.mark.parametrize("reader", READERS)
def test_each_cell_is_decided_by_its_own_format_in_a_table_below_row_1(tmp_path: Path, pack: Path, reader: str,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The table two rows down: the date-only midnight is named at its own cell (B5) and the timed one read."""
    from openpyxl import load_workbook
    path = _sheet(tmp_path / "w.xlsx", [["A1", MIDNIGHT, MIDNIGHT.replace(minute=30)],
                                        ["A2", MIDNIGHT, MIDNIGHT.replace(minute=30)]],
                  {"B2:C3": TIMED, "B3": "yyyy-mm-dd"})
    book = load_workbook(path)
    book["thing"].insert_rows(1, amount=2)
    book.save(path)
    result = assess_with(reader, pack, path, monkeypatch)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}[thing]!B5: error: t1: a date with no time"), result.stderr
    assert "!B4" not in result.stderr
