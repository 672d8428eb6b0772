"""The python engine: a record type's rules generated as one straight-line Python function.

The closure evaluator in ``reference`` is the oracle, written to be read; this module writes the
same three-valued logic as Python source (one loop over a chunk's columns, each field a local,
every rule inline, constants in a table) because calling closures per record and rule, or
looking fields up per record, costs more than the rules themselves. The
property tests hold this engine, the reference and durable-rules to the same outcomes.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from peelcheck.compile.check import CompiledRule
from peelcheck.evaluate.chunk_result import ChunkResult
from peelcheck.evaluate.reference import _same_grain
from peelcheck.load.batch import column_loop
from peelcheck.schema import values as V
from peelcheck.schema.calendar_months import shifted_day as _shifted
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
)
from peelcheck.schema.outcomes import NOT_RECORDED, WHEN_NOT_RECORDED
from peelcheck.schema.pack import FieldType
from peelcheck.schema.working_days import working_clock as _clock
from peelcheck.schema.working_days import working_day_number as _number

_SYMBOLS = {Op.EQ: "==", Op.NE: "!=", Op.LT: "<", Op.LE: "<=", Op.GT: ">", Op.GE: ">=", Op.IN: "in",
            Op.NOT_IN: "not in"}


_DATETIME = dt.datetime


def _window(x: Any, y: Any, sign: int, bound: int) -> bool | None:
    if x is None or y is None:
        return None
    if x.__class__ is _DATETIME and y.__class__ is _DATETIME:  # the usual case, in one subtraction
        return 0 <= sign * ((x - y) // V.ONE_MICRO) <= bound
    if V.is_date_only(x) or V.is_date_only(y):
        diff = (V.day_number(x) - V.day_number(y)) * V.MICROS_PER_DAY
    else:
        diff = V.micros(x) - V.micros(y)
    return 0 <= sign * diff <= bound


def _working_window(x: Any, y: Any, after: bool, limit: int) -> bool | None:
    """x within ``limit`` working days after y (or before): the numbers of ``working_days``, subtracted."""
    if x is None or y is None:
        return None
    earlier, later = (y, x) if after else (x, y)
    start, end = earlier.toordinal(), later.toordinal()
    # on different days (or with a date) the days decide the order; on one day, two datetimes' times
    by_day = V.is_date_only(x) or V.is_date_only(y) or start != end
    in_order = start <= end if by_day else earlier <= later
    return in_order and _number(end - 1) + 1 - _number(start) <= limit


def _working_window_by(x: Any, y: Any, limit: int, by: int) -> bool | None:
    """x within ``limit`` working days after y (two datetimes), by ``by`` microseconds past midnight on
    the last: x on the working-day clock (``working_clock``) at most W(y's day) + limit days and ``by``."""
    if x is None or y is None:
        return None
    return y <= x and _clock(x) <= (_number(y.toordinal()) + limit) * V.MICROS_PER_DAY + by


def _month_window(x: Any, y: Any, after: bool, months: int) -> bool | None:
    """x within ``months`` calendar months after y (or before): in order as ``_working_window`` judges
    it, then x's day against y's day moved by the months (``calendar_months``)."""
    if x is None or y is None:
        return None
    mine, theirs = x.toordinal(), y.toordinal()
    by_day = V.is_date_only(x) or V.is_date_only(y) or mine != theirs
    if after:
        return bool(theirs <= mine if by_day else y <= x) and mine <= _shifted(theirs, months)
    return bool(mine <= theirs if by_day else x <= y) and mine >= _shifted(theirs, -months)


def _field_compare(a: Any, b: Any, fn: Callable[[Any, Any], bool]) -> bool | None:
    if a is None or b is None:
        return None
    return fn(*_same_grain(a, b))


_OPERATORS = {Op.EQ: operator.eq, Op.NE: operator.ne, Op.LT: operator.lt, Op.LE: operator.le, Op.GT: operator.gt,
              Op.GE: operator.ge}


class _Writer:
    """Writes conditions as Python expressions over field locals (``f0``, ``f1``...) and constants ``K``."""

    def __init__(self, as_of: dt.date, flags: set[str]) -> None:
        self.as_of = as_of
        self.flags = flags  # bool fields: validated True, False or None, so a flag is its own truth value
        self.constants: list[Any] = []
        self.fields: dict[str, str] = {}  # field name -> the local holding its value
        self.temps = 0

    def const(self, value: Any) -> str:
        if type(value) in (bool, int, str) or type(value) is float and math.isfinite(value):
            return repr(value)  # written in the source: no table lookup per record
        self.constants.append(value)
        return f"K[{len(self.constants) - 1}]"

    def temp(self) -> str:
        self.temps += 1
        return f"t{self.temps}"

    def field(self, name: str) -> str:
        return self.fields.setdefault(name, f"f{len(self.fields)}")

    def expr(self, cond: Condition) -> str:
        if isinstance(cond, All) and len(cond.children) == 1 or isinstance(cond, AnyOf) and len(cond.children) == 1:
            return self.expr(cond.children[0])
        if isinstance(cond, (All, AnyOf)):  # stops at the first deciding part, as _all3/_any3 would decide
            decisive, other = ("False", "True") if isinstance(cond, All) else ("True", "False")
            names = [self.temp() for _ in cond.children]
            first = " or ".join(f"({t} := {self.expr(c)}) is {decisive}" for t, c in zip(names, cond.children))
            unknown = " or ".join(f"{t} is None" for t in names)
            return f"({decisive} if {first} else (None if {unknown} else {other}))"
        if isinstance(cond, Not):
            t = self.temp()
            return f"(None if ({t} := {self.expr(cond.child)}) is None else not {t})"
        value = self.field(cond.field)
        if isinstance(cond, Recorded):
            return f"({value} is {'not ' if cond.recorded else ''}None)"
        if isinstance(cond, Compare) and isinstance(cond.value, FieldRef):
            return f"_field_compare({value}, {self.field(cond.value.name)}, {self.const(_OPERATORS[cond.op])})"
        if isinstance(cond, Compare) and cond.op is Op.EQ and type(cond.value) is bool and cond.field in self.flags:
            return value if cond.value else f"(None if {value} is None else not {value})"
        if isinstance(cond, Compare):
            literal = self.const(frozenset(cond.value) if cond.op in (Op.IN, Op.NOT_IN) else cond.value)
            return f"(None if {value} is None else {value} {_SYMBOLS[cond.op]} {literal})"
        if isinstance(cond, Within) and cond.by is not None:
            return f"_working_window_by({value}, {self.field(cond.ref)}, {int(cond.amount)}, {cond.by_micros})"
        if isinstance(cond, Within) and cond.in_working_days:
            ref = self.const(self.as_of) if cond.ref == ASSESSMENT_DATE else self.field(cond.ref)
            return f"_working_window({value}, {ref}, {cond.direction == 'after'}, {int(cond.amount)})"
        if isinstance(cond, Within) and cond.in_months:
            ref = self.const(self.as_of) if cond.ref == ASSESSMENT_DATE else self.field(cond.ref)
            return f"_month_window({value}, {ref}, {cond.direction == 'after'}, {cond.months})"
        if isinstance(cond, Within):
            ref = self.const(self.as_of) if cond.ref == ASSESSMENT_DATE else self.field(cond.ref)
            sign = 1 if cond.direction == "after" else -1
            return f"_window({value}, {ref}, {sign}, {V.window_micros(cond.seconds)})"
        if isinstance(cond, ListCount):
            return f"(None if {value} is None else len({value}) {_SYMBOLS[cond.op]} {self.const(cond.value)})"
        if isinstance(cond, LongestGap) and cond.from_field is not None:
            start = self.field(cond.from_field)
            return (f"(None if {value} is None or {start} is None else _gap_from({value}, {start})"
                    f" {_SYMBOLS[cond.op]} {self.const(cond.value)})")
        if isinstance(cond, LongestGap):
            return f"(None if {value} is None else _gap({value}) {_SYMBOLS[cond.op]} {self.const(cond.value)})"
        raise TypeError(cond)


def _rule_statement(index: int, rule: CompiledRule, writer: _Writer) -> list[str]:
    """Counts the record in ``na<index>`` if the rule does not apply to it, or appends its failure
    code (see ``chunk_result``; ``j`` is its position times four) with ``x<index>``."""
    expect = []
    if rule.expect is not None:
        expect = [f"e = {writer.expr(rule.expect)}",
                  f"if e is not True: x{index}(j if e is False else j | {NOT_RECORDED})"]
    if rule.when is None:
        return [f"        {line}" for line in expect]
    return [f"        w = {writer.expr(rule.when)}",
            f"        if w is False: na{index} += 1",
            f"        elif w is None: x{index}(j | {WHEN_NOT_RECORDED})",
            *(["        else:", *(f"            {line}" for line in expect)] if expect else [])]


ChunkFunction = Callable[[Mapping[str, Sequence[Any]], int], ChunkResult]


def generate(rules: list[CompiledRule], as_of: dt.date) -> tuple[str, ChunkFunction]:
    """Source and function computing, for a chunk of records given by column (field name -> values,
    None where not recorded; a missing column is not recorded throughout) and its length, each
    rule's count of records it does not apply to and its failing records (``chunk_result``)."""
    # bool in the record type of every rule (one generate call serves one record type)
    flags = set.intersection(*({name for name, spec in rule.record_type.fields.items() if spec.type is FieldType.BOOL}
                               for rule in rules)) if rules else set()
    writer = _Writer(as_of, flags)
    statements = [line for i, rule in enumerate(rules) for line in _rule_statement(i, rule, writer)]
    body = ["def evaluate(columns, n):"]
    body += [f"    na{i} = 0; fail{i} = []; x{i} = fail{i}.append" for i in range(len(rules))]
    body += column_loop("j", "range(0, 4 * n, 4)", writer.fields)
    body += statements or ["        pass"]
    body.append("    return [" + ", ".join(f"na{i}" for i in range(len(rules))) + "], ["
                + ", ".join(f"fail{i}" for i in range(len(rules))) + "]")
    source = "\n".join(body) + "\n"
    namespace: dict[str, Any] = {
        "K": writer.constants, "_window": _window, "_working_window": _working_window,
        "_working_window_by": _working_window_by,
        "_month_window": _month_window,
        "_field_compare": _field_compare,
        "_gap": V.longest_gap_days,
        "_gap_from": V.longest_gap_days_from,
    }
    exec(compile(source, f"<peelcheck rules {','.join(r.id for r in rules)}>", "exec"), namespace)  # noqa: S102
    return source, namespace["evaluate"]
