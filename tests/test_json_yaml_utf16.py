"""JSON, JSON Lines and YAML record files saved as UTF-16 with a byte-order mark (Windows' and Excel's "Unicode"
text): read as a CSV so saved is, and their errors placed at the same lines as in the UTF-8 file. They were
refused as "not UTF-8"; a file with no mark is read as before (UTF-8)."""

from __future__ import annotations

import codecs
import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from peelcheck.cli.main import cli

from .conftest import PACK_DIR

CLEAN = Path(__file__).parent / "data" / "exports" / "clean.out_of_court_disposal.csv"
TYPE = "out_of_court_disposal"


def _run(path: Path) -> Result:
    return CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "--as-of", "2022-04-01", "--format", "json",
                                    "--rule", "INV-001", str(path)])


def _records() -> list[dict[str, str]]:
    header, *rows = [line.split(",") for line in CLEAN.read_text().splitlines()]
    return [{k: v for k, v in zip(header, row) if v} for row in rows]


def _text(fmt: str, records: list[dict[str, str]]) -> str:
    if fmt == "json":
        return json.dumps(records, indent=2) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(r) + "\n" for r in records)
    return yaml.safe_dump({"record_type": TYPE, "records": records}, sort_keys=False)


def _saved(path: Path, text: str, encoding: str) -> Path:
    """``text`` in ``encoding``: utf-16 (little-endian, with its mark, as Python and Windows write it), or
    utf-16-be with a mark put before it, or an encoding Python writes no mark for."""
    data = codecs.BOM_UTF16_BE + text.encode("utf-16-be") if encoding == "utf-16-be-marked" else text.encode(encoding)
    path.write_bytes(data)
    return path


def _outcome(result: Result) -> tuple[int, list[tuple]]:
    report = json.loads(result.stdout)
    return report["inputs"][0]["records"], [(r["id"], r["status"], r["compliant"], r["non_compliant"])
                                            for r in report["rules"]]


def _problems(result: Result) -> list[str]:
    return re.findall(r"^(.*?): error: .*\[([a-z-]+)\]$", result.stderr, flags=re.M)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be-marked"])
@pytest.mark.parametrize("fmt", ["json", "jsonl", "yaml"])
def test_a_utf16_file_with_a_byte_order_mark_reads_as_the_utf8_file(tmp_path: Path, fmt: str, encoding: str) -> None:
    text = _text(fmt, _records())
    plain = _saved(tmp_path / f"plain.{TYPE}.{fmt}", text, "utf-8")
    wide = _saved(tmp_path / f"wide.{TYPE}.{fmt}", text, encoding)
    expected, got = _run(plain), _run(wide)
    assert got.exit_code == expected.exit_code, got.stderr
    assert _outcome(got) == _outcome(expected) and _outcome(got)[0] == 5


# one mistake each, and where it is: JSON whose fourth record is cut off, a JSON Lines record with a stray comma,
# a YAML record indented wrongly, a YAML control character written raw (found by the reader, placed from its offset)
def _broken(fmt: str) -> tuple[str, str]:
    text = _text(fmt, _records())
    if fmt == "json":
        return text.replace('"disposal_ref": "D4"', '"disposal_ref": "D4",,', 1), "json"
    if fmt == "jsonl":
        return text.replace('"disposal_ref": "D3",', '"disposal_ref": "D3",,', 1), "jsonl"
    if fmt == "yaml-indent":
        return text.replace("  disposal_type: caution", "     disposal_type: caution", 1), "yaml"
    return text.replace("crime_ref: 22/3", "crime_ref: 22/3\x07", 1), "yaml"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be-marked"])
@pytest.mark.parametrize("mistake", ["json", "jsonl", "yaml-indent", "yaml-control"])
def test_a_mistake_in_a_utf16_file_is_placed_as_in_the_utf8_file(tmp_path: Path, mistake: str, encoding: str) -> None:
    text, fmt = _broken(mistake)
    plain = _saved(tmp_path / f"plain.{TYPE}.{fmt}", text, "utf-8")
    wide = _saved(tmp_path / f"wide.{TYPE}.{fmt}", text, encoding)
    expected, got = _run(plain), _run(wide)
    assert expected.exit_code == got.exit_code == 2, (expected.stderr, got.stderr)
    places = [(place.replace("plain.", "wide."), code) for place, code in _problems(expected)]
    assert places and re.search(r":[0-9]+", places[0][0]), expected.stderr  # placed at a line
    assert _problems(got) == places, got.stderr


@pytest.mark.parametrize("fmt", ["json", "jsonl", "yaml"])
def test_a_utf16_file_without_a_mark_is_refused_as_before(tmp_path: Path, fmt: str) -> None:
    """No mark, no guess: a document format's text is UTF-8 unless its mark says otherwise (read so, its zero
    bytes make it no JSON or YAML, an error at its first line)."""
    wide = _saved(tmp_path / f"wide.{TYPE}.{fmt}", _text(fmt, _records()), "utf-16-le")
    result = _run(wide)
    assert result.exit_code == 2 and _problems(result), result.stderr
    assert _problems(result)[0][0].startswith(f"{wide}:1"), result.stderr


@pytest.mark.parametrize("fmt", ["json", "jsonl", "yaml"])
def test_a_utf16_file_with_a_mark_on_standard_input_is_told_by_its_text(tmp_path: Path, fmt: str) -> None:
    """Standard input is named for the format its first bytes show: UTF-16's were read as a CSV's."""
    text = _text(fmt, _records())
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "--as-of", "2022-04-01", "--format", "json",
                                      "--rule", "INV-001", "--type", TYPE, "-"], input=text.encode("utf-16"))
    expected = _run(_saved(tmp_path / f"plain.{TYPE}.{fmt}", text, "utf-8"))
    assert result.exit_code == expected.exit_code, result.stderr
    assert _outcome(result) == _outcome(expected)
