"""A file of thousands of rejected rows still makes a readable report: Markdown, text and HTML list the
first problems of each file's rejected rows (``--max-failures``; by default 200 in Markdown and HTML, 10
in text, as for failing records) and say how many more there are and where all of them are. Nothing
is dropped without being counted: what is listed and what is counted add up to the JSON's rows."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from peelcheck.cli.main import cli
from peelcheck.exitcodes import ExitCode

from .conftest import PACK_DIR

HEADER = "disposal_ref,disposal_type,given_at,offender_meets_national_criteria"
GOOD = "G1,caution,2021-03-01T10:00:00,true"
MANY = 250  # past Markdown's and HTML's default of 200
FEW = ["D2,cautionz,2021-03-02T10:00:00,true", "D4,kaution,not a time,true"]  # 3 problems: under every cap
REPORTS = ["report.md", "report.txt", "report.html", "report.json"]
_MORE = re.compile(r"([\d,]+) more problems? of rejected rows of (\S+) not shown")


def _assess(folder: Path, *options: str) -> dict[str, Path]:
    many = folder / "many.out_of_court_disposal.csv"
    many.write_text("\n".join([HEADER, GOOD, *(f"B{i},cautionz,2021-03-02T10:00:00,true" for i in range(MANY))])
                    + "\n")
    few = folder / "few.out_of_court_disposal.csv"
    few.write_text("\n".join([HEADER, "G2,caution,2021-03-01T10:00:00,true", *FEW]) + "\n")
    outputs = [arg for name in REPORTS for arg in ("-o", str(folder / name))]
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "--as-of", "2022-04-01", "-q",
                                      "--rule", "INV-011", "--skip-invalid", str(many), str(few), *options,
                                      *outputs])
    assert result.exit_code == ExitCode.INCOMPLETE, result.output
    return {"folder": folder, "many": many, "few": few}


@pytest.fixture(scope="module")
def defaults(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return _assess(tmp_path_factory.mktemp("caps"))


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return _assess(tmp_path_factory.mktemp("caps3"), "--max-failures", "3")


def _problems(run: dict[str, Path], path: Path) -> int:
    rows = json.loads((run["folder"] / "report.json").read_text())["rejected_rows"]
    return sum(1 for r in rows if r["location"].startswith(f"{path}:"))


def _left_out(text: str) -> dict[str, int]:
    """Each 'N more problems of rejected rows of PATH not shown' note, by path (wrapped lines joined)."""
    found = _MORE.findall(" ".join(text.split()))
    assert len(found) == len({path for _, path in found})  # one note per file
    return {path: int(count.replace(",", "")) for count, path in found}


def _listed(text: str, prefix: str, path: Path) -> int:
    return sum(1 for line in text.splitlines() if line.startswith(f"{prefix}{path}:"))


def _html_listed(html: str, path: Path) -> tuple[int, str]:
    """The rejected rows listed in the file's data-quality article, and the article's text."""
    article = html.split(f'data-path="{path}"', 1)[1].split("</article>", 1)[0]
    table = article.split('<table class="rejected">', 1)[1].split("</table>", 1)[0]
    return table.count("<tr><td>"), article


@pytest.mark.parametrize(("report", "prefix", "cap"), [("report.md", "- ", 200), ("report.txt", "  ", 10)])
def test_markdown_and_text_list_the_first_rejected_rows_of_each_file_and_count_the_rest(
        defaults: dict[str, Path], report: str, prefix: str, cap: int) -> None:
    text = (defaults["folder"] / report).read_text()
    many, few = defaults["many"], defaults["few"]
    assert _problems(defaults, many) == MANY and _problems(defaults, few) == 3
    assert _listed(text, prefix, many) == cap and _listed(text, prefix, few) == 3
    assert _left_out(text) == {str(many): MANY - cap}  # the few file's rows are all there: no note
    assert "-o report.json" in text and "-o followup.csv" in text  # where every one of them is


@pytest.mark.parametrize(("report", "prefix"), [("report.md", "- "), ("report.txt", "  ")])
def test_max_failures_caps_the_rejected_rows_too(three: dict[str, Path], report: str, prefix: str) -> None:
    text = (three["folder"] / report).read_text()
    assert _listed(text, prefix, three["many"]) == 3 and _listed(text, prefix, three["few"]) == 3
    assert _left_out(text) == {str(three["many"]): MANY - 3}


@pytest.mark.parametrize(("run", "cap"), [("defaults", 200), ("three", 3)])
def test_html_counts_the_rejected_rows_it_leaves_out_and_says_where_they_all_are(
        request: pytest.FixtureRequest, run: str, cap: int) -> None:
    got = request.getfixturevalue(run)
    html = (got["folder"] / "report.html").read_text()
    shown, article = _html_listed(html, got["many"])
    assert shown == cap and _left_out(article) == {str(got["many"]): MANY - cap}
    assert "-o report.json" in article and "-o followup.csv" in article
    shown, article = _html_listed(html, got["few"])
    assert shown == 3 and _left_out(article) == {}


def test_the_counts_stay_exact(defaults: dict[str, Path]) -> None:
    summary = json.loads((defaults["folder"] / "report.json").read_text())["summary"]
    assert (summary["rows_rejected"], summary["rows_read"]) == (MANY + 2, MANY + 4)
    text = " ".join((defaults["folder"] / "report.txt").read_text().split())
    markdown = (defaults["folder"] / "report.md").read_text()
    assert f"{MANY + 2} rows rejected and not assessed ({MANY + 3} problems)" in text
    assert f"**{MANY + 2} rows were rejected** ({MANY + 3} problems)" in markdown


def test_one_rejected_row_is_counted_in_the_singular_in_every_report(tmp_path: Path) -> None:
    path = tmp_path / "one.out_of_court_disposal.csv"
    path.write_text("\n".join([HEADER, GOOD, "B1,cautionz,2021-03-02T10:00:00,true"]) + "\n")
    outputs = [arg for name in ("report.md", "report.txt", "report.html", "report.xml")
               for arg in ("-o", str(tmp_path / name))]
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "--as-of", "2022-04-01", "-q",
                                      "--rule", "INV-011", "--skip-invalid", str(path), *outputs])
    assert result.exit_code == ExitCode.INCOMPLETE, result.output
    text = " ".join((tmp_path / "report.txt").read_text().split())
    assert "1 row rejected and not assessed (1 problem)" in text and "1 of 2 rows rejected" in text
    assert "**1 row was rejected** (1 problem)" in (tmp_path / "report.md").read_text()
    html = (tmp_path / "report.html").read_text()
    assert "(out_of_court_disposal, 1 record)" in html and "1 row rejected (1 problem), not assessed" in html
    assert 'message="1 row of ' in (tmp_path / "report.xml").read_text()
