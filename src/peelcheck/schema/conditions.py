"""The rule language: a closed set of condition nodes, parsed from YAML with positions.

A condition is a mapping with exactly one key:
- ``all: [...]``, ``any: [...]``, ``not: {...}`` combine conditions;
- ``FIELD: VALUE`` tests a field: a plain value means "equals", a one-key mapping names an
  operator from ``OPERATORS`` (``at_most: 10``, ``in: [a, b]``, ``recorded: true``,
  ``within: {hours: 24, after: attended_at}``, ``within: {working_days: 5, after: decided_at}``,
  ``within: {working_days: 1, after: attended_at, by: "09:00"}``,
  ``within: {years: 1, before: assessment_date}``,
  ``count: {at_least: 1}``,
  ``longest_gap_days: {at_most: 28}``,
  ``longest_gap_days: {at_most: 7, from: reported_at}``). A comparison operand may be another field:
  ``at_most: {field: caution_given_at}``.

Parsing (``condition_parser``) checks shape only; ``compile.check`` binds fields to a record type
and types literals. This module holds the nodes, the operator set and the walks over a tree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from dataclasses import field as dc_field
from enum import Enum
from typing import Any

from peelcheck.errors import Location


class Op(str, Enum):
    EQ = "equals"
    NE = "not_equals"
    LT = "less_than"
    LE = "at_most"
    GT = "greater_than"
    GE = "at_least"
    IN = "in"
    NOT_IN = "not_in"

    @property
    def is_ordering(self) -> bool:
        return self in (Op.LT, Op.LE, Op.GT, Op.GE)

    @property
    def negated(self) -> Op:
        return _NEGATED[self]


_NEGATED = {Op.EQ: Op.NE, Op.NE: Op.EQ, Op.LT: Op.GE, Op.GE: Op.LT, Op.GT: Op.LE, Op.LE: Op.GT,
            Op.IN: Op.NOT_IN, Op.NOT_IN: Op.IN}

# Symbols a rule author may write instead of the words.
OP_ALIASES = {"=": Op.EQ, "==": Op.EQ, "!=": Op.NE, "<": Op.LT, "<=": Op.LE, ">": Op.GT, ">=": Op.GE,
              "not in": Op.NOT_IN}
COMPARISONS = {op.value: op for op in Op} | OP_ALIASES
SCALAR_COMPARISONS = {k: v for k, v in COMPARISONS.items() if v not in (Op.IN, Op.NOT_IN)}
TIME_UNITS = {"minutes": 60, "hours": 3600, "days": 86400}
# Counted on England and Wales's calendar (``working_days``), not measured in seconds.
WORKING_DAYS = "working_days"
# Counted on the calendar in months (``calendar_months``): a year is twelve of them.
CALENDAR_UNITS = {"months": 1, "years": 12}
WHOLE_UNITS = (WORKING_DAYS, *CALENDAR_UNITS)  # counts, never fractions
WINDOW_UNITS = (*TIME_UNITS, *WHOLE_UNITS)
# ``by: "HH:MM"``: a working-day window after a datetime that ends at that time of its last working day.
BY = "by"
ASSESSMENT_DATE = "assessment_date"
# ``longest_gap_days: {at_most: 7, from: reported_at}``: the gaps counted from a field's day too.
FROM = "from"
OPERATORS = sorted(set(COMPARISONS) | {"recorded", "within", "count", "longest_gap_days"})
# all / any / not nested deeper than this is refused: every evaluator recurses (or nests
# parentheses, in the python engine's generated source) once per level.
MAX_DEPTH = 32
# The longest window that means anything: from 0001-01-01 to 9999-12-31.
MAX_WINDOW_DAYS = 3_652_058
MAX_WINDOW_MONTHS = 9999 * 12

_NO_LOC = Location("<rule>")


@dataclass(frozen=True)
class FieldRef:
    """An operand that is another field of the same record."""

    name: str


@dataclass(frozen=True)
class Compare:
    """``field op value``; value is a literal, a FieldRef, or a tuple of literals for in / not in."""

    field: str
    op: Op
    value: Any
    loc: Location = dc_field(default=_NO_LOC, compare=False)


@dataclass(frozen=True)
class Recorded:
    """The field has (or, with ``recorded: false``, lacks) a value."""

    field: str
    recorded: bool = True
    loc: Location = dc_field(default=_NO_LOC, compare=False)


def window_length(unit: str, amount: float) -> tuple[str, float]:
    """A window's length, comparable across units (24 hours is 1 day, 12 months a year): in seconds, months
    or working days."""
    if unit in TIME_UNITS:
        return "seconds", amount * TIME_UNITS[unit]
    if unit in CALENDAR_UNITS:
        return "months", amount * CALENDAR_UNITS[unit]
    return unit, amount


def unit_words(unit: str, amount: float) -> str:
    words = unit.replace("_", " ")
    return words.removesuffix("s") if amount == 1 else words


@dataclass(frozen=True)
class Within:
    """``field`` lies at most ``amount`` units after (or before) ``ref``, never on the wrong side.

    ``ref`` is another field or ``assessment_date``. Both ends are included. In working days, months
    or years (``amount`` then a whole number), the side is judged as a window in days judges it; the
    span is ``working_days.working_days_until`` from the earlier value's day to the later's, or the
    value's day is at most the reference's day moved by the months (``calendar_months.shifted_day``).

    ``by`` (working days after a datetime only) ends the window at that time of day on its last working
    day, W(ref) + N, instead of at that day's end: ``working_days.within_working_days_by``.
    """

    field: str
    amount: float
    unit: str
    direction: str  # "after" or "before"
    ref: str
    loc: Location = dc_field(default=_NO_LOC, compare=False)
    by: dt.time | None = None

    @property
    def by_micros(self) -> int:
        """``by`` as microseconds past midnight."""
        if self.by is None:
            raise ValueError("the window has no 'by'")
        return (self.by.hour * 3600 + self.by.minute * 60) * 1_000_000

    @property
    def in_working_days(self) -> bool:
        return self.unit == WORKING_DAYS

    @property
    def in_months(self) -> bool:
        """In calendar months or years: ``months`` is its length."""
        return self.unit in CALENDAR_UNITS

    @property
    def months(self) -> int:
        if not self.in_months:
            raise ValueError(f"a window in {self.unit} is not a number of months")
        return int(self.amount) * CALENDAR_UNITS[self.unit]

    @property
    def seconds(self) -> float:
        """The window's length; a window in working days or months has none (its length depends on the dates)."""
        if self.unit not in TIME_UNITS:
            raise ValueError(f"a window in {self.unit} is not a number of seconds")
        return self.amount * TIME_UNITS[self.unit]

    @property
    def length(self) -> tuple[str, float]:
        return window_length(self.unit, self.amount)

    @property
    def unit_words(self) -> str:
        """The unit as said after the amount: "1 year", "2 years", "1 working day"."""
        return unit_words(self.unit, self.amount)

    @property
    def by_words(self) -> str:
        """What follows the reference in words: ", by 09:00", or nothing."""
        return "" if self.by is None else f", by {self.by:%H:%M}"


@dataclass(frozen=True)
class ListCount:
    """The number of dates in a list field, compared with a number."""

    field: str
    op: Op
    value: int
    loc: Location = dc_field(default=_NO_LOC, compare=False)


@dataclass(frozen=True)
class LongestGap:
    """The longest gap in days between consecutive dates of a list (0 for fewer than two).

    ``from_field`` (``from:``, a date or datetime field) adds that field's day to the list first, so the
    wait from it to the earliest date is a gap too: ``values.longest_gap_days_from``. It not recorded,
    the test is unknown, as any test of a field not recorded is.
    """

    field: str
    op: Op
    value: float
    loc: Location = dc_field(default=_NO_LOC, compare=False)
    from_field: str | None = None


@dataclass(frozen=True)
class All:
    children: tuple[Condition, ...]
    loc: Location = dc_field(default=_NO_LOC, compare=False)


@dataclass(frozen=True)
class AnyOf:
    children: tuple[Condition, ...]
    loc: Location = dc_field(default=_NO_LOC, compare=False)


@dataclass(frozen=True)
class Not:
    child: Condition
    loc: Location = dc_field(default=_NO_LOC, compare=False)


Leaf = Compare | Recorded | Within | ListCount | LongestGap
Condition = Leaf | All | AnyOf | Not


def leaves(cond: Condition) -> list[Leaf]:
    """Every leaf test in a condition tree, in order."""
    if isinstance(cond, (All, AnyOf)):
        return [leaf for child in cond.children for leaf in leaves(child)]
    if isinstance(cond, Not):
        return leaves(cond.child)
    return [cond]


def referenced_fields(cond: Condition) -> list[str]:
    """Fields a condition reads (tested fields and field operands), without repeats."""
    names: list[str] = []
    for leaf in leaves(cond):
        names.append(leaf.field)
        if isinstance(leaf, Compare) and isinstance(leaf.value, FieldRef):
            names.append(leaf.value.name)
        if isinstance(leaf, Within) and leaf.ref != ASSESSMENT_DATE:
            names.append(leaf.ref)
        if isinstance(leaf, LongestGap) and leaf.from_field is not None:
            names.append(leaf.from_field)
    return list(dict.fromkeys(names))


__all__ = ["All", "AnyOf", "Compare", "Condition", "FieldRef", "Leaf", "ListCount", "LongestGap", "Not", "Op",
           "Recorded", "Within", "leaves", "referenced_fields"]
