"""Bad input is an error naming file, line or row, field and value, exit 2; nothing is dropped silently."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from peelcheck.cli.main import cli

from .conftest import PACK_DIR, REPO

HEADER = "case_ref,domestic_abuse,victim_withdrew_support,dvpn_considered,attended_at\n"


def run(*args: str):
    return CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "--as-of", "2022-04-01", *args])


def errors(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if ": error: " in line]


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def test_bad_csv_values_name_file_line_field_and_value(tmp_path):
    path = write(tmp_path, "case_file.csv", HEADER + "A1,true,true,maybe,2021-01-01T10:00:00\n"
                 "A2,true,true,true,2021-01-01T10:00:00\nA3,true,true,true,yesterday\n")
    result = run(str(path))
    assert result.exit_code == 2
    assert [e.split(": error: ")[0] for e in errors(result)] == [f"{path}:2", f"{path}:4"]
    assert "dvpn_considered" in errors(result)[0] and "'maybe'" in errors(result)[0]
    assert "attended_at" in errors(result)[1] and "'yesterday'" in errors(result)[1]


def test_skip_invalid_assesses_the_rest_and_lists_every_rejected_row(tmp_path):
    path = write(tmp_path, "case_file.csv", HEADER + "A1,true,true,maybe,\nA2,true,true,false,\nA3,true,true\n")
    result = run(str(path), "--skip-invalid", "--format", "json", "--rule", "PVP-001")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert [r["location"] for r in report["rejected_rows"]] == [f"{path}:2", f"{path}:4"]
    [source] = report["inputs"]
    assert (source["path"], source["record_type"], source["records"], source["rejected"], source["repeated_rows"]) \
        == (str(path), "case_file", 1, 2, [])
    assert source["repeated_keys"] == []
    [rule] = report["rules"]
    # A2 names no suspect or suspect age, which PVP-001 needs to apply: not recorded, never a pass
    assert (rule["applicable"], rule["not_recorded"], rule["failures"][0]["key"]) == (1, 1, "A2")


def test_unknown_csv_column_is_named(tmp_path):
    path = write(tmp_path, "case_file.csv", "case_ref,dvpn_consdered\nA1,true\n")
    result = run(str(path))
    assert result.exit_code == 2 and "dvpn_consdered" in result.stderr and f"{path}:1:" in result.stderr


def test_unknown_field_and_wrong_type_in_yaml_name_the_record_line(tmp_path):
    path = write(tmp_path, "records.yaml", "record_type: apstra\nrecords:\n  - document_ref: A\n"
                 "    includes_arv_response_time_analysis: sometimes\n  - document_ref: B\n    colour: blue\n")
    result = run(str(path))
    assert result.exit_code == 2
    assert [e.split(": error: ")[0] for e in errors(result)] == [f"{path}:3:5", f"{path}:5:5"]
    assert "colour: unknown field" in errors(result)[1]


def test_bad_json_line_in_jsonl_is_named(tmp_path):
    path = write(tmp_path, "apstra.jsonl", '{"document_ref": "A"}\n{"document_ref": \n')
    result = run(str(path))
    assert result.exit_code == 2 and errors(result)[0].startswith(f"{path}:2:")


def test_unreadable_and_missing_files(tmp_path):
    path = write(tmp_path, "case_file.csv", HEADER.encode() + b"A1,true,true,\xff\xfe,\n")
    result = run(str(path))  # not UTF-8: read as Windows-1252, so the cell is a value, and a bad one
    assert result.exit_code == 2 and "dvpn_considered" in result.stderr and "'ÿþ'" in result.stderr
    result = run(str(tmp_path / "nothing.csv"))
    assert result.exit_code == 2 and "no such record file" in result.stderr
    empty = write(tmp_path, "empty.case_file.csv", "")
    result = run(str(empty))
    assert result.exit_code == 2 and f"{empty}:1:" in result.stderr and "[empty-file]" in result.stderr
    header_only = write(tmp_path, "header.case_file.csv", HEADER)
    assert run(str(header_only)).exit_code == 0
    result = run(str(tmp_path))
    assert result.exit_code == 2 and "a folder, not a record file" in result.stderr and "[not-a-file]" in result.stderr


def test_file_of_unknown_record_type_needs_type(tmp_path):
    path = write(tmp_path, "cases.csv", HEADER + "A1,true,true,true,\n")
    result = run(str(path))
    assert result.exit_code == 2 and "--type" in result.stderr
    # assessed with --type (exit 1: the row names no suspect, so PVP-001 is not recorded), not a usage error
    assert run(str(path), "--type", "case_file", "--rule", "PVP-001").exit_code == 1


@pytest.mark.parametrize("engine", ["durable", "python", "columnar"])
def test_real_police_uk_stop_and_search_file_loads_every_row(engine):
    real = REPO.parent / "shared" / "data" / "real" / "2018-08-warwickshire-stop-and-search.csv"
    if not real.exists():
        pytest.skip("shared data not beside the checkout")
    result = run("--mapping", "police_uk_stop_search", str(real), "--format", "json", "--engine", engine,
                 "--as-of", "2018-09-01")
    assert result.exit_code in (0, 1), result.stderr
    report = json.loads(result.stdout)
    assert report["inputs"][0]["records"] == 144 and report["rejected_rows"] == []


def test_real_police_uk_quirks_are_reported_row_by_row():
    """Exact repeats, and "outcome linked" on no-further-action searches, as the file itself has them."""
    real = REPO.parent / "shared" / "data" / "real" / "2018-08-warwickshire-stop-and-search.csv"
    if not real.exists():
        pytest.skip("shared data not beside the checkout")
    with real.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    first_line: dict[tuple[str, ...], int] = {}
    repeats = []
    for line, row in enumerate(rows, start=2):  # the header is line 1
        first = first_line.setdefault(tuple(row.values()), line)
        if first != line:
            repeats.append(f"line {line} repeats line {first}")
    linked_nfa = {f"{real.stem}:{line}" for line, row in enumerate(rows, start=2)
                  if row["Outcome"] == "A no further action disposal"
                  and row["Outcome linked to object of search"] == "True"}
    result = run("--mapping", "police_uk_stop_search", str(real), "--format", "json", "--as-of", "2018-09-01")
    report = json.loads(result.stdout)
    assert report["inputs"][0]["repeated_rows"] == repeats and len(repeats) == 6
    leg019 = next(r for r in report["rules"] if r["id"] == "LEG-019")
    assert {f["key"] for f in leg019["failures"]} == linked_nfa and len(linked_nfa) > leg019["applicable"] / 2
    assert all(f["values"] == {"outcome_linked_to_object": True} for f in leg019["failures"])
    leg018 = next(r for r in report["rules"] if r["id"] == "LEG-018")
    assert leg018["non_compliant"] == len(leg018["failures"]) > 0


OOCD = "disposal_ref,disposal_type,given_at,victim_views_sought_at,victim_views_recorded_at\n"


@pytest.mark.parametrize("engine", ["durable", "python", "columnar"])
def test_a_number_in_a_datetime_cell_is_a_bad_value_not_unix_seconds(tmp_path, engine):
    """"3" was read as 1970-01-01T00:00:03, so the victim's views looked sought before the caution."""
    path = write(tmp_path, "out_of_court_disposal.csv", OOCD + "N1,caution,2021-03-01T10:00:00,2021-02-28T10:00:00,"
                 "2021-02-28T11:00:00\nN3,caution,2021-03-01T10:00:00,3,4\nN4,caution,44256,,\n")
    result = run(str(path), "--rule", "INV-001", "--engine", engine)
    assert result.exit_code == 2
    assert [e.split(": error: ")[0] for e in errors(result)] == [f"{path}:3", f"{path}:3", f"{path}:4"]
    result = run(str(path), "--rule", "INV-001", "--engine", engine, "--skip-invalid", "--format", "json")
    report = json.loads(result.stdout)
    assert [(r["location"], r["field"], r["value"]) for r in report["rejected_rows"]] == [
        (f"{path}:3", "victim_views_sought_at", "3"), (f"{path}:3", "victim_views_recorded_at", "4"),
        (f"{path}:4", "given_at", "44256")]
    assert report["inputs"][0]["records"] == 1 and result.exit_code == 3


@pytest.mark.parametrize("engine", ["durable", "python", "columnar"])
def test_a_zero_date_is_a_bad_value_not_a_fault(tmp_path, engine):
    """0001-01-01T00:00:00Z is before year 1 in Europe/London (and 9999-12-31T23:30-05:00 after 9999)."""
    path = write(tmp_path, "case_file.csv", HEADER + "A1,true,true,true,2021-01-01T10:00:00\n"
                 "A2,true,true,true,0001-01-01T00:00:00Z\nA3,true,true,true,9999-12-31T23:30:00-05:00\n")
    result = run(str(path), "--engine", engine)
    assert result.exit_code == 2
    assert [e.split(": error: ")[0] for e in errors(result)] == [f"{path}:3", f"{path}:4"]
    result = run(str(path), "--engine", engine, "--skip-invalid", "--format", "json", "--rule", "PVP-001")
    assert result.exit_code in (1, 3), result.stderr
    report = json.loads(result.stdout)
    assert [(r["location"], r["field"]) for r in report["rejected_rows"]] == [(f"{path}:3", "attended_at"),
                                                                           (f"{path}:4", "attended_at")]
    assert report["inputs"][0]["records"] == 1
