"""Hostile inputs found by a mutation campaign through the CLI (each was an internal fault, exit 4, or a silent
loss): now an error at its file and place (exit 2), or read as a clean file is, on every engine and reader."""

from __future__ import annotations

import json
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from peelcheck.cli.main import cli
from peelcheck.exitcodes import ExitCode

from .conftest import EXAMPLES, PACK_DIR

CLEAN = Path(__file__).parent / "data" / "exports" / "clean.out_of_court_disposal.csv"
PROFILE = EXAMPLES / "west-mercia-2021" / "profile.yaml"
TYPE = "out_of_court_disposal"


def _assess(*args: str) -> Result:
    return CliRunner().invoke(cli, ["assess", "--as-of", "2022-04-01", "--format", "json", "--rule", "INV-001", *args])


def _problems(result: Result) -> list[tuple[str, str]]:
    """(place, code) of each problem on stderr."""
    return re.findall(r"^(.*?): error: .*\[([a-z-]+)\]$", result.stderr, flags=re.M)


# --- a profile ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("hostile", ["zz: " + "9" * 5000, "zz: " + "[" * 1000 + "]" * 1000])
def test_a_profile_with_an_outsize_number_or_deep_nesting_is_located_not_a_fault(tmp_path: Path, hostile: str):
    """assess read the profile's `pack:` with a plain YAML load first, to find the pack: a 5,000-digit number
    (past Python's int limit) or 1,000 nested lists escaped from it as exit 4. The profile's loader places both."""
    profile = tmp_path / "profile.yaml"
    profile.write_text(PROFILE.read_text(encoding="utf-8") + hostile + "\n", encoding="utf-8")
    line = profile.read_text(encoding="utf-8").count("\n")
    result = _assess("--profile", str(profile), str(CLEAN))
    assert result.exit_code == ExitCode.ERROR, result.stderr
    places = _problems(result)
    assert places and all(place.startswith(f"{profile}:{line}:") for place, _ in places), result.stderr


# --- workbooks ----------------------------------------------------------------------------------------------------

def _workbook(path: Path, change, sheets: tuple[str, ...] = (TYPE,)) -> Path:
    """The clean export as a workbook (a sheet of it per name), the last sheet's XML then put through ``change``."""
    from openpyxl import Workbook
    book = Workbook()
    book.remove(book.active)
    for name in sheets:
        sheet = book.create_sheet(name)
        for line in CLEAN.read_text().splitlines():
            sheet.append(line.split(","))
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        parts = [(item, archive.read(item.filename)) for item in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for item, data in parts:
            if item.filename == f"xl/worksheets/sheet{len(sheets)}.xml":
                data = change(data.decode()).encode()
            archive.writestr(item, data)
    return path


def _cell(ref: str, xml: str):
    return lambda sheet: re.sub(rf'<c r="{ref}"[^>]*>.*?</c>', xml, sheet, count=1)


DAMAGE = {
    "cut-short": lambda sheet: sheet[:len(sheet) * 2 // 3],
    "nul-reference": _cell("C3", '<c r="C3" t="inlineStr"><is><t>a&#0;b</t></is></c>'),
    "boolean-yes": _cell("D3", '<c r="D3" t="b"><v>yes</v></c>'),
    "shared-string-past-table": _cell("C3", '<c r="C3" t="s"><v>99999</v></c>'),
}


@pytest.mark.parametrize("reader", ["calamine", "openpyxl"])
@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_workbook_whose_sheet_is_damaged_is_an_input_error_at_the_sheet(tmp_path: Path, reader: str, damage: str,
                                                                          monkeypatch: pytest.MonkeyPatch):
    """The zip and the list of sheets intact, the sheet's XML not: each reader's own error (CalamineError, XmlError,
    ValueError, IndexError, ParseError) escaped as exit 4."""
    monkeypatch.setattr("peelcheck.load.xlsx_reader.READER", reader)
    path = _workbook(tmp_path / f"damaged.{TYPE}.xlsx", DAMAGE[damage])
    for engine in ("python", "columnar"):
        result = _assess("--pack", str(PACK_DIR), "--engine", engine, "--skip-invalid", str(path))
        assert result.exit_code == ExitCode.ERROR, result.stderr
        assert _problems(result) == [(f"{path}[{TYPE}]", "unreadable-file")]


def test_a_damaged_sheet_beside_the_one_read_is_an_input_error_at_that_sheet(tmp_path: Path):
    """Other sheets are looked through for data (openpyxl, whatever the reader of the sheet read)."""
    damage = _cell("D2", '<c r="D2" t="b"><v>yes</v></c>')  # in its first row of data: what it is read for
    path = _workbook(tmp_path / f"two.{TYPE}.xlsx", damage, sheets=(TYPE, "Q2"))
    result = _assess("--pack", str(PACK_DIR), str(path))
    assert result.exit_code == ExitCode.ERROR, result.stderr
    assert _problems(result) == [(f"{path}[Q2]", "unreadable-file")]


# --- a file name that is not UTF-8 --------------------------------------------------------------------------------

def _latin1_name(folder: Path, rest: str) -> Path:
    """``café<rest>`` written in Latin-1, as a name copied from a Windows share or a zip: Python holds its é as a
    lone surrogate, which no UTF-8 writer can write."""
    return folder / os.fsdecode(b"caf\xe9" + rest.encode())


def _parquet(path: Path) -> Path:
    import pyarrow.csv as pc
    import pyarrow.parquet as pq
    with path.open("wb") as handle:  # pyarrow cannot open such a name itself
        pq.write_table(pc.read_csv(CLEAN), handle)
    return path


def _xlsx(path: Path) -> Path:
    return _workbook(path, lambda sheet: sheet)


@pytest.mark.parametrize("make", [shutil.copyfile, _parquet, _xlsx], ids=["csv", "parquet", "xlsx"])
@pytest.mark.parametrize("engine", ["python", "durable", "columnar"])
def test_a_record_file_whose_name_is_not_utf8_is_read_and_named_in_every_report(tmp_path: Path, make, engine: str):
    """Every report of such a run ended in exit 4 (UnicodeEncodeError writing the name); pyarrow and calamine
    could not open the file at all ("not a readable Parquet file", "No such file or directory")."""
    suffix = {"copyfile": "csv", "_parquet": "parquet", "_xlsx": "xlsx"}[make.__name__]
    path = _latin1_name(tmp_path, f".{TYPE}.{suffix}")
    make(*([CLEAN, path] if suffix == "csv" else [path]))
    shown = f"{tmp_path}/caf\\xe9.{TYPE}.{suffix}"
    reports = [tmp_path / f"report.{ext}" for ext in ("json", "html", "md", "txt", "csv", "xml", "sarif")]
    result = _assess("--pack", str(PACK_DIR), "--engine", engine, str(path), *(f"-o{r}" for r in reports))
    assert result.exit_code == ExitCode.GAPS, result.stderr
    report = json.loads(reports[0].read_text(encoding="utf-8"))
    assert [i["path"] for i in report["inputs"]] == [shown] and report["inputs"][0]["records"] == 5
    assert all(shown in r.read_text(encoding="utf-8") for r in reports if r.suffix in (".txt", ".csv"))


def test_a_baseline_whose_name_is_not_utf8_is_named_in_the_report(tmp_path: Path):
    baseline = _latin1_name(tmp_path, ".json")
    assert _assess("--pack", str(PACK_DIR), str(CLEAN), f"-o{baseline}").exit_code == ExitCode.GAPS
    result = _assess("--pack", str(PACK_DIR), str(CLEAN), "--baseline", str(baseline))
    assert result.exit_code == ExitCode.GAPS, result.stderr
    assert json.loads(result.stdout)["baseline"]["path"] == f"{tmp_path}/caf\\xe9.json"


# --- JSON: half a UTF-16 pair ---------------------------------------------------------------------------------------

def _json_records() -> list[dict[str, str]]:
    lines = CLEAN.read_text().splitlines()
    return [{k: v for k, v in zip(lines[0].split(","), row.split(",")) if v} for row in lines[1:]]


@pytest.mark.parametrize("half", ["\\udc80", "\\uD800"])
@pytest.mark.parametrize("engine", ["python", "durable", "columnar"])
def test_half_a_utf16_pair_in_json_is_refused_at_its_record_not_a_fault(tmp_path: Path, half: str, engine: str):
    """json reads "\\udc80" alone as a lone surrogate: the row was rejected (pydantic refuses such text), and the
    rejected value then made the JSON report an internal fault (exit 4). Now it is refused as it is read, at its
    record (a JSON Lines line is set aside with --skip-invalid), as YAML refuses it."""
    records = _json_records()
    lines = [json.dumps(r) for r in records]
    lines[2] = lines[2].replace('"22/3"', f'"22/3{half}"')
    document = tmp_path / f"half.{TYPE}.json"
    document.write_text("[\n" + ",\n".join(lines) + "\n]\n", encoding="utf-8")
    result = _assess("--pack", str(PACK_DIR), "--engine", engine, "--skip-invalid", str(document))
    assert result.exit_code == ExitCode.ERROR and _problems(result) == [(f"{document}:4:1", "bad-json")], result.stderr
    jsonl = tmp_path / f"half.{TYPE}.jsonl"
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _assess("--pack", str(PACK_DIR), "--engine", engine, "--skip-invalid", str(jsonl))
    assert result.exit_code in (ExitCode.GAPS, ExitCode.INCOMPLETE), result.stderr
    report = json.loads(result.stdout)
    assert [r["location"] for r in report["rejected_rows"]] == [f"{jsonl}:3"]
    assert report["inputs"][0]["records"] == 4 and report["inputs"][0]["rejected"] == 1


def test_a_whole_utf16_pair_in_json_is_one_character(tmp_path: Path):
    records = _json_records()
    records[2]["crime_ref"] = "22/3\ud83d\ude00"  # written by json.dumps as the pair \ud83d\ude00
    path = tmp_path / f"pair.{TYPE}.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    assert "\\ud83d\\ude00" in path.read_text(encoding="utf-8")
    result = _assess("--pack", str(PACK_DIR), str(path))
    assert result.exit_code == ExitCode.GAPS and json.loads(result.stdout)["inputs"][0]["records"] == 5


@pytest.mark.parametrize("reader", ["calamine", "openpyxl"])
@pytest.mark.parametrize("serial", [-5, -0.5])
def test_a_negative_date_serial_is_refused_by_either_workbook_reader(tmp_path: Path, reader: str, serial: float,
                                                                    monkeypatch: pytest.MonkeyPatch):
    """A date cell holding a negative serial (Excel shows #####): calamine, the reader of workbooks up to 16 MB,
    read the serial's time of day alone, refused in a datetime field; openpyxl, the reader of larger ones, a date
    in 1899 (-5: 1899-12-25 00:00), assessed as a record. A workbook's size decided the counts."""
    from openpyxl import Workbook
    monkeypatch.setattr("peelcheck.load.xlsx_reader.READER", reader)
    book = Workbook()
    book.active.title = TYPE
    for line in CLEAN.read_text().splitlines():
        book.active.append(line.split(","))
    book.active["E3"] = serial  # given_at of D2
    book.active["E3"].number_format = "yyyy-mm-dd hh:mm"
    path = tmp_path / f"negative.{TYPE}.xlsx"
    book.save(path)
    result = _assess("--pack", str(PACK_DIR), "--skip-invalid", str(path))
    assert result.exit_code in (ExitCode.GAPS, ExitCode.INCOMPLETE), result.stderr
    report = json.loads(result.stdout)
    assert [(r["location"], r["field"]) for r in report["rejected_rows"]] == [(f"{path}[{TYPE}]!E3", "given_at")]
    assert report["inputs"][0]["records"] == 4


ROWS_OUT_OF_ORDER = {  # (the change to the sheet, the row named, with --skip-invalid: the records had it been read)
    "a row numbered after the rows that follow it": (lambda sheet: sheet.replace('<row r="3"', '<row r="99"', 1), 4),
    "a row written twice": (lambda sheet: re.sub(r'(<row r="3".*?</row>)', r'\1\1', sheet, count=1), 3),
}


@pytest.mark.parametrize("reader", ["calamine", "openpyxl"])
@pytest.mark.parametrize("disorder", sorted(ROWS_OUT_OF_ORDER))
def test_a_sheet_whose_rows_do_not_ascend_is_refused_by_either_reader(tmp_path: Path, reader: str, disorder: str,
                                                                     monkeypatch: pytest.MonkeyPatch):
    """Row 3 written as row 99, before rows 4 to 6: openpyxl (workbooks over 16 MB) read 2 records and dropped the
    rest silently, calamine read 5; a row written twice was read once by either."""
    monkeypatch.setattr("peelcheck.load.xlsx_reader.READER", reader)
    change, row = ROWS_OUT_OF_ORDER[disorder]
    path = _workbook(tmp_path / f"disorder.{TYPE}.xlsx", change)
    result = _assess("--pack", str(PACK_DIR), "--skip-invalid", str(path))
    assert result.exit_code == ExitCode.ERROR, result.stderr
    assert _problems(result) == [(f"{path}[{TYPE}]!A{row}", "unreadable-file")]


def test_a_sheet_of_rows_in_order_is_not_taken_for_one_out_of_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Row numbers are found a megabyte of XML at a time, the last 64 bytes of each read again with the next:
    rows seen twice so are not a row written twice. A sheet of short rows, many to each 64 bytes, across chunks."""
    from openpyxl import Workbook
    monkeypatch.setattr("peelcheck.load.xlsx_reader.READER", "calamine")
    book = Workbook()
    book.active.title = TYPE
    book.active.append(["disposal_ref", "disposal_type"])
    for n in range(60_000):
        book.active.append([f"D{n}", "caution"])
    path = tmp_path / f"long.{TYPE}.xlsx"
    book.save(path)
    result = _assess("--pack", str(PACK_DIR), str(path))
    assert result.exit_code in (ExitCode.OK, ExitCode.GAPS), result.stderr
    assert json.loads(result.stdout)["inputs"][0]["records"] == 60_000
