"""The python engine: a record type's rules generated as one straight-line Python function.

The closure evaluator in ``reference`` is the oracle, written to be read; this module writes the
same three-valued logic as Python source (one loop over a chunk, every rule inline, constants in a
table) because calling closures per record and rule costs more than the rules themselves. The
property tests hold this engine, the reference and durable-rules to the same outcomes.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from typing import Any

from peelcheck.compile.check import CompiledRule
from peelcheck.evaluate import values as V
from peelcheck.evaluate.reference import _same_grain
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
from peelcheck.schema.outcomes import Outcome

_SYMBOLS = {Op.EQ: "==", Op.NE: "!=", Op.LT: "<", Op.LE: "<=", Op.GT: ">", Op.GE: ">=", Op.IN: "in",
            Op.NOT_IN: "not in"}


def _all3(parts: tuple[bool | None, ...]) -> bool | None:
    return False if False in parts else (None if None in parts else True)


def _any3(parts: tuple[bool | None, ...]) -> bool | None:
    return True if True in parts else (None if None in parts else False)


def _window(x: Any, y: Any, sign: int, bound: int) -> bool | None:
    if x is None or y is None:
        return None
    if V.is_date_only(x) or V.is_date_only(y):
        diff = (V.day_number(x) - V.day_number(y)) * V.MICROS_PER_DAY
    else:
        diff = V.micros(x) - V.micros(y)
    return 0 <= sign * diff <= bound


def _field_compare(a: Any, b: Any, fn: Callable[[Any, Any], bool]) -> bool | None:
    if a is None or b is None:
        return None
    return fn(*_same_grain(a, b))


_OPERATORS = {Op.EQ: operator.eq, Op.NE: operator.ne, Op.LT: operator.lt, Op.LE: operator.le, Op.GT: operator.gt,
              Op.GE: operator.ge}


class _Writer:
    """Writes conditions as Python expressions over ``g`` (the record's get) and constants ``K``."""

    def __init__(self, as_of: dt.date) -> None:
        self.as_of = as_of
        self.constants: list[Any] = []

    def const(self, value: Any) -> str:
        self.constants.append(value)
        return f"K[{len(self.constants) - 1}]"

    def expr(self, cond: Condition) -> str:
        if isinstance(cond, All) and len(cond.children) == 1 or isinstance(cond, AnyOf) and len(cond.children) == 1:
            return self.expr(cond.children[0])
        if isinstance(cond, All):
            return "_all3((" + ", ".join(self.expr(c) for c in cond.children) + ",))"
        if isinstance(cond, AnyOf):
            return "_any3((" + ", ".join(self.expr(c) for c in cond.children) + ",))"
        if isinstance(cond, Not):
            return f"(None if (n := {self.expr(cond.child)}) is None else not n)"
        name = self.const(cond.field)
        if isinstance(cond, Recorded):
            return f"(g({name}) is {'not ' if cond.recorded else ''}None)"
        if isinstance(cond, Compare) and isinstance(cond.value, FieldRef):
            return f"_field_compare(g({name}), g({self.const(cond.value.name)}), {self.const(_OPERATORS[cond.op])})"
        if isinstance(cond, Compare):
            value = self.const(frozenset(cond.value) if cond.op in (Op.IN, Op.NOT_IN) else cond.value)
            return f"(None if (v := g({name})) is None else v {_SYMBOLS[cond.op]} {value})"
        if isinstance(cond, Within):
            ref = self.const(self.as_of) if cond.ref == ASSESSMENT_DATE else f"g({self.const(cond.ref)})"
            sign = 1 if cond.direction == "after" else -1
            return f"_window(g({name}), {ref}, {sign}, {V.window_micros(cond.seconds)})"
        if isinstance(cond, ListCount):
            return f"(None if (v := g({name})) is None else len(v) {_SYMBOLS[cond.op]} {self.const(cond.value)})"
        if isinstance(cond, LongestGap):
            return (f"(None if (v := g({name})) is None else _gap(v) {_SYMBOLS[cond.op]} "
                    f"{self.const(cond.value)})")
        raise TypeError(cond)


def _rule_statement(index: int, rule: CompiledRule, writer: _Writer) -> list[str]:
    when = writer.expr(rule.when) if rule.when is not None else "True"
    lines = [f"        w = {when}",
             f"        if w is False: a{index}(NA)",
             f"        elif w is None: a{index}(NR)"]
    if rule.expect is None:
        lines.append(f"        else: a{index}(C)")
    else:
        lines += ["        else:",
                  f"            e = {writer.expr(rule.expect)}",
                  f"            a{index}(C if e is True else (NC if e is False else NR))"]
    return lines


ChunkFunction = Callable[[list[dict[str, Any]]], list[list[Outcome]]]


def generate(rules: list[CompiledRule], as_of: dt.date) -> tuple[str, ChunkFunction]:
    """Source and function computing, for a chunk of records, each rule's outcome for each record."""
    writer = _Writer(as_of)
    body = ["def evaluate(records):"]
    body += [f"    out{i} = []; a{i} = out{i}.append" for i in range(len(rules))]
    body += ["    for r in records:", "        g = r.get"]
    for i, rule in enumerate(rules):
        body += _rule_statement(i, rule, writer)
    body.append("    return [" + ", ".join(f"out{i}" for i in range(len(rules))) + "]")
    source = "\n".join(body) + "\n"
    namespace: dict[str, Any] = {
        "K": writer.constants, "_all3": _all3, "_any3": _any3, "_window": _window, "_field_compare": _field_compare,
        "_gap": V.longest_gap_days, "NA": Outcome.NOT_APPLICABLE, "NR": Outcome.NOT_RECORDED,
        "C": Outcome.COMPLIANT, "NC": Outcome.NON_COMPLIANT,
    }
    exec(compile(source, f"<peelcheck rules {','.join(r.id for r in rules)}>", "exec"), namespace)  # noqa: S102
    return source, namespace["evaluate"]
