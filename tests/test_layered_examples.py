"""``validate --examples`` on an overlay and a profile: every worked example is judged on the rule as the
file that holds it writes it. A base pack's examples keep their meaning whatever an overlay above it does
to the rule (a threshold raised, a window changed, the rule out of scope), a profile changes no example,
and a wrong example in an overlay's own rule is still reported at its file and line."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from peelcheck.cli.main import cli

from .pack_factory import rule_spec, write_pack

HALF = rule_spec(0, expect={"b1": True}, threshold=0.5, examples=[
    {"name": "flag-set", "record": {"b1": True}, "outcome": "compliant"},
    {"name": "flag-clear", "record": {"b1": False}, "outcome": "non_compliant"},
    {"name": "half-set", "records": [{"b1": True}, {"b1": False}], "status": "met"},
    {"name": "none-set", "records": [{"b1": False}, {"b1": False}], "status": "not_met"}])
WEEK = rule_spec(1, when={"d1": {"recorded": True}}, expect={"d2": {"within": {"days": 7, "after": "d1"}}}, examples=[
    {"name": "six-days-on", "record": {"d1": "2022-01-01", "d2": "2022-01-07"}, "outcome": "compliant"},
    {"name": "ten-days-on", "record": {"d1": "2022-01-01", "d2": "2022-01-11"}, "outcome": "non_compliant"}])
OTHER_FLAG = rule_spec(2, expect={"b2": True}, examples=[
    {"name": "set", "record": {"b2": True}, "outcome": "compliant"},
    {"name": "clear", "record": {"b2": False}, "outcome": "non_compliant"}])
OVERLAY = """id: force
title: A force's overlay
version: 1.0.0
extends: [{pack: gen}]
areas: [{id: local, title: Local, prefix: LOC}]
thresholds:
  GEN-001: {threshold: 0.9, reason: the force's plan asks for more}
windows:
  GEN-002: {field: d2, days: 3, reason: the force's own standard}
out_of_scope:
  - {rule: GEN-003, reason: run by the region}
"""
LOCAL = """id: LOC-001
title: A count of at least one
area: local
kind: finding
severity: low
source: {document: GEN, section: s, quote: q}
record_type: thing
expect: {i1: {at_least: 1}}
threshold: 0.5
remediation: r
examples:
  - name: one
    record: {i1: 1}
    outcome: compliant
  - name: none
    record: {i1: 0}
    outcome: non_compliant
  - name: half
    records: [{i1: 1}, {i1: 0}]
    status: met
"""


def layers(tmp_path: Path, local: str = LOCAL) -> Path:
    """A base pack ``gen`` with three rules and, beside it, an overlay that changes each of them and adds
    its own rule; the overlay's folder."""
    write_pack(tmp_path / "gen", [HALF, WEEK, OTHER_FLAG])
    folder = tmp_path / "force"
    (folder / "local").mkdir(parents=True)
    (folder / "pack.yaml").write_text(OVERLAY)
    (folder / "local" / "LOC-001.yaml").write_text(local)
    return folder


def validate(*args: str | Path) -> tuple[int, list[dict[str, object]]]:
    result = CliRunner().invoke(cli, ["validate", *map(str, args), "--examples", "--format", "json"])
    return result.exit_code, json.loads(result.stdout)["diagnostics"]


def test_a_base_packs_examples_are_judged_on_the_base_packs_rules(tmp_path: Path) -> None:
    folder = layers(tmp_path)
    assert validate(tmp_path / "gen") == (0, [])
    assert validate(folder) == (0, [])  # not: GEN-001 half-set not met, GEN-002 six-days-on, GEN-003 not applicable


def test_a_profile_changes_no_examples_meaning(tmp_path: Path) -> None:
    folder = layers(tmp_path)
    profile = tmp_path / "profile.yaml"
    profile.write_text(yaml.safe_dump({
        "id": "p", "title": "P", "pack": "force",
        "thresholds": {"LOC-001": {"threshold": 1.0, "reason": "all of them"},
                       "GEN-003": {"threshold": 1.0, "reason": "all of them"}},
        "windows": {"GEN-002": {"field": "d2", "days": 1, "reason": "tighter still"}},
        "disable": [{"rule": "GEN-001", "reason": "not audited"}, {"rule": "LOC-001", "reason": "not this year"}]}))
    assert validate(folder, "--profile", profile) == (0, [])


def test_a_wrong_example_in_an_overlays_own_rule_is_located_in_its_file(tmp_path: Path) -> None:
    folder = layers(tmp_path, LOCAL.replace("    status: met", "    status: not_met"))
    code, diagnostics = validate(folder)
    assert code == 1
    line = LOCAL.splitlines().index("  - name: half") + 1
    assert [(d["code"], d["path"], d["line"]) for d in diagnostics] == [
        ("wrong-example-outcome", str(folder / "local" / "LOC-001.yaml"), line)]


def test_a_wrong_example_of_a_rule_an_overlay_changes_is_still_wrong(tmp_path: Path) -> None:
    # claimed on the base's own rule, the example is wrong there: the overlay's 0.9 neither hides nor excuses it
    wrong = {**HALF, "examples": [*HALF["examples"][:2], {**HALF["examples"][2], "status": "not_met"}]}
    write_pack(tmp_path / "gen", [wrong, WEEK, OTHER_FLAG])
    folder = tmp_path / "force"
    folder.mkdir()
    (folder / "pack.yaml").write_text(OVERLAY)
    code, diagnostics = validate(folder)
    assert code == 1
    assert [(d["code"], Path(str(d["path"])).name) for d in diagnostics] == [("wrong-example-outcome", "GEN-001.yaml")]
    assert diagnostics[0]["hint"]  # that the overlay's threshold does not judge it
