"""Conditions in plain words, as rule docs and a finding's reason show them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from peelcheck.schema.conditions import (
    ASSESSMENT_DATE,
    All,
    AnyOf,
    Compare,
    Condition,
    FieldRef,
    ListCount,
    Not,
    Op,
    Recorded,
    Within,
)

_OP_WORDS = {Op.EQ: "is", Op.NE: "is not", Op.LT: "is less than", Op.LE: "is at most", Op.GT: "is more than",
             Op.GE: "is at least", Op.IN: "is one of", Op.NOT_IN: "is none of"}


def describe(cond: Condition) -> str:
    """The condition in plain words, as a finding's reason shows it."""
    if isinstance(cond, All):
        return "all of (" + "; ".join(describe(c) for c in cond.children) + ")"
    if isinstance(cond, AnyOf):
        return "any of (" + "; ".join(describe(c) for c in cond.children) + ")"
    if isinstance(cond, Not):
        return "not (" + describe(cond.child) + ")"
    if isinstance(cond, Compare):
        value = cond.value
        if isinstance(value, FieldRef):
            shown = value.name
        elif isinstance(value, tuple):
            shown = "[" + ", ".join(show_value(v) for v in value) + "]"
        else:
            shown = show_value(value)
        return f"{cond.field} {_OP_WORDS[cond.op]} {shown}"
    if isinstance(cond, Recorded):
        return f"{cond.field} is {'recorded' if cond.recorded else 'not recorded'}"
    if isinstance(cond, Within):
        ref = "the assessment date" if cond.ref == ASSESSMENT_DATE else cond.ref
        return f"{cond.field} is within {_number(cond.amount)} {cond.unit_words} {cond.direction} {ref}{cond.by_words}"
    if isinstance(cond, ListCount):
        return f"number of {cond.field} {_OP_WORDS[cond.op]} {cond.value}"
    start = f", from {cond.from_field}" if cond.from_field is not None else ""
    return f"longest gap between {cond.field} (days{start}) {_OP_WORDS[cond.op]} {_number(cond.value)}"


def show_value(value: Any) -> str:
    """A value as rules write it: true/false, quoted text, and "not recorded" for a missing one."""
    if value is None:
        return "not recorded"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    return str(value)


def in_words(cond: Condition, names: Mapping[str, str]) -> str:
    """The condition as a reader of the report says it: each field by its description (``names``),
    a yes/no field as its own statement. Rule docs and tools keep ``describe``'s field names."""
    if isinstance(cond, (All, AnyOf)):
        joined = "; ".join(in_words(c, names) for c in cond.children)
        return ("all of (" if isinstance(cond, All) else "any of (") + joined + ")"
    if isinstance(cond, Not):
        return "not (" + in_words(cond.child, names) + ")"
    what = _said(cond.field, names)
    if isinstance(cond, Compare) and isinstance(cond.value, bool) and cond.op in (Op.EQ, Op.NE):
        return what if cond.value == (cond.op is Op.EQ) else f"not so: {what}"
    if isinstance(cond, Within):
        ref = "the assessment date" if cond.ref == ASSESSMENT_DATE else _said(cond.ref, names)
        return f"{what}: within {_number(cond.amount)} {cond.unit_words} {cond.direction} {ref}{cond.by_words}"
    if isinstance(cond, Compare) and isinstance(cond.value, FieldRef):
        return f"{what} {_OP_WORDS[cond.op]} {_inside(_said(cond.value.name, names))}"
    if isinstance(cond, ListCount):
        return f"{what}: how many {_OP_WORDS[cond.op]} {cond.value}"
    if isinstance(cond, (Compare, Recorded)):
        return f"{what}: {describe(cond).removeprefix(cond.field + ' ')}"
    start = "" if cond.from_field is None else f", from {_inside(_said(cond.from_field, names))}"
    return f"{what}: (days{start}) {_OP_WORDS[cond.op]} {_number(cond.value)}"


def _number(amount: float) -> float | int:
    """A whole amount without its ".0"."""
    return int(amount) if amount == int(amount) else amount


def _inside(said: str) -> str:
    """Another field's words inside a sentence: its first letter lower case."""
    return said[:1].lower() + said[1:]


def _said(field: str, names: Mapping[str, str]) -> str:
    return names.get(field, field).strip().rstrip(".")
