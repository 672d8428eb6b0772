"""Exact integer encodings of temporal values, shared by the compilers and the engines so boundaries
agree, and how a report shows a record's values.

Datetimes and durations are compared in whole microseconds, dates in whole days: integers, so
no engine meets floating-point rounding at a boundary (exactly 24 hours is within 24 hours).
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from typing import Any

EPOCH = dt.datetime(1970, 1, 1)
MICROS_PER_DAY = 86_400_000_000
ONE_MICRO = dt.timedelta(microseconds=1)
_ordinal = dt.date.toordinal


def micros(value: dt.datetime) -> int:
    return (value - EPOCH) // ONE_MICRO


def duration_micros(value: dt.timedelta) -> int:
    return value // ONE_MICRO


def day_number(value: dt.date) -> int:
    """Days since 0001-01-01; a datetime counts as its calendar day."""
    return value.toordinal()


def window_micros(seconds: float) -> int:
    """A window's length in microseconds, rounded once so both evaluators use the same bound."""
    return round(seconds * 1_000_000)


def is_date_only(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def longest_gap_days(dates: list[dt.date]) -> int:
    """Longest gap in days between consecutive dates once sorted; 0 for fewer than two dates."""
    if len(dates) < 3:  # the usual audit: no gap, or one
        return abs(dates[1].toordinal() - dates[0].toordinal()) if len(dates) == 2 else 0
    days = sorted(map(_ordinal, dates))
    gaps: map[int] = map(operator.sub, days[1:], days)
    return max(gaps)


def longest_gap_days_from(dates: list[dt.date], start: dt.date) -> int:
    """``longest_gap_days`` of ``start``'s day and ``dates`` together (``from:``): the first gap runs from
    ``start``'s day to the earliest date; a date before that day is a gap like any other, from it to
    that day (all sorted together); 0 with no dates. A datetime counts as its calendar day."""
    return longest_gap_days([start, *dates])


_ISO: dict[type, Callable[[Any], str]] = {dt.datetime: dt.datetime.isoformat, dt.date: dt.date.isoformat}


def plain(value: Any) -> Any:
    """A value as a report shows it (JSON-friendly)."""
    iso = _ISO.get(value.__class__)  # the usual cases first: every failure's values pass through here
    if iso is not None:
        return iso(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):  # a failure's values, field by field
        return {name: plain(v) for name, v in value.items()}
    return value
