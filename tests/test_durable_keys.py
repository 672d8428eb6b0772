"""Short fact keys (compile.durable_keys) and the outcome left unnamed: durable-rules is given less
text and fewer matches, and still every outcome of the reference evaluator."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from peelcheck.compile.durable import DISCRIMINATOR, compile_ruleset
from peelcheck.compile.durable_keys import aliases, with_short_keys
from peelcheck.evaluate import durable_engine
from peelcheck.evaluate.reference import ReferenceRule

from .durable_helpers import first_session
from .strategies import RECORD_TYPE
from .test_compile_helpers import make_rule
from .test_durable_traps import evaluate

pytestmark = pytest.mark.skipif(not durable_engine.available(), reason="durable-rules does not import here")
AS_OF = dt.date(2021, 3, 3)


def test_aliases_are_distinct_short_and_never_the_engines_own_names():
    keys = [f"field_{i}" for i in range(20_000)]
    found = aliases(keys)
    assert len(set(found.values())) == len(keys)
    assert not {"id", "sid", DISCRIMINATOR} & set(found.values())
    assert max(map(len, found.values())) <= 4 and found["field_0"] == "a" and found["field_26"] == "aa"


def test_short_keys_rename_every_fact_key_and_no_literal():
    rules = [make_rule({"s1": "i1"}, when={"t1": {"at_most": {"field": "t2"}}}),
             make_rule({"d1": {"within": {"days": 2, "after": "d2"}}}, index=1)]
    compiled = compile_ruleset(rules, RECORD_TYPE, AS_OF)
    short = with_short_keys(compiled)
    text = json.dumps(short.definition)
    for enc in compiled.encodings:
        assert f'"{enc.key}":' not in text and f'"$m": "{enc.key}"' not in text
    assert '"i1"' in text  # the literal string compared with s1 is left as it is
    assert [e.field for e in short.encodings] == [e.field for e in compiled.encodings]


def test_short_keys_give_the_reference_outcomes_for_field_comparisons_and_windows():
    rules = [make_rule({"s1": "a"}, when={"t1": {"at_most": {"field": "t2"}}}),
             make_rule({"d1": {"within": {"days": 2, "after": "d2"}}}, index=1)]
    records = [{"s1": "a", "t1": dt.datetime(2021, 1, 1), "t2": dt.datetime(2021, 1, 2)},
               {"s1": "b", "t1": dt.datetime(2021, 1, 3), "t2": dt.datetime(2021, 1, 2)},
               {"s1": "b", "t1": dt.datetime(2021, 1, 1), "t2": dt.datetime(2021, 1, 2)},
               {"d1": dt.date(2021, 1, 3), "d2": dt.date(2021, 1, 1)}, {"d1": dt.date(2021, 1, 4), "d2": dt.date(2021, 1, 1)},
               {"d1": dt.date(2021, 1, 4)}, {}]
    outcomes, values = evaluate(rules, records)
    for rule, got in zip(rules, outcomes):
        assert got == [ReferenceRule(rule, AS_OF).outcome(v) for v in values]


def test_a_rule_for_every_record_leaves_compliant_unnamed_and_one_with_when_not_applicable():
    rules = [make_rule({"b1": True}, when=None), make_rule({"b1": True}, when={"b2": True}, index=1)]
    session = first_session(rules, RECORD_TYPE, AS_OF)
    assert session.compiled.unnamed == ["C", "A"]
    assert {code for _, code in session.compiled.names.values()} == {"C", "N", "R"}
    assert sorted(code for index, code in session.compiled.names.values() if index == 0) == ["N", "R"]
    session.close()
    outcomes, values = evaluate(rules, [{"b1": True, "b2": True}, {"b1": False}, {"b2": False}, {}])
    for rule, got in zip(rules, outcomes):
        assert got == [ReferenceRule(rule, AS_OF).outcome(v) for v in values]
