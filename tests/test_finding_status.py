"""A finding's status from its rules': a rule not assessable (a column it needs is absent) is a gap, so
the finding it evidences reads as not assessable, never as met or disabled."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from peelcheck.assess.findings import worst_status
from peelcheck.cli.main import cli
from peelcheck.exitcodes import ExitCode
from peelcheck.schema.outcomes import RuleStatus

from .conftest import PACK_DIR

EXPORTS = Path(__file__).parent / "data" / "exports"
S = RuleStatus


@pytest.mark.parametrize(("statuses", "expected"), [
    ([S.NOT_ASSESSABLE], S.NOT_ASSESSABLE),
    ([S.MET, S.NOT_ASSESSABLE], S.NOT_ASSESSABLE),  # the evidence that could be read is not all of it
    ([S.INCONCLUSIVE, S.NOT_ASSESSABLE], S.NOT_ASSESSABLE),  # a gap that fails the run, before one that does not
    ([S.DISABLED, S.NOT_ASSESSABLE], S.NOT_ASSESSABLE),
    ([S.NOT_MET, S.NOT_ASSESSABLE], S.NOT_MET),
    ([S.DISABLED, S.DISABLED], S.DISABLED),
    ([S.MET, S.MANUAL], S.MET),
])
def test_a_finding_takes_the_first_status_of_its_rules_in_order(statuses: list[RuleStatus],
                                                                  expected: RuleStatus) -> None:
    assert worst_status(statuses) is expected


def test_every_status_of_a_lone_rule_is_its_findings() -> None:
    assert all(worst_status([status]) is status for status in RuleStatus)


@pytest.fixture(scope="module")
def unassessable(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A police.uk stop and search export without its outcome-link column: LEG-019, the one rule assessed,
    is not assessable, and evidences P21-AFI-02 and P21-F-46."""
    out = tmp_path_factory.mktemp("finding-status")
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "--as-of", "2018-09-01", "--rule", "LEG-019",
                                      "--mapping", "police_uk_stop_search",
                                      str(EXPORTS / "police_uk_no_outcome_link.csv"),
                                      "-o", str(out / "report.json"), "-o", str(out / "report.html"),
                                      "-o", str(out / "report.md"), "-o", str(out / "report.txt")])
    assert result.exit_code == ExitCode.GAPS, result.output
    return out


def test_a_finding_whose_rule_is_not_assessable_is_not_assessable_in_json(unassessable: Path) -> None:
    report = json.loads((unassessable / "report.json").read_text())
    assert [r["status"] for r in report["rules"]] == ["not_assessable"]
    findings = {f["id"]: f["status"] for f in report["findings"]}
    assert findings["P21-AFI-02"] == "not_assessable"
    assert set(findings.values()) == {"not_assessable"}


def test_a_finding_whose_rule_is_not_assessable_has_the_badge_in_html(unassessable: Path) -> None:
    html = (unassessable / "report.html").read_text()
    badges = dict((fid, (css, words)) for css, words, fid in
                  re.findall(r'<h5><span class="badge ([a-z_]+)">([^<]+)</span> ([A-Z0-9-]+)', html))
    assert badges["P21-AFI-02"] == ("not_assessable", "not assessable")
    assert all(css != "disabled" for css, _ in badges.values())


def test_a_finding_whose_rule_is_not_assessable_says_so_in_text_and_markdown(unassessable: Path) -> None:
    for name in ("report.md", "report.txt"):
        text = " ".join((unassessable / name).read_text().split())
        assert "NOT ASSESSABLE: area for improvement" in text and "disabled:" not in text.lower()


def test_markdowns_area_table_counts_a_finding_not_assessable_among_the_gaps(unassessable: Path) -> None:
    report = json.loads((unassessable / "report.json").read_text())
    lines = (unassessable / "report.md").read_text().splitlines()
    header = next(line for line in lines if line.startswith("| area | findings met"))
    columns = [c.strip() for c in header.strip("|").split("|")]
    area = next(a for a in report["areas"] if "P21-AFI-02" in a["findings"])
    row = next(line for line in lines if line.startswith(f"| {area['title']} |"))
    cells = dict(zip(columns, (c.strip() for c in row.strip("|").split("|"))))
    assert cells["not met, not sustained or not assessable"] == str(len(area["findings"]))
    assert cells["other findings"] == "0"
