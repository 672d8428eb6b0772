"""Facts and rulesets written by compile.durable_json reach durable-rules exactly: every float in
every form the encoder writes it (exponent with and without fraction, denormals, the largest
double, negative zero), compared by the real engine against its neighbours."""

from __future__ import annotations

import json
import math
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from peelcheck.compile import durable_json
from peelcheck.compile.durable import DISCRIMINATOR
from peelcheck.evaluate import durable_engine
from peelcheck.schema.outcomes import Outcome

from .test_compile_helpers import make_rule
from .test_durable_traps import engine, evaluate

pytestmark = pytest.mark.skipif(not durable_engine.available(), reason="durable-rules does not import here")
AWKWARD = [1e-09, -1e-09, 1e-7, 1.5e-07, 1e16, -1e16, 1e22, 2.5e25, 1.2345678901234568e17, 1e15, 5e-324, -5e-324,
           2.2250738585072014e-308, 1.7976931348623157e308, -1.7976931348623157e308, 0.1, 100.0, 0.0, -0.0, 3.0e-5]


def _rule(name: str, test: dict) -> dict:
    return {name: {"all": [{"m": {"$and": [{DISCRIMINATOR: 1}, test]}}]}}


def _fired(value: float) -> set[str]:
    """Which of equal / below the next double up / above the next double down hold in the engine,
    for a fact holding ``value``, the rules' literals written by the same encoder."""
    up, down = math.nextafter(value, math.inf), math.nextafter(value, -math.inf)
    definition = {**_rule("eq", {"f1": value}), **_rule("seen", {DISCRIMINATOR: 1})}
    if math.isfinite(up):
        definition.update({**_rule("lt", {"$lt": {"f1": up}}), **_rule("ne_up", {"$neq": {"f1": up}})})
    if math.isfinite(down):
        definition.update(_rule("gt", {"$gt": {"f1": down}}))
    handle = engine.create_ruleset(f"floats_{abs(hash(value))}", durable_json.dumps(definition))
    try:
        engine.assert_facts(handle, durable_json.dumps([{"id": "0", DISCRIMINATOR: 1, "f1": value}]))
        fired, started = set(), engine.start_action(handle)
        while started:
            _, batch, action = started
            while batch:
                fired.add(next(iter(json.loads(batch))))
                batch = engine.complete_and_start_action(handle, action)
            started = engine.start_action(handle)
    finally:
        engine.delete_ruleset(handle)
    return fired


@pytest.mark.parametrize("value", AWKWARD, ids=repr)
def test_awkward_floats_reach_the_engine_exactly(value):
    expected = {"eq", "seen", "lt", "ne_up", "gt"} - ({"lt", "ne_up"} if value == 1.7976931348623157e308 else set())
    expected -= {"gt"} if value == -1.7976931348623157e308 else set()
    assert _fired(value) == expected


@settings(max_examples=200, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
@example(1e-9)
@example(1e300)
@example(-2e-300)
def test_any_finite_float_reaches_the_engine_exactly(value):
    assert {"eq", "seen"} <= _fired(value)
    assert "lt" in _fired(value) or not math.isfinite(math.nextafter(value, math.inf))


def test_written_text_is_compact_and_reads_back_as_the_same_values():
    facts = [{"id": str(i), DISCRIMINATOR: 1, "f1": v} for i, v in enumerate(AWKWARD)]
    text = durable_json.dumps(facts)
    assert json.loads(text) == facts
    assert text.startswith('[{"id":"0","TYPE":1,"f1":')  # compact, id first: the match echo is read in this shape
    assert not re.search(r"(?<![.\d])\d+[eE]", text)  # every exponent follows a fraction
    tricky = 'a, "f1": 1e5 {"x": 2e3 é'
    assert json.loads(durable_json.dumps({"s1": tricky, "f1": 1e-9})) == {"s1": tricky, "f1": 1e-9}


def test_float_literals_and_facts_compare_exactly_through_a_session():
    tiny, huge = 1e-9, 1e16
    rule = make_rule({"f1": {"at_most": tiny}})
    outcomes, _ = evaluate([rule], [{"f1": tiny}, {"f1": math.nextafter(tiny, 1)}, {"f1": huge}, {"f1": -huge}])
    assert outcomes == [[Outcome.COMPLIANT, Outcome.NON_COMPLIANT, Outcome.NON_COMPLIANT, Outcome.COMPLIANT]]


def test_a_string_the_encoder_refuses_is_a_refusal_not_a_traceback():
    """A lone surrogate (JSON records can hold one) cannot be written as UTF-8: the session refuses
    the chunk, and its rules are left to the python engine (as when the engine refuses a chunk)."""
    with pytest.raises(durable_json.EncodeError):
        durable_json.dumps([{"id": "0", "s1": "\ud800"}])
    with pytest.raises(durable_engine.Refused):
        evaluate([make_rule({"s1": "x"})], [{"s1": "\ud800"}])
