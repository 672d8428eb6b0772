"""Rows rejected under --skip-invalid leave the results incomplete: every format says so, and lists
the rejected rows by file and line in its own idiom (HTML banner and data-quality section, a failing
JUnit test case per file, a SARIF result per problem at its line, follow-up rows). A complete run
says what its input lacks (a column absent) without anything that calls it incomplete."""

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

from .conftest import PACK_DIR, REPO
from .sarif_schema import assert_valid_sarif

FORMATS = ["report.html", "report.json", "report.xml", "report.sarif", "followup.csv", "followup.xlsx"]
HEADER = "disposal_ref,disposal_type,given_at,offender_meets_national_criteria"
GOOD = ["D1,caution,2021-03-01T10:00:00,true", "D3,caution,2021-03-02T10:00:00,true"]
EXPORTS = REPO / "tests" / "data" / "exports"
BAD = ["D2,cautionz,2021-03-02T10:00:00,true", "D4,kaution,not a time,true"]  # lines 3 and 5; D4 twice wrong


def _assess(folder: Path, lines: list[str], header: str = HEADER) -> tuple[int, Path]:
    path = folder / "skip.out_of_court_disposal.csv"
    path.write_text("\n".join([header, *lines]) + "\n")
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


# INV-011 reads offender_meets_national_criteria: a file without its column is complete (every row read)
# but says the field is recorded in no row; the rule is not met (not recorded), never incomplete.
NO_CRITERIA = "disposal_ref,disposal_type,given_at"


@pytest.fixture(scope="module")
def complete_without_a_column(tmp_path_factory: pytest.TempPathFactory) -> Path:
    code, folder = _assess(tmp_path_factory.mktemp("absent"), [",".join(g.split(",")[:3]) for g in GOOD],
                           NO_CRITERIA)
    assert code == ExitCode.GAPS
    return folder


@pytest.fixture(scope="module")
def header_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    code, folder = _assess(tmp_path_factory.mktemp("header-only"), [], NO_CRITERIA)
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
        rows = list(csv.DictReader(handle))
    assert [row["where"] for row in rows] == locations  # INV-011 is met: nothing else
    # A filter on the rule column finds every row under a value: the rejected rows under rejected-row.
    assert [(row["rule"], row["status"]) for row in rows] == [("rejected-row", "rejected, not assessed")] * 3
    book = load_workbook(incomplete / "followup.xlsx", read_only=True)
    first = list(book.worksheets[0].iter_rows(min_row=1, values_only=True))
    assert first[0][2] == "rule" and first[0][7] == "where"
    assert [(row[2], row[7]) for row in first[1:]] == [("rejected-row", where) for where in locations]


def _sarif_run(folder: Path) -> dict:
    log = json.loads((folder / "report.sarif").read_text())
    assert_valid_sarif(log)
    return log["runs"][0]


def _notes(run: dict) -> list[str]:
    return [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in run["results"] if r["ruleId"] == "data-quality"]


def test_sarif_of_a_complete_run_says_a_column_is_absent_and_nothing_of_rejected_rows(
        complete_without_a_column: Path, complete: Path) -> None:
    run = _sarif_run(complete_without_a_column)
    assert [uri.endswith("skip.out_of_court_disposal.csv") for uri in _notes(run)] == [True]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["INV-011", "data-quality"]  # no rejected-row
    assert {r["ruleId"] for r in run["results"] if r["level"] == "error"} == {"INV-011"}
    assert "invocations" not in run
    clean = _sarif_run(complete)
    assert clean["tool"]["driver"]["rules"] == [] and clean["results"] == []


@pytest.mark.parametrize("run", ["incomplete", "complete", "complete_without_a_column", "header_only"])
def test_sarif_declares_the_rules_its_results_use_and_no_other(request: pytest.FixtureRequest, run: str) -> None:
    got = _sarif_run(request.getfixturevalue(run))
    assert {r["id"] for r in got["tool"]["driver"]["rules"]} == {r["ruleId"] for r in got["results"]}
    assert ("rejected-row" in {r["ruleId"] for r in got["results"]}) is (run == "incomplete")
    for result in (r for r in got["results"] if r["ruleId"] == "rejected-row"):  # why each row was set aside
        assert result["properties"]["code"] == "bad-record" and result["message"]["text"].endswith(" [bad-record]")


def test_html_of_a_complete_run_says_a_column_is_absent_without_marking_it_incomplete(
        complete_without_a_column: Path) -> None:
    tree = _html(complete_without_a_column)
    assert not [attrs for _, attrs, _ in tree.found if attrs.get("id") == "incomplete"]
    files = [attrs for tag, attrs, _ in tree.found if tag == "article" and "input-file" in (attrs.get("class") or "")]
    assert len(files) == 1 and files[0]["data-rejected"] == "0" and files[0]["class"] == "input-file"
    assert not [tag for tag, attrs, _ in tree.found if attrs.get("class") in ("rejected", "warn")]
    assert [tag for tag, attrs, _ in tree.found if attrs.get("class") == "notes"] == ["ul"]


def _summary_columns(folder: Path) -> list[str | None]:
    return [attrs.get("data-count") for tag, attrs, _ in _html(folder).found if tag == "td" and "data-count" in attrs]


def test_html_has_a_not_assessable_column_only_when_a_rule_is(complete: Path, complete_without_a_column: Path,
                                                             tmp_path: Path) -> None:
    assert "not_assessable" not in _summary_columns(complete)
    assert "not_assessable" not in _summary_columns(complete_without_a_column)  # evidence absent: not met
    out = tmp_path / "report.html"
    police_uk = EXPORTS / "police_uk_no_outcome_link.csv"  # LEG-019 applies by the outcome link it lacks
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "--as-of", "2018-09-01", "--rule", "LEG-019",
                                      "--mapping", "police_uk_stop_search", str(police_uk), "-o", str(out)])
    assert result.exit_code == ExitCode.GAPS
    assert "not_assessable" in _summary_columns(tmp_path)


def test_a_file_of_no_rows_has_no_absent_column_note(header_only: Path) -> None:
    assert _notes(_sarif_run(header_only)) == []
    assert not [attrs for _, attrs, _ in _html(header_only).found if attrs.get("id") == "data-quality"]


def test_html_has_an_inconclusive_column_under_the_interval_verdict_or_when_a_rule_is(complete: Path,
                                                                                      tmp_path: Path) -> None:
    assert "inconclusive" not in _summary_columns(complete)  # the point verdict: no rule can be inconclusive
    path = tmp_path / "skip.out_of_court_disposal.csv"
    for rows, inconclusive in ((GOOD, 1), (GOOD * 0 + ["D1,caution,2021-03-01T10:00:00,false"], 0)):
        path.write_text("\n".join([HEADER, *rows]) + "\n")
        result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "--as-of", "2022-04-01", "-q",
                                          "--rule", "INV-011", "--verdict", "interval", str(path),
                                          "-o", str(tmp_path / "report.html"), "-o", str(tmp_path / "r.json")])
        assert json.loads((tmp_path / "r.json").read_text())["summary"]["inconclusive"] == inconclusive, result.output
        assert "inconclusive" in _summary_columns(tmp_path)  # shown, zero or not, under --verdict interval
        assert json.loads((tmp_path / "r.json").read_text())["summary"]["verdict"] == "interval"  # was "point"
        assert "(--verdict interval)" in (tmp_path / "report.html").read_text()
