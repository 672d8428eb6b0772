"""--baseline: each rule and finding against an earlier assessment (the 2017 -> 2018 follow-up example)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from peelcheck.assess.baseline import Before, change, compare, read_baseline
from peelcheck.assess.model import Assessment
from peelcheck.assess.model_extras import Change
from peelcheck.assess.stats import Interval, wilson
from peelcheck.assess.waivers import Waiver, Waivers
from peelcheck.cli.main import cli
from peelcheck.compile.pack_check import load_compiled_pack
from peelcheck.errors import Location
from peelcheck.pipeline import AssessOptions, assess_records
from peelcheck.report.changes import since
from peelcheck.report.json_report import render_json
from peelcheck.report.text import render_text
from peelcheck.schema.outcomes import RuleStatus

from .conftest import EXAMPLES, PACK_DIR
from .pack_factory import rule_spec, write_pack

EF17 = EXAMPLES / "west-mercia-2017"


def _assess(files: list[Path], as_of: str, *args: str):
    return CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "--profile", str(EF17 / "profile.yaml"),
                                    *map(str, files), "--as-of", as_of, *args])


def _answers(folder: Path) -> list[str]:
    """The example's answers to manual rules, as its EXPECTED.md command gives them."""
    return ["--answers", str(folder / "answers.yaml")] if (folder / "answers.yaml").exists() else []


@pytest.fixture(scope="module")
def followup(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict, str]:
    folder = tmp_path_factory.mktemp("baseline")
    first = _assess(sorted(EF17.glob("*.csv")), "2017-11-17", *_answers(EF17), "-o", str(folder / "2017.json"))
    assert first.exit_code == 1
    later = EF17 / "followup-2018"
    second = _assess(sorted(later.glob("*.csv")), "2018-06-04", *_answers(later), "--baseline",
                     str(folder / "2017.json"), *(arg for ext in ("json", "html", "md", "txt")
                                                  for arg in ("-o", str(folder / f"2018.{ext}"))))
    assert second.exit_code == 1, second.output
    return (json.loads((folder / "2017.json").read_text()), json.loads((folder / "2018.json").read_text()),
            (folder / "2018.html").read_text())


def test_each_rule_is_marked_against_the_baseline(followup: tuple[dict, dict, str]) -> None:
    before, after, _ = followup
    old = {r["id"]: r for r in before["rules"]}
    assert after["baseline"]["as_of"] == "2017-11-17"
    for rule in after["rules"]:
        mark, was = rule["baseline"], old[rule["id"]]
        assert mark["previous_status"] == was["status"]
        if rule["status"] == "not_met":
            assert mark["change"] == ("persisting" if was["status"] == "not_met" else "new")
        if was["status"] == "not_met" and rule["status"] == "met":
            assert mark["change"] == "resolved"
        if rule["count_target"] is not None:  # matches against a target: compared as counts, not as a rate
            assert mark["rate_change"] is None
        elif rule["compliance_rate"] is not None and was["compliance_rate"] is not None:
            assert mark["rate_change"] == pytest.approx(rule["compliance_rate"] - was["compliance_rate"])
    changes = {r["baseline"]["change"] for r in after["rules"]}
    assert {"resolved", "persisting"} <= changes  # what the PCC's letter reports done, and what is under way


def test_findings_not_met_twice_are_repeats_and_shown_so(followup: tuple[dict, dict, str]) -> None:
    _, after, html = followup
    repeats = [f for f in after["findings"] if f["baseline"]["repeat"]]
    assert repeats and all(f["status"] == "not_met" and f["baseline"]["previous_status"] == "not_met"
                           for f in repeats)
    assert html.count('class="badge repeat"') == len(repeats)


def test_change_in_rate_and_whether_intervals_separate() -> None:
    before = Before(RuleStatus.MET, 0.80, wilson(80, 100))
    up = change(RuleStatus.MET, 0.97, wilson(97, 100), before)
    assert up.change is Change.IMPROVED and up.intervals_separate and up.rate_change == pytest.approx(0.17)
    down = change(RuleStatus.MET, 0.78, wilson(78, 100), before)
    assert down.change is Change.WORSENED and down.intervals_separate is False
    assert change(RuleStatus.NOT_MET, 0.5, wilson(5, 10), None).change is Change.NEW


def test_a_baseline_that_is_not_a_report_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "old.json"
    bad.write_text("{}")
    result = _assess(sorted(EF17.glob("*.csv")), "2017-11-17", "--baseline", str(bad))
    assert result.exit_code == 2 and "[bad-baseline]" in result.stderr


def _rules_assessed(root: Path, threshold: float, flagged: int, waivers: Waivers | None = None) -> Assessment:
    rules = [rule_spec(0, when={"b2": True}, count={"at_most": 3}),
             rule_spec(1, expect={"b1": True}, threshold=threshold),
             rule_spec(2, expect={"b1": True}, threshold=0.9)]
    pack = load_compiled_pack(write_pack(root, rules))
    records = [{"b1": i > 0, "b2": i < flagged} for i in range(8)]  # 7 of 8 compliant: 87.5%
    return assess_records(pack, {"thing": records}, AssessOptions(as_of=dt.date(2022, 4, 1), waivers=waivers))


def test_what_changed_besides_the_records_is_not_read_as_a_change_in_them(tmp_path: Path) -> None:
    earlier = tmp_path / "earlier.json"
    earlier.write_text(render_json(_rules_assessed(tmp_path / "a", 0.9, flagged=1)))
    waivers = Waivers([(Waiver(rule="GEN-003", reason="under review", approver="ACC B",
                               expires=dt.date(2022, 6, 30)), Location("waivers.yaml", 2, 5))])
    later = compare(_rules_assessed(tmp_path / "b", 0.8, flagged=2, waivers=waivers), earlier)
    marks = {r.id: r.baseline for r in later.rules}
    # at most 3 matches: 1 then 2 is worse, though the share of records matching went up
    assert marks["GEN-001"].change is Change.WORSENED and marks["GEN-001"].rate_change is None
    assert marks["GEN-001"].previous_count == 1  # the baseline's matches, said as 'was 1 found'
    assert since(next(r for r in later.rules if r.id == "GEN-001")).startswith("worsened: was 1 found (met)")
    # 87.5% both times: resolved only because the threshold fell from 90% to 80%, and it says so
    assert marks["GEN-002"].change is Change.RESOLVED and marks["GEN-002"].previous_threshold == 0.9
    # not met then, waived now: nothing can be said of a change (it read 'unchanged')
    assert marks["GEN-003"].change is Change.NOT_COMPARED


def test_the_baselines_interval_is_the_one_it_reported(tmp_path: Path) -> None:
    earlier = tmp_path / "earlier.json"  # a census of 100 records: no sampling error at the baseline
    earlier.write_text(json.dumps({"as_of": "2021-04-01", "pack_version": "0.1.0", "rules": [
        {"id": "GEN-001", "status": "met", "compliance_rate": 0.9, "applicable": 100, "compliant": 90,
         "threshold": 0.8, "interval": {"low": 0.9, "high": 0.9, "point_status": "met"}}]}))
    _, rules, _ = read_baseline(earlier)
    assert rules["GEN-001"].interval == Interval(0.9, 0.9)
    now = wilson(97, 100)  # 91.5% to 99.0%: clear of the census's 90%
    assert change(RuleStatus.MET, 0.97, now, rules["GEN-001"], threshold=0.8).intervals_separate


def _rows(lines: list[str], rule_id: str) -> list[str]:
    """The rule's row of its area's table, in Markdown ('| met | PVP-055 | ...') or text (' met  PVP-055  ...')."""
    return [line for line in lines if re.match(rf"(\| [^|]+ \| |\s*[A-Za-z ]+?\s+){rule_id}[ |]", line)]


def test_text_and_markdown_say_what_changed_since_the_baseline(followup: tuple[dict, dict, str]) -> None:
    before, after, html = followup
    rules_before = {r["id"]: r for r in before["rules"]}
    folder = Path(after["baseline"]["path"]).parent
    markdown = (folder / "2018.md").read_text()
    text = " ".join((folder / "2018.txt").read_text().split())
    counts = Counter(r["baseline"]["change"] for r in after["rules"])
    repeats = sum(f["baseline"]["repeat"] for f in after["findings"])
    for said in (markdown, text):  # the summary line: which assessment, every change counted, the repeats
        line = next(x for x in said.split("\n") if "Compared with the assessment of 2017-11-17" in x)
        assert all(f"{count} {change.replace('-', ' ')}" in line for change, count in counts.items())
        assert f"{repeats} findings not met at both assessments (repeats)" in line
    assert markdown.count("(repeat: not met at the baseline too)") == repeats
    # per rule, the change and the figure the baseline gave it: PVP-055 was 11 of 30, now 30 of 30
    resolved = "resolved: was 36.7% (not met); +63.3 points, intervals separate"
    assert [resolved in row for row in _rows(markdown.splitlines(), "PVP-055")] == [True]
    wide = io.StringIO()
    render_text(Assessment.model_validate(after), Console(file=wide, width=400, color_system=None), 0)
    assert [resolved in row for row in _rows(wide.getvalue().splitlines(), "PVP-055")] == [True]
    assert f"<td>{resolved}</td>" in html  # the HTML's "Since baseline" column says the same
    rules = {r["id"]: r for r in after["rules"]}
    count_rule = next(r for r in rules.values() if r["count_target"] and r["baseline"]["change"] == "resolved")
    found = f"| resolved: was {rules_before[count_rule['id']]['compliant']:,} found (not met) |"  # matches, no rate
    assert found in _rows(markdown.splitlines(), count_rule["id"])[0]
    answered = next(r for r in rules.values() if r["self_declared_answer"] and r["baseline"]["repeat"])
    assert "| persisting: was not met; repeat |" in _rows(markdown.splitlines(), answered["id"])[0]


def test_without_a_baseline_text_and_markdown_say_nothing_of_one(tmp_path: Path) -> None:
    later = EF17 / "followup-2018"
    result = _assess(sorted(later.glob("*.csv")), "2018-06-04", *_answers(later), "-o", str(tmp_path / "r.md"),
                     "-o", str(tmp_path / "r.txt"))
    assert result.exit_code == 1
    for name in ("r.md", "r.txt"):
        said = (tmp_path / name).read_text()
        assert "Compared with" not in said and "since baseline" not in said and "repeat:" not in said
