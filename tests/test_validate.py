"""`peelcheck validate`: every problem of a broken pack, each located at path:line:col, exit 1."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from peelcheck.cli.main import cli
from peelcheck.compile.pack_check import check_pack
from peelcheck.load.compose import load_pack
from peelcheck.load.framework_loader import registry_paths

from .conftest import CORE_DIR, PACK_DIR

RULES = ["protecting-vulnerable-people/PVP-001.yaml", "investigating/INV-001.yaml", "armed-policing/ARM-001.yaml"]
CORE = ["record-types/case_file.yaml", "record-types/out_of_court_disposal.yaml", "record-types/apstra.yaml", *RULES]
OVERLAY = ["findings/P21.yaml", "findings/EF17.yaml"]


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    return small_pack(tmp_path)


def small_pack(tmp_path: Path) -> Path:
    """A small one-folder pack from the core and the West Mercia overlay: three core rules, the record types
    they use, the overlay's documents and two of its registries (linked to those three rules only)."""
    registries = [str(p.relative_to(CORE_DIR)) for p in registry_paths(CORE_DIR)]  # the rules cite them
    for name, home in [*((n, CORE_DIR) for n in CORE + registries), *((n, PACK_DIR) for n in OVERLAY)]:
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(home / name, target)
    header = (PACK_DIR / "pack.yaml").read_text().split("extends:")[0]
    # its documents, not its adjustments of the core's rules (rule_kinds:): a pack with no base has none to adjust
    documents = "documents:" + (PACK_DIR / "pack.yaml").read_text().split("documents:")[1].split("rule_kinds:")[0]
    areas = "areas:" + (CORE_DIR / "pack.yaml").read_text().split("areas:")[1]
    (tmp_path / "pack.yaml").write_text(header + documents + areas)
    kept = {Path(r).stem for r in RULES}
    for name in OVERLAY:
        path = tmp_path / name
        path.write_text(re.sub(r"^    (rules|quoted_by): \[(.*)\]$",
                               lambda m: f"    {m[1]}: [{', '.join(sorted(set(m[2].split(', ')) & kept))}]",
                               path.read_text(), flags=re.M))
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def problems(pack: Path) -> list[tuple[str, str, int | None]]:
    compiled, diagnostics = check_pack(load_pack(pack))
    assert compiled is None or not diagnostics
    return [(d.code, Path(d.location.path).name, d.location.line) for d in diagnostics]


def test_the_copy_is_valid(pack):
    assert problems(pack) == []


def test_yaml_syntax_error_is_located(pack):
    rule = pack / "investigating/INV-001.yaml"
    edit(rule, "severity: high", "severity: [high")
    [(code, name, line)] = problems(pack)
    assert (code, name) == ("yaml-syntax", "INV-001.yaml") and line >= line_of(rule, "severity")


def test_unknown_key_names_the_key_line(pack):
    rule = pack / "investigating/INV-001.yaml"
    edit(rule, "severity: high", "severity: high\nseverty: low")
    assert problems(pack) == [("unknown-key", "INV-001.yaml", line_of(rule, "severty"))]


def test_wrong_type_is_located(pack):
    rule = pack / "armed-policing/ARM-001.yaml"
    edit(rule, "record_type: apstra", "record_type: apstra\nthreshold: most")
    assert problems(pack) == [("wrong-type", "ARM-001.yaml", line_of(rule, "threshold: most"))]


def test_duplicate_rule_ids_are_both_reported(pack):
    edit(pack / "armed-policing/ARM-001.yaml", "id: ARM-001", "id: INV-001")
    found = problems(pack)
    assert ("duplicate-rule-id", "ARM-001.yaml", 1) in found and ("duplicate-rule-id", "INV-001.yaml", 1) in found


def test_unknown_record_type_and_field(pack):
    rule = pack / "protecting-vulnerable-people/PVP-001.yaml"
    edit(rule, "    - dvpn_considered: true\n", "    - dvpn_consider: true\n")
    edit(pack / "armed-policing/ARM-001.yaml", "record_type: apstra", "record_type: apstras")
    found = problems(pack)
    assert ("unknown-field", "PVP-001.yaml", line_of(rule, "dvpn_consider:")) in found
    arm = pack / "armed-policing/ARM-001.yaml"
    assert ("unknown-record-type", "ARM-001.yaml", line_of(arm, "record_type")) in found


def test_comparing_a_date_with_a_number(pack):
    rule = pack / "investigating/INV-001.yaml"
    edit(rule, "victim_views_sought_at: {at_most: {field: given_at}}", "victim_views_sought_at: {at_most: 3}")
    assert problems(pack) == [("type-mismatch", "INV-001.yaml", line_of(rule, "victim_views_sought_at: {at_most: 3}"))]


def test_threshold_outside_zero_to_one(pack):
    rule = pack / "armed-policing/ARM-001.yaml"
    edit(rule, "record_type: apstra", "record_type: apstra\nthreshold: 90")
    assert [p[0] for p in problems(pack)] == ["invalid-value"]


def test_undeclared_source_document(pack):
    rule = pack / "armed-policing/ARM-001.yaml"
    edit(rule, "record_type: apstra", "source: {document: EF18, section: s, quote: q}\nrecord_type: apstra")
    assert problems(pack) == [("unknown-document", "ARM-001.yaml", line_of(rule, "document: EF18"))]


def test_a_finding_citing_an_undeclared_document_or_unknown_rule_is_located(pack):
    registry = pack / "findings/EF17.yaml"
    edit(registry, "document: EF17", "document: EF18")
    edit(registry, "rules: [ARM-001]", "rules: [ARM-001, ARM-999]")
    assert sorted(problems(pack)) == [("unknown-document", "EF17.yaml", line_of(registry, "document: EF18") - 1),
                                      ("unknown-rule", "EF17.yaml", line_of(registry, "ARM-999") - 4)]


def test_unknown_operator(pack):
    rule = pack / "investigating/INV-001.yaml"
    edit(rule, "{at_most: {field: given_at}}", "{before_or_at: {field: given_at}}")
    assert problems(pack) == [("unknown-operator", "INV-001.yaml", line_of(rule, "before_or_at"))]


def test_every_problem_is_reported_in_one_run_with_exit_1(pack):
    edit(pack / "investigating/INV-001.yaml", "severity: high", "severity: high\nseverty: low")
    edit(pack / "findings/EF17.yaml", "document: EF17", "document: EF18")
    edit(pack / "protecting-vulnerable-people/PVP-001.yaml", "    - dvpn_considered: true\n",
         "    - dvpn_consider: true\n")
    result = CliRunner().invoke(cli, ["validate", str(pack)])
    assert result.exit_code == 1  # problems found; 2 is for misuse
    lines = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert len(lines) == 3
    for line in lines:
        path, line_no, column, _ = line.split(":", 3)
        assert Path(path).exists() and int(line_no) > 0 and int(column) > 0
    as_json = json.loads(CliRunner().invoke(cli, ["validate", str(pack), "--format", "json"]).stdout)
    assert sorted(d["code"] for d in as_json["diagnostics"]) == ["unknown-document", "unknown-field", "unknown-key"]


def test_the_repository_pack_is_valid():
    result = CliRunner().invoke(cli, ["validate", str(PACK_DIR)])
    assert result.exit_code == 0, result.stderr


def hints(pack: Path) -> list[tuple[str, int | None, str | None]]:
    _, diagnostics = check_pack(load_pack(pack))
    return [(d.code, d.location.line, d.hint) for d in diagnostics]


def test_a_key_written_where_it_does_not_belong_is_told_where_it_does(pack):
    rule = pack / "investigating/INV-001.yaml"
    edit(rule, "severity: high\n", "severity: high\ndocument: P21\n")  # belongs under source:
    [(code, line, hint)] = hints(pack)
    assert (code, line) == ("unknown-key", line_of(rule, "document: P21"))
    assert hint is not None and "did you mean 'document'" not in hint and "'source'" in hint


def test_a_misspelt_key_is_matched_first_among_the_keys_of_its_own_mapping(pack):
    rule = pack / "investigating/INV-001.yaml"
    edit(rule, "severity: high\n", "severity: high\nsource: {document: P21, section: s, quote: q, paragrph: '1'}\n")
    [(code, _, hint)] = hints(pack)
    assert (code, hint) == ("unknown-key", "did you mean 'paragraph'?")
    edit(rule, "paragrph: '1'", "paragraph: '1'")
    edit(rule, "severity: high\n", "severity: high\nqoute: q\n")  # close only to a key of source:
    [(code, _, hint)] = hints(pack)
    assert code == "unknown-key" and hint is not None and "'quote'" in hint and "'source'" in hint
