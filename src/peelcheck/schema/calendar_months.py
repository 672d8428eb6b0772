"""Calendar months: a day moved by whole months, for windows such as "reviewed in the last year".

A year is not 365 days (a year back from 1 March 2020 is 1 March 2019, 366 days earlier), and six
months are 181 to 184 days, so ``within: {months: N}`` and ``{years: N}`` move the reference's day
by calendar months instead. The day of the month is kept, or becomes the month's last day when the
month is shorter: 31 August and six months is the last day of February, 29 February 2028 and a year
is 28 February 2029, and 29 February 2028 less a year is 28 February 2027.

Every engine works from ``shifted_day``'s day numbers (``date.toordinal``), so none of them needs a
calendar of its own except the columnar engine, whose SQL (``compile.sql``) adds months as DuckDB
does and is tested day by day against this function.
"""

from __future__ import annotations

import calendar
import datetime as dt
from functools import lru_cache

MONTHS_PER_YEAR = 12
# Outside the calendar a moved day has no date; these stand beyond every day there is, so a comparison
# with any real day comes out as it would with the day itself.
PAST_THE_END = dt.date.max.toordinal() + 1
BEFORE_THE_START = 0


@lru_cache(maxsize=1 << 14)  # records share days: a year's assessment looks up a few hundred
def shifted_day(day: int, months: int) -> int:
    """The day number of the day ``months`` calendar months after day number ``day`` (before it, when
    ``months`` is negative): the same day of the month, or the month's last day if it has fewer days.
    A day past 31 December 9999 is ``PAST_THE_END``, one before 1 January of year 1 ``BEFORE_THE_START``."""
    start = dt.date.fromordinal(day)
    year, month = divmod(start.year * MONTHS_PER_YEAR + start.month - 1 + months, MONTHS_PER_YEAR)
    if year > dt.MAXYEAR:
        return PAST_THE_END
    if year < dt.MINYEAR:
        return BEFORE_THE_START
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(start.day, last)).toordinal()


def within_months(value: int, reference: int, months: int, after: bool) -> bool:
    """Whether day number ``value`` lies at most ``months`` calendar months after day number ``reference``
    (before it, if not ``after``) counting by day: the side of the reference is judged by the caller."""
    if after:
        return value <= shifted_day(reference, months)
    return value >= shifted_day(reference, -months)
