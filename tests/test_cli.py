"""The command-line contract: the README's example, formats, exit codes, rules, schema, profiles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from peelcheck.cli.main import cli

from .conftest import CORE_DIR, EXAMPLES, PACK_DIR
from .pack_factory import rule_spec, write_pack

EXAMPLE = sorted(str(p) for p in (EXAMPLES / "self-assessment").iterdir())


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def assess(*args: str):
    return invoke("assess", "--pack", str(PACK_DIR), *EXAMPLE, "--as-of", "2022-04-01", *args)


def test_readme_example_names_failing_records_and_why():
    result = assess()
    assert result.exit_code == 1
    text = " ".join(result.stdout.split())  # as read, whatever the line width
    assert "SYN-OOCD-002" in text  # the reason in the fields' own words (their descriptions), not their names
    assert "When the victim was consulted about the disposal is at most when the disposal was administered" in text
    assert "SYN-CF-0003" in text and "not recorded" in text
    assert "'2021-03-04T09:00:00'" in text
    assert "[supervised_effectively=not recorded]" in text  # values as rules write them, not Python's None


def test_markdown_lists_every_failure_with_source_quote(tmp_path):
    out = tmp_path / "gaps.md"
    assert assess("--format", "md", "--output", str(out)).exit_code == 1
    text = out.read_text()
    assert "### PVP-001 not met" in text and "Domestic Violence Protection Notices" in text
    assert text.count("| SYN-") >= 5


def test_every_engine_gives_the_same_report():
    durable = json.loads(assess("--format", "json", "--engine", "durable").stdout)
    python = json.loads(assess("--format", "json", "--engine", "python").stdout)
    columnar = json.loads(assess("--format", "json", "--engine", "columnar").stdout)
    assert durable.pop("engine") == "durable" and python.pop("engine") == "python"
    assert columnar.pop("engine") == "columnar"
    # every rule of the pack fits durable-rules: no rule is left to the python engine (engine_notes)
    assert durable.pop("engine_notes") == python.pop("engine_notes") == columnar.pop("engine_notes") == []
    assert durable == python == columnar


@pytest.mark.parametrize("form", ["text", "md", "html"])
def test_the_readable_reports_say_which_rules_durable_rules_left_to_the_python_engine(tmp_path, form):
    # twenty two-test branches weigh more than durable-rules' 32 expressions in one condition
    big = {"any": [{"all": [{"i1": {"at_least": k}}, {"b1": True}]} for k in range(20)]}
    pack = write_pack(tmp_path / "pack", [rule_spec(0, big), rule_spec(1, {"b1": True})])
    records = tmp_path / "thing.csv"
    records.write_text("ref,i1,b1\nT-1,5,true\nT-2,50,false\n")
    run = [
        "assess", "--pack", str(pack), "--type", "thing", str(records), "--as-of", "2022-04-01", "--format", form]
    durable = invoke(*run, "--engine", "durable").stdout
    assert "Engine note: rule GEN-001: evaluated by the python engine" in durable
    assert "GEN-002" not in durable.split("Engine note", 1)[1].split("\n", 1)[0]
    assert "Engine note" not in invoke(*run, "--engine", "python").stdout


def test_fail_on_chooses_which_severities_make_exit_1():
    core = ["--rule", "PVP-001", "--rule", "INV-001", "--rule", "ARM-001"]  # not met: high, high, medium
    assert assess(*core, "--fail-on", "high").exit_code == 1
    assert assess(*core, "--fail-on", "critical").exit_code == 0
    assert assess(*core, "--fail-on", "never").exit_code == 0


def test_bad_option_values_exit_2():
    assert assess("--as-of", "yesterday").exit_code == 2
    assert assess("--rule", "XYZ-001").exit_code == 2
    assert invoke("assess", "--pack", "/nonexistent", *EXAMPLE).exit_code == 2


def test_rules_list_and_show():
    listing = invoke("rules", "list", "--pack", str(PACK_DIR))
    assert listing.exit_code == 0 and any(line.startswith("PVP-001\t") for line in listing.stdout.splitlines())
    shown = invoke("rules", "show", "INV-001", "--pack", str(PACK_DIR))
    assert shown.exit_code == 0
    assert "consulted prior to and following the use of a caution" in shown.stdout
    assert '"$m": "given_at"' in shown.stdout  # the compiled ruleset
    assert invoke("rules", "show", "NOPE-001", "--pack", str(PACK_DIR)).exit_code == 2


def test_schema_prints_json_schema():
    schema = json.loads(invoke("schema", "rule").stdout)
    assert "expect" in schema["properties"] and schema["additionalProperties"] is False


def test_coverage_has_every_explicit_finding_covered():
    result = invoke("coverage", "--pack", str(PACK_DIR))
    assert result.exit_code == 0, result.stdout
    assert "0 cause(s) of concern, recommendation(s) or AFI(s) without a rule" in result.stdout


def test_every_explicit_finding_has_a_rule_and_coverage_counts_what_is_not_encoded(peel_pack):
    from peelcheck.report.coverage import MUST_COVER, coverage
    rows = [row for rows in coverage(peel_pack).values() for row in rows]
    assert len(rows) == len(peel_pack.findings) > 200
    assert [row.id for row in rows if row.kind in MUST_COVER and row.state == "not covered"] == []
    not_encoded = {row.id for row in rows if row.state == "not covered"}
    # findings the registry holds though no rule encodes them yet: prompt domestic abuse arrests,
    # safeguarding unit backlogs, workforce representation, unresourced incidents over the force's limit,
    # preventing offending by established organised criminals
    assert {"P21-F-78", "P21-F-79", "P21-F-80", "P21-F-81", "EF17-F-31"} <= not_encoded


def test_profile_changes_thresholds_disables_rules_and_adds_local_rules(tmp_path: Path):
    local = tmp_path / "local"
    local.mkdir()
    (local / "ARM-900.yaml").write_text((CORE_DIR / "armed-policing/ARM-001.yaml").read_text()
                                        .replace("id: ARM-001", "id: ARM-900").replace("kind: finding",
                                                                                       "kind: local-standard"))
    profile = tmp_path / "profile.yaml"
    profile.write_text("id: test-force\ntitle: Test\npack: west-mercia\nlocal_rules: local\n"
                       "thresholds:\n  INV-001: {threshold: 0.3, reason: agreed local tolerance}\n"
                       "disable:\n  - {rule: PVP-001, reason: not audited this year}\n")
    report = json.loads(assess("--profile", str(profile), "--format", "json").stdout)
    rules = {r["id"]: r for r in report["rules"]}
    assert rules["INV-001"]["status"] == "met" and rules["INV-001"]["threshold"] == 0.3
    assert rules["PVP-001"]["status"] == "disabled" and "not audited" in rules["PVP-001"]["disabled_reason"]
    assert rules["ARM-900"]["status"] == "not_met"


def test_a_broken_profile_is_located(tmp_path: Path):
    profile = tmp_path / "profile.yaml"
    profile.write_text("id: test-force\ntitle: Test\npack: west-mercia\n"
                       "disable:\n  - {rule: ZZZ-001, reason: typo}\n")
    result = invoke("validate", str(PACK_DIR), "--profile", str(profile))
    assert result.exit_code == 1 and f"{profile}:5:" in result.stdout and "unknown-rule" in result.stdout


def test_without_durable_rules_the_python_engine_is_used_and_said(monkeypatch):
    """As on Python 3.13, where durable-rules does not import."""
    from peelcheck.evaluate import durable_engine
    expected = json.loads(assess("--format", "json", "--engine", "python").stdout)
    monkeypatch.setattr(durable_engine, "_engine", None)
    result = assess("--format", "json")
    assert result.exit_code == 1
    assert "durable-rules cannot be imported" in result.stderr and "the python engine was used" in result.stderr
    assert json.loads(result.stdout) == expected

