"""The CI formats agree with the exit code: JUnit fails (and SARIF reports) exactly what makes a run
exit 1 or 3, a rule not assessable included; what does not fail the run (manual, disabled, waived,
inconclusive) is never a failure."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from peelcheck.cli.main import cli
from peelcheck.exitcodes import ExitCode

from .conftest import PACK_DIR
from .sarif_schema import assert_valid_sarif

EXPORTS = Path(__file__).parent / "data" / "exports"
HEADER = "disposal_ref,disposal_type,given_at,offender_meets_national_criteria"
MET = ["D1,caution,2021-03-01T10:00:00,true", "D2,caution,2021-03-02T10:00:00,true"]
UNMET = ["D1,caution,2021-03-01T10:00:00,true", "D3,caution,2021-03-02T10:00:00,false"]
REJECTED = [*MET, "D9,cautionz,2021-03-02T10:00:00,true"]
WAIVER = "waivers:\n  - rule: INV-011\n{record}    reason: agreed with the chief\n    approver: ACC Jones\n" \
         "    expires: 2022-12-31\n"
ANSWER = "answers:\n  - rule: LEG-013\n    answer: \"no\"\n    evidence: IAG minutes\n    who: auditor\n" \
         "    when: 2022-03-25\n"
DISABLE = "id: test-force\ntitle: Test\npack: {pack}\ndisable:\n  - rule: LEG-019\n    reason: police.uk extract\n"


@dataclass(frozen=True)
class Scenario:
    rows: list[str] | None  # the disposals file's rows (None: the police.uk stop and search export)
    args: tuple[str, ...]
    exit_code: int
    files: tuple[tuple[str, str], ...] = ()  # (name, text) written beside the records; {dir} is the folder


POLICE_UK = ("--rule", "LEG-019", "--mapping", "police_uk_stop_search")
SCENARIOS = {
    "met": Scenario(MET, ("--rule", "INV-011"), ExitCode.OK),
    "not-met": Scenario(UNMET, ("--rule", "INV-011"), ExitCode.GAPS),
    "not-recorded-only": Scenario([r.rsplit(",", 1)[0] + "," for r in MET], ("--rule", "INV-011"), ExitCode.GAPS),
    "not-assessable": Scenario(None, POLICE_UK, ExitCode.GAPS),
    "not-assessable-disabled": Scenario(None, (*POLICE_UK, "--profile", "{dir}/profile.yaml"), ExitCode.OK,
                                        (("profile.yaml", DISABLE),)),
    "waived-rule": Scenario(UNMET, ("--rule", "INV-011", "--waivers", "{dir}/w.yaml"), ExitCode.OK,
                            (("w.yaml", WAIVER.format(record="")),)),
    "waived-record": Scenario(UNMET, ("--rule", "INV-011", "--waivers", "{dir}/w.yaml"), ExitCode.OK,
                              (("w.yaml", WAIVER.format(record="    record: D3\n")),)),
    "manual-unanswered": Scenario(MET, ("--rule", "LEG-013"), ExitCode.OK),
    "manual-answered-no": Scenario(MET, ("--rule", "LEG-013", "--answers", "{dir}/a.yaml"), ExitCode.GAPS,
                                   (("a.yaml", ANSWER),)),
    "inconclusive": Scenario(MET, ("--rule", "INV-011", "--verdict", "interval"), ExitCode.OK),
    "rows-rejected": Scenario(REJECTED, ("--rule", "INV-011", "--skip-invalid"), ExitCode.INCOMPLETE),
    "gap-and-rows-rejected": Scenario([*UNMET, REJECTED[-1]], ("--rule", "INV-011", "--skip-invalid"),
                                      ExitCode.GAPS),
    # INV-011 is medium and LEG-019 low: gaps below --fail-on do not fail the run, nor the CI formats
    "gap-below-fail-on": Scenario(UNMET, ("--rule", "INV-011", "--fail-on", "high"), ExitCode.OK),
    "gap-at-fail-on": Scenario(UNMET, ("--rule", "INV-011", "--fail-on", "medium"), ExitCode.GAPS),
    "gap-fail-on-never": Scenario(UNMET, ("--rule", "INV-011", "--fail-on", "never"), ExitCode.OK),
    "not-assessable-below-fail-on": Scenario(None, (*POLICE_UK, "--fail-on", "medium"), ExitCode.OK),
}


def _run(folder: Path, scenario: Scenario) -> int:
    pack = (PACK_DIR / "pack.yaml").read_text().split("id:", 1)[1].split()[0]
    for name, text in scenario.files:
        (folder / name).write_text(text.format(pack=pack))
    if scenario.rows is None:
        records = EXPORTS / "police_uk_no_outcome_link.csv"
    else:
        records = folder / "d.out_of_court_disposal.csv"
        records.write_text("\n".join([HEADER, *scenario.rows]) + "\n")
    args = [a.replace("{dir}", str(folder)) for a in scenario.args]
    as_of = "2018-09-01" if scenario.rows is None else "2022-04-01"
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "--as-of", as_of, "-q", *args,
                                      str(records), "-o", str(folder / "r.xml"), "-o", str(folder / "r.sarif")])
    assert result.exit_code == scenario.exit_code, result.output
    return result.exit_code


def _failed(root: ET.Element) -> int:
    return sum(int(s.get("failures") or 0) + int(s.get("errors") or 0) for s in root.iter("testsuite"))


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_junit_fails_exactly_when_the_exit_code_does(tmp_path: Path, name: str) -> None:
    code = _run(tmp_path, SCENARIOS[name])
    root = ET.parse(tmp_path / "r.xml").getroot()
    assert (_failed(root) > 0) == (code in (ExitCode.GAPS, ExitCode.INCOMPLETE))
    cases = list(root.iter("testcase"))
    assert _failed(root) == sum(1 for c in cases if c.find("failure") is not None or c.find("error") is not None)
    assert int(root.get("failures") or 0) + int(root.get("errors") or 0) == _failed(root)  # the root adds up


def test_junit_says_why_a_rule_could_not_be_assessed(tmp_path: Path) -> None:
    _run(tmp_path, SCENARIOS["not-assessable"])
    root = ET.parse(tmp_path / "r.xml").getroot()
    [case] = [c for c in root.iter("testcase") if (c.get("name") or "").startswith("LEG-019")]
    failure = case.find("failure")
    assert failure is not None and case.find("skipped") is None
    assert failure.get("type") == "not-assessable"
    assert "not assessable: column Outcome linked to object of search absent" in (failure.get("message") or "")
    assert "not assessable: not assessable" not in (failure.get("message") or "")


def test_sarif_reports_a_rule_not_assessable_with_why(tmp_path: Path) -> None:
    _run(tmp_path, SCENARIOS["not-assessable"])
    log = json.loads((tmp_path / "r.sarif").read_text())
    assert_valid_sarif(log)
    run = log["runs"][0]
    found = [r for r in run["results"] if r["ruleId"] == "LEG-019"]
    assert len(found) == 1 and found[0]["level"] == "error"
    assert found[0]["properties"]["status"] == "not_assessable"
    assert "could not be assessed" in found[0]["message"]["text"]
    assert "column Outcome linked to object of search absent" in found[0]["message"]["text"]
    assert found[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(
        "police_uk_no_outcome_link.csv")
    assert "LEG-019" in {r["id"] for r in run["tool"]["driver"]["rules"]}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_sarif_has_an_error_exactly_when_the_exit_code_says_so(tmp_path: Path, name: str) -> None:
    code = _run(tmp_path, SCENARIOS[name])
    log = json.loads((tmp_path / "r.sarif").read_text())
    assert_valid_sarif(log)
    errors = [r for r in log["runs"][0]["results"] if r["level"] == "error"]
    assert bool(errors) == (code in (ExitCode.GAPS, ExitCode.INCOMPLETE))


def test_a_gap_below_fail_on_is_skipped_in_junit_and_a_warning_in_sarif_saying_why(tmp_path: Path) -> None:
    _run(tmp_path, SCENARIOS["gap-below-fail-on"])
    [case] = [c for c in ET.parse(tmp_path / "r.xml").getroot().iter("testcase")
              if (c.get("name") or "").startswith("INV-011")]
    skipped = case.find("skipped")
    assert skipped is not None and case.find("failure") is None
    assert "medium gap, below --fail-on high" in (skipped.get("message") or "")
    results = [r for r in json.loads((tmp_path / "r.sarif").read_text())["runs"][0]["results"]
               if r["ruleId"] == "INV-011"]
    assert results and {r["level"] for r in results} == {"warning"}


@pytest.mark.parametrize(("unmet", "said"), [(5, "2 more failing records of INV-011"),
                                             (4, "1 more failing record of INV-011")])
def test_sarif_counts_the_failing_records_past_its_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       unmet: int, said: str) -> None:
    from peelcheck.report import sarif

    monkeypatch.setattr(sarif, "MAX_RESULTS_PER_RULE", 3)
    rows = [f"D{k},caution,2021-03-01T10:00:00,false" for k in range(unmet)]
    _run(tmp_path, Scenario(rows, ("--rule", "INV-011"), ExitCode.GAPS))
    results = [r for r in json.loads((tmp_path / "r.sarif").read_text())["runs"][0]["results"]
               if r["ruleId"] == "INV-011"]
    assert len(results) == 4 and "locations" not in results[-1]
    assert results[-1]["message"]["text"].startswith(said)
