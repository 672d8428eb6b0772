"""durable-rules expressions for the calendar windows: working days (to a time of day, with ``by``) and
calendar months. durable-rules compares fact values only, so each rests on derived fact keys that the
facts carry (``compiler.key(field, "workday" | "eve" | "clock" | "start")``, ``compiler.shifted_key``) or, for
the assessment date, on constants worked out here: see ``schema.working_days`` and ``schema.calendar_months``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from peelcheck.compile.durable_expressions import Expr, and_, guarded, or_
from peelcheck.schema.calendar_months import shifted_day
from peelcheck.schema.conditions import ASSESSMENT_DATE, Within
from peelcheck.schema.values import MICROS_PER_DAY, day_number
from peelcheck.schema.working_days import working_day_number


class ConditionCompiler(Protocol):
    """What these take of ``compile.durable.ConditionCompiler``: its fact keys and the assessment date."""

    as_of: dt.date

    def key(self, name: str, grain: str | None = None) -> str: ...

    def shifted_key(self, name: str, months: int) -> str: ...


def working_days(compiler: ConditionCompiler, cond: Within, grain: str | None) -> tuple[Expr, Expr, Expr]:
    """In order (as a window in days: ``grain``), and W(later's eve) + 1 - W(earlier) <= N, that is
    W(later's eve) < W(earlier) + N: after, the value is the later; before, the reference is."""
    after, limit = cond.direction == "after", int(cond.amount)
    x, keys = compiler.key(cond.field, grain), []
    mine = compiler.key(cond.field, "eve" if after else "workday")
    if cond.ref == ASSESSMENT_DATE:
        day = day_number(compiler.as_of)
        y: Any = day
        theirs: Any = working_day_number(day) if after else working_day_number(day - 1)
        bound: Any = theirs + limit if after else theirs - limit
    else:
        keys = [compiler.key(cond.ref, grain), compiler.key(cond.ref, "workday" if after else "eve")]
        y, theirs = {"$m": keys[0]}, {"$m": keys[1]}
        bound = {"$add" if after else "$sub": {"$l": theirs, "$r": limit}}
    if after:  # y <= x, and W(x - 1) < W(y) + N
        true = and_({"$gte": {x: y}}, {"$lt": {mine: bound}})
        false = or_({"$lt": {x: y}}, {"$gte": {mine: bound}})
    else:  # x <= y, and W(x) > W(y - 1) - N
        true = and_({"$lte": {x: y}}, {"$gt": {mine: bound}})
        false = or_({"$gt": {x: y}}, {"$lte": {mine: bound}})
    return guarded([x, mine, *keys], true, false)

def working_days_by(compiler: ConditionCompiler, cond: Within) -> tuple[Expr, Expr, Expr]:
    """Two datetimes in order, and the value on the working-day clock at most the start of the
    reference's working day plus N days and ``by`` (``working_days.working_clock``): facts only."""
    x, y = compiler.key(cond.field), compiler.key(cond.ref)
    mine, theirs = compiler.key(cond.field, "clock"), compiler.key(cond.ref, "start")
    bound = {"$add": {"$l": {"$m": theirs}, "$r": int(cond.amount) * MICROS_PER_DAY + cond.by_micros}}
    true = and_({"$gte": {x: {"$m": y}}}, {"$lte": {mine: bound}})
    false = or_({"$lt": {x: {"$m": y}}}, {"$gt": {mine: bound}})
    return guarded([x, y, mine, theirs], true, false)


def months(compiler: ConditionCompiler, cond: Within, grain: str | None) -> tuple[Expr, Expr, Expr]:
    """In order (as a window in days: ``grain``), and the value's day no later than the reference's
    moved N months on (after), or no earlier than the reference's moved N months back (before)."""
    after, months = cond.direction == "after", cond.months if cond.direction == "after" else -cond.months
    x, keys = compiler.key(cond.field, grain), []
    mine = compiler.key(cond.field, "day")
    if cond.ref == ASSESSMENT_DATE:
        day = day_number(compiler.as_of)
        y: Any = day
        bound: Any = shifted_day(day, months)
    else:
        keys = [compiler.key(cond.ref, grain), compiler.shifted_key(cond.ref, months)]
        y, bound = {"$m": keys[0]}, {"$m": keys[1]}
    if after:  # y <= x, and day(x) <= shifted(y)
        true = and_({"$gte": {x: y}}, {"$lte": {mine: bound}})
        false = or_({"$lt": {x: y}}, {"$gt": {mine: bound}})
    else:  # x <= y, and day(x) >= shifted(y)
        true = and_({"$lte": {x: y}}, {"$gte": {mine: bound}})
        false = or_({"$gt": {x: y}}, {"$lt": {mine: bound}})
    return guarded(list(dict.fromkeys([x, mine, *keys])), true, false)
