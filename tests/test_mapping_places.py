"""Mappings kept in a profile or a pack: every problem in one is reported at its own file, line and column,
and a mapping is applied wherever the report says it was (or refused)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from peelcheck.compile.pack_check import check_pack, load_with_profile
from peelcheck.errors import Diagnostic

from .conftest import CORE_DIR, PACK_DIR


def _found(diagnostics: list[Diagnostic]) -> list[tuple[str, str]]:
    return [(d.code, str(d.location)) for d in diagnostics]


def test_an_error_in_a_profiles_mapping_is_at_its_place_in_the_profile(tmp_path: Path) -> None:
    profile = tmp_path / "profile.yaml"
    profile.write_text("id: test\ntitle: Test\npack: west-mercia\nmappings:\n"
                       "  - name: m\n    record_type: out_of_court_disposal\n    columns:\n"
                       "      Ref: disposal_ref\n"
                       "      Kind: disposal_kind\n"  # 9: no such field
                       "    values:\n      victim_identified: {'Yes': maybe}\n"  # 11: not a yes/no value
                       "  - name: n\n    record_type: no_such_type\n")  # 13: no such record type
    _, problems = check_pack(load_with_profile(PACK_DIR, profile))
    assert sorted(_found(problems)) == [("invalid-value", f"{profile}:11:34"), ("unknown-field", f"{profile}:9:13"),
                                        ("unknown-record-type", f"{profile}:13:18")]


def test_an_error_in_a_pack_mapping_is_at_its_place_in_the_mapping_file(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(CORE_DIR, pack)
    path = pack / "mappings" / "police_uk_stop_search.yaml"
    lines = path.read_text().splitlines()
    row = next(i for i, line in enumerate(lines) if line.strip().startswith("Type:"))
    lines.insert(row + 1, "  Bogus: no_such_field")
    path.write_text("\n".join(lines) + "\n")
    _, problems = check_pack(load_with_profile(pack))
    assert _found(problems) == [("unknown-field", f"{path}:{row + 2}:10")]


def test_a_mapping_is_refused_for_record_files_it_is_not_applied_to(tmp_path: Path, peel_pack) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq
    from click.testing import CliRunner

    from peelcheck.cli.main import cli
    from peelcheck.errors import UsageError
    from peelcheck.pipeline import AssessOptions, assess

    mapping = tmp_path / "m.yaml"
    mapping.write_text("name: mm\nrecord_type: case_file\ncolumns:\n  Ref: case_ref\nvalues:\n"
                       "  serious: {'Y': true}\n")
    files = [tmp_path / "a.case_file.json", tmp_path / "b.case_file.jsonl", tmp_path / "c.case_file.yaml"]
    files[0].write_text('[{"case_ref": "A", "serious": "Y"}]')
    files[1].write_text('{"case_ref": "B", "serious": "Y"}\n')
    files[2].write_text("records:\n  - {case_ref: C, serious: 'Y'}\n")
    parquet = tmp_path / "d.case_file.parquet"  # named by its export's columns: the mapping is applied to it
    pq.write_table(pa.table({"Ref": ["D"], "serious": ["Y"]}), parquet)
    csv = tmp_path / "e.case_file.csv"
    csv.write_text("Ref,serious\nE,Y\n")
    with pytest.raises(UsageError) as error:
        assess(peel_pack, [csv, parquet, *files], AssessOptions(mapping=str(mapping)))
    assert _found(error.value.diagnostics) == [("mapping-not-applicable", str(f)) for f in files]
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "--mapping", str(mapping), str(files[0])])
    assert result.exit_code == 2 and "[mapping-not-applicable]" in result.stderr
    # the CSV and the Parquet file are read through it, and the report says so
    read = assess(peel_pack, [csv, parquet], AssessOptions(mapping=str(mapping)))
    assert [(i.read_as[0], i.records) for i in read.inputs] == [("mapping mm", 1)] * 2


def test_a_mapping_may_list_two_spellings_of_a_column_and_a_file_may_hold_one(tmp_path: Path, peel_pack) -> None:
    from click.testing import CliRunner

    from peelcheck.cli.main import cli
    from peelcheck.errors import RecordError
    from peelcheck.pipeline import AssessOptions, assess

    mapping = tmp_path / "m.yaml"  # the export's reference column was renamed between versions
    mapping.write_text("name: mm\nrecord_type: case_file\ncolumns:\n  Ref: case_ref\n  Reference: case_ref\n"
                       "  Serious: serious\n  Serious crime: serious\n")
    checked = CliRunner().invoke(cli, ["mapping", "check", "--pack", str(PACK_DIR), str(mapping)])
    assert checked.exit_code == 0, checked.output
    old, new, both = (tmp_path / f"{name}.case_file.csv" for name in ("old", "new", "both"))
    old.write_text("Ref\nA\n")
    new.write_text("Reference,Serious crime\nB,true\n")
    both.write_text("Ref,Reference\nC,C\n")
    read = assess(peel_pack, [old, new], AssessOptions(mapping=str(mapping)))
    assert [i.records for i in read.inputs] == [1, 1]
    assert read.inputs[0].absent_columns["serious"] == "Serious or Serious crime"
    with pytest.raises(RecordError) as error:
        assess(peel_pack, [both], AssessOptions(mapping=str(mapping)))
    assert _found(error.value.diagnostics) == [("mapped-twice", f"{both}:1")]


def test_two_pack_mapping_files_of_one_name_are_an_error_naming_both(tmp_path: Path) -> None:
    """One silently replaced the other (whichever file came later): ``--mapping NAME`` read a guess."""
    pack = tmp_path / "pack"
    shutil.copytree(CORE_DIR, pack)
    first = pack / "mappings" / "police_uk_stop_search.yaml"
    second = pack / "mappings" / "z_stop_search.yaml"
    second.write_text("# a second export's columns\n" + first.read_text())
    _, problems = check_pack(load_with_profile(pack))
    assert _found(problems) == [("duplicate-mapping", f"{second}:2:1")]
    assert str(first) in problems[0].message
    # a profile's mapping of the name is the force's own, and replaces the pack's, as documented
    second.unlink()
    profile = tmp_path / "profile.yaml"
    profile.write_text("id: t\ntitle: T\npack: peel-core\nmappings:\n  - name: police_uk_stop_search\n"
                       "    record_type: stop_search\n    columns: {Ref: search_ref}\n")
    loaded, problems = check_pack(load_with_profile(pack, profile))
    assert problems == [] and loaded.mappings["police_uk_stop_search"].columns == {"Ref": "search_ref"}


def test_an_overlay_mapping_named_as_a_base_packs_is_an_error_naming_both(tmp_path: Path) -> None:
    core = tmp_path / "peel-core"
    shutil.copytree(CORE_DIR, core)
    overlay = tmp_path / "overlay"
    (overlay / "mappings").mkdir(parents=True)
    (overlay / "pack.yaml").write_text("id: test-force\ntitle: Test\nversion: 1.0.0\nextends:\n"
                                       "  - {pack: peel-core, version: '>=0'}\n")
    mine = overlay / "mappings" / "stop_search.yaml"
    mine.write_text((core / "mappings" / "police_uk_stop_search.yaml").read_text())
    _, problems = check_pack(load_with_profile(overlay))
    assert _found(problems) == [("duplicate-mapping", f"{mine}:1:1")]
    assert str(core / "mappings" / "police_uk_stop_search.yaml") in problems[0].message
