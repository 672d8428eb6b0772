"""A waiver's record key is read as a record file's key is: a character that does not show in it is an
``invisible-character-in-key`` error at its line (it would look like a failing record's key and match none),
and the spaces around it are dropped. Every way a waivers file can be written is tried: YAML block and flow
style with the character written raw or escaped, and JSON (read by the same loader)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from peelcheck.assess.waivers import check_waivers
from peelcheck.cli.main import cli

from .conftest import EXAMPLES, PACK_DIR

CODE = "invisible-character-in-key"
FILES = [str(EXAMPLES / "self-assessment" / "case_file.csv")]
FAILING = "SYN-CF-0002"  # fails PVP-001 in the example file
TODAY = dt.date(2022, 4, 1)


def _assess(waivers: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), *FILES, "--as-of", TODAY.isoformat(),
                                    "--waivers", str(waivers), "--format", "json", *args])


def _errors(result: Result) -> list[tuple[str, str]]:
    return re.findall(r"^(.*?): error: .*\[([a-z-]+)\]$", result.stderr, flags=re.M)


def _block(record: str) -> str:
    """A waivers file in YAML block style; ``record`` as written after ``record:`` (line 3)."""
    return (f"waivers:\n  - rule: PVP-001\n    record: {record}\n    reason: case closed by CPS\n"
            "    approver: Supt A. Smith\n    expires: 2022-12-31\n")


def _json(record: str, ensure_ascii: bool) -> str:
    """A waivers file written as JSON, one key a line: the record's key on line 5."""
    return json.dumps({"waivers": [{"rule": "PVP-001", "record": record, "reason": "case closed",
                                    "approver": "Supt A", "expires": "2022-12-31"}]}, indent=1,
                      ensure_ascii=ensure_ascii)


# (how the file is written, the line its key is on)
RAW = {"bom": "\ufeff", "zero-width-space": "\u200b", "zero-width-joiner": "\u200d", "soft-hyphen": "\xad",
       "word-joiner": "\u2060", "right-to-left-mark": "\u200f"}
ESCAPED = {"nul": "\\0", "c1": "\\x9f", "del": "\\x7f", "bom": "\\ufeff", "zero-width-space": "\\u200b",
           "soft-hyphen": "\\xad", "escape": "\\e"}
WRITTEN = {
    **{f"yaml-block-raw-{name}": (_block(f"{FAILING}{char}"), 3) for name, char in RAW.items()},
    **{f"yaml-block-raw-leading-{name}": (_block(f"{char}{FAILING}"), 3) for name, char in RAW.items()},
    **{f"yaml-double-quoted-{name}": (_block(f'"{FAILING}{esc}"'), 3) for name, esc in ESCAPED.items()},
    "yaml-flow-zero-width-space": ("waivers:\n  - {rule: PVP-001, reason: case closed, approver: Supt A,\n"
                                   f"     expires: 2022-12-31, record: \"{FAILING}\\u200b\"}}\n", 3),
    **{f"json-escaped-{name}": (_json(f"{FAILING[:6]}{char}{FAILING[6:]}", ensure_ascii=True), 5)
       for name, char in (("nul", "\x00"), ("bom", "\ufeff"), ("zero-width-space", "\u200b"), ("c1", "\x85"))},
    "json-raw-bom": (_json(f"\ufeff{FAILING}", ensure_ascii=False), 5),
}


@pytest.mark.parametrize("written", WRITTEN, ids=list(WRITTEN))
def test_a_waiver_key_holding_a_character_that_does_not_show_is_an_error_at_its_line(tmp_path: Path,
                                                                                      written: str) -> None:
    text, line = WRITTEN[written]
    path = tmp_path / ("waivers.json" if written.startswith("json") else "waivers.yaml")
    path.write_text(text, encoding="utf-8")
    _, problems = check_waivers(path, TODAY, {"PVP-001"})
    assert [(p.code, p.location.path, p.location.line) for p in problems] == [(CODE, str(path), line)]
    assert "\\u" in problems[0].message or "\\x" in problems[0].message  # the key shown escaped
    result = _assess(path)
    assert result.exit_code == 2 and result.stdout == ""
    assert [(place.rsplit(":", 1)[0], code) for place, code in _errors(result)] == [(f"{path}:{line}", CODE)]


def test_validate_reports_it_too(tmp_path: Path) -> None:
    path = tmp_path / "waivers.yaml"
    path.write_text(_block(f'"{FAILING}\\u200b"').replace("2022-12-31", "2999-12-31"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(PACK_DIR), "--waivers", str(path), "--format", "json"])
    assert result.exit_code == 1
    found = [(d["code"], d["line"]) for d in json.loads(result.stdout)["diagnostics"]]
    assert found == [(CODE, 3)]


def test_the_key_is_checked_without_the_spaces_around_it_and_read_without_them(tmp_path: Path) -> None:
    """A record file's key drops the spaces around it; so does a waiver's, so it matches that record."""
    path = tmp_path / "waivers.yaml"
    path.write_text(_block(f'"  {FAILING}\\t"'), encoding="utf-8")
    result = _assess(path)
    report = json.loads(result.stdout)
    assert [w["record"] for w in report["waived"]] == [FAILING] and report["unused_waivers"] == []


def test_one_key_written_with_and_without_spaces_is_waived_twice(tmp_path: Path) -> None:
    path = tmp_path / "waivers.yaml"
    path.write_text(_block(FAILING) + _block(f'"{FAILING} "').removeprefix("waivers:\n"), encoding="utf-8")
    _, problems = check_waivers(path, TODAY, {"PVP-001"})
    assert [(p.code, p.location.line) for p in problems] == [("duplicate-waiver", 7)]


@pytest.mark.parametrize("record", ['""', '"   "'])
def test_an_empty_key_is_an_error_not_a_waiver_of_nothing(tmp_path: Path, record: str) -> None:
    path = tmp_path / "waivers.yaml"
    path.write_text(_block(record), encoding="utf-8")
    _, problems = check_waivers(path, TODAY, {"PVP-001"})
    assert [(p.code, p.location.line) for p in problems] == [("invalid-value", 3)]


def test_a_waiver_of_an_unknown_rule_stops_assess_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "waivers.yaml"
    path.write_text(_block(FAILING).replace("PVP-001", "PVP-991"), encoding="utf-8")
    result = _assess(path)
    assert result.exit_code == 2 and result.stdout == ""
    assert [(place.rsplit(":", 1)[0], code) for place, code in _errors(result)] == [(f"{path}:2", "unknown-rule")]


def test_a_waiver_matching_nothing_is_warned_about_with_its_place_written_out(tmp_path: Path) -> None:
    """The warning names the waivers file as every diagnostic does: a control character in its name written out."""
    folder = tmp_path / "a\x1b[31mb"
    folder.mkdir()
    path = folder / "waivers.yaml"
    path.write_text(_block("NO-SUCH-CASE"), encoding="utf-8")
    result = _assess(path)
    assert result.exit_code == 1 and "[unused-waiver]" in result.stderr
    assert "\x1b" not in result.stderr and "\\x1b[31mb" in result.stderr
