"""England and Wales's working days: the bank holiday calendar and the working-day numbers every engine
compares (a limit in working days is a subtraction of two of them)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peelcheck.schema.working_days import (
    FIRST_YEAR,
    LAST_YEAR,
    bank_holidays,
    is_working_day,
    working_day_number,
    working_days_until,
)

D = dt.date


@pytest.mark.parametrize(("year", "days"), [
    # as published for England and Wales: substitute days, moved and proclaimed days included
    (2020, ["01-01", "04-10", "04-13", "05-08", "05-25", "08-31", "12-25", "12-28"]),  # early May moved for VE Day
    (2021, ["01-01", "04-02", "04-05", "05-03", "05-31", "08-30", "12-27", "12-28"]),  # Christmas on a Saturday
    (2022, ["01-03", "04-15", "04-18", "05-02", "06-02", "06-03", "08-29", "09-19", "12-26", "12-27"]),
    (2023, ["01-02", "04-07", "04-10", "05-01", "05-08", "05-29", "08-28", "12-25", "12-26"]),  # coronation
    (2016, ["01-01", "03-25", "03-28", "05-02", "05-30", "08-29", "12-26", "12-27"]),  # Christmas on a Sunday
    (2026, ["01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-28"]),  # Boxing Day on a Saturday
    (2012, ["01-02", "04-06", "04-09", "05-07", "06-04", "06-05", "08-27", "12-25", "12-26"]),  # Diamond Jubilee
    (1999, ["01-01", "04-02", "04-05", "05-03", "05-31", "08-30", "12-27", "12-28", "12-31"]),  # millennium
])
def test_bank_holidays_are_the_published_ones(year, days):
    assert [d.isoformat()[5:] for d in bank_holidays(year)] == days


def _brute_count(start: dt.date, end: dt.date) -> int:
    holidays = {d for y in range(start.year, end.year + 1) for d in bank_holidays(y)}
    days = (start + dt.timedelta(days=n) for n in range(1, (end - start).days + 1))
    return sum(1 for d in days if d.weekday() < 5 and d not in holidays)


DAYS = st.dates(min_value=D(FIRST_YEAR, 1, 1), max_value=D(LAST_YEAR, 12, 31))


@given(DAYS, st.integers(min_value=0, max_value=60))
def test_a_working_day_number_counts_the_working_days_before_it(start, span):
    end = start + dt.timedelta(days=span)
    if end.year > LAST_YEAR:
        return
    assert working_day_number(end.toordinal()) - working_day_number(start.toordinal()) == _brute_count(start, end)
    assert is_working_day(end) == (end.weekday() < 5 and end not in bank_holidays(end.year))


@pytest.mark.parametrize(("start", "end", "days"), [
    (D(2021, 8, 2), D(2021, 8, 9), 5),   # Monday to Monday: in time for a limit of 5
    (D(2021, 8, 4), D(2021, 8, 10), 4),  # Wednesday to Tuesday: 6 calendar days, 4 working days
    (D(2021, 8, 7), D(2021, 8, 13), 5),  # Saturday decision: its fifth working day is the Friday
    (D(2021, 8, 7), D(2021, 8, 14), 6),  # told the Saturday after: late (counts as the Monday)
    (D(2021, 5, 1), D(2021, 5, 6), 3),   # over the early May bank holiday
    (D(2021, 12, 24), D(2021, 12, 31), 3),  # over Christmas and Boxing Day's substitutes
    (D(2021, 8, 2), D(2021, 8, 2), 0),   # the same day
])
def test_working_days_until_counts_a_weekend_end_as_the_next_working_day(start, end, days):
    assert working_days_until(start, end) == days


def test_days_outside_the_calendar_count_weekends_only():
    def number(day: dt.date) -> int:
        return working_day_number(day.toordinal())
    assert number(D(1980, 1, 2)) - number(D(1979, 12, 31)) == 1  # 1 January 1980 a bank holiday
    assert number(D(1979, 12, 31)) - number(D(1979, 12, 21)) == 6  # Christmas 1979 not known: weekdays only
    assert number(D(2100, 1, 4)) - number(D(2099, 12, 31)) == 2  # nor New Year's Day 2100
    assert number(D(1, 1, 1)) == 1 and number(D(1, 1, 7)) == 5  # a Monday, the first day; its Sunday
