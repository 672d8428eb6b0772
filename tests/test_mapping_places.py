"""Mappings kept in a profile or a pack: every problem in one is reported at its own file, line and column,
and a mapping is applied wherever the report says it was (or refused)."""

from __future__ import annotations

import shutil
from pathlib import Path

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
