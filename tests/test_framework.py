"""PEEL Assessment Framework registries and rules' citations of them: closed schemas, located errors in
validate, every rule of the pack cited, and threshold bases."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from peelcheck.cli.main import cli
from peelcheck.compile.pack_check import load_compiled_pack, load_with_profile
from peelcheck.load.compose import load_pack
from peelcheck.load.framework_loader import registry_paths
from peelcheck.report.schemas import schema_path
from peelcheck.schema.framework import Numbering, ThresholdBasis

from .conftest import CORE_DIR, PACK_DIR, REPO
from .test_validate import edit, line_of, problems, small_pack

REGISTRIES = [str(p.relative_to(CORE_DIR)) for p in registry_paths(CORE_DIR)]
REGISTRY_2021 = next(name for name in REGISTRIES if name.endswith("2021-22.yaml"))


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    """A small one-folder copy (test_validate's): three core rules, their record types, two registries of
    findings and the framework registries."""
    return small_pack(tmp_path)


def test_the_small_copy_is_valid(pack):
    assert problems(pack) == []


def test_the_pack_has_the_three_editions_with_their_numbering():
    loaded = load_pack(PACK_DIR)
    assert loaded.diagnostics == []
    assert {e: r.numbering for e, r in loaded.frameworks.items()} == {
        "2021/22": Numbering.OFFICIAL, "2023-25": Numbering.BY_POSITION, "2025-27": Numbering.BY_POSITION}
    assert loaded.frameworks["2021/22"].characteristic("1.1.1") is not None


def test_registry_files_are_not_read_as_rules():
    ids = {rule.id for rule in load_pack(PACK_DIR).rules}
    assert len(ids) == len(load_pack(PACK_DIR).rules) and not any(i.startswith("1.") for i in ids)


def test_unknown_characteristic_is_a_located_error(pack):
    rule = pack / "armed-policing/ARM-001.yaml"
    edit(rule, 'characteristic: "10.1.1"', 'characteristic: "10.1.9"')
    assert problems(pack) == [("unknown-characteristic", "ARM-001.yaml", line_of(rule, "10.1.9"))]
    result = CliRunner().invoke(cli, ["validate", str(pack)])
    assert result.exit_code == 1  # problems found (2 is misuse)
    assert f"ARM-001.yaml:{line_of(rule, '10.1.9')}:" in result.stdout


def test_edition_without_a_registry_is_a_located_error(pack):
    rule = pack / "investigating/INV-001.yaml"
    edit(rule, 'edition: "2025-27"', 'edition: "2019-20"')
    assert problems(pack) == [("unknown-edition", "INV-001.yaml", line_of(rule, "2019-20"))]


def test_citations_are_closed(pack):
    rule = pack / "investigating/INV-001.yaml"
    edit(rule, 'characteristic: "1.5.1"}', 'characteristic: "1.5.1", paragraph: 3}')
    edit(rule, "threshold_basis: pack-default", "threshold_basis: hunch")
    found = problems(pack)
    assert ("unknown-key", "INV-001.yaml", line_of(rule, "paragraph: 3")) in found
    assert ("invalid-value", "INV-001.yaml", line_of(rule, "threshold_basis: hunch")) in found
    assert len(found) == 2


def test_a_standard_needs_its_section(pack):
    rule = pack / "investigating/INV-001.yaml"
    text = rule.read_text()
    start = text.index("basis:\n")
    rule.write_text(text[:start] + 'basis:\n  - {standard: "PACE Code A"}\n' + text[text.index("threshold_basis:"):])
    assert problems(pack) == [("missing-key", "INV-001.yaml", line_of(rule, "PACE Code A"))]


def test_registry_is_closed_and_its_citers_are_not_reported_again(pack):
    registry = pack / REGISTRY_2021
    edit(registry, "numbering: official", "numbering: official\nsource: the web")
    assert problems(pack) == [("unknown-key", registry.name, line_of(registry, "source: the web"))]


def test_characteristic_listed_twice(pack):
    registry = pack / REGISTRY_2021
    edit(registry, '{id: "1.1.2", question: "1"', '{id: "1.1.1", question: "1"')
    duplicate = [i for i, line in enumerate(registry.read_text().splitlines(), 1) if 'id: "1.1.1"' in line][1]
    assert problems(pack) == [("duplicate-characteristic", registry.name, duplicate)]


def test_characteristic_under_an_unlisted_question(pack):
    registry = pack / REGISTRY_2021
    edit(registry, '{id: "2.1.2", question: "2"', '{id: "2.1.2", question: "13"')
    assert problems(pack) == [("unknown-question", registry.name, line_of(registry, 'question: "13"'))]


def test_every_rule_of_the_pack_cites_the_framework_and_has_a_threshold_basis(peel_pack):
    assert len(peel_pack.rules) >= 144
    for rule in peel_pack.rules:
        spec = rule.rule.spec
        editions = {c.edition for c in spec.framework}
        assert "2021/22" in editions, f"{rule.id} cites no 2021/22 characteristic"
        assert spec.threshold_basis is not None, f"{rule.id} has no threshold_basis"


def test_each_basis_kind_is_used_and_the_national_standards_are_cited(peel_pack):
    bases = {r.rule.spec.threshold_basis for r in peel_pack.rules}
    assert bases == set(ThresholdBasis)
    cited = " ".join(b.standard for r in peel_pack.rules for b in r.rule.spec.basis)
    for standard in ("Victims of Crime", "APP: domestic abuse", "APP: armed policing", "APP: investigation",
                     "APP: stop and search", "Counting Rules", "outcomes framework", "PACE Code A",
                     "Crime and Security Act 2010", "Domestic Abuse Act 2021", "National Contact Management"):
        assert standard in cited, standard


def test_a_profile_override_makes_the_threshold_a_force_choice(tmp_path: Path):
    profile = tmp_path / "profile.yaml"
    profile.write_text("id: test-force\ntitle: Test\npack: peel-west-mercia\n"
                       "thresholds:\n  RES-010: {threshold: 0.8, reason: agreed locally}\n")
    loaded = load_with_profile(PACK_DIR, profile)
    rule = next(r for r in loaded.rules if r.id == "RES-010")
    assert rule.spec.threshold_basis is ThresholdBasis.FORCE_CHOICE
    assert next(r for r in load_pack(PACK_DIR).rules if r.id == "RES-010").spec.threshold_basis is \
        ThresholdBasis.NATIONAL_STANDARD


@pytest.mark.parametrize("name", REGISTRIES)
def test_registries_validate_against_the_committed_schema(name):
    class EditorLoader(yaml.SafeLoader):  # as an editor reads them: dates stay text
        yaml_implicit_resolvers = {k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
                                   for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    document = yaml.load((CORE_DIR / name).read_text(), Loader=EditorLoader)  # noqa: S506 - a SafeLoader
    schema = json.loads(schema_path("framework").read_text())
    jsonschema.validate(document, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**document, "numbering": "alphabetical"}, schema)


def test_schema_command_prints_the_framework_schema():
    result = CliRunner().invoke(cli, ["schema", "framework"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["additionalProperties"] is False


def test_rule_pages_show_citations_with_the_packs_paraphrase(peel_pack):
    from peelcheck.report.rule_docs import citation_lines
    rule = peel_pack.rule("RES-010")
    lines = citation_lines(peel_pack, rule)
    summary = peel_pack.frameworks["2021/22"].characteristic("1.1.1").summary
    assert f"- PEEL Assessment Framework 2021/22, 1.1.1: {summary}" in lines
    assert sum(line.startswith("- Basis: ") for line in lines) == len(rule.rule.spec.basis) == 1


# The 2023-25 edition: a registry numbered by position, and the core rules' citations of it.

REGISTRY_2023 = next(name for name in REGISTRIES if name.endswith("2023-25.yaml"))
LATER_EDITIONS = ("2023-25", "2025-27")


@pytest.fixture(scope="module")
def core_pack():
    return load_compiled_pack(CORE_DIR)


def test_the_2023_25_registry_is_by_position_and_says_so():
    registry = load_pack(CORE_DIR).frameworks["2023-25"]
    assert registry.numbering is Numbering.BY_POSITION and registry.published.isoformat() == "2023-02-08"
    assert registry.url and registry.url.rstrip("/").endswith("peel-assessment-framework-2023-25")
    header = (CORE_DIR / REGISTRY_2023).read_text().split("edition:")[0]
    assert "by position" in header and "question . topic area . bullet" in header


@pytest.mark.parametrize("name", REGISTRIES)
def test_registry_ids_are_unique_and_sit_under_their_question(name):
    registry = load_pack(CORE_DIR).frameworks[yaml.safe_load((CORE_DIR / name).read_text())["edition"]]
    ids = [c.id for c in registry.characteristics]
    assert len(ids) == len(set(ids)), f"{name}: an id listed twice"
    questions = [q.id for q in registry.questions]
    assert len(questions) == len(set(questions))
    for item in registry.characteristics:
        assert item.question in questions and item.id.split(".")[0] == item.question, item.id
    used = {c.question for c in registry.characteristics}
    assert used == set(questions), f"{name}: questions with no characteristic: {set(questions) - used}"


@pytest.mark.parametrize("edition", ["2023-25", "2025-27"])
def test_a_by_position_registry_counts_from_one_without_gaps_in_page_order(edition):
    """By-position ids are positions: within a question the topic areas run 1, 2, 3...; within a topic area
    the bullets do; and the file lists them in that order, as the page does."""
    registry = load_pack(CORE_DIR).frameworks[edition]
    ids = [tuple(int(part) for part in c.id.split(".")) for c in registry.characteristics]
    assert ids == sorted(ids), f"{edition}: not in page order"
    assert [q for q, *_ in dict.fromkeys((i[0],) for i in ids)] == list(range(1, len(registry.questions) + 1))
    for question in {i[0] for i in ids}:
        topics = sorted({i[1] for i in ids if i[0] == question})
        assert topics == list(range(1, len(topics) + 1)), f"{edition}: question {question} skips a topic area"
        for topic in topics:
            bullets = [i[2] for i in ids if i[:2] == (question, topic)]
            assert bullets == list(range(1, len(bullets) + 1)), f"{edition}: {question}.{topic} skips a bullet"


def test_every_2023_25_citation_resolves_to_a_registry_entry(core_pack, peel_pack):
    registry = core_pack.frameworks["2023-25"]
    cited = [(r.id, c.characteristic) for pack in (core_pack, peel_pack) for r in pack.rules
             for c in r.rule.spec.framework if c.edition == "2023-25"]
    assert len(cited) > 100
    assert [pair for pair in cited if registry.characteristic(pair[1]) is None] == []


def test_which_core_rules_cite_the_later_editions(core_pack):
    """Serious and organised crime, armed policing and the strategic policing requirement are not core
    questions after 2021/22: their rules cite no later edition. Every other core rule cites 2023-25, but
    LEG-017 (volunteers and the special constabulary, which no 2023-25 entry covers)."""
    for rule in core_pack.rules:
        editions = {c.edition for c in rule.rule.spec.framework}
        if rule.id.startswith(("SOC-", "ARM-")):
            assert not editions & set(LATER_EDITIONS), rule.id
        elif rule.id != "LEG-017":
            assert "2023-25" in editions, f"{rule.id} cites no 2023-25 characteristic"


def test_checked_2023_25_entries_are_cited_only_for_what_was_read(core_pack):
    """The read entries of 2023-25 (999 and 101 answering, call handling, attendance, crime recording): a rule
    on prevention advice is not put under 1.1.3 (read: safeguarding and evidence advice only), nor an outcome
    code under crime recording."""
    registry = core_pack.frameworks["2023-25"]
    checked = {c.id for c in registry.characteristics if c.checked}
    assert checked == {"1.1.1", "1.1.2", "1.1.3", "1.2.1", "1.2.2", "1.3.1", "1.3.2", "1.3.3"}
    citing: dict[str, set[str]] = {c.id: set() for c in registry.characteristics}
    for rule in core_pack.rules:
        for citation in rule.rule.spec.framework:
            if citation.edition == "2023-25":
                citing[citation.characteristic].add(rule.id)
    assert {"RES-009", "RES-010"} <= citing["1.1.1"] and "RES-003" in citing["1.1.3"]
    assert "RES-002" not in citing["1.1.3"] and "INV-012" not in citing["1.3.1"]


def test_the_docs_state_each_registrys_checked_count(core_pack):
    text = " ".join((REPO / "docs" / "framework.md").read_text().split())
    for edition, registry in core_pack.frameworks.items():
        checked = sum(c.checked for c in registry.characteristics)
        entry = "entry" if checked == 1 else ""
        stated = f"{checked} {entry + ' ' if entry else ''}of {edition} (of {len(registry.characteristics)}"
        assert stated in text, f"docs/framework.md should say: {stated}"
