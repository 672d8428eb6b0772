"""validate for CI: SARIF, JUnit and GitHub annotations on stdout, exit 1 for problems and 2 for
misuse, --quiet, and --examples running every rule's worked examples."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from peelcheck.cli.main import cli

from .conftest import PACK_DIR, REPO
from .sarif_schema import assert_valid_sarif


def copy_packs(tmp_path: Path) -> Path:
    """The repository's packs copied (the overlay and the core it extends); the overlay's copy."""
    shutil.copytree(PACK_DIR.parent, tmp_path / "packs")
    return tmp_path / "packs" / PACK_DIR.name


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A copy of the pack with two problems: an unknown key and a severity that is not one."""
    pack = copy_packs(tmp_path)
    rule = next(pack.parent.rglob("INV-001.yaml"))
    rule.write_text(rule.read_text().replace("severity: high", "severity: high\nseverty: low", 1))
    other = next(pack.parent.rglob("ARM-001.yaml"))
    other.write_text(other.read_text().replace("severity: medium", "severity: mediun", 1))
    return pack


def validate(*args: str):
    return CliRunner().invoke(cli, ["validate", *args])


def test_sarif_locates_every_problem(broken: Path) -> None:
    result = validate(str(broken), "--format", "sarif")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    assert_valid_sarif(log)
    assert log["version"] == "2.1.0" and log["runs"][0]["tool"]["driver"]["name"] == "peelcheck"
    results = log["runs"][0]["results"]
    assert sorted(r["ruleId"] for r in results) == ["invalid-value", "unknown-key"]
    for found in results:
        where = found["locations"][0]["physicalLocation"]
        assert Path(where["artifactLocation"]["uri"]).exists() and where["region"]["startLine"] > 0
    assert {r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]} == {"invalid-value", "unknown-key"}


def test_junit_has_a_failure_per_problem(broken: Path) -> None:
    result = validate(str(broken), "--format", "junit")
    assert result.exit_code == 1
    suite = ET.fromstring(result.stdout)
    failures = suite.findall("./testcase/failure")
    assert int(suite.get("failures", "0")) == len(failures) == 2
    assert sorted(f.get("type") for f in failures) == ["invalid-value", "unknown-key"]


def test_github_annotations_name_file_and_line(broken: Path) -> None:
    result = validate(str(broken), "--format", "github")
    lines = result.stdout.splitlines()
    assert result.exit_code == 1 and len(lines) == 2
    assert all(line.startswith("::error file=") and ",line=" in line and ",title=" in line for line in lines)


def test_a_sound_pack_is_quiet_with_quiet_and_misuse_exits_2(tmp_path: Path) -> None:
    quiet = validate(str(PACK_DIR), "--quiet")
    assert quiet.exit_code == 0 and quiet.stdout == ""
    assert validate(str(tmp_path / "no-such-pack")).exit_code == 2
    assert validate(str(PACK_DIR), "--format", "nonsense").exit_code == 2


def test_examples_must_come_out_as_they_claim_and_cover_pass_and_fail(tmp_path: Path) -> None:
    pack = copy_packs(tmp_path)
    assert validate(str(pack), "--examples").exit_code == 0
    rule = next(pack.parent.rglob("INV-001.yaml"))
    text = rule.read_text()
    changed = sum(text.count(f"outcome: {failing}") for failing in ("non_compliant", "not_recorded"))
    for failing in ("non_compliant", "not_recorded"):  # claim every failing example passes
        text = text.replace(f"outcome: {failing}", "outcome: compliant")
    rule.write_text(text)
    result = validate(str(pack), "--examples", "--format", "json")
    codes = [(d["code"], Path(d["path"]).name, d["line"]) for d in json.loads(result.stdout)["diagnostics"]]
    assert result.exit_code == 1 and changed >= 1
    assert [c[:2] for c in codes] == [("missing-example", "INV-001.yaml")] + [
        ("wrong-example-outcome", "INV-001.yaml")] * changed
    lines = text.splitlines()
    assert all(lines[line - 1].lstrip().startswith("- name:") for _, _, line in codes[1:])


def test_the_diagnostics_catalogue_is_complete_and_current() -> None:
    from peelcheck.report.diagnostic_catalogue import DESCRIPTIONS, catalogue_markdown, codes_in_source

    assert codes_in_source() == set(DESCRIPTIONS)
    docs = REPO / "docs" / "diagnostics.md"
    assert docs.read_text() == catalogue_markdown(), "regenerate: python -c 'from peelcheck.report." \
        "diagnostic_catalogue import catalogue_markdown as c; print(c(), end=\"\")' > docs/diagnostics.md"


def test_did_you_mean_for_a_misspelt_field_and_operator(tmp_path: Path) -> None:
    pack = copy_packs(tmp_path)
    rule = next(pack.parent.rglob("INV-001.yaml"))
    text = rule.read_text()
    assert "victim_views_sought_at: {at_most: {field: given_at}}" in text
    rule.write_text(text.replace("victim_views_sought_at: {at_most: {field: given_at}}",
                                 "victim_views_sougt_at: {at_mots: {field: given_at}}"))
    found = json.loads(validate(str(pack), "--format", "json").stdout)["diagnostics"]
    assert [d["code"] for d in found] == ["unknown-operator"]
    assert "did you mean 'at_most'?" in found[0]["message"]
    rule.write_text(text.replace("victim_views_sought_at: {at_most: {field: given_at}}",
                                 "victim_views_sougt_at: {at_most: {field: given_at}}"))
    found = json.loads(validate(str(pack), "--format", "json").stdout)["diagnostics"]
    assert [d["code"] for d in found] == ["unknown-field"]
    assert found[0]["hint"].startswith("did you mean 'victim_views_sought_at'?")


def test_did_you_mean_for_an_unknown_key(broken: Path) -> None:
    found = json.loads(validate(str(broken), "--format", "json").stdout)["diagnostics"]
    [unknown] = [d for d in found if d["code"] == "unknown-key"]
    assert unknown["hint"] == "did you mean 'severity'?"
