"""Why a record failed a rule: the clauses that decided it and the values they saw."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from peelcheck.compile.check import CompiledRule
from peelcheck.evaluate.reference import Record, Test, Truth, compile_test
from peelcheck.evaluate.values import plain
from peelcheck.schema.conditions import All, AnyOf, Condition, Not, leaves, referenced_fields
from peelcheck.schema.outcomes import Outcome
from peelcheck.schema.wording import describe


class Reason(NamedTuple):
    """The deciding clauses in words, and each field they read with its value (None: not recorded)."""

    part: str  # "when" (applicability could not be decided) or "expect"
    clauses: tuple[str, ...]
    values: dict[str, Any]

    @property
    def text(self) -> str:
        return "; ".join(self.clauses)


@dataclass(frozen=True)
class _Node:
    """A condition node with what explaining it needs, worked out once (failures repeat the same rules)."""

    cond: Condition
    test: Test
    fields: tuple[str, ...]
    words: str


_NODES: dict[tuple[int, dt.date], _Node] = {}


def _node(cond: Condition, as_of: dt.date) -> _Node:
    key = (id(cond), as_of)
    node = _NODES.get(key)
    if node is None or node.cond is not cond:
        if len(_NODES) > 10_000:
            _NODES.clear()
        node = _NODES[key] = _Node(cond, compile_test(cond, as_of), tuple(referenced_fields(cond)), describe(cond))
    return node


def _deciding(cond: Condition, record: Record, target: Truth, as_of: dt.date) -> list[_Node]:
    """The smallest parts of ``cond`` that give it the truth value ``target``."""
    if isinstance(cond, Not):
        flipped = None if target is None else not target
        return _deciding(cond.child, record, flipped, as_of)
    if isinstance(cond, AnyOf) and target is False and len(cond.children) > 1:
        return [_node(cond, as_of)]  # every alternative failed: name them together, not as if each were required
    if isinstance(cond, (All, AnyOf)):
        matching = [c for c in cond.children if _node(c, as_of).test(record) is target]
        return [leaf for c in matching for leaf in _deciding(c, record, target, as_of)] or [_node(cond, as_of)]
    return [_node(cond, as_of)]


_TARGETS: dict[Outcome, Truth] = {Outcome.NON_COMPLIANT: False, Outcome.NOT_RECORDED: None}
_CLAUSES: dict[tuple[tuple[int, ...], Truth, tuple[str, ...]], tuple[str, ...]] = {}


def _clauses(parts: list[_Node], target: Truth, missing: tuple[str, ...]) -> tuple[str, ...]:
    """The deciding parts in words; the same few texts repeat across a rule's failures, so each is made once."""
    key = (tuple([id(p.cond) for p in parts]), target, missing)
    clauses = _CLAUSES.get(key)
    if clauses is None:
        if target is False:
            clauses = tuple(f"expected {p.words}" for p in parts)
        elif target is None:
            clauses = tuple(f"{p.words} (not recorded: {', '.join(n for n in p.fields if n in missing)})"
                            for p in parts)
        else:
            clauses = tuple(p.words for p in parts)
        if len(_CLAUSES) > 10_000:
            _CLAUSES.clear()
        _CLAUSES[key] = clauses  # its nodes are kept alive by _NODES, so their ids are not reused meanwhile
    return clauses


def explain(rule: CompiledRule, record: Record, outcome: Outcome, as_of: dt.date, part: str | None = None) -> Reason:
    """The reason for a non-compliant or not-recorded outcome (or, for other outcomes, the test).

    ``record`` needs only the fields the rule reads. ``part`` is which part failed ("when": its
    applicability is not recorded), where the evaluator knows; otherwise it is worked out."""
    cond: Condition | None
    if part is None:
        undecided = outcome is Outcome.NOT_RECORDED and rule.when is not None
        part = "when" if undecided and _node(rule.when, as_of).test(record) is None else "expect"  # type: ignore[arg-type]
    if part == "when":
        cond, target = rule.when, None
    else:
        cond = rule.expect if rule.expect is not None else rule.when
        target = _TARGETS.get(outcome, True)
    if cond is None:
        return Reason(part, ("applies to every record",), {})
    if isinstance(cond, (All, AnyOf, Not)):
        parts = _deciding(cond, record, target, as_of)
        fields: Iterable[str] = dict.fromkeys(n for p in parts for n in p.fields)
    else:  # a single test decides by itself
        parts = [_node(cond, as_of)]
        fields = parts[0].fields
    values = {name: plain(record.get(name)) for name in fields}
    missing = tuple(n for n, v in values.items() if v is None) if target is None else ()
    return Reason(part, _clauses(parts, target, missing), values)


__all__ = ["Reason", "explain", "leaves"]
