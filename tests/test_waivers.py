"""Waivers: a whole rule or one record of a rule, listed apart; expired ones stop the run (located);
ones that matched nothing are warned about."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from click.testing import CliRunner

from peelcheck.assess.waivers import check_waivers
from peelcheck.cli.main import cli

from .conftest import EXAMPLES, PACK_DIR

FILES = [str(EXAMPLES / "self-assessment" / "case_file.csv")]


def _assess(tmp_path: Path, waivers: str, *args: str):
    path = tmp_path / "waivers.yaml"
    path.write_text(waivers)
    out = tmp_path / "report.json"
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), *FILES, "--as-of", "2022-04-01",
                                      "--waivers", str(path), "-o", str(out), *args])
    return result, (json.loads(out.read_text()) if out.exists() else None)


def _rules(report: dict) -> dict[str, dict]:
    return {r["id"]: r for r in report["rules"]}


def test_a_record_waiver_takes_the_record_out_of_the_rules_figures(tmp_path: Path) -> None:
    _, before = _assess(tmp_path, "waivers: []\n")
    rule = _rules(before)["PVP-001"]
    key = rule["failures"][0]["key"]
    result, after = _assess(tmp_path, f"waivers:\n  - {{rule: PVP-001, record: {key}, reason: case closed by CPS, "
                                      "approver: Supt A. Smith, expires: 2022-12-31}\n")
    waived = _rules(after)["PVP-001"]
    assert waived["applicable"] == rule["applicable"] - 1 and key not in {f["key"] for f in waived["failures"]}
    assert len(waived["failures"]) == len(rule["failures"]) - 1
    assert after["waived"] == [{"rule": "PVP-001", "record": key, "reason": "case closed by CPS",
                                "approver": "Supt A. Smith", "expires": "2022-12-31",
                                "location": f"{tmp_path / 'waivers.yaml'}:2:5", "failures": 1}]
    assert after["unused_waivers"] == []


def test_a_rule_waiver_makes_it_waived_and_it_no_longer_fails_the_run(tmp_path: Path) -> None:
    result, report = _assess(tmp_path, "waivers:\n  - {rule: PVP-001, reason: under review, approver: ACC B, "
                                       "expires: 2022-06-30}\n", "--rule", "PVP-001")
    assert result.exit_code == 0
    assert _rules(report)["PVP-001"]["status"] == "waived" and report["summary"]["waived"] == 1
    assert report["areas"][0]["waived"] == 1


def test_an_expired_waiver_stops_assess_with_its_location(tmp_path: Path) -> None:
    result, report = _assess(tmp_path, "waivers:\n  - rule: PVP-001\n    reason: old\n    approver: ACC B\n"
                                       "    expires: 2022-03-31\n")
    assert result.exit_code == 2 and report is None
    assert f"{tmp_path / 'waivers.yaml'}:5:5" in result.stderr and "[expired-waiver]" in result.stderr


def test_a_waiver_that_matches_nothing_is_warned_about(tmp_path: Path) -> None:
    result, report = _assess(tmp_path, "waivers:\n  - {rule: PVP-001, record: NO-SUCH-CASE, reason: typo here, "
                                       "approver: ACC B, expires: 2022-06-30}\n")
    assert result.exit_code == 1
    assert [w["record"] for w in report["unused_waivers"]] == ["NO-SUCH-CASE"]
    assert "[unused-waiver]" in result.stderr


def test_validate_checks_waivers_too(tmp_path: Path) -> None:
    path = tmp_path / "waivers.yaml"
    path.write_text("waivers:\n  - {rule: PVP-001, reason: old one, approver: ACC B, expires: 2001-01-01}\n"
                    "  - {rule: ZZZ-001, reason: no such, approver: ACC B, expires: 2999-01-01}\n"
                    "  - {rule: PVP-001, reason: no, approver: ACC B, expires: 2999-01-01}\n")
    result = CliRunner().invoke(cli, ["validate", str(PACK_DIR), "--waivers", str(path), "--format", "json"])
    assert result.exit_code == 1
    found = {(d["code"], d["line"]) for d in json.loads(result.stdout)["diagnostics"]}
    assert found == {("expired-waiver", 2), ("unknown-rule", 3), ("wrong-type", 4)}  # YAML reads `no` as false


def test_quiet_keeps_warnings_off_stderr(tmp_path: Path) -> None:
    result, _ = _assess(tmp_path, "waivers:\n  - {rule: PVP-001, record: NO-SUCH-CASE, reason: typo here, "
                                  "approver: ACC B, expires: 2022-06-30}\n", "--quiet")
    assert result.exit_code == 1 and result.stderr == ""


PERSON_WAIVER = ("waivers:\n  - {rule: INV-021, record: WM21-P0016, reason: on long-term sick leave, "
                 "approver: Supt A. Smith, expires: 2022-12-31}\n")


def _assess_people(tmp_path: Path, *args: str) -> tuple[str, dict]:
    path = tmp_path / "waivers.yaml"
    path.write_text(PERSON_WAIVER)
    out = tmp_path / "report.json"
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "--waivers", str(path), "-o", str(out),
                                      str(EXAMPLES / "west-mercia-2021" / "workforce_member.csv"),
                                      "--as-of", "2022-04-01", "--rule", "INV-021", "--rule", "INV-022", *args])
    assert result.exit_code == 1, result.output
    return out.read_text(), json.loads(out.read_text())


def test_a_waived_record_about_a_person_is_named_by_its_pseudonym_as_its_failures_are(tmp_path: Path) -> None:
    text, report = _assess_people(tmp_path)
    other = next(f["key"] for f in _rules(report)["INV-022"]["failures"] if f["location"].endswith(":17"))
    assert other.startswith("person-") and [w["record"] for w in report["waived"]] == [other]
    assert "WM21-P0016" not in text
    _, shown = _assess_people(tmp_path, "--show-personal")
    assert [w["record"] for w in shown["waived"]] == ["WM21-P0016"]


def test_text_and_markdown_list_the_waivers_that_applied_and_those_that_matched_nothing(tmp_path: Path) -> None:
    path = tmp_path / "waivers.yaml"
    path.write_text("waivers:\n  - {rule: PVP-001, reason: under review, approver: ACC B, expires: 2022-06-30}\n"
                    "  - {rule: INV-003, record: NO-SUCH-CASE, reason: typo here, approver: ACC B, "
                    "expires: 2022-06-30}\n")
    for kind in ("text", "md"):
        result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), *FILES, "--as-of", "2022-04-01",
                                          "--waivers", str(path), "--format", kind])
        waivers = result.stdout[result.stdout.index("Waivers (approved exceptions"):]
        assert "PVP-001, whole rule: waived; under review; approved by ACC B; expires 2022-06-30" in waivers
        assert "matched nothing: INV-003 for record NO-SUCH-CASE" in waivers


def _waivers_file(tmp_path: Path, entries: str) -> Path:
    path = tmp_path / "w.yaml"
    path.write_text("waivers:\n" + entries)
    return path


ENTRY = ("  - rule: INV-011\n    record: {record}\n    reason: {reason}\n    approver: ACC Jones\n"
         "    expires: 2030-12-31\n")


def test_one_rule_and_record_waived_twice_is_an_error_at_the_second_naming_the_first(tmp_path: Path) -> None:
    path = _waivers_file(tmp_path, ENTRY.format(record="D1", reason="first reason")
                         + ENTRY.format(record="D2", reason="another record")
                         + ENTRY.format(record="D1", reason="second reason"))
    waivers, problems = check_waivers(path, dt.date(2022, 4, 1), {"INV-011"})
    assert [(p.code, p.location.line) for p in problems] == [("duplicate-waiver", 12)]
    assert f"{path}:2:" in problems[0].message
    assert [w.record for w, _ in waivers.entries] == ["D1", "D2"]


def test_a_record_key_yaml_reads_as_a_number_is_an_error_asking_for_quotes(tmp_path: Path) -> None:
    path = _waivers_file(tmp_path, ENTRY.format(record="0123", reason="octal in YAML 1.1")
                         + ENTRY.format(record='"0123"', reason="quoted, so text"))
    waivers, problems = check_waivers(path, dt.date(2022, 4, 1), {"INV-011"})
    assert [(p.code, p.location.line) for p in problems] == [("wrong-type", 3)]
    assert [w.record for w, _ in waivers.entries] == ["0123"]
