"""Rule conditions parsed from loaded YAML into the nodes of ``conditions``, every shape error with its position.

Kept apart from the nodes themselves: the nodes are what every compiler and engine reads; the
parser is read only when a rule file is loaded, and is where a reader looks for what a rule
author may write and what each mistake is called.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from typing import Any

from peelcheck.errors import Diagnostic, Location
from peelcheck.positions import PosDict, position_of
from peelcheck.schema.conditions import (
    ASSESSMENT_DATE,
    BY,
    CALENDAR_UNITS,
    COMPARISONS,
    FROM,
    MAX_DEPTH,
    MAX_WINDOW_DAYS,
    MAX_WINDOW_MONTHS,
    OPERATORS,
    SCALAR_COMPARISONS,
    TIME_UNITS,
    WHOLE_UNITS,
    WINDOW_UNITS,
    WORKING_DAYS,
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
        units = [u for u in WINDOW_UNITS if u in spec]
        sides = [s for s in ("after", "before") if s in spec]
        unknown = set(spec) - set(WINDOW_UNITS) - {"after", "before", BY}
        if unknown or len(units) != 1 or len(sides) != 1:
            self.error(spec, f"{name}: 'within' needs exactly one of {'/'.join(WINDOW_UNITS)} and one of after/before"
                       + " (and, for working days after, maybe 'by')"
                       + (f"; unknown key(s): {', '.join(sorted(unknown))}" if unknown else ""), at=loc)
            return None
        amount, ref = self._window_amount(name, spec, units[0], loc), spec[sides[0]]
        if amount is None:
            return None
        if not isinstance(ref, str):
            self.error(spec, f"{name}: '{sides[0]}' names a field or {ASSESSMENT_DATE}", at=loc)
            return None
        by = self._by(name, spec, units[0], sides[0], loc) if BY in spec else None
        if BY in spec and by is None:
            return None
        return Within(name, amount, units[0], sides[0], ref, loc, by)

    def _by(self, name: str, spec: dict[str, Any], unit: str, side: str, loc: Location) -> dt.time | None:
        """``by: "HH:MM"``, the time of day a window in working days after its reference ends at."""
        at = self._entry_loc(spec, BY, loc)
        if unit != WORKING_DAYS or side != "after":
            self.error(spec, f"{name}: 'by' ends a window in {WORKING_DAYS} after its reference"
                       f" ({{{WORKING_DAYS}: N, after: REF, by: \"09:00\"}}); this one is in {unit}, {side}", at=at)
            return None
        value = spec[BY]
        match = re.fullmatch(r"([01][0-9]|2[0-3]):([0-5][0-9])", value) if isinstance(value, str) else None
        if match is None:
            self.error(spec, f"{name}: 'by' takes a time of day from \"00:00\" to \"23:59\", in quotes"
                       f" (unquoted, YAML reads 10:30 as the number 630), not {value!r}", at=at)
            return None
        return dt.time(int(match[1]), int(match[2]))

    def _entry_loc(self, spec: dict[str, Any], key: str, default: Location) -> Location:
        """Where a key of a loaded mapping is written (``default`` when not loaded from a file)."""
        if isinstance(spec, PosDict) and spec.path and key in spec.key_pos:
            return Location(spec.path, *spec.key_pos[key])
        return default

    def _window_amount(self, name: str, spec: dict[str, Any], unit: str, loc: Location) -> float | None:
        """A window's length: a number of at least 0 (working days, months and years whole), no longer
        than the calendar."""
        amount = spec[unit]
        if isinstance(amount, bool) or not isinstance(amount, (int, float)) \
                or isinstance(amount, float) and not math.isfinite(amount) or amount < 0:  # (an int past floats' range)
            self.error(spec, f"{name}: the {unit} of 'within' must be a number of at least 0", at=loc)
            return None
        if unit in WHOLE_UNITS and amount != int(amount):
            self.error(spec, f"{name}: the {unit} of 'within' must be a whole number", at=loc)
            return None
        if unit in CALENDAR_UNITS:
            too_long = amount * CALENDAR_UNITS[unit] > MAX_WINDOW_MONTHS
            limit = f"{MAX_WINDOW_MONTHS // CALENDAR_UNITS[unit]:,} {unit}"
        else:  # working days are fewer than days: a longer count than the calendar's never means anything
            seconds = amount * TIME_UNITS["days" if unit == WORKING_DAYS else unit]
            too_long = seconds > MAX_WINDOW_DAYS * TIME_UNITS["days"]
            limit = f"{MAX_WINDOW_DAYS:,} days"
        if too_long:
            self.error(spec, f"{name}: a 'within' window is at most {limit} (the whole calendar)",
                       code="window-too-long", at=loc)
            return None
        return int(amount) if unit in WHOLE_UNITS else float(amount)

    def _list_measure(self, name: str, measure: str, spec: Any, loc: Location) -> Condition | None:
        start = None
        if isinstance(spec, dict) and FROM in spec:
            start = self._gap_from(name, measure, spec, loc)
            if start is None:
                return None
        comparisons = {k: v for k, v in spec.items() if k != FROM} if isinstance(spec, dict) else spec
        if not isinstance(comparisons, dict) or len(comparisons) != 1 \
                or next(iter(comparisons)) not in SCALAR_COMPARISONS:
            self.error(spec, f"{name}: '{measure}' takes one comparison, for example {{at_least: 1}}"
                       + (f" (and maybe '{FROM}: FIELD')" if measure == "longest_gap_days" else ""), at=loc)
            return None
        op_name, value = next(iter(comparisons.items()))
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
        return LongestGap(name, op, float(value), loc, start)

    def _gap_from(self, name: str, measure: str, spec: dict[str, Any], loc: Location) -> str | None:
        """``from: FIELD`` of ``longest_gap_days``: the field's name, or None after its error (whether it
        names a date or datetime field of the record is the binder's to say, as for ``within``)."""
        at, start = self._entry_loc(spec, FROM, loc), spec[FROM]
        if measure != "longest_gap_days":
            self.error(spec, f"{name}: '{FROM}' measures a longest gap from a field; '{measure}' takes none", at=at)
            return None
        if not isinstance(start, str) or not start or start == ASSESSMENT_DATE:
            self.error(spec, f"{name}: '{FROM}' names a date or datetime field of the record, not {start!r}", at=at)
            return None
        return start


def parse_condition(node: Any, default: Location) -> tuple[Condition | None, list[Diagnostic]]:
    parser = ConditionParser(default)
    result = parser.parse(node)
    return (result if not parser.diagnostics else None), parser.diagnostics


def parse_window(field: str, spec: dict[str, Any], at: Location) -> tuple[Within | None, list[Diagnostic]]:
    """One window as a ``within`` mapping (``{working_days: 1, after: attended_at, by: "09:00"}``), judged
    as in a rule file: a force's own window (``windows:`` in a profile) passes the same checks."""
    parser = ConditionParser(at)
    result = parser._within(field, spec, at)
    return (result if not parser.diagnostics else None), parser.diagnostics


__all__ = ["ConditionParser", "parse_condition", "parse_window"]
