"""The plain-Python evaluator: the oracle for the durable-rules engine, and ``--engine python``.

Three-valued (Kleene) logic: each test is True, False or None (unknown, because a field it reads
is not recorded). ``all`` is False if any part is False, else unknown if any part is unknown;
``any`` is True if any part is True, else unknown if any is unknown; ``not`` swaps True and False.

Outcome of a rule for a record: ``when`` False -> not applicable; ``when`` unknown -> not
recorded; otherwise ``expect`` True -> compliant, False -> non-compliant, unknown -> not recorded.
A count rule has no ``expect``: a record it applies to is compliant (it counts).
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from typing import Any, cast

from peelcheck.compile.check import CompiledRule
from peelcheck.schema import values as V
from peelcheck.schema.calendar_months import within_months
from peelcheck.schema.conditions import (
    ASSESSMENT_DATE,
    All,
    AnyOf,
    Compare,
    Condition,
    FieldRef,
    ListCount,
    LongestGap,
    Not,
    Op,
    Recorded,
    Within,
)
from peelcheck.schema.outcomes import Outcome
from peelcheck.schema.working_days import is_working_day, working_day_number, working_days_until

Record = dict[str, Any]
Truth = bool | None
Test = Callable[[Record], Truth]

_CMP: dict[Op, Callable[[Any, Any], bool]] = {
    Op.EQ: operator.eq, Op.NE: operator.ne, Op.LT: operator.lt, Op.LE: operator.le, Op.GT: operator.gt,
    Op.GE: operator.ge,
    Op.IN: lambda a, b: a in b, Op.NOT_IN: lambda a, b: a not in b,
}


def _same_grain(a: Any, b: Any) -> tuple[Any, Any]:
    """A date compared with a datetime is compared by calendar day."""
    if V.is_date_only(a) != V.is_date_only(b) and isinstance(a, dt.date) and isinstance(b, dt.date):
        return V.day_number(a), V.day_number(b)
    return a, b


def _compare(cond: Compare) -> Test:
    name, fn, value = cond.field, _CMP[cond.op], cond.value
    if isinstance(value, FieldRef):
        other = value.name

        def field_test(r: Record) -> Truth:
            a, b = r.get(name), r.get(other)
            if a is None or b is None:
                return None
            return fn(*_same_grain(a, b))
        return field_test

    def literal_test(r: Record) -> Truth:
        a = r.get(name)
        return None if a is None else fn(a, value)
    return literal_test


def _in_order(earlier: Any, later: Any) -> bool:
    """Later not before earlier: to the microsecond for two datetimes, else by calendar day."""
    if V.is_date_only(earlier) or V.is_date_only(later):
        return V.day_number(later) >= V.day_number(earlier)
    return bool(later >= earlier)


def _calendar_window(cond: Within, as_of: dt.date, near: Callable[[Any, Any], bool]) -> Test:
    """Later not before earlier (``_in_order``), and the value ``near`` enough to the reference (both
    given, value first) by a calendar's count: working days or months."""
    name, ref, after = cond.field, cond.ref, cond.direction == "after"

    def test(r: Record) -> Truth:
        x = r.get(name)
        y = as_of if ref == ASSESSMENT_DATE else r.get(ref)
        if x is None or y is None:
            return None
        earlier, later = (y, x) if after else (x, y)
        return _in_order(earlier, later) and near(x, y)
    return test


def _within_working_days(cond: Within, as_of: dt.date) -> Test:
    """At most the window's working days, counted from the earlier's day to the later's."""
    limit, after = cond.amount, cond.direction == "after"
    return _calendar_window(cond, as_of, lambda x, y: working_days_until(*((y, x) if after else (x, y))) <= limit)


def _within_working_days_by(cond: Within) -> Test:
    """Not before the reference (to the microsecond), and counting as a working day before the last one,
    W(reference's day) + N, or as that day at most at ``by``: a value on a day off counts as the next
    working day, before it starts."""
    name, ref, limit, by = cond.field, cond.ref, cond.amount, cond.by

    def test(r: Record) -> Truth:
        x, y = r.get(name), r.get(ref)
        if x is None or y is None:
            return None
        if x < y:
            return False
        last = working_day_number(y.toordinal()) + limit
        counted = working_day_number(x.toordinal() - 1) + 1  # the working day x counts as
        if counted != last:
            return counted < last
        return not is_working_day(x.date()) or x.time() <= by
    return test


def _within_months(cond: Within, as_of: dt.date) -> Test:
    """The value's day no further from the reference's day than the reference's day moved by the
    window's months (the day of the month kept, or the month's last day)."""
    months, after = cond.months, cond.direction == "after"
    return _calendar_window(cond, as_of, lambda x, y: within_months(V.day_number(x), V.day_number(y), months, after))


def _within(cond: Within, as_of: dt.date) -> Test:
    if cond.by is not None:
        return _within_working_days_by(cond)
    if cond.in_working_days:
        return _within_working_days(cond, as_of)
    if cond.in_months:
        return _within_months(cond, as_of)
    name, ref, bound = cond.field, cond.ref, V.window_micros(cond.seconds)
    sign = 1 if cond.direction == "after" else -1

    def test(r: Record) -> Truth:
        x = r.get(name)
        y = as_of if ref == ASSESSMENT_DATE else r.get(ref)
        if x is None or y is None:
            return None
        if V.is_date_only(x) or V.is_date_only(y):
            diff = (V.day_number(x) - V.day_number(y)) * V.MICROS_PER_DAY
        else:
            diff = V.micros(cast(dt.datetime, x)) - V.micros(cast(dt.datetime, y))
        return 0 <= sign * diff <= bound
    return test


def _list_measure(cond: ListCount | LongestGap) -> Test:
    if isinstance(cond, LongestGap) and cond.from_field is not None:
        return _gap_from(cond, cond.from_field)
    name, fn, value = cond.field, _CMP[cond.op], cond.value
    measure: Callable[[list[dt.date]], int] = len if isinstance(cond, ListCount) else V.longest_gap_days

    def test(r: Record) -> Truth:
        dates = r.get(name)
        return None if dates is None else fn(measure(dates), value)
    return test


def _gap_from(cond: LongestGap, start: str) -> Test:
    """The longest gap of the list's days and ``start``'s day together; unknown if either is not recorded."""
    name, fn, value = cond.field, _CMP[cond.op], cond.value

    def test(r: Record) -> Truth:
        dates, first = r.get(name), r.get(start)
        if dates is None or first is None:
            return None
        return fn(V.longest_gap_days_from(dates, first), value)
    return test


def compile_test(cond: Condition, as_of: dt.date) -> Test:
    """A condition as a Python function of one record returning True, False or None."""
    if isinstance(cond, All):
        parts = [compile_test(c, as_of) for c in cond.children]

        def all_test(r: Record) -> Truth:
            unknown = False
            for part in parts:
                v = part(r)
                if v is False:
                    return False
                if v is None:
                    unknown = True
            return None if unknown else True
        return all_test
    if isinstance(cond, AnyOf):
        parts = [compile_test(c, as_of) for c in cond.children]

        def any_test(r: Record) -> Truth:
            unknown = False
            for part in parts:
                v = part(r)
                if v is True:
                    return True
                if v is None:
                    unknown = True
            return None if unknown else False
        return any_test
    if isinstance(cond, Not):
        inner = compile_test(cond.child, as_of)

        def not_test(r: Record) -> Truth:
            v = inner(r)
            return None if v is None else not v
        return not_test
    if isinstance(cond, Recorded):
        name, want = cond.field, cond.recorded
        return lambda r: (r.get(name) is not None) is want
    if isinstance(cond, Compare):
        return _compare(cond)
    if isinstance(cond, Within):
        return _within(cond, as_of)
    if isinstance(cond, (ListCount, LongestGap)):
        return _list_measure(cond)
    raise TypeError(f"unknown condition {cond!r}")


class ReferenceRule:
    """One compiled rule, ready to give the outcome for any record."""

    def __init__(self, compiled: CompiledRule, as_of: dt.date) -> None:
        self.compiled = compiled
        self.when = compile_test(compiled.when, as_of) if compiled.when is not None else None
        self.expect = compile_test(compiled.expect, as_of) if compiled.expect is not None else None

    def outcome(self, record: Record) -> Outcome:
        if self.when is not None:
            applies = self.when(record)
            if applies is False:
                return Outcome.NOT_APPLICABLE
            if applies is None:
                return Outcome.NOT_RECORDED
        if self.expect is None:
            return Outcome.COMPLIANT
        holds = self.expect(record)
        if holds is None:
            return Outcome.NOT_RECORDED
        return Outcome.COMPLIANT if holds else Outcome.NON_COMPLIANT
