"""Each durable-rules trap (shared/notes/durable-rules.md, and two found here) pinned by a test:
the upstream behaviour where it matters, and that peelcheck's adapter stays exact in spite of it."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from peelcheck.compile import durable_json
from peelcheck.compile.durable import DISCRIMINATOR, compile_ruleset
from peelcheck.errors import EngineError
from peelcheck.evaluate import durable_engine, durable_run
from peelcheck.evaluate.reference import ReferenceRule
from peelcheck.load.batch import from_records
from peelcheck.schema.outcomes import Outcome

from .durable_helpers import first_session
from .strategies import RECORD_TYPE
from .test_compile_helpers import make_rule

pytestmark = pytest.mark.skipif(not durable_engine.available(), reason="durable-rules does not import here")
engine = durable_engine._engine
AS_OF = dt.date(2021, 3, 3)


def fnv1a_32(text: str) -> int:
    value = 0x811C9DC5
    for byte in text.encode():
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def raw_matches(definition: dict, facts: list[dict]) -> list[str]:
    """What the bare engine returns for some facts (rule names with the ids they matched)."""
    handle = engine.create_ruleset(f"trap_{id(facts)}_{len(facts)}", json.dumps(definition))
    engine.assert_facts(handle, durable_json.dumps(facts) if facts else "[]")
    out, started = [], engine.start_action(handle)
    while started:
        _, batch, action = started
        while batch:
            out.append(batch)
            batch = engine.complete_and_start_action(handle, action)
        started = engine.start_action(handle)
    engine.delete_ruleset(handle)
    return out


def evaluate(rules, records):
    values = [{"ref": f"r{i}", **r} for i, r in enumerate(records)]
    with first_session(rules, RECORD_TYPE, AS_OF) as session:
        return _evaluate(session, values), values


def _evaluate(session, records):
    outcomes, spilled = session.evaluate(from_records(records, RECORD_TYPE.fields).columns, len(records))
    assert spilled == []
    return outcomes


def test_chunk_fact_ids_never_collide_in_the_32_bit_id_hash():
    assert fnv1a_32("rec-575819") == fnv1a_32("rec-1005674")  # the collision the notes report: same hash
    hashes = {fnv1a_32(str(i)) for i in range(durable_engine.CHUNK)}
    assert len(hashes) == durable_engine.CHUNK


def test_facts_fire_every_matching_rule_not_just_the_first():
    rules = [make_rule({"b1": True}, when=None, index=i) for i in range(5)]
    outcomes, _ = evaluate(rules, [{"b1": True}, {"b1": False}])
    assert outcomes == [[Outcome.COMPLIANT, Outcome.NON_COMPLIANT]] * 5


def test_batch_with_facts_matching_no_rule_loses_nothing():
    rules = [make_rule({"b1": True}, when={"b2": True})]
    records = [{"b1": i % 3 == 0, "b2": i % 2 == 0} for i in range(durable_engine.CHUNK)]
    outcomes, values = evaluate(rules, records)
    assert outcomes[0] == [ReferenceRule(rules[0], AS_OF).outcome(v) for v in values]


def test_bare_exponent_number_drops_the_fact_upstream_but_not_here():
    definition = {"r": {"all": [{"m": {DISCRIMINATOR: 1}}]}}
    fact = '[{"id": "0", "TYPE": 1, "f1": 1e-09}]'
    handle = engine.create_ruleset("trap_exponent", json.dumps(definition))
    engine.assert_facts(handle, fact)
    assert engine.start_action(handle) is None  # upstream: the fact silently vanished
    engine.delete_ruleset(handle)
    assert raw_matches(definition, [{"id": "0", DISCRIMINATOR: 1, "f1": 1e-09}])  # rewritten as 1.0e-09
    outcomes, _ = evaluate([make_rule({"f1": {"at_most": 1e-08}})], [{"f1": 1e-09}, {"f1": 1e16}])
    assert outcomes == [[Outcome.COMPLIANT, Outcome.NON_COMPLIANT]]


def test_exponent_rewrite_never_touches_text_inside_strings():
    tricky = 'a, "f1": 1e5 {"x": 2e3'
    assert json.loads(durable_json.dumps({"s1": tricky, "f1": 1e-9})) == {"s1": tricky, "f1": 1e-9}


def test_missing_field_never_matches_a_literal_comparison():
    ops = {"eq": {"i1": 5}, "neq": {"$neq": {"i1": 5}}, "lt": {"$lt": {"i1": 5}}, "lte": {"$lte": {"i1": 5}},
           "gt": {"$gt": {"i1": 5}}, "gte": {"$gte": {"i1": 5}}}
    definition = {name: {"all": [{"m": {"$and": [{DISCRIMINATOR: 1}, cond]}}]} for name, cond in ops.items()}
    assert raw_matches(definition, [{"id": "0", DISCRIMINATOR: 1}]) == []


def test_missing_other_field_makes_a_field_comparison_true_upstream_but_not_recorded_here():
    definition = {"r": {"all": [{"m": {"$and": [{DISCRIMINATOR: 1}, {"$lte": {"t1": {"$m": "t2"}}}]}}]}}
    assert raw_matches(definition, [{"id": "0", DISCRIMINATOR: 1, "t1": 5}])  # upstream: "5 <= nothing" holds
    outcomes, _ = evaluate([make_rule({"t1": {"at_most": {"field": "t2"}}})], [{"t1": dt.datetime(2021, 1, 1)}])
    assert outcomes == [[Outcome.NOT_RECORDED]]


def test_loose_coercion_cannot_reach_the_engine():
    facts = compile_ruleset([make_rule({"i1": {"at_least": 100}})], RECORD_TYPE, AS_OF)
    definition = facts.definition["r0C"]
    assert raw_matches({"r": definition}, [{"id": "0", DISCRIMINATOR: 1, "i1": "150"}])  # upstream: "150" >= 100
    from peelcheck.schema.records import record_validator
    with pytest.raises(Exception):  # noqa: B017 - pydantic's ValidationError; the row is rejected, not coerced
        record_validator(RECORD_TYPE).validate_python({"ref": "x", "i1": "abc"})
    assert record_validator(RECORD_TYPE).validate_python({"ref": "x", "i1": "150"})["i1"] == 150


def test_every_durable_rule_has_the_discriminator_so_the_state_object_never_matches():
    rules = [make_rule({"b1": {"recorded": False}}), make_rule({"i1": {"recorded": False}}, when={"b2": True}, index=1)]
    compiled = compile_ruleset(rules, RECORD_TYPE, AS_OF)
    for rule in compiled.definition.values():
        condition = json.dumps(rule["all"][0]["m"])
        assert f'"{DISCRIMINATOR}": 1' in condition
    outcomes, _ = evaluate(rules, [{}])
    assert outcomes == [[Outcome.COMPLIANT], [Outcome.NOT_RECORDED]]


def test_compiled_rulesets_never_join_facts():
    rules = [make_rule({"all": [{"t1": {"at_most": {"field": "t2"}}}, {"d1": {"within": {"days": 2, "after": "d2"}}}]})]
    for rule in compile_ruleset(rules, RECORD_TYPE, AS_OF).definition.values():
        assert len(rule["all"]) == 1 and set(rule["all"][0]) == {"m"}


def test_facts_are_retracted_after_each_chunk_and_nothing_survives_the_run():
    rules = [make_rule({"b1": True})]
    session = first_session(rules, RECORD_TYPE, AS_OF)
    first = _evaluate(session, [{"ref": "a", "b1": True}])
    assert json.loads(engine.get_facts(session.handle, "0")) == []
    second = _evaluate(session, [{"ref": "a", "b1": True}])
    assert first == second == [[Outcome.COMPLIANT]]
    session.close()
    assert session.handle is None


def test_a_fact_the_engine_loses_is_an_error_not_a_silent_outcome(monkeypatch):
    rules = [make_rule({"b1": True})]
    session = first_session(rules, RECORD_TYPE, AS_OF)
    build = session.build_facts
    session.build_facts = lambda columns, n: ([{**f, "id": "0"} for f in build(columns, n)[0]], [])  # one kept
    with pytest.raises(EngineError) as caught:
        _evaluate(session, [{"ref": "a", "b1": True}, {"ref": "b", "b1": False}])
    assert caught.value.diagnostics[0].code == "engine-fault"
    session.close()


def test_conditions_past_the_expression_limit_fall_back_and_stay_exact():
    deep = {"b1": True}
    for _ in range(6):
        deep = {"all": [deep, {"any": [{"i1": {"at_least": 1}}, {"b2": False}]}]}
    rule = make_rule(deep, when={"any": [{"t1": {"at_most": {"field": "t2"}}}, {"d1": {"recorded": True}}]})
    records = [{"b1": True, "i1": 2, "t1": dt.datetime(2021, 1, 1)}, {"b2": False}, {}, {"d1": dt.date(2021, 1, 1)}]
    outcomes, values = evaluate([rule], records)
    assert outcomes[0] == [ReferenceRule(rule, AS_OF).outcome(v) for v in values]


def test_python_engine_is_used_where_durable_rules_cannot_be_imported(monkeypatch):
    from peelcheck.pipeline import Engine, choose_engine
    monkeypatch.setattr(durable_engine, "_engine", None)
    assert choose_engine(Engine.DURABLE) is Engine.PYTHON


def test_a_result_echo_in_another_shape_is_decoded_not_skipped():
    """Matches are read by a pattern over the echoed facts; one whose id is not first is still counted."""
    rule = make_rule({"b1": True}, when=None, index=0)
    with first_session([rule], RECORD_TYPE, AS_OF) as session:
        name = next(n for n, (_, code) in session.compiled.names.items() if code == "N")
        found = [{code: set() for code in "CNRA"}]
        batch = json.dumps({name: [{"m": {"id": "0", "b1": False}}, {"m": {"b1": False, "id": "2"}}]},
                           separators=(",", ":"))  # compact, as the engine echoes the facts it was given
        durable_run._record(batch, session.compiled.names, found, [])
    assert found[0]["N"] == {"0", "2"}
