"""Rules as SQL: each rule one expression giving a record's outcome code, for the columnar engine.

SQL's NULL logic is the rule language's three-valued logic: a test reading a field that is not
recorded is NULL (unknown), ``AND``/``OR``/``NOT`` combine unknowns as ``all``/``any``/``not``
do. Temporal values travel as integers, the same encodings both other engines compare
(``schema.values``): a date as its day number, a datetime as microseconds since 1970 (with its
day number beside it, for comparisons with dates), a duration as microseconds, a list of dates as
a list of day numbers. So no engine meets a time zone, a float or a calendar rule of DuckDB's, but
one: a window in calendar months moves a day number by DuckDB's month arithmetic (``shifted_day``),
which keeps the day of the month or takes the month's last day, as ``schema.calendar_months`` does
(tested day by day).

The outcome codes are the failure kinds of ``schema.outcomes``, as the engines write them (0
non-compliant, 1 not recorded in ``expect``, 2 not recorded in ``when``), with -1 for not applicable
and -2 for compliant.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from peelcheck.compile import sql_working_days
from peelcheck.compile.check import CompiledRule
from peelcheck.schema import values as V
from peelcheck.schema.calendar_months import shifted_day as python_shifted_day
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
    referenced_fields,
)
from peelcheck.schema.outcomes import NON_COMPLIANT, NOT_RECORDED, WHEN_NOT_RECORDED
from peelcheck.schema.pack import FieldType, RecordTypeSpec
from peelcheck.schema.working_days import working_day_number

NOT_APPLICABLE_CODE, COMPLIANT_CODE = -1, -2
INT64 = (-(2**63), 2**63 - 1)
_WINDOW_CAP = 2**62  # past any difference of two representable datetimes: clamping cannot change an answer
_SYMBOLS = {Op.EQ: "=", Op.NE: "<>", Op.LT: "<", Op.LE: "<=", Op.GT: ">", Op.GE: ">=", Op.IN: "IN",
            Op.NOT_IN: "NOT IN"}


class NotExpressible(ValueError):
    """A rule SQL cannot hold exactly (an integer literal past 64 bits): it runs on the python engine."""


def column(name: str, grain: str = "") -> str:
    """The quoted SQL name of a field's column (``grain`` "day" names a datetime's day-number column)."""
    return '"' + (f"{name}__{grain}" if grain else name).replace('"', '""') + '"'


def literal(value: Any) -> str:
    """A typed rule literal as SQL, in the engines' shared integer encodings."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        if not INT64[0] <= value <= INT64[1]:
            raise NotExpressible(f"the integer {value} does not fit in 64 bits")
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else f"CAST('{value}' AS DOUBLE)"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, dt.datetime):
        return str(V.micros(value))
    if isinstance(value, dt.date):
        return str(V.day_number(value))
    if isinstance(value, dt.timedelta):
        return str(V.duration_micros(value))
    raise NotExpressible(f"no SQL form for {value!r}")


class SqlWriter:
    """Writes one record type's conditions as SQL over its columns."""

    def __init__(self, record_type: RecordTypeSpec, as_of: dt.date) -> None:
        self.types = {name: spec.type for name, spec in record_type.fields.items()}
        self.as_of = as_of
        self.sorted: list[str] = []  # list fields whose sorted form a rule reads (see ``source``)
        # working-day and moved day number columns a rule reads, and lists sorted with a ``from`` day, and their SQL
        self.numbered: dict[str, str] = {}

    def source(self, relation: str) -> str:
        """The relation the outcomes read: ``relation`` with each list field a rule needs sorted, sorted
        once per record (a lambda reading ``list_sort(...)`` would sort it again for every element), and
        each working-day number, day moved by months or list sorted with a ``from`` field's day a rule
        needs, worked out once per record."""
        if not self.sorted and not self.numbered:
            return relation
        made = [f"list_sort({column(name)}) AS {column(name, 'sorted')}" for name in self.sorted]
        made += [f"{sql} AS {named}" for named, sql in self.numbered.items()]
        return f"(SELECT *, {', '.join(made)} FROM {relation})"

    def expr(self, cond: Condition) -> str:
        if isinstance(cond, (All, AnyOf)):
            joiner = " AND " if isinstance(cond, All) else " OR "
            return "(" + joiner.join(self.expr(c) for c in cond.children) + ")"
        if isinstance(cond, Not):
            return f"(NOT {self.expr(cond.child)})"
        if isinstance(cond, Recorded):
            return f"({column(cond.field)} IS {'NOT ' if cond.recorded else ''}NULL)"
        if isinstance(cond, Compare):
            return self._compare(cond)
        if isinstance(cond, Within):
            return self._within(cond)
        if isinstance(cond, ListCount):
            return f"(len({column(cond.field)}) {_SYMBOLS[cond.op]} {literal(cond.value)})"
        if isinstance(cond, LongestGap) and cond.from_field is not None:
            return f"({_longest_gap(self._sorted_from(cond.field, cond.from_field))} {_SYMBOLS[cond.op]} " \
                   f"{literal(cond.value)})"
        if isinstance(cond, LongestGap):
            if cond.field not in self.sorted:
                self.sorted.append(cond.field)
            return f"({_longest_gap(column(cond.field, 'sorted'))} {_SYMBOLS[cond.op]} {literal(cond.value)})"
        raise TypeError(cond)

    def _compare(self, cond: Compare) -> str:
        left, symbol = column(cond.field), _SYMBOLS[cond.op]
        if isinstance(cond.value, FieldRef):
            mine, theirs = self.types[cond.field], self.types[cond.value.name]
            right = column(cond.value.name)
            if {mine, theirs} == {FieldType.DATE, FieldType.DATETIME}:  # a date meets a datetime on its day
                left = column(cond.field, "day") if mine is FieldType.DATETIME else left
                right = column(cond.value.name, "day") if theirs is FieldType.DATETIME else right
            return f"({left} {symbol} {right})"
        if cond.op in (Op.IN, Op.NOT_IN):
            return f"({left} {symbol} ({', '.join(literal(v) for v in cond.value)}))"
        return f"({left} {symbol} {literal(cond.value)})"

    def _within(self, cond: Within) -> str:
        if cond.by is not None:
            return self._working_days_by(cond)
        by_day = (cond.ref == ASSESSMENT_DATE or self.types[cond.field] is FieldType.DATE
                  or self.types[cond.ref] is FieldType.DATE)
        if cond.in_working_days:
            return self._working_days(cond, by_day)
        if cond.in_months:
            return self._months(cond, by_day)
        if by_day:
            x = self._day(cond.field)
            y = str(V.day_number(self.as_of)) if cond.ref == ASSESSMENT_DATE else self._day(cond.ref)
            diff = f"(({x} - {y}) * {V.MICROS_PER_DAY})"
        else:
            diff = f"({column(cond.field)} - {column(cond.ref)})"
        signed = diff if cond.direction == "after" else f"(-{diff})"
        bound = min(V.window_micros(cond.seconds), _WINDOW_CAP)
        return f"({signed} BETWEEN 0 AND {bound})"

    def _working_days(self, cond: Within, by_day: bool) -> str:
        """In order (as a window in days judges it), and W(later's eve) + 1 - W(earlier) <= N."""
        after, as_of = cond.direction == "after", V.day_number(self.as_of)
        x, y = (self._day(cond.field), self._day(cond.ref) if cond.ref != ASSESSMENT_DATE else str(as_of)) \
            if by_day else (column(cond.field), column(cond.ref))
        mine = self._numbered(cond.field, eve=after)
        if cond.ref == ASSESSMENT_DATE:
            theirs = str(working_day_number(as_of if after else as_of - 1))
        else:
            theirs = self._numbered(cond.ref, eve=not after)
        later, earlier = (mine, theirs) if after else (theirs, mine)
        return f"(({x} {'>=' if after else '<='} {y}) AND ({later} + 1 - {earlier} <= {int(cond.amount)}))"

    def _working_days_by(self, cond: Within) -> str:
        """Two datetimes in order, and the value on the working-day clock (``working_days.working_clock``:
        the working day it counts as, in microseconds, plus its time of day on a working day) at most the
        reference's working day plus N days and ``by``."""
        x, y, day = column(cond.field), column(cond.ref), V.MICROS_PER_DAY
        eve, own, theirs = (self._numbered(cond.field, eve=True), self._numbered(cond.field, eve=False),
                            self._numbered(cond.ref, eve=False))
        midnight = f"(({self._day(cond.field)} - {V.EPOCH.toordinal()}) * {day})"
        time = f"(CASE WHEN {own} = {eve} THEN 0 ELSE {x} - {midnight} END)"  # a day off: before the next starts
        clock = f"(({eve} + 1) * {day} + {time})"
        bound = f"({theirs} * {day} + {int(cond.amount) * day + cond.by_micros})"
        return f"(({x} >= {y}) AND ({clock} <= {bound}))"

    def _months(self, cond: Within, by_day: bool) -> str:
        """In order (as a window in days judges it), and the value's day no later than the reference's
        moved N months on (after), or no earlier than the reference's moved N months back (before)."""
        after, as_of = cond.direction == "after", V.day_number(self.as_of)
        months = cond.months if after else -cond.months
        x, y = (self._day(cond.field), self._day(cond.ref) if cond.ref != ASSESSMENT_DATE else str(as_of)) \
            if by_day else (column(cond.field), column(cond.ref))
        if cond.ref == ASSESSMENT_DATE:
            bound = str(python_shifted_day(as_of, months))
        else:
            bound = column(cond.ref, f"months{months}")
            self.numbered.setdefault(bound, shifted_day(self._day(cond.ref), months))
        return (f"(({x} {'>=' if after else '<='} {y}) AND "
                f"({self._day(cond.field)} {'<=' if after else '>='} {bound}))")

    def _sorted_from(self, name: str, start: str) -> str:
        """The column of a list's day numbers and ``start``'s day together, sorted (made once in ``source``);
        NULL unless both are recorded (``list_append`` would make a list of a missing one)."""
        named, day = column(name, f"sorted_from_{start}"), self._day(start)
        self.numbered.setdefault(named, f"(CASE WHEN {column(name)} IS NULL OR {day} IS NULL THEN NULL"
                                        f" ELSE list_sort(list_append({column(name)}, {day})) END)")
        return named

    def _numbered(self, name: str, eve: bool) -> str:
        """The column of a field's day's working-day number (or its eve's), made once in ``source``."""
        named = column(name, "eve" if eve else "workday")
        self.numbered.setdefault(named, sql_working_days.working_day_number(
            f"{self._day(name)} - 1" if eve else self._day(name)))
        return named

    def _day(self, name: str) -> str:
        return column(name, "day") if self.types[name] is FieldType.DATETIME else f"CAST({column(name)} AS BIGINT)"

    def outcome(self, rule: CompiledRule) -> str:
        """The CASE expression giving one record's outcome code for ``rule``."""
        arms = []
        if rule.when is not None:
            when = self.expr(rule.when)
            arms += [f"WHEN {when} IS NULL THEN {WHEN_NOT_RECORDED}", f"WHEN NOT {when} THEN {NOT_APPLICABLE_CODE}"]
        if rule.expect is not None:
            expect = self.expr(rule.expect)
            arms += [f"WHEN {expect} IS NULL THEN {NOT_RECORDED}", f"WHEN {expect} THEN {COMPLIANT_CODE}",
                     f"ELSE {NON_COMPLIANT}"]
        elif arms:
            arms.append(f"ELSE {COMPLIANT_CODE}")
        return "CASE " + " ".join(arms) + " END" if arms else str(COMPLIANT_CODE)


_FIRST_DAY = "DATE '0001-01-01'"  # day number 1


def shifted_day(day: str, months: int) -> str:
    """SQL for the day number of day number ``day`` moved by ``months`` calendar months: DuckDB keeps the
    day of the month or takes the month's last day, and counts past 9999 and before year 1 (beyond every
    day a record holds, as ``calendar_months.shifted_day``'s stand-ins are)."""
    moved = f"CAST({_FIRST_DAY} + CAST(({day}) - 1 AS INTEGER) + INTERVAL ({months}) MONTH AS DATE)"
    return f"({moved} - {_FIRST_DAY} + 1)"


def _longest_gap(ordered: str) -> str:
    gaps = f"list_transform(range(1, len({ordered})), lambda i: {ordered}[i + 1] - {ordered}[i])"
    return (f"(CASE WHEN {ordered} IS NULL THEN NULL WHEN len({ordered}) < 2 THEN 0 "
            f"ELSE list_max({gaps}) END)")


def fields_read(rules: list[CompiledRule]) -> list[str]:
    """Every field the rules read, once each, in order."""
    names = [name for rule in rules for cond in (rule.when, rule.expect) if cond is not None
             for name in referenced_fields(cond)]
    return list(dict.fromkeys(names))
