"""Packs that compose: an overlay extends the core by name and version, adds its own documents, findings,
rules, record-type additions and adjustments; profiles fit overlays; packs are found by name."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from peelcheck.cli.main import cli
from peelcheck.compile.pack_check import check_pack, load_compiled_pack
from peelcheck.load import pack_registry
from peelcheck.load.compose import load_pack
from peelcheck.load.profile_loader import apply_profile

from .conftest import CORE_DIR, EXAMPLES, PACK_DIR

SELF = sorted(str(p) for p in (EXAMPLES / "self-assessment").iterdir())


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def overlay(tmp_path: Path, body: str, extra: dict[str, str] | None = None) -> Path:
    """A small overlay folder beside nothing: it finds peel-core by its installed name."""
    folder = tmp_path / "overlay"
    folder.mkdir()
    (folder / "pack.yaml").write_text("id: test-force\ntitle: Test\nversion: 1.0.0\n" + body)
    for name, text in (extra or {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


def codes(folder: Path) -> list[tuple[str, str, int | None]]:
    _, diagnostics = check_pack(load_pack(folder))
    return [(d.code, Path(d.location.path).name, d.location.line) for d in diagnostics]


def test_west_mercia_is_the_core_plus_its_overlay(peel_pack):
    core = load_compiled_pack(CORE_DIR)
    assert [p.id for p in peel_pack.chain] == ["peel-core", "west-mercia"]
    assert peel_pack.force is not None and peel_pack.force.name == "West Mercia Police" and core.force is None
    assert {r.id for r in peel_pack.rules} - {r.id for r in core.rules} == {"INV-020", "PRE-063", "RES-008",
                                                                             "WRK-010"}
    assert core.pack.documents == [] and all(r.rule.spec.source is None for r in core.rules)
    assert not any(line.startswith(("findings:", "source:"))  # no West Mercia quote nor finding in the core
                   for path in CORE_DIR.rglob("*.yaml") for line in path.read_text().splitlines())


def test_core_rules_take_the_words_and_links_of_the_overlay_findings(peel_pack):
    inv001 = peel_pack.rule("INV-001")
    assert inv001 is not None and inv001.rule.spec.source is not None
    assert inv001.rule.spec.source.document == "P21" and "consulted prior to" in inv001.rule.spec.source.quote
    assert {"P21-AFI-08", "P21-F-13"} <= set(inv001.rule.spec.findings)
    linked = {rule_id for f in peel_pack.findings.values() for rule_id in f.rules}
    assert linked == {r.id for r in peel_pack.rules}  # every rule evidences a finding of the four documents


def test_an_overlay_written_for_another_core_version_is_located(tmp_path: Path):
    folder = overlay(tmp_path, 'extends:\n  - pack: peel-core\n    version: ">=9,<10"\n')
    result = invoke("validate", str(folder))
    assert result.exit_code == 1 and "[incompatible-base]" in result.stdout
    assert f"{folder / 'pack.yaml'}:6:" in result.stdout
    (tmp_path / "b").mkdir()
    fits = overlay(tmp_path / "b", 'extends:\n  - pack: peel-core\n    version: ">=0.2,<0.3"\n')
    assert invoke("validate", str(fits)).exit_code == 0


def test_an_unknown_base_pack_and_a_bad_specifier_are_located(tmp_path: Path):
    folder = overlay(tmp_path, "extends:\n  - pack: peel-nowhere\n  - pack: peel-core\n    version: 'about 0.2'\n")
    assert sorted(codes(folder)) == [("invalid-value", "pack.yaml", 7), ("unknown-pack", "pack.yaml", 5)]


def test_a_pack_extending_nothing_must_declare_areas(tmp_path: Path):
    assert codes(overlay(tmp_path, "")) == [("invalid-value", "pack.yaml", 1)]


def test_overlay_adjustments_and_record_type_additions(tmp_path: Path):
    folder = overlay(tmp_path, 'extends: [{pack: peel-core}]\ntimezone: Europe/Atlantis\n'
                     'thresholds:\n  RES-009: {threshold: 0.95, reason: our plan}\n'
                     '  RES-999: {threshold: 1, reason: typo}\n'
                     'out_of_scope:\n  - {rule: ARM-054, reason: regional}\n', {
                         "record-types/attestation.yaml": "extends: attestation\nvalues:\n"
                                                          "  answer: [partly]\n"
                                                          "fields:\n  answer: {type: bool, description: again}\n"})
    found = sorted(codes(folder))
    assert found == [("duplicate-field", "attestation.yaml", 5), ("duplicate-value", "attestation.yaml", 3),
                     ("invalid-value", "pack.yaml", 5), ("unknown-rule", "pack.yaml", 8)]


def test_overlay_adjustments_apply_with_their_reasons(tmp_path: Path):
    folder = overlay(tmp_path, 'extends: [{pack: peel-core}]\nthresholds:\n  INV-001: {threshold: 0.3, reason: '
                     'our plan}\nout_of_scope:\n  - {rule: ARM-054, reason: run by the region}\n')
    report = json.loads(invoke("assess", "--pack", str(folder), *SELF, "--as-of", "2022-04-01", "--format",
                               "json").stdout)
    rules = {r["id"]: r for r in report["rules"]}
    assert rules["INV-001"]["threshold"] == 0.3 and rules["INV-001"]["status"] == "met"
    assert rules["ARM-054"]["status"] == "disabled" and "run by the region" in rules["ARM-054"]["disabled_reason"]


def test_a_rule_disabled_twice_by_one_pack_or_profile_is_an_error_naming_both_entries(tmp_path: Path):
    folder = overlay(tmp_path, 'extends: [{pack: peel-core}]\nout_of_scope:\n  - {rule: ARM-054, reason: regional}\n'
                     '  - {rule: RES-009, reason: not ours}\n  - {rule: ARM-054, reason: run by the region}\n')
    _, diagnostics = check_pack(load_pack(folder))
    assert [(d.code, d.location.line, d.location.column) for d in diagnostics] == [("disabled-twice", 8, 12)]
    assert f"{folder / 'pack.yaml'}:6:12" in diagnostics[0].message  # the first entry, where the second is
    profile = tmp_path / "profile.yaml"
    profile.write_text("id: p\ntitle: P\npack: west-mercia\ndisable:\n  - rule: PVP-001\n    reason: not audited\n"
                       "  - rule: PVP-001\n    reason: not this year\n")
    loaded = load_pack(PACK_DIR)
    apply_profile(loaded, profile)
    _, diagnostics = check_pack(loaded)
    assert [(d.code, d.location.line, d.location.column) for d in diagnostics] == [("disabled-twice", 7, 11)]
    assert f"{profile}:5:11" in diagnostics[0].message


def test_a_rule_out_of_scope_for_the_overlay_and_disabled_by_the_profile_keeps_both_reasons(tmp_path: Path):
    folder = overlay(tmp_path, 'extends: [{pack: peel-core}]\nout_of_scope:\n  - {rule: ARM-054, reason: regional}\n')
    profile = tmp_path / "profile.yaml"
    profile.write_text("id: p\ntitle: P\npack: test-force\ndisable:\n  - {rule: ARM-054, reason: not audited}\n")
    loaded = load_pack(folder)
    apply_profile(loaded, profile)
    compiled, diagnostics = check_pack(loaded)
    assert diagnostics == [] and compiled is not None
    # each layer's reason, the pack's first: neither hides the other
    assert compiled.disabled["ARM-054"] == ("out of scope for pack test-force: regional; "
                                            "disabled by profile p: not audited")


def test_a_required_added_field_is_refused(tmp_path: Path):
    folder = overlay(tmp_path, 'extends: [{pack: peel-core}]\n', {
        "record-types/call.yaml": "extends: call\nfields:\n  team: {type: string, description: x, required: true}\n"})
    assert [c[0] for c in codes(folder)] == ["invalid-value"]


def test_a_profile_fits_the_overlay_or_any_pack_it_extends(tmp_path: Path):
    for pack, ok in (("west-mercia", True), ("peel-core", True), ("peel-staffordshire", False)):
        profile = tmp_path / f"{pack}.yaml"
        profile.write_text(f"id: p\ntitle: P\npack: {pack}\n")
        result = invoke("validate", str(PACK_DIR), "--profile", str(profile))
        # a pack that is not installed at all is unknown-pack, not another pack than the one given
        assert (result.exit_code == 0) is ok and ("[unknown-pack]" in result.stdout) is not ok
    profile = tmp_path / "west-mercia.yaml"  # an installed pack, but not the one validated
    result = invoke("validate", str(PACK_DIR.parent / "peel-core"), "--profile", str(profile))
    assert result.exit_code == 1 and "[wrong-pack]" in result.stdout
    # the advice names both commands a profile is given to (validate takes the pack as its argument)
    assert "`peelcheck assess --pack west-mercia ...` or `peelcheck validate west-mercia --profile west-mercia.yaml`" \
        in result.stdout


def test_without_pack_the_profile_names_it_else_the_installed_core_and_says_so(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no rules/ here
    profile = EXAMPLES / "west-mercia-2021" / "profile.yaml"
    by_profile = invoke("assess", "--profile", str(profile), *SELF, "--format", "json", "--as-of", "2022-04-01")
    assert json.loads(by_profile.stdout)["pack_id"] == "west-mercia" and "installed" not in by_profile.stderr
    core = invoke("assess", *SELF, "--format", "json", "--as-of", "2022-04-01")
    assert core.exit_code == 1 and json.loads(core.stdout)["pack_id"] == "peel-core"
    assert "installed peel-core" in core.stderr


def test_packs_are_found_by_name_and_by_entry_point(tmp_path: Path, monkeypatch):
    module = tmp_path / "dummy_force_pack"
    shutil.copytree(EXAMPLES / "another-force" / "pack", module)
    (module / "__init__.py").write_text("")
    (module / "pack.yaml").write_text((module / "pack.yaml").read_text().replace("id: northmoor", "id: dummy"))
    monkeypatch.syspath_prepend(str(tmp_path))
    point = pack_registry.metadata.EntryPoint("dummy", "dummy_force_pack", pack_registry.ENTRY_POINT_GROUP)
    real = pack_registry.metadata.entry_points
    monkeypatch.setattr(pack_registry.metadata, "entry_points",
                        lambda group: [point] if group == pack_registry.ENTRY_POINT_GROUP else real(group=group))
    listing = [line.split("\t") for line in invoke("packs", "list").stdout.splitlines()]
    assert [row[0] for row in listing] == ["peel-core", "west-mercia", "dummy"]
    assert listing[2][2] == "peel-core >=0.2,<0.3" and Path(listing[2][4]) == module
    assert invoke("validate", "dummy").exit_code == 0
    assert invoke("validate", "west-mercia").exit_code == 0


@pytest.mark.parametrize("name", ["peel-core", "west-mercia"])
def test_the_shipped_packs_are_the_repository_rules(name):
    assert pack_registry.find_installed(name) is not None
    assert (pack_registry.find_installed(name) or Path()).resolve() == (CORE_DIR.parent / name).resolve()


def test_a_pack_that_extends_none_cannot_adjust_rules_it_has_no_base_for(tmp_path: Path):
    """Thresholds, windows, scope and kinds adjust a base pack's rules; in a pack with no base they changed
    nothing, silently: each is an error at its key."""
    folder = overlay(tmp_path, "areas:\n  - {id: investigating, title: Investigating, prefix: INV}\n"
                               "thresholds:\n  INV-003: {threshold: 0.5, reason: ours}\n"
                               "windows:\n  PVP-003: {field: school_notified_at, by: '08:30', reason: ours}\n"
                               "out_of_scope:\n  - {rule: INV-003, reason: ours}\n"
                               "rule_kinds:\n  INV-003: {kind: finding, reason: ours}\n")
    assert [c for c in codes(folder) if c[0] == "adjusts-no-base"] == [
        ("adjusts-no-base", "pack.yaml", 6), ("adjusts-no-base", "pack.yaml", 8),
        ("adjusts-no-base", "pack.yaml", 10), ("adjusts-no-base", "pack.yaml", 12)]
