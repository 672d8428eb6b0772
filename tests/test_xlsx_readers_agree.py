"""One workbook reads the same whichever reader reads it: python-calamine (workbooks up to 16 MB) gives every
number as a float and a time of midnight as a date; openpyxl (larger workbooks) gave a whole number as an int
and every date as a time. A rejected 42 was shown as ``42.0`` or ``42``, a header cell 2021 named a column
``2021.0`` or ``2021``, and a date cell in a datetime field was refused or read as 00:00, by the file's size."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import Result

from .pack_factory import rule_spec, write_pack
from .workbooks import READERS, assess_with, workbook


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One rule over ``thing`` records (tests/strategies.py: a field of every type)."""
    return write_pack(tmp_path_factory.mktemp("pack"), [rule_spec(0, expect={"b1": True})])


def _by_reader(pack: Path, path: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> dict[str, Result]:
    return {reader: assess_with(reader, pack, path, monkeypatch, *args) for reader in READERS}


HEADER = ["ref", "b1", "d1", "t1", "l1", "u1"]


def test_rejected_numbers_are_shown_alike_and_as_written(tmp_path: Path, pack: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Numbers no date serial can be (in date, datetime and date-list fields), a duration past its limit, and
    values in a column with no header or past the last: each shown as written, 42 and not 42.0."""
    path = workbook(tmp_path / "w.xlsx", [HEADER + [None, "s1"],
                                           ["A1", True, -3, 10_000_000_000, 3_000_000, 10**14, 42, "x"],
                                           ["A2", True, 0, None, None, None, None, None, 7],
                                           ["A3", True, None, None, None, None, None, None]])
    results = _by_reader(pack, path, monkeypatch, "--skip-invalid")
    shown = {reader: sorted((row["location"].rsplit("!", 1)[1], row["value"])
                            for row in json.loads(result.stdout)["rejected_rows"])
             for reader, result in results.items()}
    assert shown["calamine"] == shown["openpyxl"] == [
        ("C2", -3), ("D2", 10_000_000_000), ("E2", 3_000_000), ("F2", 10**14), ("G2", 42), ("I3", 7)]
    assert all(type(value) is int for _, value in shown["calamine"])
    plain = _by_reader(pack, path, monkeypatch)  # and on stderr, without --skip-invalid
    assert plain["calamine"].stderr == plain["openpyxl"].stderr and "10000000000.0" not in plain["calamine"].stderr
    assert plain["calamine"].exit_code == plain["openpyxl"].exit_code == 2


def test_a_number_in_the_header_names_its_column_alike(tmp_path: Path, pack: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    path = workbook(tmp_path / "w.xlsx", [["ref", "b1", 2021], ["A1", True, "noted"]])
    mapping = tmp_path / "map.yaml"
    mapping.write_text("name: years\nrecord_type: thing\ncolumns:\n  '2021': s1\n")
    for reader, result in _by_reader(pack, path, monkeypatch, "--mapping", str(mapping)).items():
        assert result.exit_code == 0, (reader, result.stderr)


@pytest.mark.parametrize("number_format", ["yyyy-mm-dd", "dd/mm/yyyy"])
def test_a_date_in_a_datetime_field_is_refused_by_both_or_read_as_the_mapping_says(
        tmp_path: Path, pack: Path, monkeypatch: pytest.MonkeyPatch, number_format: str) -> None:
    """A date alone in a datetime field is refused unless the mapping says how to read it (docs/mappings.md);
    openpyxl read a date cell there as 00:00. A midnight whose format shows a time is 00:00 to both readers
    (tests/test_xlsx_midnight.py)."""
    path = workbook(tmp_path / "w.xlsx", [["ref", "b1", "t1"], ["A1", True, dt.datetime(2021, 4, 1)]],
                     {"C2": number_format})
    for reader, result in _by_reader(pack, path, monkeypatch).items():
        assert result.exit_code == 2, reader
        assert f"{path}[thing]!C2: error: t1:" in result.stderr and "[bad-record]" in result.stderr, reader
    mapping = tmp_path / "map.yaml"
    mapping.write_text("name: days\nrecord_type: thing\ndate_only:\n  t1: end_of_day\n")
    for reader, result in _by_reader(pack, path, monkeypatch, "--mapping", str(mapping)).items():
        assert result.exit_code == 0, (reader, result.stderr)


def test_a_date_in_a_text_field_is_refused_alike(tmp_path: Path, pack: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same cell and value on stderr (openpyxl showed ``2021-04-01 00:00:00``), and a number as its text."""
    path = workbook(tmp_path / "w.xlsx", [["ref", "b1"], [dt.date(2021, 4, 1), False], [42, False]])
    results = _by_reader(pack, path, monkeypatch)
    assert results["calamine"].stderr == results["openpyxl"].stderr
    assert results["calamine"].stderr.startswith(f"{path}[thing]!A2: error: ref:")
    assert results["calamine"].stderr.rstrip().endswith("[bad-record]")


def test_a_table_below_and_right_of_a1_is_placed_at_its_own_cells(tmp_path: Path, pack: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A header on row 4 from column B: a bad cell is named at its own cell by both readers (calamine's
    rows already held the empty rows above, and the reader added them again: C5 was named C8)."""
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.title = "thing"
    for column, (name, value) in enumerate(zip(["ref", "b1"], ["A1", "maybe"]), start=2):
        sheet.cell(row=4, column=column, value=name)
        sheet.cell(row=5, column=column, value=value)
    path = tmp_path / "w.xlsx"
    book.save(path)
    for reader, result in _by_reader(pack, path, monkeypatch).items():
        assert result.exit_code == 2, (reader, result.output)
        assert f"{path}[thing]!C5: error: b1:" in result.stderr, (reader, result.stderr)
