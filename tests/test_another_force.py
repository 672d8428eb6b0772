"""examples/another-force: a fictional force's overlay, written with no Python and no change to the core,
using every overlay feature; its report names the force and cites its own document."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from peelcheck.cli.main import cli

from .conftest import CORE_DIR, EXAMPLES

FOLDER = EXAMPLES / "another-force"
PACK = FOLDER / "pack"


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def report(*args: str) -> dict:
    result = invoke("assess", "--pack", str(PACK), "--as-of", "2024-04-01", "--format", "json", *args)
    assert result.exit_code == 1, result.stderr
    return json.loads(result.stdout)


def test_it_is_data_only_and_its_quotes_are_in_its_letter():
    assert not list(FOLDER.rglob("*.py"))
    result = invoke("validate", str(PACK), "--sources", str(PACK))
    assert result.exit_code == 0, result.stderr
    assert "9 quotes found in their documents" in result.stdout


def test_its_ci_check_with_the_worked_examples_passes():
    # the overlay raises RES-009's threshold and puts ARM-054 out of scope: the core's examples of both
    # are the core's, judged on the core's rules
    result = invoke("validate", str(PACK), "--examples")
    assert result.exit_code == 0, result.stdout


def test_a_misquote_of_its_letter_is_caught(tmp_path: Path):
    import shutil
    copy = tmp_path / "pack"
    shutil.copytree(PACK, copy)
    registry = copy / "findings" / "NM14.yaml"
    registry.write_text(registry.read_text().replace("Emergency calls are answered promptly.",
                                                     "Emergency calls are always answered promptly."))
    result = invoke("validate", str(copy), "--sources", str(copy))
    assert result.exit_code == 1 and "[quote-not-in-source]" in result.stdout


def test_its_report_names_the_force_and_cites_its_own_document():
    found = report(*sorted(str(p) for p in (FOLDER / "records").iterdir()))
    assert found["pack_id"] == "northmoor" and found["force"] == "Northmoor Police"
    assert [(p["id"], p["version"]) for p in found["packs"]] == [("peel-core", "0.2.0"), ("northmoor", "0.1.0")]
    rules = {r["id"]: r for r in found["rules"]}
    quoted = [r for r in rules.values() if r["source"] is not None]
    assert {r["source"]["document"] for r in quoted} == {"NM14"}  # never a West Mercia document
    assert {r["id"] for r in quoted} == {"INV-001", "INV-004", "INV-014", "RES-009", "RES-010", "RUR-001", "RUR-002"}
    assert rules["INV-014"]["source"]["document_title"].startswith("Core business inspection letter, Northmoor")
    assert (rules["INV-014"]["status"], rules["INV-014"]["compliant"], rules["INV-014"]["applicable"]) == \
        ("not_met", 6, 8)
    assert (rules["INV-001"]["status"], rules["INV-001"]["compliant"]) == ("not_met", 2)
    # the local rule reads the added attestation question and field
    assert rules["RUR-001"]["status"] == "not_met" and rules["RUR-001"]["applicable"] == 1
    assert rules["RUR-002"]["status"] == "manual" and "front counters" in rules["RUR-002"]["question"]
    assert rules["ARM-054"]["status"] == "disabled" and "regional collaboration" in rules["ARM-054"]["disabled_reason"]
    assert {"NM14-F-02"} <= set(rules["INV-014"]["findings"])


def test_its_calls_export_is_read_through_its_mapping_with_its_own_threshold():
    found = report("--mapping", "northmoor_calls", str(FOLDER / "telephony" / "calls-export.csv"),
                   "--rule", "RES-009", "--rule", "RES-010")
    rules = {r["id"]: r for r in found["rules"]}
    assert rules["RES-010"]["status"] == "met" and rules["RES-010"]["applicable"] == 10
    # 18 of 20 calls answered: 90% meets the national 10% abandonment standard but not Northmoor's 5%
    assert (rules["RES-009"]["status"], rules["RES-009"]["compliance_rate"], rules["RES-009"]["threshold"]) == \
        ("not_met", 0.9, 0.95)


def test_the_core_is_untouched_by_it():
    assert "rural_crime_plan_agreed" not in (CORE_DIR / "record-types" / "attestation.yaml").read_text()


def test_its_lines_of_enquiry_rule_breaks_down_by_crime_type_as_the_letter_reads():
    """The letter praises burglary investigations and criticises vehicle crime: the breakdown shows both."""
    found = report("--by", "crime_type", "--rule", "INV-014", *sorted(str(p) for p in (FOLDER / "records").iterdir()))
    [breakdown] = found["rules"][0]["breakdowns"]
    by_value = {v["value"]: (v["compliant"], v["applicable"], v["meets_threshold"]) for v in breakdown["values"]}
    assert by_value == {"burglary": (4, 4, True), "theft_from_vehicle": (2, 4, False)}


def test_west_mercias_reports_do_not_label_another_forces_rules():
    """A core rule is a national expectation until the force's own reports say what it is: West
    Mercia's causes of concern and praise are not Northmoor's, nor do they count in its rubric."""
    found = report(*sorted(str(p) for p in (FOLDER / "records").iterdir()))
    rules = {r["id"]: r for r in found["rules"]}
    assert rules["INV-003"]["kind"] == "expectation"  # a West Mercia cause of concern
    assert rules["INV-011"]["kind"] == "expectation" and not rules["INV-011"]["from_praise"]  # praised there
    assert rules["INV-001"]["kind"] == "area-for-improvement"  # NM14-AFI-02 quotes it
    assert rules["INV-014"]["kind"] == "finding"  # NM14-F-02
    assert rules["RUR-001"]["kind"] != "expectation"  # a local rule keeps its own
    kinds = {r["kind"] for r in rules.values() if r["source"] is None and not r["id"].startswith("RUR")}
    assert kinds == {"expectation"}


def test_an_overlay_says_what_a_core_rule_is_in_its_reports(tmp_path: Path):
    import shutil
    copy = tmp_path / "pack"
    shutil.copytree(PACK, copy)
    manifest = copy / "pack.yaml"
    manifest.write_text(manifest.read_text() + "rule_kinds:\n  INV-003: {kind: cause-of-concern}\n"
                        "  INV-011: {kind: finding, from_praise: true}\n  NOPE-001: {kind: finding}\n")
    result = invoke("validate", str(copy))
    assert result.exit_code == 1 and "[unknown-rule]" in result.stdout and "pack.yaml:" in result.stdout
    manifest.write_text(manifest.read_text().replace("  NOPE-001: {kind: finding}\n", ""))
    found = json.loads(invoke("assess", "--pack", str(copy), "--as-of", "2024-04-01", "--format", "json",
                              *sorted(str(p) for p in (FOLDER / "records").iterdir())).stdout)
    rules = {r["id"]: r for r in found["rules"]}
    assert rules["INV-003"]["kind"] == "cause-of-concern"
    assert rules["INV-011"]["kind"] == "finding" and rules["INV-011"]["from_praise"]
