"""Cells either workbook reader once read its own way: a number cell holding text (a damaged or hand-written
sheet), a date cell past Excel's last day, and Excel's 29 February 1900. Each is read the same by
python-calamine (workbooks up to 16 MB) and openpyxl (larger ones), so a workbook's size never changes what
is assessed; a cell that names no value of its field is a rejected row at that cell, the others are kept."""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from pathlib import Path

import pytest

from peelcheck.load.records import RecordReader, RecordRow, RecordSource, RejectedRow
from peelcheck.schema.records import record_validator

from .pack_factory import rule_spec, write_pack
from .strategies import RECORD_TYPE
from .workbooks import READERS, assess_with, workbook


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_pack(tmp_path_factory.mktemp("pack"), [rule_spec(0, expect={"b1": True})])


def _rewritten(path: Path, cells: dict[str, str], keep_style: bool = False) -> Path:
    """The workbook with each named cell's XML (``C3``) replaced by the XML given; ``keep_style``: the cell's
    own attributes kept and only its value (``<v>``) replaced by the text given."""
    with zipfile.ZipFile(path) as archive:
        parts = [(item, archive.read(item.filename)) for item in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for item, data in parts:
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                for ref, xml in cells.items():
                    if keep_style:
                        text, found = re.subn(rf'(<c r="{ref}"[^>]*>)<v>.*?</v>', rf"\1<v>{xml}</v>", text, count=1)
                    else:
                        text, found = re.subn(rf'<c r="{ref}"[^>]*>.*?</c>', xml, text, count=1)
                    assert found, ref
                data = text.encode()
            archive.writestr(item, data)
    return path


def _read(path: Path, reader: str, monkeypatch: pytest.MonkeyPatch) -> list[RecordRow | RejectedRow]:
    monkeypatch.setattr("peelcheck.load.xlsx_reader.READER", reader)
    return list(RecordReader(RecordSource(path, RECORD_TYPE), record_validator(RECORD_TYPE)).rows())


def _rejected(report: str) -> list[tuple[str, str | None, object]]:
    return sorted((row["location"], row["field"], row["value"]) for row in json.loads(report)["rejected_rows"])


# --- a number cell holding text -------------------------------------------------------------------------------

@pytest.mark.parametrize("written", ['t="n"', ""], ids=["typed", "untyped"])
@pytest.mark.parametrize("text", ["abc", "1,5", "1..2", "12abc"])
def test_a_number_cell_holding_text_is_a_rejected_row_at_its_cell_on_both_readers(
        tmp_path: Path, pack: Path, monkeypatch: pytest.MonkeyPatch, written: str, text: str) -> None:
    """Stored as a number (``t="n"``, or no type, which means a number) but holding text: openpyxl refused the
    whole sheet, calamine the whole sheet where the cell said ``t="n"`` and read the text where it said no type.
    Both now read the text as written: a count refuses it, at its cell, and the other rows are assessed."""
    path = workbook(tmp_path / "w.xlsx", [["ref", "b1", "i1", "s1"], ["A1", True, 1, "x"], ["A2", True, 2, "y"],
                                          ["A3", False, 3, "z"]])
    _rewritten(path, {"C3": f'<c r="C3" {written}><v>{text}</v></c>'})
    results = {reader: assess_with(reader, pack, path, monkeypatch, "--skip-invalid") for reader in READERS}
    for reader, result in results.items():
        assert result.exit_code == 1, (reader, result.stderr)
        report = json.loads(result.stdout)
        assert report["inputs"][0]["records"] == 2, reader
        assert _rejected(result.stdout) == [(f"{path}[thing]!C3", "i1", text)], reader
    plain = {reader: assess_with(reader, pack, path, monkeypatch) for reader in READERS}
    assert plain["calamine"].exit_code == plain["openpyxl"].exit_code == 2
    assert plain["calamine"].stderr == plain["openpyxl"].stderr
    assert plain["calamine"].stderr.startswith(f"{path}[thing]!C3: error: i1:")


def test_a_number_cell_holding_text_in_a_text_field_reads_as_its_text(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """What was written is what is read (calamine's reading of a cell of no type): text a text field takes."""
    path = workbook(tmp_path / "w.xlsx", [["ref", "s1", "i1"], ["A1", "x", 1], ["A2", "y", 2]])
    _rewritten(path, {"B3": '<c r="B3" t="n"><v>N/A</v></c>', "C3": '<c r="C3"><v>seven</v></c>'})
    for reader in READERS:
        rows = _read(path, reader, monkeypatch)
        assert [type(row) for row in rows] == [RecordRow, RejectedRow], reader
        assert isinstance(rows[0], RecordRow) and rows[0].values["s1"] == "x"  # and row 3's N/A taken as text
        assert isinstance(rows[1], RejectedRow) and (rows[1].field, rows[1].value) == ("i1", "seven"), reader


def test_a_number_cell_holding_text_in_a_datetime_column_is_located_when_formats_are_looked_at(
        tmp_path: Path, pack: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A workbook whose date cells show a time in some formats and not in others is read once more, by openpyxl,
    for the datetime columns' formats (xlsx_midnight.py): the damaged cell there failed the whole sheet."""
    moment = dt.datetime(2021, 4, 1)  # a midnight shown with its time: what has the formats looked at
    path = workbook(tmp_path / "w.xlsx", [["ref", "b1", "t1", "d1"], ["A1", True, moment, moment.date()],
                                          ["A2", True, moment, moment.date()]],
                    {"C2:C3": "yyyy-mm-dd hh:mm", "D2:D3": "dd/mm/yyyy"})
    _rewritten(path, {"C3": "soon"}, keep_style=True)
    results = {reader: assess_with(reader, pack, path, monkeypatch, "--skip-invalid") for reader in READERS}
    for reader, result in results.items():
        assert result.stdout, (reader, result.stderr)
        assert _rejected(result.stdout) == [(f"{path}[thing]!C3", "t1", "soon")], reader
    assert results["calamine"].exit_code == results["openpyxl"].exit_code


# --- a date cell past Excel's last day ------------------------------------------------------------------------

@pytest.mark.parametrize("serial", [2_958_466, 3_000_000])
def test_a_date_cell_past_the_year_9999_is_a_bad_date_at_its_cell_with_no_warning(
        tmp_path: Path, pack: Path, monkeypatch: pytest.MonkeyPatch, recwarn: pytest.WarningsRecorder,
        serial: int) -> None:
    """Excel's last day is 9999-12-31 (serial 2,958,465): a date cell holding a serial past it (Excel shows #####)
    was read by openpyxl as the text ``#VALUE!``, with a UserWarning on stderr; calamine reads its number, which a
    date field refuses at the cell as no Excel date. Both now do, and nothing is printed past the report."""
    path = workbook(tmp_path / "w.xlsx", [["ref", "b1", "d1", "t1"], ["A1", True, serial, serial],
                                          ["A2", True, dt.date(2021, 4, 1), dt.datetime(2021, 4, 1, 9)]],
                    {"C2": "yyyy-mm-dd", "D2": "yyyy-mm-dd hh:mm"})
    results = {reader: assess_with(reader, pack, path, monkeypatch, "--skip-invalid") for reader in READERS}
    for reader, result in results.items():
        assert json.loads(result.stdout)["inputs"][0]["records"] == 1, (reader, result.stderr)
        assert _rejected(result.stdout) == [(f"{path}[thing]!C2", "d1", serial), (f"{path}[thing]!D2", "t1", serial)]
    assert results["calamine"].exit_code == results["openpyxl"].exit_code
    assert not [str(w.message) for w in recwarn.list], "a warning was printed"


# --- Excel's 29 February 1900 ---------------------------------------------------------------------------------

@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("formatted", [True, False], ids=["date-cell", "number-cell"])
def test_excels_29_february_1900_is_a_bad_date_at_its_cell_and_the_days_beside_it_are_excels(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reader: str, formatted: bool) -> None:
    """Excel counts 1900 as a leap year (Lotus 1-2-3's mistake, kept): serial 59 is 28 February, 60 is 29 February
    1900, a day that never was, and 61 is 1 March. Serial 60 read as 28 February (a date cell, on either reader),
    and a number in a date field counted from 1899-12-30 throughout, so 59 was 27 February and 1 was 1899-12-31."""
    serials = [1, 59, 60, 61, 60.5]
    rows = [["ref", "d1", "t1", "l1"]] + [[f"A{n}", s, s, s] for n, s in enumerate(serials, start=1)]
    formats = {"B2:B6": "yyyy-mm-dd", "C2:C6": "yyyy-mm-dd hh:mm", "D2:D6": "yyyy-mm-dd"} if formatted else {}
    path = workbook(tmp_path / "w.xlsx", rows, formats)
    got = _read(path, reader, monkeypatch)
    records = {row.key: row.values for row in got if isinstance(row, RecordRow)}
    assert {key: (v["d1"], v["t1"], v["l1"]) for key, v in records.items()} == {
        "A1": (dt.date(1900, 1, 1), dt.datetime(1900, 1, 1), [dt.date(1900, 1, 1)]),
        "A2": (dt.date(1900, 2, 28), dt.datetime(1900, 2, 28), [dt.date(1900, 2, 28)]),
        "A4": (dt.date(1900, 3, 1), dt.datetime(1900, 3, 1), [dt.date(1900, 3, 1)])}
    rejected = sorted((str(row.location).rsplit("!", 1)[1], row.field, row.value)
                      for row in got if isinstance(row, RejectedRow))
    assert rejected == [("B4", "d1", 60), ("B6", "d1", 60.5), ("C4", "t1", 60), ("C6", "t1", 60.5),
                        ("D4", "l1", 60), ("D6", "l1", 60.5)]
