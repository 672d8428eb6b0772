"""Every report format from one assessment: several -o files, the follow-up list (csv, xlsx), JUnit
and SARIF read back, and record keys holding HTML and Markdown written safely in each format."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from pydantic import ValidationError

from peelcheck.cli.main import cli

from .conftest import EXAMPLES, PACK_DIR
from .sarif_schema import assert_valid_sarif

NASTY = "A|1 <img src=x onerror=alert(1)> **b** [l](javascript:x) `c`"
FORMATS = ["report.html", "report.json", "report.md", "report.txt", "followup.csv", "followup.xlsx", "report.xml",
           "report.sarif"]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The self-assessment example with its first case file's key replaced by NASTY, in every format."""
    folder = tmp_path_factory.mktemp("reports")
    source = (EXAMPLES / "self-assessment" / "case_file.csv").read_text()
    (folder / "case_file.csv").write_text(source.replace("SYN-CF-0001", f'"{NASTY}"', 1))
    outputs = [arg for name in FORMATS for arg in ("-o", str(folder / name))]
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), str(folder / "case_file.csv"),
                                      "--as-of", "2022-04-01", *outputs])
    assert result.exit_code == 1, result.output
    return folder


def test_one_assessment_writes_every_format_named_by_extension(reports: Path) -> None:
    for name in FORMATS:
        assert (reports / name).stat().st_size > 0, name
    data = json.loads((reports / "report.json").read_text())
    assert data["summary"]["not_met"] > 0
    assert NASTY in {f["key"] for rule in data["rules"] for f in rule["failures"]}  # JSON keeps it as it is
    assert not list(reports.glob(".*.tmp"))  # written through temporary files, none left behind


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_escapes_keys_into_text(reports: Path) -> None:
    parser = _Elements()
    parser.feed((reports / "report.html").read_text())
    assert "img" not in parser.tags and "script" in parser.tags  # the only script is the report's own filter
    assert any(NASTY in text for text in parser.text)


def test_markdown_and_text_show_the_key_without_making_html(reports: Path) -> None:
    markdown = (reports / "report.md").read_text()
    assert "<img" not in markdown and "&lt;img src=x onerror=alert(1)&gt;" in markdown
    assert "\\*\\*b\\*\\*" in markdown and "\\`c\\`" in markdown  # no emphasis, no code span
    assert "[l](javascript" not in markdown  # and no link (its brackets are escaped)
    row = next(line for line in markdown.splitlines() if "onerror" in line)
    assert row.count(" | ") == 4  # the key's '|' does not split the table row
    assert NASTY in (reports / "report.txt").read_text()


def test_follow_up_csv_has_one_row_per_failing_record_and_rule(reports: Path) -> None:
    data = json.loads((reports / "report.json").read_text())
    with (reports / "followup.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    listed = [r for r in data["rules"] if r["status"] == "not_met"]
    assert len(rows) == sum(len(r["failures"]) for r in listed)
    nasty = [r for r in rows if r["record"] == NASTY]
    assert nasty and all(r["owner"] == "" and r["due date"] == "" and r["remediation"] for r in nasty)
    assert {r["rule"] for r in rows} == {r["id"] for r in listed if r["failures"]}


def test_follow_up_xlsx_has_a_sheet_per_area_with_filters_and_frozen_header(reports: Path) -> None:
    data = json.loads((reports / "report.json").read_text())
    book = load_workbook(reports / "followup.xlsx")
    assert len(book.sheetnames) == len(data["areas"])
    total = 0
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:3] == ("area", "finding", "rule")
        total += len(rows) - 1
    with (reports / "followup.csv").open(newline="") as handle:
        assert total == sum(1 for _ in csv.DictReader(handle))
    keys = {row[6] for sheet in book.worksheets for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert NASTY in keys


def test_an_area_of_more_rows_than_a_sheet_holds_goes_on_over_further_sheets(
        reports: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """openpyxl writes past a sheet's last row (Excel then calls the file damaged): with sheets of
    three rows, every follow-up row is still there, in order, on continuation sheets."""
    from peelcheck.report import followup

    monkeypatch.setattr(followup, "SHEET_ROWS", 3)
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), str(reports / "case_file.csv"),
                                      "--as-of", "2022-04-01", "-o", str(tmp_path / "followup.xlsx")])
    assert result.exit_code == 1, result.output
    book = load_workbook(tmp_path / "followup.xlsx")
    written = []
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        assert 1 <= len(rows) <= 3 and rows[0] == tuple(followup.HEADER)
        written += [[cell or "" for cell in row] for row in rows[1:]]
    with (reports / "followup.csv").open(newline="") as handle:
        assert written == list(csv.reader(handle))[1:]
    continued = [name for name in book.sheetnames if " (cont. " in name]
    assert continued and all(name.endswith(")") and len(name) <= 31 for name in continued)
    assert "(cont. 2)" in book.sheetnames[book.sheetnames.index(continued[0])]


def test_junit_has_a_test_case_per_rule_failing_ones_naming_records(reports: Path) -> None:
    data = json.loads((reports / "report.json").read_text())
    root = ET.parse(reports / "report.xml").getroot()
    cases = [c for c in root.iter("testcase") if c.get("classname") != "peelcheck.data-quality"]
    assert len(cases) == len(data["rules"])
    failed = [c for c in cases if c.find("failure") is not None]
    assert len(failed) == data["summary"]["not_met"] + data["summary"]["not_assessable"]  # both are gaps
    assert any(NASTY in (c.find("failure").text or "") for c in failed)


def test_sarif_results_point_at_the_failing_rows(reports: Path) -> None:
    log = json.loads((reports / "report.sarif").read_text())
    assert_valid_sarif(log)
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    ids = {rule["id"] for rule in run["tool"]["driver"]["rules"]}
    assert all(result["ruleId"] in ids for result in run["results"])
    nasty = [r for r in run["results"] if NASTY in r["message"]["text"]]
    region = nasty[0]["locations"][0]["physicalLocation"]
    assert region["artifactLocation"]["uri"].endswith("case_file.csv") and region["region"]["startLine"] == 2


def test_a_workbook_needs_a_file_and_an_unknown_extension_needs_format(tmp_path: Path) -> None:
    files = [str(EXAMPLES / "self-assessment" / "case_file.csv")]
    base = ["assess", "--pack", str(PACK_DIR), *files, "--as-of", "2022-04-01"]
    assert CliRunner().invoke(cli, [*base, "--format", "xlsx"]).exit_code == 2
    assert CliRunner().invoke(cli, [*base, "-o", str(tmp_path / "report.weird")]).exit_code == 2
    result = CliRunner().invoke(cli, [*base, "-o", str(tmp_path / "report.weird"), "--format", "json"])
    assert result.exit_code == 1 and json.loads((tmp_path / "report.weird").read_text())["rules"]


def test_findings_take_the_worst_status_of_their_rules_causes_of_concern_first(reports: Path) -> None:
    data = json.loads((reports / "report.json").read_text())
    rules = {r["id"]: r for r in data["rules"]}
    assert data["findings"]
    for finding in data["findings"]:
        statuses = {rules[rid]["status"] for rid in finding["rules"]}
        assert (finding["status"] == "not_met") == ("not_met" in statuses)
        assert all(finding["id"] in rules[rid]["findings"] for rid in finding["rules"])
    order = ["cause-of-concern", "recommendation", "area-for-improvement"]
    for area in {f["area"] for f in data["findings"]}:  # within an area, causes of concern first
        kinds = [f["kind"] for f in data["findings"] if f["kind"] in order and f["area"] == area]
        assert kinds == sorted(kinds, key=order.index)
    html = (reports / "report.html").read_text()
    assert all(f'id="finding-{f["id"]}"' in html for f in data["findings"])


def test_the_schema_check_can_fail() -> None:
    good = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [
        {"ruleId": "r", "message": {"text": "m"},
         "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.csv"}, "region": {"startLine": 1}}}]}]}]}
    assert_valid_sarif(good)
    bad = {**good, "runs": [{"tool": {"driver": {"name": "x"}}, "results": [
        {"ruleId": "r", "message": {"text": "m"}, "level": "fatal"}]}]}
    with pytest.raises(ValidationError):
        assert_valid_sarif(bad)


def test_a_report_into_a_missing_folder_is_refused_before_assessing(tmp_path: Path) -> None:
    files = [str(EXAMPLES / "self-assessment" / "case_file.csv")]
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), *files, "--as-of", "2022-04-01",
                                      "-o", str(tmp_path / "report.json"), "-o", str(tmp_path / "no" / "r.html")])
    assert result.exit_code == 2 and "[no-output-folder]" in result.stderr
    assert not (tmp_path / "report.json").exists()  # nothing written: the run stopped before assessing


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def test_html_markup_is_accessible(reports: Path) -> None:
    parser = _Tags()
    parser.feed((reports / "report.html").read_text())
    tags = [tag for tag, _ in parser.found]
    assert ("html", {"lang": "en-GB"}) in parser.found
    assert tags.count("table") == tags.count("caption")  # every table says what it holds
    assert all(attrs.get("scope") in ("col", "row") for tag, attrs in parser.found if tag == "th")
    charts = [attrs for tag, attrs in parser.found if tag == "svg"]
    assert charts and all(a.get("role") == "img" and a.get("aria-label") for a in charts)
    assert tags.index("h1") < tags.index("h2") and "main" in tags and "nav" in tags
    assert not [a for tag, a in parser.found if tag in ("link", "img", "iframe") or (tag == "script" and a.get("src"))]
