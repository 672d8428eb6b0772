"""The columnar engine (rules as SQL in DuckDB) against the reference evaluator, record by record, and
its chunk answer against the python engine's, on random rules in the rule language and random records."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peelcheck.compile.sql import COMPLIANT_CODE, NOT_APPLICABLE_CODE
from peelcheck.evaluate.columnar import ColumnarEvaluator
from peelcheck.evaluate.generated import generate
from peelcheck.evaluate.reference import ReferenceRule
from peelcheck.load.batch import from_records
from peelcheck.schema.outcomes import NON_COMPLIANT, OUTCOME, WHEN_NOT_RECORDED, Outcome
from peelcheck.schema.records import record_validator

from .strategies import (
    AS_OFS,
    MONTH_END_AS_OFS,
    RECORD_TYPE,
    calendar_records,
    month_end_records,
    month_rulesets,
    records,
    rulesets,
    working_day_rulesets,
)

EXAMPLES = int(os.environ.get("PEELCHECK_EQUIVALENCE_EXAMPLES", "2000"))
# The 2,000 general examples draw windows in working days (by a time of day too), months and years; these
# add dates packed round Easter 2021, and round month ends and 29 February 2028. Each engine's bounds are
# guarded one by one in test_working_day_windows, test_working_day_by and test_calendar_month_windows,
# so 200 each keep CI under ten minutes.
CALENDAR_EXAMPLES = int(os.environ.get("PEELCHECK_CALENDAR_EXAMPLES", "200"))
VALIDATOR = record_validator(RECORD_TYPE)


def outcome(code: int) -> Outcome:
    if code == NOT_APPLICABLE_CODE:
        return Outcome.NOT_APPLICABLE
    return Outcome.COMPLIANT if code == COMPLIANT_CODE else OUTCOME[code]


@settings(max_examples=EXAMPLES, deadline=None, derandomize=bool(os.environ.get("CI")),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(rules=rulesets(), rows=st.lists(records(), min_size=1, max_size=12), as_of=AS_OFS)
def test_columnar_engine_agrees_with_reference(rules, rows, as_of):
    assert_columnar_agrees(rules, rows, as_of)


@settings(max_examples=CALENDAR_EXAMPLES, deadline=None, derandomize=bool(os.environ.get("CI")),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(rules=working_day_rulesets(), rows=st.lists(calendar_records(), min_size=1, max_size=12), as_of=AS_OFS)
def test_columnar_engine_agrees_on_working_days_over_weekends_and_bank_holidays(rules, rows, as_of):
    assert_columnar_agrees(rules, rows, as_of)


@settings(max_examples=CALENDAR_EXAMPLES, deadline=None, derandomize=bool(os.environ.get("CI")),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(rules=month_rulesets(), rows=st.lists(month_end_records(), min_size=1, max_size=12), as_of=MONTH_END_AS_OFS)
def test_columnar_engine_agrees_on_months_and_years_round_month_ends_and_29_february(rules, rows, as_of):
    assert_columnar_agrees(rules, rows, as_of)


def assert_columnar_agrees(rules, rows, as_of):
    values = [VALIDATOR.validate_python({"ref": f"r{i}", **row}) for i, row in enumerate(rows)]
    batch = from_records(values, RECORD_TYPE.fields)
    engine = ColumnarEvaluator(rules, RECORD_TYPE, as_of)
    try:
        per_rule = engine.codes(batch)
        for k, index in enumerate(engine.in_sql):  # every outcome, compliant and not applicable included
            reference = ReferenceRule(rules[index], as_of)
            assert [outcome(c) for c in per_rule[k]] == [reference.outcome(v) for v in values], \
                (rules[index].rule.spec.when, rules[index].rule.spec.expect, values)
            for v, code in zip(values, per_rule[k]):  # a "when" not recorded is told apart from an "expect" one
                if code >= 0 and code != NON_COMPLIANT:
                    assert (code == WHEN_NOT_RECORDED) == (reference.when is not None and reference.when(v) is None)
        # the chunk answer is the python engine's, count for count and failure for failure
        assert engine(batch) == generate(rules, as_of)[1](batch.columns, len(batch))
    finally:
        engine.close()
