"""Working days in England and Wales: Monday to Friday, less bank holidays.

National standards count some time limits in working days (the Victims' Code gives a victim five
working days' notice of a decision not to investigate), so a rule may too. Bank holidays follow the
statutory pattern (New Year's Day, Good Friday, Easter Monday, the first and last Mondays of May, the
last Monday of August, Christmas and Boxing Day, with substitute days for weekends), and the days
proclaimed apart from it since 1980 (jubilees, royal weddings, a state funeral, a coronation, days
moved for VE Day) are listed. A day proclaimed after this release is not known: it counts as a
working day, which makes a limit one day stricter, never more lenient.

Each day has a number: how many working days there are from 1 January of year 1 (a Monday) up to it,
inclusive, as if no bank holiday fell outside the calendar's years. A span of working days is then a
subtraction of two numbers, computed alike by every engine (in SQL too: ``holiday_ordinals`` is the
data it needs).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from functools import cache

MICROS_PER_DAY = 86_400_000_000  # as ``values.MICROS_PER_DAY``: the working-day clock's days
FIRST_YEAR, LAST_YEAR = 1980, 2099  # years whose bank holidays are known; outside them, weekends only

# Bank holidays proclaimed apart from the statutory pattern: extra days, and days moved (from, to).
_EXTRA = (dt.date(1981, 7, 29), dt.date(1999, 12, 31), dt.date(2002, 6, 3), dt.date(2011, 4, 29),
          dt.date(2012, 6, 5), dt.date(2022, 6, 3), dt.date(2022, 9, 19), dt.date(2023, 5, 8))
_MOVED = {dt.date(1995, 5, 1): dt.date(1995, 5, 8), dt.date(2002, 5, 27): dt.date(2002, 6, 4),
          dt.date(2012, 5, 28): dt.date(2012, 6, 4), dt.date(2020, 5, 4): dt.date(2020, 5, 8),
          dt.date(2022, 5, 30): dt.date(2022, 6, 2)}


def _easter(year: int) -> dt.date:
    """Easter Sunday in the Gregorian calendar (the anonymous Gregorian computus)."""
    a, (b, c) = year % 19, divmod(year, 100)
    d, e = divmod(b, 4)
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday = (32 + 2 * e + 2 * i - h - k) % 7
    month, day = divmod(h + weekday - 7 * ((a + 11 * h + 22 * weekday) // 451) + 114, 31)
    return dt.date(year, month, day + 1)


def _monday(year: int, month: int, last: bool) -> dt.date:
    """The first (or last) Monday of a month."""
    if last:
        end = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1))
        return end - dt.timedelta(days=end.weekday())
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(7 - first.weekday()) % 7)


def _christmas(year: int) -> list[dt.date]:
    """Christmas Day and Boxing Day, each moved to the next weekday the other does not take."""
    taken: list[dt.date] = []
    for day in (dt.date(year, 12, 25), dt.date(year, 12, 26)):
        while day.weekday() >= 5 or day in taken:
            day += dt.timedelta(days=1)
        taken.append(day)
    return taken


def bank_holidays(year: int) -> list[dt.date]:
    """England and Wales's bank holidays in ``year`` (FIRST_YEAR to LAST_YEAR), in order."""
    new_year = dt.date(year, 1, 1)
    while new_year.weekday() >= 5:
        new_year += dt.timedelta(days=1)
    easter = _easter(year)
    usual = [new_year, easter - dt.timedelta(days=2), easter + dt.timedelta(days=1), _monday(year, 5, False),
             _monday(year, 5, True), _monday(year, 8, True), *_christmas(year)]
    days = {_MOVED.get(day, day) for day in usual} | {day for day in _EXTRA if day.year == year}
    return sorted(days)


@cache
def holiday_ordinals() -> tuple[int, ...]:
    """The known bank holidays falling on weekdays, as day ordinals (``date.toordinal``), in order."""
    return tuple(day.toordinal() for year in range(FIRST_YEAR, LAST_YEAR + 1) for day in bank_holidays(year)
                 if day.weekday() < 5)


def working_day_number(ordinal: int) -> int:
    """The number of the day with this ordinal: weekdays up to it (ordinal 1, a Monday, is the first),
    less bank holidays up to it. A weekend or bank holiday has the number of the working day before it."""
    weeks, rest = divmod(ordinal, 7)  # rest: 1 Monday ... 5 Friday, 6 Saturday, 0 Sunday
    return 5 * weeks + min(rest, 5) - bisect_right(holiday_ordinals(), ordinal)


def is_working_day(day: dt.date) -> bool:
    ordinal = day.toordinal()
    return working_day_number(ordinal) != working_day_number(ordinal - 1)


def working_days_until(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to ``end``, where ``end`` on a weekend or bank holiday counts as
    the next working day: a decision on Monday told by the next Monday took 5, one on Saturday told the
    next Saturday 6 (its fifth working day was the Friday). The next working day's number from any day
    is the number of the day before it, plus one."""
    return working_day_number(end.toordinal() - 1) + 1 - working_day_number(start.toordinal())


def working_clock(value: dt.datetime) -> int:
    """A datetime on the working-day clock, in microseconds: the number of the working day it counts as
    (a day off counts as the next working day) times a day's microseconds, plus its time of day on a
    working day, or nothing on a day off (it counts as before that working day's start).

    A window of N working days after REF ending ``by`` a time of day then holds a value at most
    (W(REF's day) + N) days plus that time on this clock: one number per value, so durable-rules can
    compare it with a number of the reference's (``working_start``) plus a constant.
    """
    ordinal = value.toordinal()
    counted = working_day_number(ordinal - 1) + 1
    if working_day_number(ordinal) != counted:  # a weekend or bank holiday: before the next working day starts
        return counted * MICROS_PER_DAY
    time = (value.hour * 3600 + value.minute * 60 + value.second) * 1_000_000 + value.microsecond
    return counted * MICROS_PER_DAY + time


def working_start(value: dt.date) -> int:
    """The start, on the working-day clock (``working_clock``), of the working day numbered as ``value``'s
    day: for a day off, the working day before it."""
    return working_day_number(value.toordinal()) * MICROS_PER_DAY
