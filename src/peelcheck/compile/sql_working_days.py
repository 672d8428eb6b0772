"""Working-day numbers (``schema.working_days``) as pure SQL, for the columnar engine.

W(o) = 5 * (o // 7) + least(o % 7, 5) - H(o), where H(o) counts the known bank holidays on weekdays
up to day number o. H is a lookup in two list literals, not a scan of the ~1,000 holidays per row:
the calendar's years are cut into blocks of 62 days; ``CUMULATIVE[b]`` is how many holidays fall
before block b, and ``MASKS[b]`` has bit i set where day i of block b is a holiday, so that
H(o) = CUMULATIVE[b] + bit_count(MASKS[b] & (2 ** (i + 1) - 1)): exact integers, no function or table
the connection must be given first (a ``--cluster`` worker runs the same text). 62 days keep
2 ** (i + 1) inside a BIGINT. Before the calendar H is 0; after it, every holiday.
"""

from __future__ import annotations

from functools import cache

from peelcheck.schema.working_days import holiday_ordinals

BLOCK = 62


@cache
def _tables() -> tuple[int, int, str, str]:
    """The first block's first day, the day after the last block, and the two lists as SQL."""
    holidays = holiday_ordinals()
    first = holidays[0]
    blocks = (holidays[-1] - first) // BLOCK + 1
    masks, cumulative = [0] * blocks, [0] * blocks
    for day in holidays:
        masks[(day - first) // BLOCK] |= 1 << (day - first) % BLOCK
    for b in range(1, blocks):
        cumulative[b] = cumulative[b - 1] + bin(masks[b - 1]).count("1")
    # one text constant split once by the optimiser: a list literal of ~700 numbers took DuckDB 3 times
    # as long to plan, on every query (in brackets: a subscript after the cast would read as its size)
    as_sql = "(string_split('{}', ',')::BIGINT[])".format
    return first, first + blocks * BLOCK, as_sql(",".join(map(str, cumulative))), as_sql(",".join(map(str, masks)))


def holidays_up_to(day: str) -> str:
    """SQL counting the known weekday bank holidays on or before ``day`` (a BIGINT day number)."""
    first, end, cumulative, masks = _tables()
    block, place = f"(({day}) - {first}) // {BLOCK} + 1", f"(({day}) - {first}) % {BLOCK}"
    within = f"{cumulative}[{block}] + bit_count({masks}[{block}] & ((CAST(2 AS BIGINT) << {place}) - 1))"
    return (f"(CASE WHEN ({day}) < {first} THEN 0 WHEN ({day}) >= {end} THEN {len(holiday_ordinals())} "
            f"ELSE {within} END)")


def working_day_number(day: str) -> str:
    """SQL for W(``day``): weekdays up to the day (day number 1, a Monday, the first) less bank holidays."""
    return f"(5 * (({day}) // 7) + least(({day}) % 7, 5) - {holidays_up_to(day)})"
