"""The position-tracking YAML loader: merge keys (``<<: *base``) are YAML's own way to share keys and
are read as PyYAML reads them; a key written twice in one mapping is still an error, at the second."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from peelcheck.errors import PackError, RecordError
from peelcheck.evaluate.runner import Engine
from peelcheck.load.yaml_positions import load_yaml_text
from peelcheck.pipeline import AssessOptions, assess

OVERRIDE = """\
base: &base
  a: 1
  b: 2
other:
  <<: *base
  b: 3
"""

# a mapping holding a merge and an override, merged in turn into the mapping that holds it: PyYAML
# rewrites the inner mapping (the merge flattened into it) before the inner mapping is built
MERGED_BEFORE_BUILT = """\
e: &e {k: 1, j: 2}
top:
  d: &d
    <<: *e
    k: 3
  <<: *d
"""

MERGE_LIST = """\
one: &one {a: 1, b: 1}
two: &two {b: 2, c: 2}
both:
  <<: [*one, *two]
  c: 3
"""


@pytest.mark.parametrize("text", [OVERRIDE, MERGED_BEFORE_BUILT, MERGE_LIST])
def test_a_key_merged_in_and_then_written_is_not_a_duplicate(text: str) -> None:
    assert load_yaml_text(text, "f.yaml") == yaml.safe_load(text)


def test_a_written_key_is_placed_where_it_is_written_and_a_merged_one_where_it_was_merged_from() -> None:
    other = load_yaml_text(OVERRIDE, "f.yaml")["other"]
    assert other.key_pos["b"] == (6, 3) and other.value_pos["b"] == (6, 6)
    assert other.key_pos["a"] == (2, 3)


@pytest.mark.parametrize(("text", "line"), [
    ("base: &base {a: 1}\nother:\n  <<: *base\n  b: 2\n  b: 3\n", 5),  # after a merge
    ("base: &base {a: 1}\nother:\n  b: 2\n  <<: *base\n  b: 3\n", 5),  # a merge between
    ("other:\n  b: 2\n  c: 1\n  b: 3\n", 4),  # no merge at all
    ("e: &e {k: 1}\ntop:\n  d: &d\n    <<: *e\n    j: 3\n    j: 4\n  <<: *d\n", 6),  # flattened before built
])
def test_a_key_written_twice_in_one_mapping_is_still_a_duplicate(text: str, line: int) -> None:
    with pytest.raises(PackError) as error:
        load_yaml_text(text, "f.yaml")
    [found] = error.value.diagnostics
    assert (found.code, found.location.line) == ("yaml-syntax", line)
    assert "duplicate" in found.message


def test_a_yaml_record_file_may_share_fields_with_merge_keys(peel_pack, tmp_path: Path) -> None:
    path = tmp_path / "shared.yaml"
    path.write_text("record_type: case_file\nrecords:\n"
                    "  - &base {case_ref: A, serious: true, crime_type: theft}\n"
                    "  - <<: *base\n    case_ref: B\n")
    options = AssessOptions(as_of=dt.date(2022, 4, 1), engine=Engine.PYTHON, only_rules=frozenset({"PVP-001"}))
    [source] = assess(peel_pack, [path], options).inputs
    assert source.records == 2 and source.repeated_keys == []
    path.write_text(path.read_text() + "    case_ref: C\n")
    with pytest.raises(RecordError) as error:
        assess(peel_pack, [path], options)
    assert [(d.code, d.location.line) for d in error.value.diagnostics] == [("yaml-syntax", 6)]
