"""A rule every record of which was waived: nothing is left to assess, and the reports say the records were
waived (how many), never "no records apply" nor, for a rule that needs evidence, "no evidence supplied"."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from peelcheck.cli.main import cli
from peelcheck.exitcodes import ExitCode

from .conftest import EXAMPLES, PACK_DIR

WAIVER = "  - {{rule: {rule}, record: {key}, reason: case closed by CPS, approver: Supt A, expires: 2022-12-31}}\n"


def _assess(tmp_path: Path, rule: str, keys: list[str], *args: str) -> tuple[int, Path]:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers:\n" + "".join(WAIVER.format(rule=rule, key=key) for key in keys))
    outputs = [arg for ext in ("json", "txt", "md", "html", "xml") for arg in ("-o", str(tmp_path / f"report.{ext}"))]
    result = CliRunner().invoke(cli, ["assess", *args, "--as-of", "2022-04-01", "--rule", rule,
                                      "--waivers", str(waivers), *outputs])
    return result.exit_code, tmp_path


def _said(folder: Path) -> dict[str, str]:
    return {ext: " ".join((folder / f"report.{ext}").read_text().split()) for ext in ("txt", "md", "html", "xml")}


def test_a_rule_whose_records_were_all_waived_says_how_many_not_that_none_apply(tmp_path: Path) -> None:
    # PVP-001 applies to four of the synthetic case files, and all four fail it
    keys = ["SYN-CF-0001", "SYN-CF-0002", "SYN-CF-0003", "SYN-CF-0006"]
    code, folder = _assess(tmp_path, "PVP-001", keys, "--pack", str(PACK_DIR),
                           str(EXAMPLES / "self-assessment" / "case_file.csv"))
    assert code == ExitCode.OK
    report = json.loads((folder / "report.json").read_text())
    [rule] = report["rules"]
    assert (rule["status"], rule["applicable"], rule["shortfall"]) == ("waived", 0, 0)
    assert report["summary"]["waived"] == 1 and report["summary"]["not_assessed"] == 0
    assert sum(w["failures"] for w in report["waived"]) == 4
    for ext, text in _said(folder).items():
        assert "4 records waived, none left to assess" in text, ext
        assert "no records apply" not in text, ext


def test_a_rule_needing_evidence_whose_only_record_was_waived_is_not_a_gap(tmp_path: Path) -> None:
    example = EXAMPLES / "west-mercia-2021"
    code, folder = _assess(tmp_path, "INV-024", ["WM21-SA-002"], "--profile", str(example / "profile.yaml"),
                           *sorted(str(p) for p in example.glob("*.csv")))
    assert code == ExitCode.OK  # was 1: "not met, no evidence supplied", when the evidence was waived
    [rule] = json.loads((folder / "report.json").read_text())["rules"]
    assert (rule["status"], rule["shortfall"]) == ("waived", 0)
    for ext, text in _said(folder).items():
        assert "1 record waived, none left to assess" in text, ext
        assert "no evidence supplied" not in text, ext


def test_a_rule_with_some_records_waived_keeps_its_rate(tmp_path: Path) -> None:
    code, folder = _assess(tmp_path, "PVP-001", ["SYN-CF-0001"], "--pack", str(PACK_DIR),
                           str(EXAMPLES / "self-assessment" / "case_file.csv"))
    assert code == ExitCode.GAPS
    [rule] = json.loads((folder / "report.json").read_text())["rules"]
    assert (rule["status"], rule["applicable"]) == ("not_met", 3)


def test_a_partly_waived_rule_s_figures_say_how_many_records_were_waived(tmp_path: Path) -> None:
    # two of PVP-001's four failing case files waived: its figures count the other two, and say so
    code, folder = _assess(tmp_path, "PVP-001", ["SYN-CF-0001", "SYN-CF-0002"], "--pack", str(PACK_DIR),
                           str(EXAMPLES / "self-assessment" / "case_file.csv"))
    assert code == ExitCode.GAPS
    [rule] = json.loads((folder / "report.json").read_text())["rules"]
    assert rule["applicable"] == 2
    for ext, text in _said(folder).items():
        assert "of 2, 2 more records waived (needs 100.0%" in text, ext  # the rule's line, not only the Waivers
        assert "of 2 (needs" not in text, ext


def test_a_partly_waived_rule_s_breakdown_total_says_how_many_records_were_waived(tmp_path: Path) -> None:
    # INV-017 is broken down by crime type; WM21-CF-0008, a theft not attended, is one of its failures
    example = EXAMPLES / "west-mercia-2021"
    _, folder = _assess(tmp_path, "INV-017", ["WM21-CF-0008"], "--pack", str(PACK_DIR),
                        str(example / "case_file.csv"))
    [rule] = json.loads((folder / "report.json").read_text())["rules"]
    assert rule["breakdowns"]
    for ext, text in _said(folder).items():
        if ext in ("txt", "md"):  # the breakdowns' total beside their rows
            assert f"of {rule['applicable']}, 1 more record waived" in text.lower().split("by crime_type", 1)[1], ext
