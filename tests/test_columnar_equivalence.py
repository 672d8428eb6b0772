"""The columnar engine (rules as SQL in DuckDB) against the reference evaluator, record by record, and
its chunk answer against the python engine's, on random rules in the rule language and random records."""

from __future__ import annotations

import datetime as dt
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peelcheck.compile.sql import COMPLIANT_CODE, NOT_APPLICABLE_CODE
from peelcheck.errors import Location
from peelcheck.evaluate.columnar import ColumnarEvaluator, arrow_columns
from peelcheck.evaluate.generated import generate
from peelcheck.evaluate.reference import ReferenceRule
from peelcheck.load.batch import Batch, from_records
from peelcheck.schema import values as V
from peelcheck.schema.outcomes import NON_COMPLIANT, OUTCOME, WHEN_NOT_RECORDED, Outcome
from peelcheck.schema.pack import FieldType
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


_OFFSETS = st.one_of(st.none(), st.integers(-14 * 60, 14 * 60).map(lambda m: dt.timezone(dt.timedelta(minutes=m))))
_ANY_DATES = st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31))


@settings(max_examples=300, deadline=None)
@given(moments=st.lists(st.one_of(st.none(), st.datetimes(dt.datetime(1, 1, 2), dt.datetime(9999, 12, 30),
                                                          timezones=_OFFSETS)), max_size=8),
       days=st.lists(st.one_of(st.none(), _ANY_DATES), max_size=8),
       lists=st.lists(st.one_of(st.none(), st.lists(_ANY_DATES, max_size=3)), max_size=8))
def test_batches_reach_duckdb_in_the_shared_encodings_from_year_1_to_9999(moments, days, lists):
    """Arrow converts a batch's dates and times for DuckDB in bulk: each value must still be its encoding
    (``schema.values``), before 1970 and with an offset too (an aware time's microseconds in UTC, its day its
    own offset's calendar day)."""
    size = max(len(moments), len(days), len(lists))
    padded = {name: column + [None] * (size - len(column)) for name, column in (("t1", moments), ("d1", days),
                                                                                  ("l1", lists))}
    batch = Batch(padded, [str(i) for i in range(size)], lambda i: Location("x", i))
    kinds = {"t1": FieldType.DATETIME, "d1": FieldType.DATE, "l1": FieldType.DATE_LIST}
    arrays = {name: array.to_pylist() for name, array in arrow_columns(batch, kinds).items()}

    def utc(moment: dt.datetime) -> dt.datetime:
        return moment.astimezone(dt.UTC).replace(tzinfo=None) if moment.tzinfo else moment

    assert arrays["t1"] == [None if m is None else V.micros(utc(m)) for m in padded["t1"]]
    assert arrays["t1__day"] == [None if m is None else m.toordinal() for m in padded["t1"]]
    assert arrays["d1"] == [None if d is None else d.toordinal() for d in padded["d1"]]
    assert arrays["l1"] == [None if v is None else [d.toordinal() for d in v] for v in padded["l1"]]
