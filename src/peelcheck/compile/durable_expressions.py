"""durable-rules expressions (its declarative JSON) built and simplified: and, or, exists, comparisons.

Kept apart from the compiler of conditions (``durable``): these are the engine's own expression
forms, folded as they are built (constants simplified away, repeats dropped, nested ``$and`` /
``$or`` flattened), so that what the compiler makes stays within durable-rules' limits.
"""

from __future__ import annotations

import json
from typing import Any

from peelcheck.schema.conditions import Op

Expr = dict[str, Any] | bool  # True / False are constants, simplified away
_DURABLE_OPS = {Op.NE: "$neq", Op.LT: "$lt", Op.LE: "$lte", Op.GT: "$gt", Op.GE: "$gte"}
_LITERAL_OPS = frozenset(_DURABLE_OPS.values())


def _unique(parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for p in parts:
        seen.setdefault(_text(p), p)
    return list(seen.values())


def _joined(operator: str, deciding: bool, parts: tuple[Expr, ...]) -> Expr:
    """``parts`` under ``$and`` (``deciding`` False: a False part decides) or ``$or`` (True decides), nested
    ones of the same operator flattened, repeats dropped, and a lone part standing alone."""
    kept: list[dict[str, Any]] = []
    for p in parts:
        if isinstance(p, bool):
            if p is deciding:
                return deciding
            continue  # the other constant changes nothing
        kept.extend(p[operator] if set(p) == {operator} else [p])
    kept = _unique(kept)
    if not deciding:
        kept = _without_implied_guards(kept)
    if not kept:
        return not deciding
    return kept[0] if len(kept) == 1 else {operator: kept}


def _literal_key(part: dict[str, Any]) -> str | None:
    """The key a test compares with a literal (``{k: 5}``, ``{"$lte": {k: 5}}``), else None."""
    if len(part) != 1:
        return None
    name, body = next(iter(part.items()))
    if name in _LITERAL_OPS and isinstance(body, dict) and len(body) == 1:
        name, body = next(iter(body.items()))
    elif name.startswith("$"):
        return None
    return name if not isinstance(body, (dict, list)) else None


def _without_implied_guards(parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An ``$and``'s parts less each ``$ex`` of a key another part compares with a literal: such a test never
    matches a missing key (test_durable_traps), so the guard adds nothing, and dropping it can leave an
    ``$and`` of one part, saving two of durable-rules' 32 expressions in a condition."""
    compared = {_literal_key(p) for p in parts} - {None}
    return [p for p in parts if not (set(p) == {"$ex"} and set(p["$ex"]) <= compared)]


def and_(*parts: Expr) -> Expr:
    return _joined("$and", False, parts)


def or_(*parts: Expr) -> Expr:
    return _joined("$or", True, parts)


def ex(key: str) -> dict[str, Any]:
    return {"$ex": {key: 1}}


def nex(key: str) -> dict[str, Any]:
    return {"$nex": {key: 1}}


def compare(key: str, op: Op, operand: Any) -> Expr:
    if op is Op.EQ:
        return {key: operand}
    if op is Op.IN:
        return or_(*({key: v} for v in operand))
    if op is Op.NOT_IN:
        return and_(*({"$neq": {key: v}} for v in operand))
    return {_DURABLE_OPS[op]: {key: operand}}


__all__ = ["Expr", "and_", "compare", "ex", "nex", "or_"]


def guarded(keys: list[str], true: Expr, false: Expr) -> tuple[Expr, Expr, Expr]:
    """True, false and unknown for a test of ``keys`` (another field, a derived key): each key present for the
    first two, since durable-rules takes a comparison with a missing key as true; any missing for unknown."""
    present = and_(*(ex(k) for k in keys))
    return and_(present, true), and_(present, false), or_(*(nex(k) for k in keys))


def pruned(expr: Expr) -> Expr:
    """``expr`` with each leaf test that recurs below a group holding it as a direct part replaced by what that
    group already tells of it: true below an ``$and`` that holds it, false below an ``$or``. Exact boolean
    algebra (a test is a fixed predicate of the fact), refolded; it saves groups, each of which costs two of
    durable-rules' 32 expressions in a condition (a window's bound repeated under the window's negation)."""
    return _pruned(expr, {})


def _pruned(expr: Expr, known: dict[str, bool]) -> Expr:
    if isinstance(expr, bool) or set(expr) - {"$and", "$or"} or len(expr) != 1:
        return known.get(_text(expr), expr) if not isinstance(expr, bool) else expr
    operator = next(iter(expr))
    parts = expr[operator]
    leaves = [p for p in parts if set(p) - {"$and", "$or"}]
    here = {**known, **{_text(p): operator == "$and" for p in leaves}}
    kept = [known.get(_text(p), p) if p in leaves else _pruned(p, here) for p in parts]
    return and_(*kept) if operator == "$and" else or_(*kept)


def _text(part: dict[str, Any]) -> str:
    """A test's identity: two tests written alike are one predicate."""
    return json.dumps(part, sort_keys=True, default=str)
