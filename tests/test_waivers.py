"""Waivers: a whole rule or one record of a rule, listed apart; expired ones stop the run (located);
ones that matched nothing are warned about."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

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
