"""Long lists in the human-readable formats are cut, never silently: a file's notes list the first 20
repeated keys, repeated rows and blank rows and count the rest, and Markdown lists the first 200
failing records of a rule (``--max-failures`` for more); each says exactly how many more there are
and where every one is (the JSON report)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from peelcheck.cli.main import cli
from peelcheck.exitcodes import ExitCode

from .conftest import PACK_DIR

EXPORTS = Path(__file__).parent / "data" / "exports"
HEADER = "disposal_ref,disposal_type,given_at,offender_meets_national_criteria"
FORMATS = ["report.md", "report.txt", "report.html", "report.xml", "report.sarif"]
_MORE = re.compile(r"and ([\d,]+) more not listed here: the JSON report \(-o report\.json\) lists all ([\d,]+) "
                   r"\(inputs\[\]\.(\w+)\)")
_FAILURES_MORE = re.compile(r"([\d,]+) more failing records? not shown \(--max-failures N shows more\): the JSON "
                            r"report \(-o report\.json\) and the follow-up list \(-o followup\.csv\) list all ([\d,]+)")


def _assess(folder: Path, records: Path, *options: str, names: list[str] | None = None) -> dict:
    outputs = [arg for name in [*(names or FORMATS), "report.json"] for arg in ("-o", str(folder / name))]
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "-q", *options, str(records), *outputs])
    assert result.exit_code in (ExitCode.OK, ExitCode.GAPS), result.output
    return json.loads((folder / "report.json").read_text())


def _text(path: Path) -> str:
    return " ".join(path.read_text().split())  # lines wrapped by the text report joined again


@pytest.fixture(scope="module")
def repeated_keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """25 records keyed R1 and 25 keyed K1 (48 repeat a key), and 25 rows of blank cells."""
    folder = tmp_path_factory.mktemp("keys")
    rows = [f"{key},caution,2021-03-01T10:00:00,true" for key in ("R1", "K1") for _ in range(25)]
    records = folder / "keys.out_of_court_disposal.csv"
    records.write_text("\n".join([HEADER, *rows, *[",,,"] * 25]) + "\n")
    _assess(folder, records, "--rule", "INV-011", "--as-of", "2022-04-01")
    return folder


@pytest.mark.parametrize("name", FORMATS)
@pytest.mark.parametrize(("field", "listed"), [("repeated_keys", r"at line \d+ \(first at line \d+\)"),
                                                ("blank_rows", None)])
def test_a_note_lists_twenty_and_says_how_many_more_and_where(repeated_keys: Path, name: str, field: str,
                                                             listed: str | None) -> None:
    every = json.loads((repeated_keys / "report.json").read_text())["inputs"][0][field]
    assert len(every) > 20
    text = _text(repeated_keys / name)
    [(more, total)] = [(int(m[0].replace(",", "")), int(m[1].replace(",", ""))) for m in _MORE.findall(text)
                       if m[2] == field]
    assert (more, total) == (len(every) - 20, len(every))
    if listed is not None:
        assert len(re.findall(listed, text)) == 20


def test_repeated_rows_are_cut_as_repeated_keys_are(tmp_path: Path) -> None:
    source = (EXPORTS / "police_uk_no_outcome_link.csv").read_text().splitlines()
    records = tmp_path / "stop_search.csv"
    records.write_text("\n".join([source[0], *source[1:] * 15]) + "\n")
    got = _assess(tmp_path, records, "--mapping", "police_uk_stop_search", "--as-of", "2018-09-01",
                  names=["report.md", "report.txt"])
    every = got["inputs"][0]["repeated_rows"]
    assert len(every) == (len(source) - 1) * 14
    for name in ("report.md", "report.txt"):
        text = _text(tmp_path / name)
        assert len(re.findall(r"line \d+ repeats line \d+", text)) == 20
        assert [(int(m[0]), int(m[1])) for m in _MORE.findall(text) if m[2] == "repeated_rows"] == \
            [(len(every) - 20, len(every))]


@pytest.fixture(scope="module")
def many_failures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("failures")
    rows = [f"F{i},caution,2021-03-01T10:00:00,false" for i in range(250)]
    records = folder / "many.out_of_court_disposal.csv"
    records.write_text("\n".join([HEADER, *rows]) + "\n")
    return records


def _failure_rows(markdown: str) -> int:
    return sum(1 for line in markdown.splitlines() if re.match(r"\| F\d+ \|", line))


def test_markdown_lists_the_first_200_failing_records_and_counts_the_rest(tmp_path: Path,
                                                                        many_failures: Path) -> None:
    got = _assess(tmp_path, many_failures, "--rule", "INV-011", "--as-of", "2022-04-01",
                  names=["report.md", "report.txt"])
    [rule] = got["rules"]
    assert len(rule["failures"]) == 250
    markdown = (tmp_path / "report.md").read_text()
    assert _failure_rows(markdown) == 200
    assert _FAILURES_MORE.findall(markdown) == [("50", "250")]
    assert _FAILURES_MORE.findall(_text(tmp_path / "report.txt")) == [("240", "250")]  # text: 10


def test_max_failures_lists_more_in_markdown(tmp_path: Path, many_failures: Path) -> None:
    _assess(tmp_path, many_failures, "--rule", "INV-011", "--as-of", "2022-04-01", "--max-failures", "300",
            names=["report.md"])
    markdown = (tmp_path / "report.md").read_text()
    assert _failure_rows(markdown) == 250 and not _FAILURES_MORE.findall(markdown)


_JUNIT_MORE = re.compile(r"\.\.\. ([\d,]+) more failing records? not shown: the JSON report \(-o report\.json\) "
                         r"and the follow-up list \(-o followup\.csv\) list all ([\d,]+)")


def test_html_says_how_many_more_failing_records_and_how_to_see_them(tmp_path: Path, many_failures: Path) -> None:
    # the sentence of text and Markdown: the HTML's cap is --max-failures too (200 unless it says)
    _assess(tmp_path, many_failures, "--rule", "INV-011", "--as-of", "2022-04-01", names=["report.html"])
    assert _FAILURES_MORE.findall(_text(tmp_path / "report.html")) == [("50", "250")]
    _assess(tmp_path, many_failures, "--rule", "INV-011", "--as-of", "2022-04-01", "--max-failures", "30",
            names=["report.html"])
    assert _FAILURES_MORE.findall(_text(tmp_path / "report.html")) == [("220", "250")]


def test_junit_says_how_many_more_failing_records_and_where_they_all_are(tmp_path: Path,
                                                                        many_failures: Path) -> None:
    # a test case names the first 50, whatever --max-failures says: no option to suggest, only where the rest are
    _assess(tmp_path, many_failures, "--rule", "INV-011", "--as-of", "2022-04-01", "--max-failures", "300",
            names=["report.xml"])
    text = _text(tmp_path / "report.xml")
    assert _JUNIT_MORE.findall(text) == [("200", "250")]
    assert "--max-failures" not in text


def test_junit_says_how_many_more_problems_of_rejected_rows_and_where_they_all_are(tmp_path: Path) -> None:
    records = tmp_path / "bad.out_of_court_disposal.csv"
    records.write_text("\n".join([HEADER, *(f"B{i},caution,not a date,false" for i in range(60))]) + "\n")
    report = tmp_path / "report.xml"
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "-q", "--skip-invalid", "--rule", "INV-011",
                                      "--as-of", "2022-04-01", str(records), "-o", str(report)])
    assert result.exit_code == ExitCode.INCOMPLETE, result.output
    assert re.findall(r"\.\.\. (\d+) more problems of rejected rows of \S+ not shown: the JSON report "
                      r"\(-o report\.json\) and the follow-up list \(-o followup\.csv\) list all (\d+)",
                      _text(report)) == [("10", "60")]
