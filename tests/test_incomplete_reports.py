"""Rows rejected under --skip-invalid leave the results incomplete: every format says so, and lists
the rejected rows by file and line in its own idiom (HTML banner and data-quality section, a failing
JUnit test case per file, a SARIF result per problem at its line, follow-up rows)."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from peelcheck.cli.main import cli
from peelcheck.exitcodes import ExitCode

from .conftest import PACK_DIR
from .sarif_schema import assert_valid_sarif

FORMATS = ["report.html", "report.json", "report.xml", "report.sarif", "followup.csv", "followup.xlsx"]
HEADER = "disposal_ref,disposal_type,given_at,offender_meets_national_criteria"
GOOD = ["D1,caution,2021-03-01T10:00:00,true", "D3,caution,2021-03-02T10:00:00,true"]
BAD = ["D2,cautionz,2021-03-02T10:00:00,true", "D4,kaution,not a time,true"]  # lines 3 and 5; D4 twice wrong


def _assess(folder: Path, lines: list[str]) -> tuple[int, Path]:
    path = folder / "skip.out_of_court_disposal.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n")
    outputs = [arg for name in FORMATS for arg in ("-o", str(folder / name))]
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "--as-of", "2022-04-01", "-q",
                                      "--rule", "INV-011", "--skip-invalid", str(path), *outputs])
    return result.exit_code, folder


@pytest.fixture(scope="module")
def incomplete(tmp_path_factory: pytest.TempPathFactory) -> Path:
    code, folder = _assess(tmp_path_factory.mktemp("incomplete"), [GOOD[0], BAD[0], GOOD[1], BAD[1]])
    assert code == ExitCode.INCOMPLETE
    return folder


@pytest.fixture(scope="module")
def complete(tmp_path_factory: pytest.TempPathFactory) -> Path:
    code, folder = _assess(tmp_path_factory.mktemp("complete"), GOOD)
    assert code == 0
    return folder


def _rejected(folder: Path) -> list[dict[str, str]]:
    return json.loads((folder / "report.json").read_text())["rejected_rows"]


class _Tree(HTMLParser):
    """Start tags with their attributes, and the tags open around each one."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, dict[str, str | None]]] = []
        self.found: list[tuple[str, dict[str, str | None], list[tuple[str, dict[str, str | None]]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs), list(self.open)))
        if tag not in ("br", "meta", "input", "link", "img", "path", "rect"):
            self.open.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop()[0] != tag:
            pass


def _html(folder: Path) -> _Tree:
    tree = _Tree()
    tree.feed((folder / "report.html").read_text())
    return tree


def test_html_has_a_banner_in_its_header_and_a_data_quality_section(incomplete: Path) -> None:
    tree = _html(incomplete)
    banner = [(attrs, around) for tag, attrs, around in tree.found if attrs.get("id") == "incomplete"]
    assert len(banner) == 1 and banner[0][0].get("role") == "alert"
    assert [t for t, _ in banner[0][1]][-2:] == ["body", "header"]  # at the top, before the summary
    files = [attrs for tag, attrs, _ in tree.found if tag == "article" and "input-file" in (attrs.get("class") or "")]
    assert [(f["data-path"] or "").endswith("skip.out_of_court_disposal.csv") for f in files] == [True]
    assert files[0]["data-rejected"] == "2"
    rows = [around for tag, _, around in tree.found
            if tag == "tr" and any(t == "tbody" for t, _ in around)
            and any(t == "table" and a.get("class") == "rejected" for t, a in around)]
    assert len(rows) == len(_rejected(incomplete)) == 3
    assert all(any(a.get("id") == "data-quality" for _, a in around) for around in rows)


def test_html_of_a_complete_run_has_no_banner(complete: Path) -> None:
    assert not [attrs for _, attrs, _ in _html(complete).found if attrs.get("id") == "incomplete"]


def _quality_cases(folder: Path) -> list[ET.Element]:
    root = ET.parse(folder / "report.xml").getroot()
    return [c for c in root.iter("testcase") if c.get("classname") == "peelcheck.data-quality"]


def test_junit_fails_a_data_quality_case_when_rows_were_rejected(incomplete: Path, complete: Path) -> None:
    root = ET.parse(incomplete / "report.xml").getroot()
    assert sum(int(s.get("failures") or 0) for s in root.iter("testsuite")) == 1  # the rule itself is met
    cases = _quality_cases(incomplete)
    assert len(cases) == 1 and cases[0].find("failure") is not None
    assert cases[0].find("failure").get("type") == "rows-rejected"
    clean = _quality_cases(complete)
    assert len(clean) == 1 and clean[0].find("failure") is None


def test_sarif_has_a_result_per_rejected_row_at_its_line(incomplete: Path, complete: Path) -> None:
    log = json.loads((incomplete / "report.sarif").read_text())
    assert_valid_sarif(log)
    run = log["runs"][0]
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} >= {r["ruleId"] for r in run["results"]}
    rejected = [r for r in run["results"] if r["level"] == "error"]
    where = [(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
              r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in rejected]
    expected = [tuple(r["location"].rsplit(":", 1)) for r in _rejected(incomplete)]
    assert [(uri, str(line)) for uri, line in where] == expected and [line for _, line in where] == [3, 5, 5]
    assert run["invocations"][0]["toolExecutionNotifications"][0]["level"] == "error"
    clean = json.loads((complete / "report.sarif").read_text())["runs"][0]
    assert not [r for r in clean["results"] if r["level"] == "error"] and "invocations" not in clean


def test_follow_up_lists_the_rejected_rows(incomplete: Path) -> None:
    locations = [r["location"] for r in _rejected(incomplete)]
    with (incomplete / "followup.csv").open(newline="") as handle:
        assert [row["where"] for row in csv.DictReader(handle)] == locations  # INV-011 is met: nothing else
    book = load_workbook(incomplete / "followup.xlsx", read_only=True)
    first = list(book.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert [row[7] for row in first] == locations
