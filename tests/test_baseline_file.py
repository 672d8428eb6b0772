"""A baseline that cannot be read as a peelcheck JSON report is an error at its line (exit 2), never a fault
inside peelcheck (exit 4) nor a comparison made with part of it: a rule listed twice, a key written twice, NaN,
and an id holding a character that does not show (``invisible-character-in-key``) included."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from peelcheck.cli.main import cli
from peelcheck.load.json_places import json_place

from .conftest import EXAMPLES, PACK_DIR

FILES = [str(EXAMPLES / "self-assessment" / "case_file.csv")]


def _assess(*args: str) -> Result:
    return CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), *FILES, "--as-of", "2022-04-01",
                                    "--format", "json", *args])


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    result = _assess("--rule", "PVP-001", "--rule", "INV-003")
    assert result.exit_code == 1
    return json.loads(result.stdout)


def _errors(result: Result) -> list[tuple[str, int, str]]:
    """(file, line, code) of each problem on stderr."""
    return [(f, int(line), code) for f, line, code in
            re.findall(r"^(.*?):(\d+):\d+: error: .*\[([a-z-]+)\]$", result.stderr, flags=re.M)]


def _line_of(text: str, needle: str, nth: int = 0) -> int:
    """The line of the ``nth`` occurrence of ``needle`` (of its first character after any line break)."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    return text.count("\n", 0, at + len(needle) - len(needle.lstrip("\n"))) + 1


Change = Callable[[dict[str, Any]], Any]
# what is changed, and where the error is: the text on its line (written with indent=1, so a top-level key
# follows a line break and one space), which occurrence of it, and the lines from it (-1: the object a key is
# missing from, opened on the line before its first key)
BROKEN: dict[str, tuple[Change, str, int, int]] = {
    "finding-without-id": (lambda r: r["findings"][0].pop("id"), '"document": "P21"', 0, -1),
    "finding-status-unknown": (lambda r: r["findings"][0].update(status="great"), '"great"', 0, 0),
    "findings-not-a-list": (lambda r: r.update(findings=5), '\n "findings": 5', 0, 0),
    "finding-not-an-object": (lambda r: r.update(findings=["P21-COC-01"]), '\n  "P21-COC-01"', 0, 0),
    "rule-interval-not-an-object": (lambda r: r["rules"][1].update(interval="wide"), '"wide"', 0, 0),
    "rule-findings-not-a-list": (lambda r: r["rules"][0].update(findings=3), '"findings": 3', 0, 0),
    "rule-status-missing": (lambda r: r["rules"][1].pop("status"), '"id": "PVP-001"', 0, -1),
    "rule-id-a-number": (lambda r: r["rules"][0].update(id=7), '"id": 7', 0, 0),
    "rule-listed-twice": (lambda r: r["rules"].append(dict(r["rules"][1])), '"id": "PVP-001"', 1, 0),
    "finding-listed-twice": (lambda r: r["findings"].append(dict(r["findings"][0])), '"id": "P21-COC-01"', 1, 0),
}


@pytest.mark.parametrize("broken", BROKEN, ids=list(BROKEN))
def test_a_broken_baseline_is_an_error_at_its_line(tmp_path: Path, report: dict[str, Any], broken: str) -> None:
    change, needle, nth, offset = BROKEN[broken]
    data = json.loads(json.dumps(report))
    assert [r["id"] for r in data["rules"]] == ["INV-003", "PVP-001"]
    assert data["findings"][0]["id"] == "P21-COC-01"
    change(data)
    path = tmp_path / "earlier.json"
    path.write_text(json.dumps(data, indent=1))
    result = _assess("--baseline", str(path))
    assert result.exit_code == 2 and result.stdout == ""
    assert _errors(result) == [(str(path), _line_of(path.read_text(), needle, nth) + offset, "bad-baseline")]


@pytest.mark.parametrize("character", ["\u200b", "\ufeff", "\x00", "\xad"])
@pytest.mark.parametrize("kind", ["rules", "findings"])
def test_an_id_holding_a_character_that_does_not_show_is_an_error_at_its_line(
        tmp_path: Path, report: dict[str, Any], character: str, kind: str) -> None:
    """It would be compared with nothing: a persisting gap would read as new."""
    data = json.loads(json.dumps(report))
    data[kind][-1]["id"] += character
    path = tmp_path / "earlier.json"
    path.write_text(json.dumps(data, indent=1))
    result = _assess("--baseline", str(path))
    assert result.exit_code == 2 and result.stdout == ""
    line = _line_of(path.read_text(), json.dumps(data[kind][-1]["id"]))
    assert _errors(result) == [(str(path), line, "invisible-character-in-key")]


@pytest.mark.parametrize("text", ['{"as_of": "2022-01-01", "as_of": "2021-01-01"', '{"x": NaN'])
def test_a_key_written_twice_or_nan_is_an_error(tmp_path: Path, report: dict[str, Any], text: str) -> None:
    path = tmp_path / "earlier.json"
    path.write_text(f"{text}, {json.dumps(report)[1:]}")
    result = _assess("--baseline", str(path))
    assert result.exit_code == 2 and "[bad-baseline]" in result.stderr


def test_a_report_read_back_compares_cleanly(tmp_path: Path, report: dict[str, Any]) -> None:
    path = tmp_path / "earlier.json"
    path.write_text(json.dumps(report, indent=1))
    result = _assess("--baseline", str(path), "--rule", "PVP-001", "--rule", "INV-003")
    assert result.exit_code == 1, result.stderr
    assert {r["baseline"]["change"] for r in json.loads(result.stdout)["rules"]} == {"persisting"}


def test_places_are_found_past_strings_holding_brackets_and_quotes() -> None:
    text = '{\n "a": "[{\\"]",\n "b": [1, {"c": "}"},\n   {"d": 2}]\n}'
    assert (json_place(text, ("b", 2, "d"), "f").line, json_place(text, ("b", 2, "d"), "f").column) == (4, 10)
    assert json_place(text, ("b", 1, "d"), "f").line == 3  # no such key: the object
    assert json_place(text, ("a",), "f").line == 2
    assert json_place(text, ("b", 5), "f").line == 3  # past the end of the list: the list
    assert json_place(text, ("zz",), "f").line == 1  # no such key: the object
