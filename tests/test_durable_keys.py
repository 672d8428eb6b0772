"""Short fact keys (compile.durable_keys) and the outcome left unnamed: durable-rules is given less
text and fewer matches, and still every outcome of the reference evaluator."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from peelcheck.compile.durable import DISCRIMINATOR, compile_ruleset
from peelcheck.compile.durable_keys import aliases, with_short_keys
from peelcheck.errors import EngineError
from peelcheck.evaluate import durable_checked, durable_engine
from peelcheck.evaluate.durable_checked import CheckedDurable
from peelcheck.evaluate.durable_engine import DurablePlan
from peelcheck.evaluate.generated import generate
from peelcheck.evaluate.reference import ReferenceRule
from peelcheck.load.batch import from_records

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
               {"d1": dt.date(2021, 1, 3), "d2": dt.date(2021, 1, 1)},
               {"d1": dt.date(2021, 1, 4), "d2": dt.date(2021, 1, 1)},
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


@pytest.mark.parametrize("in_child", ["1", "0"])
@pytest.mark.parametrize("unnamed", ["C", "A", "R"])
def test_the_check_agrees_with_the_python_engine_whichever_outcome_is_unnamed(unnamed, in_child, monkeypatch):
    """The cross-check reads durable-rules' matches as counts and failing codes: the records matching
    none of a rule's durable rules take its unnamed outcome, whichever it is; a changed python answer
    is still a disagreement, whether durable-rules runs in a child process or in this one."""
    monkeypatch.setenv("PEELCHECK_DURABLE_PROCESS", in_child)
    rules = [make_rule({"b1": True}, when={"i1": {"at_least": 1}}),
             make_rule({"t1": {"at_most": {"field": "t2"}}}, index=1)]
    plan = DurablePlan([([0, 1], compile_ruleset(rules, RECORD_TYPE, AS_OF, cap=durable_engine.CHUNK,
                                                 unnamed=[unnamed, unnamed]))])
    monkeypatch.setattr(durable_checked, "plan_rulesets", lambda *_: plan)
    records = [{"ref": str(i), "b1": i % 3 == 0 if i % 5 else None, "i1": i % 4 - 1 if i % 7 else None,
                "t1": dt.datetime(2021, 1, 1 + i % 3) if i % 6 else None, "t2": dt.datetime(2021, 1, 2)}
               for i in range(durable_engine.CHUNK)]
    batch = from_records(records, RECORD_TYPE.fields)
    not_applicable, failing = generate(rules, AS_OF)[1](batch.columns, len(batch))
    checked = CheckedDurable(rules, RECORD_TYPE, AS_OF, [ReferenceRule(r, AS_OF) for r in rules])
    try:
        assert (checked.remote is not None) == (in_child == "1")
        assert checked.check(batch, (not_applicable, failing)) == {}
        checked.finish()
        assert failing[0] and failing[1] and not_applicable[0]
        fewer_not_applicable = [not_applicable[0] - 1, not_applicable[1]]
        for wrong in ((fewer_not_applicable, failing), (not_applicable, [failing[0], failing[1][1:]])):
            checked.check(batch, wrong)  # answered when the next chunk is checked, or at finish
            with pytest.raises(EngineError) as caught:
                checked.finish()
            assert caught.value.diagnostics[0].code == "engine-disagreement"
    finally:
        checked.close()
