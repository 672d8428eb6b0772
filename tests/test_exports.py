"""Files shaped like real exports read with their mapping and give the clean CSV's assessment, or
fail with the message a user needs (its code, location and exit code)."""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from peelcheck.cli.main import cli
from peelcheck.exitcodes import ExitCode

from .conftest import PACK_DIR

EXPORTS = Path(__file__).parent / "data" / "exports"
CLEAN = EXPORTS / "clean.out_of_court_disposal.csv"
RULES = ("INV-001", "INV-009", "INV-010", "INV-011")


def run(*args: str, stdin: bytes | None = None):
    rules = [a for r in RULES for a in ("--rule", r)]
    return CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "--as-of", "2022-04-01", "--format", "json",
                                    *rules, *args], input=stdin)


def report(*args: str, stdin: bytes | None = None) -> dict:
    result = run(*args, stdin=stdin)
    assert result.exit_code in (0, 1, 3), result.stderr
    return json.loads(result.stdout)


def outcome(assessment: dict) -> list[tuple]:
    """What the assessment found, rule by rule: status, counts and the failing records (key and values)."""
    return [(r["id"], r["status"], r["applicable"], r["compliant"], r["non_compliant"], r["not_recorded"],
             sorted((f["key"], json.dumps(f["values"], sort_keys=True)) for f in r["failures"]))
            for r in assessment["rules"]]


@pytest.fixture(scope="module")
def clean() -> list[tuple]:
    found = outcome(report(str(CLEAN)))
    assert [r[1] for r in found] == ["not_met", "not_met", "met", "not_met"]  # failures as well as a pass
    return found


def codes(result) -> list[str]:
    return re.findall(r"\[([a-z-]+)\]$", result.stderr, flags=re.M)


def test_excel_uk_csv_with_bom_crlf_and_words_reads_as_the_clean_file(clean):
    got = report(str(EXPORTS / "excel_uk.csv"), "--mapping", str(EXPORTS / "force_export.mapping.yaml"))
    assert outcome(got) == clean
    assert got["inputs"][0]["ignored_columns"] == ["Officer Notes"]


def test_cp1252_semicolon_file_is_detected_and_stated(clean):
    got = report(str(EXPORTS / "cp1252_semicolon.csv"), "--mapping", str(EXPORTS / "force_export.mapping.yaml"))
    assert outcome(got) == clean
    stated = got["inputs"][0]["read_as"]
    assert "encoding cp1252 (detected)" in stated and "delimiter ';' (detected)" in stated


def test_blank_lines_are_skipped_and_blank_rows_reported_not_assessed(clean):
    got = report(str(EXPORTS / "blanks.out_of_court_disposal.csv"))
    assert outcome(got) == clean
    source = got["inputs"][0]
    assert (source["records"], source["blank_lines"], source["blank_rows"]) == (5, 3, [6])


def test_offsets_are_converted_to_london_time_and_mixing_is_reported(clean):
    got = report(str(EXPORTS / "mixed_offsets.out_of_court_disposal.csv"))
    assert outcome(got) == clean  # 13:30Z on 3 June is 14:30 in London: sought after the caution, as in the clean file
    assert got["inputs"][0]["mixed_offsets"] == ["given_at", "victim_views_recorded_at", "victim_views_sought_at"]


def test_a_declared_timezone_reads_naive_times_there(tmp_path):
    mapping = tmp_path / "utc.yaml"
    mapping.write_text("name: utc\nrecord_type: out_of_court_disposal\ntimezone: UTC\n")
    got = report(str(EXPORTS / "mixed_offsets.out_of_court_disposal.csv"), "--mapping", str(mapping))
    inv001 = next(r for r in got["rules"] if r["id"] == "INV-001")
    given = {f["key"]: f["values"]["given_at"] for f in inv001["failures"]}
    assert given["D2"] == "2021-06-03T13:00:00"  # 14:00+01:00 in UTC (in London it is 14:00)
    assert "times in UTC" in got["inputs"][0]["read_as"]


def test_date_only_in_a_datetime_field_is_an_error_unless_the_mapping_says_how_to_read_it(clean):
    path = EXPORTS / "date_only.out_of_court_disposal.csv"
    result = run(str(path))
    assert result.exit_code == ExitCode.ERROR and codes(result) == ["bad-record"]
    assert result.stderr.startswith(f"{path}:2: error: given_at: a date with no time")
    got = report(str(path), "--mapping", str(EXPORTS / "date_only.mapping.yaml"))
    assert outcome(got) == clean  # D1 given at the end of 3 March: views (2 March) before, told after (4 March)


def test_missing_columns_are_not_recorded_and_extra_column_stated():
    path = EXPORTS / "extra_missing.out_of_court_disposal.csv"
    result = run(str(path))
    assert result.exit_code == ExitCode.ERROR and codes(result) == ["unknown-column"] and "'Notes'" in result.stderr
    got = report(str(path), "--mapping", str(EXPORTS / "ignore_extra.mapping.yaml"))
    status = {r["id"]: r["status"] for r in got["rules"]}
    # victim_identified absent: not recorded, which the rules read as "a victim may exist" (they apply)
    assert status == {"INV-001": "not_met", "INV-009": "not_met", "INV-010": "not_met", "INV-011": "not_met"}
    inv011 = next(r for r in got["rules"] if r["id"] == "INV-011")
    assert (inv011["applicable"], inv011["not_recorded"]) == (5, 5)  # no column: not recorded in every row
    source = got["inputs"][0]
    assert source["ignored_columns"] == ["Notes"] and "offender_meets_national_criteria" in source["absent_fields"]
    assert "unknown columns ignored (ignore_unknown_columns)" in source["read_as"]


BLANK_CRITERIA = ("disposal_ref,disposal_type,given_at,victim_identified,{column}\n"
                  "D1,caution,2021-03-01T10:00:00,true,true\n"
                  "D2,caution,2021-03-02T10:00:00,,\n")  # D2's criteria cell blank: not recorded


@pytest.mark.parametrize("renamed", [False, True])
def test_a_constant_for_a_field_the_file_has_a_column_for_is_an_error_at_the_constant(tmp_path: Path, renamed):
    column = "Meets Criteria" if renamed else "offender_meets_national_criteria"
    data = tmp_path / "blank.out_of_court_disposal.csv"
    data.write_text(BLANK_CRITERIA.format(column=column))
    mapping = tmp_path / "const.yaml"
    rename = f"columns:\n  {column}: offender_meets_national_criteria\n" if renamed else ""
    mapping.write_text(f"name: const\nrecord_type: out_of_court_disposal\n{rename}"
                       "constants:\n  offender_meets_national_criteria: true\n")
    result = run(str(data), "--mapping", str(mapping))
    assert result.exit_code == ExitCode.ERROR and codes(result) == ["constant-and-column"]  # never a filled blank
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{mapping}:{6 if renamed else 4}:3: error:")
    assert str(data) in first and repr(column) in first


def test_a_constant_beside_an_ignored_column_fills_every_row(tmp_path: Path):
    data = tmp_path / "blank.out_of_court_disposal.csv"
    data.write_text(BLANK_CRITERIA.format(column="offender_meets_national_criteria"))
    mapping = tmp_path / "const.yaml"
    mapping.write_text("name: const\nrecord_type: out_of_court_disposal\nignore: [offender_meets_national_criteria]\n"
                       "constants:\n  offender_meets_national_criteria: true\n")
    got = report(str(data), "--mapping", str(mapping))
    inv011 = next(r for r in got["rules"] if r["id"] == "INV-011")
    assert inv011["not_recorded"] == 0 and got["inputs"][0]["ignored_columns"] == ["offender_meets_national_criteria"]


def test_a_profile_mappings_constant_beside_a_column_is_located_in_the_profile(tmp_path: Path):
    data = tmp_path / "blank.out_of_court_disposal.csv"
    data.write_text(BLANK_CRITERIA.format(column="offender_meets_national_criteria"))
    pack_id = (PACK_DIR / "pack.yaml").read_text().split("id:", 1)[1].split()[0]
    profile = tmp_path / "profile.yaml"
    profile.write_text(f"id: test-force\ntitle: Test\npack: {pack_id}\nmappings:\n  - name: const\n"
                       "    record_type: out_of_court_disposal\n    constants:\n"
                       "      offender_meets_national_criteria: true\n")
    result = run(str(data), "--profile", str(profile), "--mapping", "const")
    assert result.exit_code == ExitCode.ERROR and codes(result) == ["constant-and-column"]
    assert result.stderr.startswith(f"{profile}:8:7: error:")


def police_uk(*args: str):
    return CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "--as-of", "2018-09-01", "--rule", "LEG-019",
                                    "--mapping", "police_uk_stop_search",
                                    str(EXPORTS / "police_uk_no_outcome_link.csv"), *args])


def test_absent_column_a_rule_applies_by_makes_it_not_assessable_and_a_gap(tmp_path):
    result = police_uk("--format", "json")
    assert result.exit_code == ExitCode.GAPS
    [rule] = json.loads(result.stdout)["rules"]
    assert rule["status"] == "not_assessable"
    assert rule["not_assessable_reason"].startswith("column Outcome linked to object of search absent "
                                                    "(outcome_linked_to_object)")
    assert "not assessable: column Outcome linked" in " ".join(police_uk().stdout.split())
    profile = tmp_path / "profile.yaml"
    pack_id = (PACK_DIR / "pack.yaml").read_text().split("id:", 1)[1].split()[0]
    profile.write_text(f"id: test-force\ntitle: Test\npack: {pack_id}\ndisable:\n  - rule: LEG-019\n"
                       "    reason: police.uk extract without the outcome link\n")
    assert police_uk("--profile", str(profile)).exit_code == ExitCode.OK


def _workbook(path: Path, rows: list[list], formulas: dict[str, str] | None = None, sheet: str = "disposals") -> None:
    from openpyxl import Workbook
    book = Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    book.save(path)
    if formulas:
        _save_formula_values(path, formulas)


def _save_formula_values(path: Path, values: dict[str, str]) -> None:
    """Write the values Excel would have saved beside formulas (openpyxl saves formulas alone)."""
    with zipfile.ZipFile(path) as old:
        parts = {name: old.read(name) for name in old.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    for ref, value in values.items():
        xml = re.sub(rf'<c r="{ref}"><f>(.*?)</f><v\s*/>', rf'<c r="{ref}" t="str"><f>\1</f><v>{value}</v>', xml)
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in parts.items():
            new.writestr(name, data)


def _serial(value: dt.datetime) -> float:
    return (value - dt.datetime(1899, 12, 30)) / dt.timedelta(days=1)


def _xlsx_rows() -> list[list]:
    """The clean file's records as a workbook holds them: typed cells, some dates as serial numbers, words,
    and the crime reference as a formula."""
    def when(text: str) -> dt.datetime | None:
        return dt.datetime.fromisoformat(text) if text else None
    rows: list[list] = [["Disposal Ref", "Disposal Type", "Crime Ref", "Victim Identified", "Given", "Views Sought",
                         "Views Recorded", "Victim Informed", "Meets Criteria"]]
    for n, line in enumerate(CLEAN.read_text().splitlines()[1:], start=2):
        ref, kind, _crime, victim, given, sought, recorded, informed, meets = line.split(",")
        sought_at = when(sought)
        rows.append([ref, kind.replace("_", " ").title(), f'="22/"&{n - 1}',
                     {"true": True, "false": False, "": None}[victim], when(given),
                     _serial(sought_at) if sought_at else None, when(recorded), informed or None,
                     {"true": "Yes", "false": "No", "": None}[meets]])
    return rows


@pytest.mark.parametrize("reader", ["calamine", "openpyxl"])
def test_xlsx_with_serial_dates_and_formula_column_reads_as_the_clean_file(tmp_path, clean, reader, monkeypatch):
    monkeypatch.setattr("peelcheck.load.xlsx_reader.READER", reader)
    path = tmp_path / "disposals.xlsx"
    _workbook(path, _xlsx_rows(), {f"C{n}": f"22/{n - 1}" for n in range(2, 7)})
    mapping = EXPORTS / "force_export.mapping.yaml"
    text = mapping.read_text().replace("formats:", "formats_unused:").split("formats_unused:")[0]
    plain = tmp_path / "map.yaml"
    plain.write_text(text + "ignore: [Officer Notes]\n")  # workbook dates are dates: no formats needed
    got = report(str(path), "--mapping", str(plain))
    assert outcome(got) == clean
    assert "sheet 'disposals'" in got["inputs"][0]["read_as"]


@pytest.mark.parametrize("reader", ["calamine", "openpyxl"])
def test_xlsx_bad_cell_is_located_at_its_cell(tmp_path, reader, monkeypatch):
    monkeypatch.setattr("peelcheck.load.xlsx_reader.READER", reader)
    rows = _xlsx_rows()
    rows[2][4] = "soon"  # Given of the second record: E3
    path = tmp_path / "disposals.xlsx"
    _workbook(path, rows, {f"C{n}": f"22/{n - 1}" for n in range(2, 7)})
    plain = tmp_path / "map.yaml"
    plain.write_text((EXPORTS / "force_export.mapping.yaml").read_text().split("formats:")[0])
    result = run(str(path), "--mapping", str(plain))
    assert result.exit_code == ExitCode.ERROR and codes(result) == ["bad-record"]
    assert result.stderr.startswith(f"{path}[disposals]!E3: error: given_at:") and "'soon'" in result.stderr


def test_xlsx_sheet_is_chosen_by_record_type_or_sheet_option(tmp_path):
    from openpyxl import Workbook
    book = Workbook()
    book.active.title = "notes"
    data = book.create_sheet("out_of_court_disposal")
    for line in CLEAN.read_text().splitlines():
        data.append(line.split(","))
    other = book.create_sheet("copy")
    for line in CLEAN.read_text().splitlines()[:2]:
        other.append(line.split(","))
    path = tmp_path / "audit.xlsx"
    book.save(path)
    assert report(str(path), "--type", "out_of_court_disposal")["summary"]["records"] == 5
    assert report(str(path), "--type", "out_of_court_disposal", "--sheet", "copy")["summary"]["records"] == 1
    result = run(str(path), "--type", "out_of_court_disposal", "--sheet", "missing")
    assert result.exit_code == ExitCode.ERROR and codes(result) == ["no-such-sheet"]


def _quarters(path: Path, main_rows: int, hidden: str | None = None) -> Path:
    """A workbook of a quarter a sheet: Q1 and Q2 of two records each, and the record type's own sheet
    holding the first ``main_rows`` records; ``hidden``: a hidden sheet of one record besides."""
    from openpyxl import Workbook
    header, *rows = [line.split(",") for line in CLEAN.read_text().splitlines()]
    book = Workbook()
    sheets = {"Q1": rows[:2], "Q2": rows[2:4], "out_of_court_disposal": rows[:main_rows], "blank": [],
              **({hidden: rows[4:5]} if hidden else {})}
    book.remove(book.active)
    for name, records in sheets.items():
        sheet = book.create_sheet(name)
        for row in [header, *records] if name != "blank" else [header]:
            sheet.append(row)
    if hidden:
        book[hidden].sheet_state = "hidden"
    book.save(path)
    return path


@pytest.mark.parametrize("reader", ["calamine", "openpyxl"])
def test_xlsx_other_sheets_holding_data_are_named_not_dropped(tmp_path, reader, monkeypatch):
    monkeypatch.setattr("peelcheck.load.xlsx_reader.READER", reader)
    path = _quarters(tmp_path / "quarters.xlsx", 5, hidden="archive")  # hidden sheets too
    result = run(str(path), "--type", "out_of_court_disposal")
    assert result.exit_code in (0, 1) and codes(result) == ["sheets-not-read"]
    assert result.stderr.startswith(f"{path}: warning:")
    source = json.loads(result.stdout)["inputs"][0]
    assert source["records"] == 5 and source["sheets_not_read"] == {"Q1": 2, "Q2": 2, "archive": 1}
    chosen = run(str(path), "--type", "out_of_court_disposal", "--sheet", "Q2")  # named: the others are meant
    assert codes(chosen) == [] and json.loads(chosen.stdout)["inputs"][0]["sheets_not_read"] == {}
    text = run(str(path), "--type", "out_of_court_disposal", "--format", "text", "-q")
    markdown = run(str(path), "--type", "out_of_court_disposal", "--format", "md", "-q")
    assert all("Q1 (2 rows), Q2 (2 rows)" in r.stdout for r in (text, markdown))


@pytest.mark.parametrize("reader", ["calamine", "openpyxl"])
def test_xlsx_empty_sheet_read_while_others_hold_data_is_an_error(tmp_path, reader, monkeypatch):
    monkeypatch.setattr("peelcheck.load.xlsx_reader.READER", reader)
    path = _quarters(tmp_path / "quarters.out_of_court_disposal.xlsx", 0)
    result = run(str(path))
    assert result.exit_code == ExitCode.ERROR and codes(result) == ["empty-sheet"]
    assert result.stderr.startswith(f"{path}[out_of_court_disposal]: error:")
    assert "'Q1'" in result.stderr and "'Q2'" in result.stderr and "'blank'" not in result.stderr
    assert report(str(path), "--sheet", "Q1")["summary"]["records"] == 2


def test_other_sheets_size_is_counted_when_the_recorded_size_is_wrong():
    from peelcheck.load.xlsx_sheets import _data_rows

    def rows():  # a sheet's, whose writer recorded no size, or too small a one
        return iter([(None,), ("ref", "type"), ("D1", None), (None, None), ("D2", "x")])

    assert [_data_rows(rows(), m) for m in (None, 1, 5, 9)] == [2, 2, 3, 7]


def test_not_utf8_error_names_the_files_line(tmp_path):
    lines = CLEAN.read_text().splitlines()
    body = [lines[0]] + [lines[1].replace("D1", f"D{i}") for i in range(1, 1200)]  # past the detection sample
    path = tmp_path / "late.out_of_court_disposal.csv"
    path.write_bytes(("\n".join(body) + "\n").encode() + lines[2].replace("22/2", "22/\u2019").encode("cp1252") + b"\n")
    result = run(str(path))
    assert result.exit_code == ExitCode.ERROR and codes(result) == ["unreadable-file"]
    assert result.stderr.startswith(f"{path}:1201: error: not utf-8 text")


def test_skip_invalid_counts_rows_not_cells_and_exits_incomplete(tmp_path):
    lines = CLEAN.read_text().splitlines()
    bad = "D9,kaution,22/9,maybe,then,later,never,soon,perhaps"  # one row, many bad cells
    path = tmp_path / "bad.out_of_court_disposal.csv"
    path.write_text("\n".join([lines[0], lines[4], bad]) + "\n")  # D4: no rule fails it
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "--as-of", "2022-04-01", str(path),
                                      "--skip-invalid", "--rule", "INV-009", "--format", "md"])
    assert result.exit_code == ExitCode.INCOMPLETE
    assert "**1 of 2 rows rejected: results incomplete.**" in result.stdout
    got = report(str(path), "--skip-invalid")
    assert (got["summary"]["rows_rejected"], got["inputs"][0]["rejected"], got["inputs"][0]["problems"]) == (1, 1, 7)
    everything_bad = tmp_path / "all.out_of_court_disposal.csv"
    everything_bad.write_text("\n".join([lines[0], bad]) + "\n")
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "--as-of", "2022-04-01",
                                      str(everything_bad), "--skip-invalid", "--rule", "INV-009"])
    assert result.exit_code == ExitCode.INCOMPLETE and "1 of 1 row rejected: results incomplete" in result.stdout


def test_records_from_standard_input(clean):
    got = report("-", "--type", "out_of_court_disposal", stdin=CLEAN.read_bytes())
    assert outcome(got) == [(r[0], *r[1:6], [(k, v) for k, v in r[6]]) for r in clean]
    assert got["inputs"][0]["path"] == "<stdin>"
    uk = report("-", "--mapping", str(EXPORTS / "force_export.mapping.yaml"),
                stdin=(EXPORTS / "excel_uk.csv").read_bytes())
    assert outcome(uk) == clean
    result = run("-", stdin=CLEAN.read_bytes())
    assert result.exit_code == ExitCode.ERROR and codes(result) == ["unknown-record-type"]


def _clean_as_yaml(declared: bool) -> bytes:
    """The clean CSV's records as a YAML record file: a list of records, or the file naming its record type."""
    import csv

    import yaml
    with CLEAN.open(newline="") as handle:
        records = [{k: v for k, v in row.items() if v} for row in csv.DictReader(handle)]
    document = {"record_type": "out_of_court_disposal", "records": records} if declared else records
    return ("# exported by hand\n---\n" + yaml.safe_dump(document, sort_keys=False)).encode()


@pytest.mark.parametrize("declared", [True, False], ids=["record_type-key", "list"])
def test_yaml_records_from_standard_input_read_as_a_yaml_file(clean, declared: bool):
    """YAML on standard input was saved as stdin.csv and read as CSV (its first line a column name)."""
    got = report("-", *([] if declared else ["--type", "out_of_court_disposal"]), stdin=_clean_as_yaml(declared))
    assert got["summary"]["rows_rejected"] == 0 and got["inputs"][0]["path"] == "<stdin>"
    assert outcome(got) == clean
    mapped = run("-", "--mapping", str(EXPORTS / "force_export.mapping.yaml"), stdin=_clean_as_yaml(declared))
    assert mapped.exit_code == ExitCode.ERROR and codes(mapped) == ["mapping-not-applicable"]
    assert mapped.stderr.startswith("<stdin>: error:")
    broken = run("-", "--type", "out_of_court_disposal", stdin=b"record_type: out_of_court_disposal\nrecords: [\n")
    assert broken.exit_code == ExitCode.ERROR and codes(broken) == ["yaml-syntax"]
    assert broken.stderr.startswith("<stdin>:3:1: error:")  # located in standard input, not the copy of it
    other = run("-", "--type", "case_file", stdin=_clean_as_yaml(True))
    assert codes(other) == ["conflicting-record-type"] and other.stderr.startswith("<stdin>: error:")


@pytest.mark.parametrize(("head", "suffix"), [
    (b"record_type: case_file\nrecords:\n", ".yaml"),
    (b"\xef\xbb\xbf# a comment\n%YAML 1.2\n---\nrecords:\n  - ref: 1\n", ".yaml"),
    (b"description: Q3 audit, by hand; checked\nrecord_type: case_file\n", ".yaml"),
    (b"- case_ref: CF-1\n  victim_identified: true\n", ".yaml"),
    (b"-\n  case_ref: CF-1\n", ".yaml"),
    (b"{record_type: case_file, records: [{case_ref: CF-1}]}\n", ".yaml"),  # a flow mapping: not JSON
    (b"{ records:\n  [{case_ref: CF-1}]}\n", ".yaml"),
    (b'{"records": [{"case_ref": "CF-1"}]}\n', ".json"),
    (b"case_ref,record_type,records\nCF-1,a,b\n", ".csv"),
    (b"record_type,case_ref\nx,CF-1\n", ".csv"),
    (b"records;case_ref\n", ".csv"),
    (b"Ref: old,Type\nCF-1,a\n", ".csv"),
    (b"#,case_ref\n1,CF-1\n", ".csv"),
    (b"-1,case_ref\n", ".csv"),
    (b"--,case_ref\n", ".csv"),
    (b"\"record_type: x\",ref\n", ".csv"),
    (b"", ".csv"),
])
def test_standard_input_is_known_as_yaml_by_its_first_line_never_a_csv_header(tmp_path: Path, head: bytes,
                                                                              suffix: str):
    """A CSV's first line is its header: one a YAML record file's first line could be would name its first
    column ``record_type: ...`` or ``- ...``, no field's name. Every header of field names stays a CSV."""
    import io

    from peelcheck.load.sources import spooled
    saved = spooled(io.BytesIO(head), tmp_path)
    assert saved.suffix == suffix and saved.read_bytes() == head


def _clean_as_json(document: bool, indent: int | None) -> bytes:
    import csv
    import json
    with CLEAN.open(newline="") as handle:
        records = [{k: v for k, v in row.items() if v} for row in csv.DictReader(handle)]
    if document:
        return json.dumps({"record_type": "out_of_court_disposal", "records": records}, indent=indent).encode()
    return "\n".join(json.dumps(r) for r in records).encode() + b"\n"


@pytest.mark.parametrize(("document", "indent"), [(True, 2), (True, None), (False, None)],
                         ids=["pretty-printed-document", "one-line-document", "json-lines"])
def test_json_from_standard_input_read_as_the_file_would_be(clean, document: bool, indent: int | None):
    """A stream starting with '{' was always taken for JSON Lines: a pretty-printed JSON document (or its
    mapping on one line) failed with bad-record at lines 1 and 2, though the same file read fine."""
    got = report("-", "--type", "out_of_court_disposal", stdin=_clean_as_json(document, indent))
    assert got["summary"]["rows_rejected"] == 0 and got["inputs"][0]["path"] == "<stdin>"
    assert outcome(got) == clean


def test_case_insensitive_enum_values_where_unambiguous(clean):
    text = CLEAN.read_text().replace(",caution,", ",Caution,").replace("community_resolution", "COMMUNITY_RESOLUTION")
    got = report("-", "--type", "out_of_court_disposal", stdin=text.encode())
    assert outcome(got) == [(r[0], *r[1:6], r[6]) for r in clean]


@pytest.mark.parametrize("suffix", [".json", ".yaml", ".jsonl"])
def test_enum_values_in_any_case_are_read_alike_in_every_format(clean, tmp_path: Path, suffix: str):
    """JSON and YAML records fold an enum value's case as CSV cells are folded (shaping.in_any_case)."""
    import csv

    import yaml
    shouting = {"caution": "Caution", "community_resolution": "COMMUNITY_RESOLUTION"}
    with CLEAN.open(newline="") as handle:
        records = [{k: shouting.get(v, v) for k, v in row.items() if v} for row in csv.DictReader(handle)]
    assert {r.get("disposal_type") for r in records} >= {"Caution", "COMMUNITY_RESOLUTION"}
    path = tmp_path / f"disposals{suffix}"
    path.write_text(yaml.safe_dump(records) if suffix == ".yaml" else "\n".join(map(json.dumps, records))
                    if suffix == ".jsonl" else json.dumps(records))
    got = report(str(path), "--type", "out_of_court_disposal")
    assert got["summary"]["rows_rejected"] == 0
    assert outcome(got) == clean


def test_an_absent_column_makes_a_rule_not_assessable_only_where_it_hides_records():
    from peelcheck.assess.data_quality import hides_records
    from peelcheck.errors import Location
    from peelcheck.schema.condition_parser import parse_condition

    def when(node: object):
        cond, problems = parse_condition(node, Location("test"))
        assert cond is not None, problems
        return cond
    linked = {"all": [{"outcome": "nfa"}, {"linked": {"recorded": True}}]}
    assert hides_records(when(linked), "linked")  # police.uk without the column: every row out, silently
    assert not hides_records(when(linked), "outcome")  # unknown: each row counts as not recorded
    assert not hides_records(when({"victim_identified": True}), "victim_identified")
    assert not hides_records(when({"left_on": {"recorded": False}}), "left_on")
    assert not hides_records(when({"any": [{"v": {"recorded": False}}, {"v": True}]}), "v")
    assert hides_records(when({"any": [{"a": {"recorded": True}}, {"b": True}]}), "a")  # lost where b is false
    assert not hides_records(when({"not": {"a": {"recorded": True}}}), "a")


def test_utf16_with_bom_reads_as_the_clean_file(tmp_path, clean):
    path = tmp_path / "wide.out_of_court_disposal.csv"
    path.write_bytes(CLEAN.read_text().replace("\n", "\r\n").encode("utf-16"))  # Python writes the BOM
    got = report(str(path))
    assert outcome(got) == clean and "encoding utf-16 (declared)" not in got["inputs"][0]["read_as"]
    assert "encoding utf-16 (detected)" in got["inputs"][0]["read_as"]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("engine", ["python", "columnar"])
def test_utf16_without_a_bom_reads_as_the_clean_file(tmp_path, clean, codec, engine):
    # read as UTF-8, every other character was a NUL: the header's names did not match, with no word of why
    path = tmp_path / "wide.out_of_court_disposal.csv"
    path.write_bytes(CLEAN.read_text().replace("\n", "\r\n").encode(codec))
    got = report(str(path), "--engine", engine)
    assert outcome(got) == clean and f"encoding {codec} (detected)" in got["inputs"][0]["read_as"]


def test_a_column_with_no_header_is_read_past_while_blank(tmp_path, clean):
    lines = CLEAN.read_text().splitlines()
    path = tmp_path / "trailing.out_of_court_disposal.csv"
    path.write_text("\n".join(f"{line}," for line in lines) + "\n")  # Excel's trailing empty column
    assert outcome(report(str(path))) == clean
    path.write_text("\n".join([lines[0] + ",", lines[1] + ",stray"] + [f"{line}," for line in lines[2:]]) + "\n")
    result = run(str(path))
    assert result.exit_code == ExitCode.ERROR and codes(result) == ["bad-record"]
    assert result.stderr.startswith(f"{path}:2: error: a value in a column with no header (value 'stray')")


@pytest.mark.parametrize("reader", ["calamine", "openpyxl"])
def test_xlsx_formula_saved_without_its_value_is_an_error_not_a_blank(tmp_path, reader, monkeypatch):
    """A formula stored alone (no calculated value) would read as an empty cell, "not recorded": refused, by cell."""
    monkeypatch.setattr("peelcheck.load.xlsx_reader.READER", reader)
    path = tmp_path / "disposals.xlsx"
    _workbook(path, _xlsx_rows())  # openpyxl saves the crime-reference formulas without values
    mapping = EXPORTS / "force_export.mapping.yaml"
    plain = tmp_path / "map.yaml"
    plain.write_text(mapping.read_text().replace("formats:", "formats_unused:").split("formats_unused:")[0]
                     + "ignore: [Officer Notes]\n")
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), str(path), "--mapping", str(plain),
                                      "--as-of", "2022-04-01"])
    assert result.exit_code == ExitCode.ERROR
    assert result.stderr.count("[formula-not-calculated]") == len(_xlsx_rows()) - 1
    assert "disposals.xlsx[disposals]!C2" in result.stderr


def test_a_row_of_spaces_is_a_blank_row_whatever_rows_surround_it(clean, tmp_path: Path):
    """A row of only spaces is reported as blank and not assessed, as a row of empty cells is, even
    in a chunk with no empty row (which once sent it on as a record, rejected)."""
    lines = CLEAN.read_text(encoding="utf-8").splitlines()
    spaces = ",".join(" " for _ in lines[0].split(","))
    path = tmp_path / "spaces.out_of_court_disposal.csv"
    path.write_text("\n".join([*lines[:3], spaces, *lines[3:]]) + "\n", encoding="utf-8")
    result = run(str(path))
    got = json.loads(result.stdout)
    assert outcome(got) == clean and result.exit_code == 1, result.stderr
    assert got["inputs"][0]["blank_rows"] == [4] and got["inputs"][0]["rejected"] == 0
