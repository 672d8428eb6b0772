"""Broken and hostile record files found by trying them through the CLI: each is read whole or refused
with its code and place, the same way whichever workbook reader reads it."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from peelcheck.cli.main import cli
from peelcheck.exitcodes import ExitCode

from .conftest import PACK_DIR

CLEAN = Path(__file__).parent / "data" / "exports" / "clean.out_of_court_disposal.csv"
READERS = ["calamine", "openpyxl"]


def run(*args: str):
    return CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "--as-of", "2022-04-01", "--format", "json",
                                    "--rule", "INV-001", *args])


def codes(result) -> list[str]:
    return re.findall(r"\[([a-z-]+)\]$", result.stderr, flags=re.M)


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    from openpyxl import Workbook
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def rewrite_sheets(path: Path, change) -> None:
    """Each sheet's XML through ``change``, as a writer other than Excel might have saved it."""
    with zipfile.ZipFile(path) as archive:
        parts = [(item, archive.read(item.filename)) for item in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for item, data in parts:
            if item.filename.startswith("xl/worksheets/sheet"):
                data = change(data.decode()).encode()
            archive.writestr(item, data)


def clean_rows() -> list[list[object]]:
    return [line.split(",") for line in CLEAN.read_text().splitlines()]


# --- workbooks ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("reader", READERS)
def test_a_workbook_whose_recorded_size_is_too_small_is_read_whole(tmp_path, reader, monkeypatch):
    """A writer's <dimension> saying A1:B3 for a sheet of 6 rows x 9 columns: openpyxl's read-only mode
    trusted it and dropped the rows and columns beyond it, silently."""
    monkeypatch.setattr("peelcheck.load.xlsx_reader.READER", reader)
    rows = clean_rows()
    path = workbook(tmp_path / "small.out_of_court_disposal.xlsx", {"out_of_court_disposal": rows, "Q2": rows[:2]})
    rewrite_sheets(path, lambda xml: re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:B1"/>', xml))
    result = run(str(path))
    assert result.exit_code in (0, 1), result.stderr
    source = json.loads(result.stdout)["inputs"][0]
    assert source["records"] == 5 and source["sheets_not_read"] == {"Q2": 1}
    rows[3].append("stray")  # a value past the last headed column, and past the recorded size
    path = workbook(tmp_path / "stray.out_of_court_disposal.xlsx", {"out_of_court_disposal": rows})
    rewrite_sheets(path, lambda xml: re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:I6"/>', xml))
    result = run(str(path))
    assert result.exit_code == ExitCode.ERROR and codes(result) == ["bad-record"]
    assert result.stderr.startswith(f"{path}[out_of_court_disposal]!J4: error:")


def _limited(gigabytes: int):
    def limit() -> None:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (gigabytes << 30, gigabytes << 30))
    return limit


def test_a_stray_cell_at_the_sheets_far_corner_is_read_not_a_crash(tmp_path):
    """One value at XFD1048576 beside ten rows: calamine (the reader of workbooks up to 16 MB) held the
    sheet as one block of 17 billion cells and aborted the process; the sheet is streamed instead."""
    import subprocess
    import sys
    path = workbook(tmp_path / "stray.out_of_court_disposal.xlsx", {"out_of_court_disposal": clean_rows()})
    far = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    rewrite_sheets(path, lambda xml: xml.replace("</sheetData>", far))
    command = ["assess", "--pack", str(PACK_DIR), "--as-of", "2022-04-01", "--rule", "INV-001", str(path)]
    done = subprocess.run([sys.executable, "-c", "import sys; from peelcheck.cli.main import cli; cli(sys.argv[1:])",
                           *command], capture_output=True, text=True, timeout=300, preexec_fn=_limited(3))
    assert done.returncode == ExitCode.ERROR, done.stderr
    assert done.stderr.startswith(f"{path}[out_of_court_disposal]!XFD1048576: error: a value beyond the last headed "
                                  "column, I (value 1)")
    assert codes(done) == ["bad-record"]


@pytest.mark.parametrize("reader", READERS)
def test_a_stray_value_is_named_at_its_own_cell(tmp_path, reader, monkeypatch):
    """A value at Z5000, far below and beside a table of columns A to I, and two beside row 3: each error named
    the column after the table's (J5000, J3), so a person looked for it in the wrong place."""
    monkeypatch.setattr("peelcheck.load.xlsx_reader.READER", reader)
    path = workbook(tmp_path / "stray.out_of_court_disposal.xlsx", {"out_of_court_disposal": clean_rows()})
    beside = '<c r="L3" t="inlineStr"><is><t>see note</t></is></c><c r="N3"><v>42</v></c></row>'
    far = '<row r="5000"><c r="Z5000" t="inlineStr"><is><t>stray</t></is></c></row></sheetData>'
    rewrite_sheets(path, lambda xml: re.sub(r'(<row r="3"[^>]*>.*?)</row>', lambda m: m.group(1) + beside, xml,
                                            count=1).replace("</sheetData>", far))
    result = run(str(path))
    assert result.exit_code == ExitCode.ERROR and codes(result) == ["bad-record"] * 3
    sheet = f"{path}[out_of_court_disposal]"
    assert result.stderr.splitlines() == [
        f"{sheet}!L3: error: a value beyond the last headed column, I (value 'see note') [bad-record]",
        f"{sheet}!N3: error: a value beyond the last headed column, I (value 42) [bad-record]",
        f"{sheet}!Z5000: error: a value beyond the last headed column, I (value 'stray') [bad-record]"]


@pytest.mark.parametrize("reader", READERS)
def test_an_excel_error_in_a_cell_is_a_located_error_not_blank_or_text(tmp_path, reader, monkeypatch):
    """#DIV/0! saved as a formula's value, and #N/A typed in the key column: calamine read them as blank
    cells (not recorded, or a record without its key), openpyxl as the text '#DIV/0!' (a crime reference)."""
    monkeypatch.setattr("peelcheck.load.xlsx_reader.READER", reader)
    path = workbook(tmp_path / "errors.out_of_court_disposal.xlsx", {"out_of_court_disposal": clean_rows()})

    def errors(xml: str) -> str:
        xml = re.sub(r'<c r="C2"[^>]*>.*?</c>', '<c r="C2" t="e"><f>1/0</f><v>#DIV/0!</v></c>', xml)
        return re.sub(r'<c r="A4"[^>]*>.*?</c>', '<c r="A4" t="e"><v>#N/A</v></c>', xml)
    rewrite_sheets(path, errors)
    result = run(str(path))
    assert result.exit_code == ExitCode.ERROR and codes(result) == ["formula-error", "formula-error"]
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{path}[out_of_court_disposal]!C2: error:") and "#DIV/0!" in lines[0]
    assert any(line.startswith(f"{path}[out_of_court_disposal]!A4: error:") and "#N/A" in line for line in lines)


# --- Parquet ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("engine, jobs", [("python", 1), ("durable", 2), ("columnar", 1)])
def test_a_parquet_file_with_damaged_pages_is_an_input_error_at_its_rows_not_a_fault(tmp_path, engine, jobs):
    """Its footer intact (the schema reads) but its pages damaged: pyarrow's error escaped as an internal
    fault (exit 4) on every engine."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    path = tmp_path / "damaged.out_of_court_disposal.parquet"
    pq.write_table(pa.table({"disposal_ref": [f"D{n}" for n in range(50)], "disposal_type": ["caution"] * 50}), path)
    data = bytearray(path.read_bytes())
    for n in range(20, 200):
        data[n] ^= 0x5A
    path.write_bytes(bytes(data))
    result = run(str(path), "--engine", engine, "--jobs", str(jobs))
    assert result.exit_code == ExitCode.ERROR and codes(result) == ["unreadable-file"], result.output
    assert result.stderr.startswith(f"{path}[row 1]: error: the Parquet file is damaged")


# --- JSON ---------------------------------------------------------------------------------------------------------

def test_a_json_document_saved_with_a_byte_order_mark_is_read(tmp_path):
    """Notepad and PowerShell save UTF-8 with a BOM: a JSON document so saved was refused as 'expected a
    list of records' at 1:1 (a list of records is what it is), while JSON Lines, YAML and CSV read it."""
    records = [dict(zip(clean_rows()[0], row)) for row in clean_rows()[1:]]
    text = json.dumps([{k: v for k, v in r.items() if v} for r in records])
    plain = tmp_path / "plain.out_of_court_disposal.json"
    plain.write_text(text, encoding="utf-8")
    marked = tmp_path / "marked.out_of_court_disposal.json"
    marked.write_text(text, encoding="utf-8-sig")
    result = run(str(marked))
    assert result.exit_code in (0, 1), result.stderr
    got, expected = json.loads(result.stdout), json.loads(run(str(plain)).stdout)
    def counts(report: dict) -> list[tuple]:
        return [(r["id"], r["status"], r["applicable"], r["compliant"], r["non_compliant"]) for r in report["rules"]]
    assert got["inputs"][0]["records"] == 5 and counts(got) == counts(expected)


def test_both_workbook_readers_read_excels_escaped_characters_alike(tmp_path):
    """Excel writes a character XML cannot hold as _xHHHH_ (a carriage return in a cell with line breaks,
    a control character) and an underscore before such a form as _x005F_: calamine decodes them; openpyxl
    gave them as written, so a workbook over CALAMINE_LIMIT (read by openpyxl) read other text."""
    from openpyxl import Workbook

    from peelcheck.load.xlsx_reader import sheet_rows

    written = ["ref", "line one_x000D_\nline two", "_x0041_B_x005F_x0041_", "caf_x00e9_ _x00C9_t_x00e9_", "_x12_",
               "_xZZZZ_", "plain"]
    book = Workbook()
    for value in written:
        book.active.append([value, 1])
    path = tmp_path / "escaped.xlsx"
    book.save(path)
    read = {reader: [row[0] for row in sheet_rows(path, None, reader).rows] for reader in ("calamine", "openpyxl")}
    assert read["openpyxl"] == read["calamine"] == [
        "ref", "line one\r\nline two", "AB_x0041_", "café Été", "_x12_", "_xZZZZ_", "plain"]
