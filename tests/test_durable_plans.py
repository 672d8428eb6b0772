"""Planning a record type's rulesets once per process: a plan made again for the same rules is the same,
and what one run changes in its plan (a ruleset dropped when durable-rules refuses its facts) is not
seen by the next run."""

from __future__ import annotations

import datetime as dt

import pytest

from peelcheck.compile.pack_check import load_compiled_pack
from peelcheck.evaluate import durable_engine
from peelcheck.evaluate.durable_engine import plan_rulesets

from .pack_factory import rule_spec, write_pack

pytestmark = pytest.mark.skipif(not durable_engine.available(), reason="durable-rules does not import here")
AS_OF = dt.date(2022, 4, 1)


def _rules(tmp_path):
    pack = load_compiled_pack(write_pack(tmp_path, [rule_spec(0, {"s1": "hello"}), rule_spec(1, {"b1": True})]))
    return pack.rules, pack.rules[0].record_type


def test_a_plan_changed_by_one_run_is_whole_for_the_next(tmp_path):
    rules, record_type = _rules(tmp_path)
    first = plan_rulesets(rules, record_type, AS_OF)
    assert first.groups and not first.python
    groups = list(first.groups)
    del first.groups[0]
    first.python[0] = "durable-rules refused its record type's facts"
    again = plan_rulesets(rules, record_type, AS_OF)
    assert again.groups == groups and again.python == {}


def test_other_rules_or_another_date_are_planned_afresh(tmp_path):
    rules, record_type = _rules(tmp_path)
    whole = plan_rulesets(rules, record_type, AS_OF)
    assert [positions for positions, _ in plan_rulesets(rules[1:], record_type, AS_OF).groups] == [[0]]
    later = plan_rulesets(rules, record_type, AS_OF + dt.timedelta(days=1))
    assert later.groups[0][1] is not whole.groups[0][1]
    assert plan_rulesets(rules, record_type, AS_OF).groups[0][1] is whole.groups[0][1]
