"""Broken inputs found by trying them through the CLI, each now an error at its place on one line (exit 2): a
control character written raw in any YAML file (record file, mapping, waivers) was named by its offset alone,
a workbook with no sheets was said to have several, and a corrupt Parquet file's error ran over two lines."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from peelcheck.cli.main import cli

from .conftest import PACK_DIR

CLEAN = Path(__file__).parent / "data" / "exports" / "clean.out_of_court_disposal.csv"
TYPE = "out_of_court_disposal"


def _assess(*args: str) -> Result:
    return CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "--as-of", "2022-04-01", "--format", "json",
                                    "--rule", "INV-001", *args])


def _problems(result: Result) -> list[tuple[str, str]]:
    """(place, code) of each problem; every line of stderr is a problem or its hint."""
    lines = result.stderr.splitlines()
    assert all(re.fullmatch(r".*: error: .* \[[a-z-]+\]|  hint: .*", line) for line in lines), lines
    return re.findall(r"^(.*?): error: .*\[([a-z-]+)\]$", result.stderr, flags=re.M)


# a raw control character after a two-byte one on its line: libyaml counts its offset in bytes, PyYAML in characters
CONTROL = "\x01"
RECORDS = f"records:\n  - disposal_ref: D1\n    crime_ref: é2{CONTROL}/1\n"  # line 3, column 18


def test_a_control_character_in_a_yaml_record_file_is_placed_at_its_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / f"q.{TYPE}.yaml"
    path.write_text(RECORDS, encoding="utf-8")
    result = _assess(str(path))
    assert result.exit_code == 2 and _problems(result) == [(f"{path}:3:18", "yaml-syntax")]


def test_a_control_character_in_a_mapping_is_placed_at_its_line_and_column(tmp_path: Path) -> None:
    mapping = tmp_path / "map.yaml"
    mapping.write_text(f"name: m\nrecord_type: {TYPE}\ncolumns:\n  Réf{CONTROL}: disposal_ref\n", encoding="utf-8")
    result = _assess("--mapping", str(mapping), str(CLEAN))
    assert result.exit_code == 2 and _problems(result) == [(f"{mapping}:4:6", "yaml-syntax")]


def test_a_control_character_in_a_waivers_file_is_placed_at_its_line_and_column(tmp_path: Path) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers:\n  - rule: INV-001\n    record: D1\n    reason: «closed»\x1b\n", encoding="utf-8")
    result = _assess("--waivers", str(waivers), str(CLEAN))
    assert result.exit_code == 2 and _problems(result) == [(f"{waivers}:4:21", "yaml-syntax")]


@pytest.mark.parametrize("reader", ["calamine", "openpyxl"])
def test_a_workbook_with_no_sheets_is_an_empty_file(tmp_path: Path, reader: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Excel never saves one, a program may: it was 'several sheets and none is named after the record type'."""
    from openpyxl import Workbook
    monkeypatch.setattr("peelcheck.load.xlsx_reader.READER", reader)
    book = Workbook()
    book.active.title = TYPE
    written = tmp_path / "one.xlsx"
    book.save(written)
    path = tmp_path / f"none.{TYPE}.xlsx"
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", data)
            target.writestr(item, data)
    result = _assess(str(path))
    assert result.exit_code == 2 and _problems(result) == [(str(path), "empty-file")]


def test_a_parquet_file_with_a_broken_footer_is_one_line_of_error(tmp_path: Path) -> None:
    import pyarrow.csv as pc
    import pyarrow.parquet as pq
    whole = tmp_path / "whole.parquet"
    pq.write_table(pc.read_csv(CLEAN), whole)
    path = tmp_path / f"broken.{TYPE}.parquet"
    data = whole.read_bytes()
    path.write_bytes(data[:-8] + b"\0\0\0\0PAR1")  # the footer's length says nothing is there
    result = _assess(str(path))
    assert result.exit_code == 2 and _problems(result) == [(str(path), "unreadable-file")]
    suggested = CliRunner().invoke(cli, ["mapping", "suggest", str(path), "--type", TYPE, "--pack", str(PACK_DIR)])
    assert suggested.exit_code == 2 and _problems(suggested) == [(str(path), "unreadable-file")]


def test_without_libyaml_the_offset_is_counted_in_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    """PyYAML's own reader (where libyaml is not installed) gives the offset in characters, libyaml in bytes."""
    import yaml

    from peelcheck.load import yaml_positions
    data = RECORDS.encode("utf-8")
    at_byte = yaml.reader.ReaderError("q", data.index(CONTROL.encode()), 1, "utf-8", "control characters")
    at_character = yaml.reader.ReaderError("q", RECORDS.index(CONTROL), 1, "utf-8", "control characters")
    monkeypatch.setattr(yaml_positions, "_BaseLoader", yaml.CSafeLoader)
    assert yaml_positions.reader_problem(at_byte, data, "q").location == yaml_positions.Location("q", 3, 18)
    monkeypatch.setattr(yaml_positions, "_BaseLoader", yaml.SafeLoader)
    assert yaml_positions.reader_problem(at_character, data, "q").location == yaml_positions.Location("q", 3, 18)
