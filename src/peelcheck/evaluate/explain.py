"""Why a record failed a rule: the clauses that decided it and the values they saw."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from peelcheck.compile.check import CompiledRule
from peelcheck.evaluate.reference import Record, Test, Truth, compile_test
from peelcheck.evaluate.values import plain
from peelcheck.schema.conditions import All, AnyOf, Condition, Not, leaves, referenced_fields
from peelcheck.schema.outcomes import Outcome
from peelcheck.schema.wording import describe


@dataclass(frozen=True)
class Reason:
    """The deciding clauses in words, and each field they read with its value (None: not recorded)."""

    part: str  # "when" (applicability could not be decided) or "expect"
    clauses: tuple[str, ...]
    values: dict[str, Any]

    @property
    def text(self) -> str:
        return "; ".join(self.clauses)


_TESTS: dict[tuple[int, dt.date], tuple[Condition, Test]] = {}


def _test(cond: Condition, as_of: dt.date) -> Test:
    """The compiled test of a condition node, compiled once per node (failures repeat the same rules)."""
    key = (id(cond), as_of)
    cached = _TESTS.get(key)
    if cached is None or cached[0] is not cond:
        if len(_TESTS) > 10_000:
            _TESTS.clear()
        cached = _TESTS[key] = (cond, compile_test(cond, as_of))
    return cached[1]


def _deciding(cond: Condition, record: Record, target: Truth, as_of: dt.date) -> list[Condition]:
    """The smallest parts of ``cond`` that give it the truth value ``target``."""
    if isinstance(cond, Not):
        flipped = None if target is None else not target
        return _deciding(cond.child, record, flipped, as_of)
    if isinstance(cond, AnyOf) and target is False and len(cond.children) > 1:
        return [cond]  # every alternative failed: name them together, not as if each were required
    if isinstance(cond, (All, AnyOf)):
        matching = [c for c in cond.children if _test(c, as_of)(record) is target]
        return [leaf for c in matching for leaf in _deciding(c, record, target, as_of)] or [cond]
    return [cond]


def explain(rule: CompiledRule, record: Record, outcome: Outcome, as_of: dt.date) -> Reason:
    """The reason for a non-compliant or not-recorded outcome (or, for other outcomes, the test)."""
    cond: Condition | None
    if outcome is Outcome.NOT_RECORDED and rule.when is not None and _test(rule.when, as_of)(record) is None:
        part, cond, target = "when", rule.when, None
    else:
        part = "expect"
        cond = rule.expect if rule.expect is not None else rule.when
        target = {Outcome.NON_COMPLIANT: False, Outcome.NOT_RECORDED: None}.get(outcome, True)
    if cond is None:
        return Reason(part, ("applies to every record",), {})
    parts = _deciding(cond, record, target, as_of)
    fields = [name for p in parts for name in referenced_fields(p)]
    values = {name: plain(record.get(name)) for name in dict.fromkeys(fields)}
    clauses = tuple(describe(p) for p in parts)
    if target is False:
        clauses = tuple(f"expected {c}" for c in clauses)
    if target is None:
        missing = [name for name, v in values.items() if v is None]
        clauses = tuple(f"{c} (not recorded: {', '.join(n for n in missing if n in referenced_fields(p))})"
                        for c, p in zip(clauses, parts))
    return Reason(part, clauses, values)


__all__ = ["Reason", "explain", "leaves"]
