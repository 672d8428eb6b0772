"""The oracle: durable-rules, the generated python engine and the reference evaluator give the same
outcome for every (rule, record) pair, on random rules in the rule language and random records."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peelcheck.evaluate import durable_engine
from peelcheck.evaluate.chunk_result import outcomes
from peelcheck.evaluate.generated import generate
from peelcheck.evaluate.reference import ReferenceRule
from peelcheck.evaluate.runner import Engine, TypeEvaluation
from peelcheck.load.batch import from_records
from peelcheck.schema.outcomes import NON_COMPLIANT, WHEN_NOT_RECORDED, Outcome
from peelcheck.schema.records import record_validator

from .durable_helpers import durable_outcomes
from .strategies import (
    AS_OFS,
    MONTH_END_AS_OFS,
    RECORD_TYPE,
    calendar_records,
    edge_records,
    edge_rulesets,
    month_end_records,
    month_rulesets,
    records,
    rulesets,
    working_day_rulesets,
)

EXAMPLES = int(os.environ.get("PEELCHECK_EQUIVALENCE_EXAMPLES", "2000"))
EDGE_EXAMPLES = int(os.environ.get("PEELCHECK_EDGE_EXAMPLES", "100"))
# The 2,000 general examples draw windows in working days (by a time of day too), months and years; these
# add dates packed round Easter 2021, and round month ends and 29 February 2028. Each engine's bounds are
# guarded one by one in test_working_day_windows, test_working_day_by and test_calendar_month_windows,
# so 200 each keep CI under ten minutes.
CALENDAR_EXAMPLES = int(os.environ.get("PEELCHECK_CALENDAR_EXAMPLES", "200"))
VALIDATOR = record_validator(RECORD_TYPE)

pytestmark = pytest.mark.skipif(not durable_engine.available(), reason="durable-rules does not import here")


# CI runs a fixed sequence (a landing must not depend on luck); elsewhere each run explores anew.
EQUIVALENCE = settings(max_examples=EXAMPLES, deadline=None, derandomize=bool(os.environ.get("CI")),
                       suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@EQUIVALENCE
@given(rules=rulesets(), rows=st.lists(records(), min_size=1, max_size=12), as_of=AS_OFS)
def test_durable_engine_agrees_with_reference(rules, rows, as_of):
    values = [VALIDATOR.validate_python({"ref": f"r{i}", **row}) for i, row in enumerate(rows)]
    assert_every_outcome_agrees(rules, values, as_of)


@settings(max_examples=EDGE_EXAMPLES, deadline=None, derandomize=bool(os.environ.get("CI")),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(rules=edge_rulesets(), rows=st.lists(edge_records(), min_size=1, max_size=8), as_of=AS_OFS)
def test_engines_agree_past_durable_rules_limits(rules, rows, as_of):
    """Long strings, integers past 64 bits, in-lists past 512, deep nesting, hundreds of rules per
    type: every outcome agrees, and a run (durable-rules held to the python engine) gives the counts."""
    values = [VALIDATOR.validate_python({"ref": f"r{i}", **row}) for i, row in enumerate(rows)]
    expected = assert_every_outcome_agrees(rules, values, as_of)
    evaluation = TypeEvaluation(RECORD_TYPE, rules, Engine.DURABLE, as_of)
    try:
        evaluation.feed([from_records(values, RECORD_TYPE.fields)])
    finally:
        evaluation.close()
    for tally, seen in zip(evaluation.tallies, expected):
        assert (tally.applicable, tally.compliant, tally.non_compliant, tally.not_recorded) == (
            len(seen) - seen.count(Outcome.NOT_APPLICABLE), seen.count(Outcome.COMPLIANT),
            seen.count(Outcome.NON_COMPLIANT), seen.count(Outcome.NOT_RECORDED))


@settings(EQUIVALENCE, max_examples=CALENDAR_EXAMPLES)
@given(rules=working_day_rulesets(), rows=st.lists(calendar_records(), min_size=1, max_size=12), as_of=AS_OFS)
def test_engines_agree_on_working_days_over_weekends_and_bank_holidays(rules, rows, as_of):
    values = [VALIDATOR.validate_python({"ref": f"r{i}", **row}) for i, row in enumerate(rows)]
    assert_every_outcome_agrees(rules, values, as_of)


@settings(EQUIVALENCE, max_examples=CALENDAR_EXAMPLES)
@given(rules=month_rulesets(), rows=st.lists(month_end_records(), min_size=1, max_size=12), as_of=MONTH_END_AS_OFS)
def test_engines_agree_on_months_and_years_round_month_ends_and_29_february(rules, rows, as_of):
    values = [VALIDATOR.validate_python({"ref": f"r{i}", **row}) for i, row in enumerate(rows)]
    assert_every_outcome_agrees(rules, values, as_of)


def assert_every_outcome_agrees(rules, values, as_of):
    """durable-rules, the python engine and the reference give the same outcome for every (rule, record)."""
    durable, plan = durable_outcomes(rules, RECORD_TYPE, as_of, values)
    evaluate = generate(rules, as_of)[1]
    # record by record, so every outcome shows (a chunk counts compliant and not applicable records)
    alone = [evaluate(from_records([v], RECORD_TYPE.fields).columns, 1) for v in values]
    every = []
    for k, (rule, from_durable) in enumerate(zip(rules, durable)):
        reference = ReferenceRule(rule, as_of)
        expected = [reference.outcome(v) for v in values]
        every.append(expected)
        if from_durable is None:  # left to the python engine, with a reason the run states
            assert plan.python[k]
        else:  # a record left out of durable-rules' facts is decided by the reference in a run
            assert [o or e for o, e in zip(from_durable, expected)] == expected, \
                ("durable", rule.rule.spec.when, rule.rule.spec.expect, values)
        generated = [outcomes(1, not_applicable[k], codes[k])[0] for not_applicable, codes in alone]
        assert generated == expected, ("generated", rule.rule.spec.when, rule.rule.spec.expect, values)
        for v, (_, codes) in zip(values, alone):  # a "when" not recorded is told apart from an "expect" one
            if codes[k] and codes[k][0] & 3 != NON_COMPLIANT:
                when_unknown = reference.when is not None and reference.when(v) is None
                assert (codes[k][0] & 3 == WHEN_NOT_RECORDED) == when_unknown
    # the whole chunk at once: the same counts, and the same failures at their positions
    batch = from_records(values, RECORD_TYPE.fields)
    not_applicable, failing = evaluate(batch.columns, len(batch))
    for k in range(len(rules)):
        assert not_applicable[k] == sum(one[0][k] for one in alone)
        assert failing[k] == [i << 2 | code & 3 for i, one in enumerate(alone) for code in one[1][k]]
    return every
