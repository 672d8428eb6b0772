"""The rule language: a closed set of condition nodes, parsed from YAML with positions.

A condition is a mapping with exactly one key:
- ``all: [...]``, ``any: [...]``, ``not: {...}`` combine conditions;
- ``FIELD: VALUE`` tests a field: a plain value means "equals", a one-key mapping names an
  operator from ``OPERATORS`` (``at_most: 10``, ``in: [a, b]``, ``recorded: true``,
  ``within: {hours: 24, after: attended_at}``, ``count: {at_least: 1}``,
  ``longest_gap_days: {at_most: 28}``). A comparison operand may be another field:
  ``at_most: {field: caution_given_at}``.

Parsing checks shape only; ``compile.check`` binds fields to a record type and types literals.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from dataclasses import field as dc_field
from enum import Enum
from typing import Any

from peelcheck.errors import Diagnostic, Location
from peelcheck.positions import PosDict, position_of


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
ASSESSMENT_DATE = "assessment_date"
OPERATORS = sorted(set(COMPARISONS) | {"recorded", "within", "count", "longest_gap_days"})
# all / any / not nested deeper than this is refused: every evaluator recurses (or nests
# parentheses, in the python engine's generated source) once per level.
MAX_DEPTH = 32
# The longest window that means anything: from 0001-01-01 to 9999-12-31.
MAX_WINDOW_DAYS = 3_652_058

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


@dataclass(frozen=True)
class Within:
    """``field`` lies at most ``amount`` units after (or before) ``ref``, never on the wrong side.

    ``ref`` is another field or ``assessment_date``. Both ends are included.
    """

    field: str
    amount: float
    unit: str
    direction: str  # "after" or "before"
    ref: str
    loc: Location = dc_field(default=_NO_LOC, compare=False)

    @property
    def seconds(self) -> float:
        return self.amount * TIME_UNITS[self.unit]


@dataclass(frozen=True)
class ListCount:
    """The number of dates in a list field, compared with a number."""

    field: str
    op: Op
    value: int
    loc: Location = dc_field(default=_NO_LOC, compare=False)


@dataclass(frozen=True)
class LongestGap:
    """The longest gap in days between consecutive dates of a list (0 for fewer than two)."""

    field: str
    op: Op
    value: float
    loc: Location = dc_field(default=_NO_LOC, compare=False)


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


class ConditionParser:
    """Turns loaded YAML into Condition nodes, collecting every shape error with its position."""

    def __init__(self, default: Location) -> None:
        self.default = default
        self.diagnostics: list[Diagnostic] = []

    def error(self, node: Any, message: str, code: str = "bad-condition", at: Location | None = None) -> None:
        self.diagnostics.append(Diagnostic(code, message, at or position_of(node, self.default)))

    def parse(self, node: Any, depth: int = 1) -> Condition | None:
        if not isinstance(node, dict) or len(node) != 1:
            self.error(node, "a condition is a mapping with exactly one key: all, any, not, or a field name")
            return None
        (key, value), loc = next(iter(node.items())), self._key_loc(node)
        if key in ("all", "any", "not") and depth > MAX_DEPTH:
            self.error(node, f"conditions nest more than {MAX_DEPTH} deep (all / any / not inside each other)",
                       code="condition-too-deep", at=loc)
            return None
        if key in ("all", "any"):
            if not isinstance(value, list) or not value:
                self.error(value, f"'{key}' takes a non-empty list of conditions", at=loc)
                return None
            children = [self.parse(item, depth + 1) for item in value]
            if any(c is None for c in children):
                return None
            kids = tuple(c for c in children if c is not None)
            return All(kids, loc) if key == "all" else AnyOf(kids, loc)
        if key == "not":
            child = self.parse(value, depth + 1)
            return Not(child, loc) if child is not None else None
        return self._parse_test(key, value, loc)

    def _key_loc(self, node: Any) -> Location:
        if isinstance(node, PosDict) and node.path:
            return Location(node.path, *node.key_pos[next(iter(node))])
        return position_of(node, self.default)

    def _parse_test(self, name: str, test: Any, loc: Location) -> Condition | None:
        if not isinstance(test, dict):
            if isinstance(test, list):
                self.error(test, f"{name}: a list needs an operator, for example 'in: [...]'", at=loc)
                return None
            return Compare(name, Op.EQ, test, loc)
        if len(test) != 1:
            self.error(test, f"{name}: the test must have exactly one operator, one of {', '.join(OPERATORS)}",
                       at=loc)
            return None
        op_name, operand = next(iter(test.items()))
        op_loc = self._key_loc(test)
        if op_name in COMPARISONS:
            return self._comparison(name, COMPARISONS[op_name], operand, op_loc)
        if op_name == "recorded":
            if not isinstance(operand, bool):
                self.error(operand, f"{name}: 'recorded' takes true or false", at=op_loc)
                return None
            return Recorded(name, operand, op_loc)
        if op_name == "within":
            return self._within(name, operand, op_loc)
        if op_name in ("count", "longest_gap_days"):
            return self._list_measure(name, op_name, operand, op_loc)
        close = difflib.get_close_matches(str(op_name), OPERATORS, n=1)
        self.error(test, f"{name}: unknown operator {op_name!r}"
                   + (f" (did you mean {close[0]!r}?)" if close else "") + f"; expected one of {', '.join(OPERATORS)}",
                   code="unknown-operator", at=op_loc)
        return None

    def _comparison(self, name: str, op: Op, operand: Any, loc: Location) -> Compare | None:
        if op in (Op.IN, Op.NOT_IN):
            if not isinstance(operand, list) or not operand:
                self.error(operand, f"{name}: '{op.value}' takes a non-empty list of values", at=loc)
                return None
            return Compare(name, op, tuple(operand), loc)
        if isinstance(operand, dict):
            if set(operand) != {"field"} or not isinstance(operand["field"], str):
                self.error(operand, f"{name}: a mapping operand must be {{field: OTHER_FIELD}}", at=loc)
                return None
            return Compare(name, op, FieldRef(operand["field"]), loc)
        if isinstance(operand, list):
            self.error(operand, f"{name}: '{op.value}' takes one value, not a list", at=loc)
            return None
        return Compare(name, op, operand, loc)

    def _within(self, name: str, spec: Any, loc: Location) -> Within | None:
        if not isinstance(spec, dict):
            self.error(spec, f"{name}: 'within' takes a mapping such as {{hours: 24, after: attended_at}}", at=loc)
            return None
        units = [u for u in TIME_UNITS if u in spec]
        sides = [s for s in ("after", "before") if s in spec]
        unknown = set(spec) - set(TIME_UNITS) - {"after", "before"}
        if unknown or len(units) != 1 or len(sides) != 1:
            self.error(spec, f"{name}: 'within' needs exactly one of minutes/hours/days and one of after/before"
                       + (f"; unknown key(s): {', '.join(sorted(unknown))}" if unknown else ""), at=loc)
            return None
        amount, ref = spec[units[0]], spec[sides[0]]
        if isinstance(amount, bool) or not isinstance(amount, (int, float)) or not math.isfinite(amount) \
                or amount < 0:
            self.error(spec, f"{name}: the {units[0]} of 'within' must be a number of at least 0", at=loc)
            return None
        if amount * TIME_UNITS[units[0]] > MAX_WINDOW_DAYS * TIME_UNITS["days"]:
            self.error(spec, f"{name}: a 'within' window is at most {MAX_WINDOW_DAYS:,} days (the whole calendar)",
                       code="window-too-long", at=loc)
            return None
        if not isinstance(ref, str):
            self.error(spec, f"{name}: '{sides[0]}' names a field or {ASSESSMENT_DATE}", at=loc)
            return None
        return Within(name, float(amount), units[0], sides[0], ref, loc)

    def _list_measure(self, name: str, measure: str, spec: Any, loc: Location) -> Condition | None:
        if not isinstance(spec, dict) or len(spec) != 1 or next(iter(spec)) not in SCALAR_COMPARISONS:
            self.error(spec, f"{name}: '{measure}' takes one comparison, for example {{at_least: 1}}", at=loc)
            return None
        op_name, value = next(iter(spec.items()))
        if isinstance(value, bool) or not isinstance(value, (int, float)) or \
                isinstance(value, float) and not math.isfinite(value):
            self.error(spec, f"{name}: '{measure}' compares with a (finite) number", at=loc)
            return None
        op = SCALAR_COMPARISONS[op_name]
        if measure == "count":
            if not isinstance(value, int):
                self.error(spec, f"{name}: 'count' compares with a whole number", at=loc)
                return None
            return ListCount(name, op, value, loc)
        return LongestGap(name, op, float(value), loc)


def parse_condition(node: Any, default: Location) -> tuple[Condition | None, list[Diagnostic]]:
    parser = ConditionParser(default)
    result = parser.parse(node)
    return (result if not parser.diagnostics else None), parser.diagnostics


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
    return list(dict.fromkeys(names))


__all__ = ["All", "AnyOf", "Compare", "Condition", "FieldRef", "Leaf", "ListCount", "LongestGap", "Not", "Op",
           "Recorded", "Within", "leaves", "parse_condition", "referenced_fields"]
