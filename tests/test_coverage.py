"""`peelcheck coverage`: per framework characteristic and per document finding, encoded / manual / not
covered; registry entries with no rule counted; asks in the documents' text that the registry lacks."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from peelcheck.cli.main import cli
from peelcheck.compile.pack_check import load_compiled_pack
from peelcheck.report.coverage import STATES, counts, coverage_of

from .conftest import CORE_DIR
from .test_framework import REGISTRIES, edit, pack  # noqa: F401 - the small pack fixture

P21_TEXT = "hmicfrs-peel-2021-22-west-mercia.txt"
NEW_AFI = """
  - id: P21-AFI-99
    document: P21
    section: Investigating crime, areas for improvement
    kind: area-for-improvement
    quote: The force should keep its station doors painted.
"""


def coverage_json(pack_dir: Path, *args: str) -> tuple[int, dict]:
    result = CliRunner().invoke(cli, ["coverage", "--pack", str(pack_dir), "--format", "json", *args])
    return result.exit_code, json.loads(result.stdout)


def test_counts_add_up_for_every_edition_and_document(peel_pack):
    cover = coverage_of(peel_pack)
    for edition, rows in cover.characteristics.items():
        tally = counts(rows)
        assert set(tally) == set(STATES)
        assert sum(tally.values()) == len(rows) == len(peel_pack.frameworks[edition].characteristics)
    rows = [row for document in cover.findings.values() for row in document]
    assert len(rows) == len(peel_pack.findings)
    assert sum(sum(counts(document).values()) for document in cover.findings.values()) == len(rows)


def test_json_counts_match_the_rows(peel_pack):
    from .conftest import PACK_DIR
    code, report = coverage_json(PACK_DIR)
    assert code == 0
    for edition in report["frameworks"].values():
        states = [c["state"] for c in edition["characteristics"]]
        assert edition["counts"] == {state: states.count(state) for state in STATES}
    assert sum(len(d["findings"]) for d in report["documents"].values()) == len(peel_pack.findings)


def test_a_characteristic_is_encoded_exactly_when_a_rule_cites_it(pack):  # noqa: F811
    compiled = load_compiled_pack(pack)
    cited = {(c.edition, c.characteristic) for r in compiled.rules for c in r.rule.spec.framework}
    cover = coverage_of(compiled)
    encoded = {(row.edition, row.id) for rows in cover.characteristics.values() for row in rows
               if row.state == "encoded"}
    assert encoded == cited and len(cited) >= 5
    not_covered = [row for rows in cover.characteristics.values() for row in rows if row.state == "not covered"]
    assert len(not_covered) == sum(len(r.characteristics) for r in compiled.frameworks.values()) - len(cited)


def test_manual_rules_make_a_characteristic_manual_not_encoded(pack):  # noqa: F811
    rule = pack / "armed-policing/ARM-001.yaml"
    text = rule.read_text()
    start, end = text.index("when:") if "when:" in text else text.index("expect:"), text.index("remediation:")
    rule.write_text(text[:start] + "mode: manual\nquestion: Does the APSTRA analyse response times?\n" + text[end:])
    cover = coverage_of(load_compiled_pack(pack))
    row = next(r for r in cover.characteristics["2021/22"] if r.id == "10.1.2")
    assert (row.state, row.manual, row.automated) == ("manual", ["ARM-001"], [])


def test_a_registry_finding_with_no_rule_is_counted_not_covered_and_fails(pack):  # noqa: F811
    registry = pack / "findings/P21.yaml"
    registry.write_text(registry.read_text() + NEW_AFI)
    code, report = coverage_json(pack)
    assert code == 1
    row = next(f for f in report["documents"]["P21"]["findings"] if f["id"] == "P21-AFI-99")
    assert row == {"id": "P21-AFI-99", "kind": "area-for-improvement", "state": "not covered",
                   "automated": [], "manual": []}
    assert "P21-AFI-99" in report["uncovered_explicit"]
    text = CliRunner().invoke(cli, ["coverage", "--pack", str(pack)]).stdout
    assert any("P21-AFI-99" in line and line.lstrip().startswith("!!") for line in text.splitlines())


def test_asks_in_the_text_missing_from_the_registry_are_counted(pack, tmp_path):  # noqa: F811
    sources = tmp_path / "sources"
    sources.mkdir()
    registered = "The force should make sure that orders such as Domestic Violence Protection Notices and Orders " \
                 "are considered in all appropriate cases."
    (sources / P21_TEXT).write_text(f"Protecting vulnerable people\n\n{registered}\n\nThe force answers calls.\n"
                                    "West Mercia Police should, within three months:\n"
                                    "It works well. The force needs to repaint its stations.\n")
    code, report = coverage_json(pack, "--sources", str(sources))
    assert report["unregistered_text"] == {"P21": [{"line": 7, "text": "The force needs to repaint its stations."}]}
    edit(pack / "findings/P21.yaml", "findings:\n", "findings:" + NEW_AFI.replace(
        "The force should keep its station doors painted.", "The force needs to repaint its stations.") + "\n")
    assert coverage_json(pack, "--sources", str(sources))[1]["unregistered_text"] == {"P21": []}


def test_markdown_has_a_table_per_edition_and_document(pack):  # noqa: F811
    result = CliRunner().invoke(cli, ["coverage", "--pack", str(pack), "--format", "md"])
    assert result.exit_code == 1  # three rules leave most of the small copy's findings without one
    assert result.stdout.count("| characteristic | checked | state | rules |") == len(REGISTRIES) == 3
    for registry in REGISTRIES:  # a table per edition, each under its title
        assert f"## {yaml.safe_load((pack / registry).read_text())['title']}" in result.stdout
    assert "| 10.1.1 |" in result.stdout and "## P21:" in result.stdout


def test_the_core_packs_coverage_shows_each_edition_it_has_a_registry_for():
    code, report = coverage_json(CORE_DIR)
    assert list(report["frameworks"]) == ["2021/22", "2023-25", "2025-27"]
    rows = {c["id"]: c for c in report["frameworks"]["2023-25"]["characteristics"]}
    assert rows["1.1.1"]["state"] == "encoded" and rows["1.1.1"]["checked"] is True
    assert {"RES-009", "RES-010"} <= set(rows["1.1.1"]["automated"])
    assert rows["1.3.1"]["state"] == "not covered"  # no core rule evidences crime recording itself
    assert rows["4.1.1"]["checked"] is False  # placed from the edition's structure
