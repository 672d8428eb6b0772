"""durable-rules' envelope (docs/durable-envelope.md): every attack of issue 10 section 1 gives the
same outcome on every engine, finishes, and says so where durable-rules was not used."""

from __future__ import annotations

import datetime as dt

import pytest

from peelcheck.evaluate import durable_engine
from peelcheck.pipeline import Engine

from .engine_runs import all_engines, engine_counts, in_child
from .pack_factory import rule_spec, write_pack

pytestmark = pytest.mark.skipif(not durable_engine.available(), reason="durable-rules does not import here")
LONG = 65_536


def test_a_long_cell_is_not_equal_to_its_first_characters(tmp_path):
    pack = write_pack(tmp_path, [rule_spec(0, {"s1": "hello"}), rule_spec(1, {"s1": {"in": ["hello", "x"]}})])
    counts, _ = all_engines(pack, [{"s1": "hello" + "x" * LONG}, {"s1": "hello"}, {"s1": "x" * LONG + "hello"}])
    assert counts[0] == ("GEN-001", 3, 1, 2, 0)


def test_a_long_literal_does_not_make_every_record_compliant(tmp_path):
    literal = "hello" + "x" * (LONG - 5)
    pack = write_pack(tmp_path, [rule_spec(0, {"s1": literal}), rule_spec(1, {"s1": {"not_equals": literal}})])
    counts, _ = all_engines(pack, [{"s1": "hello"}, {"s1": literal}, {"s1": "\x00sha256:" + "0" * 64}])
    assert counts == [("GEN-001", 3, 1, 2, 0), ("GEN-002", 3, 2, 1, 0)]


def test_integers_past_64_bits_are_compared_exactly(tmp_path):
    pack = write_pack(tmp_path, [rule_spec(0, {"i1": {"at_most": 2**63 - 1}}),
                                 rule_spec(1, {"i1": {"greater_than": {"field": "f1"}}}),
                                 rule_spec(2, {"i1": {"in": [2**64, 2**70, -(2**65)]}})])
    records = [{"i1": 2**63}, {"i1": 2**64}, {"i1": 2**63 - 1}, {"i1": 2**53 + 1, "f1": float(2**53)},
               {"i1": 2**70, "f1": 1.0}, {"i1": -(2**65)}]
    counts, notes = all_engines(pack, records)
    assert counts[0] == ("GEN-001", 6, 3, 3, 0)
    assert any("GEN-001" in n and "reference evaluator" in n for n in notes)  # the switch is stated


def test_durations_past_the_engines_range_are_compared_exactly(tmp_path):
    seconds = 999_999_998 * 86_400  # beyond 2**63 microseconds, as is the longest duration pydantic reads
    pack = write_pack(tmp_path, [rule_spec(0, {"u1": seconds}), rule_spec(1, {"u1": {"at_least": 3600}})])
    counts, _ = all_engines(pack, [{"u1": dt.timedelta(days=999_999_999)}, {"u1": dt.timedelta(seconds=seconds)},
                                   {"u1": dt.timedelta(seconds=1)}])
    assert counts == [("GEN-001", 3, 1, 2, 0), ("GEN-002", 3, 2, 1, 0)]


@pytest.mark.parametrize("size", [511, 512, 700])
def test_long_in_and_not_in_lists_finish_and_agree(tmp_path, size):
    values = list(range(size))
    pack = write_pack(tmp_path, [rule_spec(0, {"i1": {"in": values}}), rule_spec(1, {"i1": {"not_in": values}})])
    counts, _ = all_engines(pack, [{"i1": -1}, {"i1": size - 1}, {"i1": 3}, {}], timeout=60)
    assert counts[0] == ("GEN-001", 4, 2, 1, 1)


def test_an_enum_of_602_values_in_a_rule_finishes_and_agrees(tmp_path):
    names = [f"v{i}" for i in range(602)]
    kind = {"name": "thing", "title": "t", "description": "d", "key": "ref",
            "fields": {"ref": {"type": "string", "required": True, "description": "k"},
                       "e1": {"type": "enum", "values": names, "description": "e"}}}
    pack = write_pack(tmp_path, [rule_spec(0, {"e1": {"in": names[:601]}}),
                                 rule_spec(1, {"e1": {"not_in": names[1:]}})], kind)
    counts, _ = all_engines(pack, [{"e1": "v601"}, {"e1": "v0"}, {"e1": "v300"}])
    assert counts == [("GEN-001", 3, 2, 1, 0), ("GEN-002", 3, 1, 2, 0)]


def test_nested_all_compiles_in_time_and_agrees(tmp_path):
    cond: dict = {"b1": True}
    for i in range(20):
        cond = {"all": [cond, {"any": [{"i1": {"at_least": i}}, {"b2": False}]}]}
    pack = write_pack(tmp_path, [rule_spec(0, cond, when={"any": [{"d1": {"recorded": True}}, {"b2": True}]})])
    counts, notes = all_engines(pack, [{"b1": True, "i1": 30, "b2": True}, {"b2": False}, {}, {"b1": False}],
                                timeout=30)
    assert counts[0][1] == 3


def test_hundreds_of_rules_on_one_record_type_assess_and_agree(tmp_path):
    rules = [rule_spec(i, {"i1": {"at_least": i}}, when={"any": [{"b1": True}, {"s1": f"k{i}"}]})
             for i in range(300)]
    pack = write_pack(tmp_path, rules)
    counts, _ = all_engines(pack, [{"b1": True, "i1": 150}, {"s1": "k7", "i1": 3}, {"b1": False}], timeout=120)
    assert len(counts) == 300 and counts[150] == ("GEN-151", 3, 1, 0, 2)


def test_a_rule_reading_hundreds_of_fields_is_evaluated_and_says_how(tmp_path):
    fields = {f"n{i}": {"type": "int", "description": "n"} for i in range(300)}
    kind = {"name": "thing", "title": "t", "description": "d", "key": "ref",
            "fields": {"ref": {"type": "string", "required": True, "description": "k"}, **fields}}
    wide = {"all": [{name: {"at_least": 0}} for name in fields]}
    pack = write_pack(tmp_path, [rule_spec(0, wide), rule_spec(1, {"n0": 1})], kind)
    records = [{name: 1 for name in fields}, {"n0": 1}, {name: -1 for name in fields}]
    counts, notes = all_engines(pack, records, timeout=120)
    assert counts == [("GEN-001", 3, 1, 1, 1), ("GEN-002", 3, 2, 1, 0)]
    assert any(n.startswith("rule GEN-001: evaluated by the python engine") for n in notes)


def test_a_wrong_compliant_from_durable_rules_stops_the_run(tmp_path, monkeypatch):
    """With the long-string encoding switched off, durable-rules says "compliant" wrongly: the run
    must stop with an engine disagreement, never report it."""
    monkeypatch.setattr("peelcheck.compile.durable_envelope.MAX_TEXT", 10**9)
    pack = write_pack(tmp_path, [rule_spec(0, {"s1": "hello"})])
    result = in_child(lambda: engine_counts(pack, [{"s1": "hello" + "x" * LONG}], Engine.DURABLE))
    assert result == ("error", ["engine-disagreement"])


def test_a_ruleset_the_engine_refuses_mid_run_is_left_to_the_python_engine_and_said(tmp_path, monkeypatch):
    """With the fan-out budgets switched off, durable-rules' alpha walk overflows its 64-node stack
    (error 303) on a record matching 100 tests at once (passing all 100 rules, or failing all 100,
    whichever outcome the ruleset names): the run finishes on the python engine, says so."""
    for budget in ("MAX_ABSENT", "MAX_ALPHA", "MAX_DURABLE_RULES"):
        monkeypatch.setattr(f"peelcheck.compile.durable_envelope.{budget}", 10**6)
    pack = write_pack(tmp_path, [rule_spec(k, {"i1": {"at_least": k}}) for k in range(100)])
    counts, notes = all_engines(pack, [{"i1": 1000}, {"i1": 50}, {}, {"i1": -1000}])
    assert counts[60] == ("GEN-061", 4, 1, 2, 1)
    assert len(notes) == 100 and all("durable-rules refused" in n and "303" in n for n in notes)


def test_the_shipped_packs_rules_that_outgrow_durable_rules_are_only_the_known_ones():
    """A rule author's change that tips a pack rule past durable-rules' limits moves it to the python
    engine with a note on every run: known here, so that it is a choice, never a surprise."""
    from pathlib import Path

    from peelcheck.compile.pack_check import load_compiled_pack
    from peelcheck.evaluate.durable_checked import python_engine_rules

    pack = load_compiled_pack(Path(__file__).resolve().parents[1] / "rules" / "west-mercia")
    assert set(python_engine_rules(pack.rules, dt.date(2022, 4, 1))) == set()
