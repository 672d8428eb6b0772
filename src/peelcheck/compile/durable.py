"""Compiling rules into durable-rules rulesets (its declarative JSON form).

Facts are flat: each record becomes one fact whose keys are the fields the rules read, encoded as
exact integers where needed (see ``schema.values``), plus derived keys a list or a day-level
comparison needs (suffixes in capitals never collide with field names, which are lower case).

For each rule three durable rules fire on three of its outcomes: compliant (``C``), non-compliant
(``N``) and either not recorded (``R``) or not applicable (``A``); a record none of them names has
the fourth outcome (see ``outcome_expressions``). Each condition compiles to the three durable
expressions (built by ``durable_expressions``) under which it is True, False or unknown (Kleene
logic), every comparison guarded by ``$ex`` because durable-rules treats a comparison with a
missing field as true. Every expression carries the discriminator ``TYPE`` so the session's state
object never matches.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from peelcheck.compile import durable_calendar as calendar
from peelcheck.compile import durable_envelope as envelope
from peelcheck.compile.check import CompiledRule
from peelcheck.compile.durable_envelope import MAX_INT, MAX_MICROS, TooComplex, clamp
from peelcheck.compile.durable_expressions import Expr, and_, compare, ex, guarded, nex, or_, pruned
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
from peelcheck.schema.pack import FieldType, RecordTypeSpec
from peelcheck.schema.values import MICROS_PER_DAY, day_number, duration_micros, micros, window_micros

DISCRIMINATOR = "TYPE"
DAY, COUNT, GAP, MEMBER = "_D", "_N", "_G", "_M"  # derived-key suffixes
# a day's working-day number W (``schema.working_days``), and its eve's, W(day - 1)
WORKDAY, EVE = "_W", "_P"
# a datetime on the working-day clock (``working_days.working_clock``), and the start of its day's working day
CLOCK, START = "_C", "_O"
# a day's number moved by N calendar months ("_S6", "_S-12": ``calendar_months.shifted_day``)
SHIFTED = "_S"
OUTCOME_CODES = ("C", "N", "R", "A")
SEEN = "seen"


@dataclass(frozen=True)
class Encoding:
    """How a record's value is put into a fact: under ``key``, as ``kind``."""

    field: str
    key: str
    # bool | float | text | int | micros | day | workday | eve | clock | start | shifted | count | gap | gap_from
    # | member
    kind: str
    members: frozenset[Any] | None = None  # for member: 1 when the value is one of these, else 0
    months: int = 0  # for shifted: the calendar months the day is moved by
    other: str | None = None  # for gap_from: the field whose day the gaps are counted from (both recorded)


@dataclass
class CompiledRuleset:
    """A record type's rules as one durable-rules ruleset, with the fact encodings it needs."""

    record_type: str
    definition: dict[str, Any]
    encodings: list[Encoding]
    rule_ids: list[str]
    names: dict[str, tuple[int, str]] = field(default_factory=dict)  # durable rule -> (rule index, code)
    unnamed: list[str] = field(default_factory=list)  # per rule: the outcome code no durable rule fires for
    has_floats: bool = True  # whether facts can carry floats (float fields are sent as they are)


_RAW_KINDS = {FieldType.STRING: "text", FieldType.ENUM: "text", FieldType.INT: "int", FieldType.BOOL: "bool",
              FieldType.FLOAT: "float"}


class ConditionCompiler:
    """Compiles conditions of one record type, noting the fact keys they read."""

    def __init__(self, record_type: RecordTypeSpec, as_of: dt.date) -> None:
        self.fields = record_type.fields
        self.as_of = as_of
        self.encodings: dict[str, Encoding] = {}

    def key(self, name: str, grain: str | None = None) -> str:
        """The fact key for a field, registering how to encode it."""
        kind = self.fields[name].type
        if grain == "day" and kind is FieldType.DATETIME:
            enc = Encoding(name, name + DAY, "day")
        elif grain in ("workday", "eve"):
            enc = Encoding(name, name + (WORKDAY if grain == "workday" else EVE), grain)
        elif grain in ("clock", "start"):
            enc = Encoding(name, name + (CLOCK if grain == "clock" else START), grain)
        elif grain in ("count", "gap"):
            enc = Encoding(name, name + (COUNT if grain == "count" else GAP), grain)
        elif kind is FieldType.DATE_LIST:
            enc = Encoding(name, name + COUNT, "count")  # a list is recorded iff its count is
        elif kind in (FieldType.DATETIME, FieldType.DURATION):
            enc = Encoding(name, name, "micros")
        elif kind is FieldType.DATE:
            enc = Encoding(name, name, "day")
        else:
            enc = Encoding(name, name, _RAW_KINDS[kind])
        self.encodings.setdefault(enc.key, enc)
        return enc.key

    def shifted_key(self, name: str, months: int) -> str:
        """A derived key holding the day number of the field's day moved by ``months`` calendar months."""
        enc = Encoding(name, f"{name}{SHIFTED}{months}", "shifted", months=months)
        self.encodings.setdefault(enc.key, enc)
        return enc.key

    def gap_from_key(self, name: str, start: str) -> str:
        """A derived key holding the longest gap of the list's days and ``start``'s day together
        (``values.longest_gap_days_from``), absent unless both fields are recorded."""
        enc = Encoding(name, f"{name}{GAP}_{start}", "gap_from", other=start)
        self.encodings.setdefault(enc.key, enc)
        return enc.key

    def member_key(self, name: str, values: tuple[Any, ...]) -> str:
        """A derived key telling whether the field's value is one of ``values`` (1) or not (0)."""
        members = frozenset(values)
        for enc in self.encodings.values():
            if enc.field == name and enc.members == members:
                return enc.key
        key = f"{name}{MEMBER}{sum(1 for e in self.encodings.values() if e.kind == 'member')}"
        self.encodings[key] = Encoding(name, key, "member", members)
        return key

    def literal(self, name: str, value: Any) -> Any:
        """A literal as facts carry the field's values: inside the envelope (see durable_envelope)."""
        kind = self.fields[name].type
        if kind is FieldType.DATETIME:
            return clamp(micros(value), MAX_MICROS)
        if kind is FieldType.DURATION:
            return clamp(duration_micros(value), MAX_MICROS)
        if kind is FieldType.DATE:
            return day_number(value)
        if kind is FieldType.INT:
            return clamp(value, MAX_INT)
        if kind in (FieldType.STRING, FieldType.ENUM):
            return envelope.text(value)
        return value

    def tfu(self, cond: Condition, unknown: bool = True) -> tuple[Expr, Expr, Expr]:
        """The expressions under which ``cond`` is True, False and unknown (the last only if
        ``unknown``: it repeats its children's three, so it grows geometrically with nesting)."""
        if isinstance(cond, Not):
            t, f, u = self.tfu(cond.child, unknown)
            return f, t, u
        if isinstance(cond, (All, AnyOf)) and len(cond.children) == 1:
            return self.tfu(cond.children[0], unknown)
        if isinstance(cond, (All, AnyOf)):
            parts = [self.tfu(c, unknown) for c in cond.children]
            ts, fs, us = [p[0] for p in parts], [p[1] for p in parts], [p[2] for p in parts]
            if isinstance(cond, All):
                t, f, pick = and_(*ts), or_(*fs), ts
            else:
                t, f, pick = or_(*ts), and_(*fs), fs
            u = and_(*(or_(x, y) for x, y in zip(pick, us)), or_(*us)) if unknown else False
            # Stop as soon as a rule cannot fit durable-rules anyway, so compiling stays cheap.
            if envelope.weight(t) + envelope.weight(f) + envelope.weight(u) > envelope.MAX_WEIGHT:
                raise TooComplex("its conditions, written for durable-rules, outgrow the engine's limits")
            return t, f, u
        if isinstance(cond, Recorded):
            k = self.key(cond.field)
            return (ex(k), nex(k), False) if cond.recorded else (nex(k), ex(k), False)
        if isinstance(cond, Compare):
            return self._compare(cond)
        if isinstance(cond, Within):
            return self._within(cond)
        if isinstance(cond, LongestGap) and cond.from_field is not None:
            k = self.gap_from_key(cond.field, cond.from_field)
            return self._literal_test(k, compare(k, cond.op, cond.value), compare(k, cond.op.negated, cond.value))
        if isinstance(cond, (ListCount, LongestGap)):
            k = self.key(cond.field, "count" if isinstance(cond, ListCount) else "gap")
            value = clamp(cond.value, MAX_INT) if isinstance(cond, ListCount) else cond.value
            return self._literal_test(k, compare(k, cond.op, value), compare(k, cond.op.negated, value))
        raise TypeError(cond)

    @staticmethod
    def _literal_test(key: str, true: Expr, false: Expr) -> tuple[Expr, Expr, Expr]:
        # A comparison with a literal never matches a missing field (tested in test_durable_traps),
        # so it needs no $ex guard; comparisons with another field do.
        return true, false, nex(key)

    def _compare(self, cond: Compare) -> tuple[Expr, Expr, Expr]:
        if isinstance(cond.value, FieldRef):
            other = cond.value.name
            mixed = {self.fields[cond.field].type, self.fields[other].type} == {FieldType.DATE, FieldType.DATETIME}
            grain = "day" if mixed else None
            a, b = self.key(cond.field, grain), self.key(other, grain)
            ref = {"$m": b}
            return guarded([a, b], compare(a, cond.op, ref), compare(a, cond.op.negated, ref))
        if cond.op in (Op.IN, Op.NOT_IN) and len(cond.value) > envelope.MAX_IN_LIST:
            k = self.member_key(cond.field, cond.value)  # a long $or would crowd the engine's alpha nodes
            inside, outside = {k: 1}, {k: 0}
            return self._literal_test(k, *((inside, outside) if cond.op is Op.IN else (outside, inside)))
        k = self.key(cond.field)
        if cond.op in (Op.IN, Op.NOT_IN):
            operand: Any = [self.literal(cond.field, v) for v in cond.value]
        else:
            operand = self.literal(cond.field, cond.value)
        return self._literal_test(k, compare(k, cond.op, operand), compare(k, cond.op.negated, operand))

    def _within(self, cond: Within) -> tuple[Expr, Expr, Expr]:
        day_grain = cond.ref == ASSESSMENT_DATE or FieldType.DATE in (
            self.fields[cond.field].type, self.fields[cond.ref].type)
        grain = "day" if day_grain else None
        if cond.by is not None:
            return calendar.working_days_by(self, cond)
        if cond.in_working_days:
            return calendar.working_days(self, cond, grain)
        if cond.in_months:
            return calendar.months(self, cond, grain)
        bound = window_micros(cond.seconds)
        if day_grain:
            bound //= MICROS_PER_DAY  # day differences are whole: d * MICROS_PER_DAY <= b iff d <= b // MICROS
        x = self.key(cond.field, grain)
        keys = [x]
        if cond.ref == ASSESSMENT_DATE:
            y: Any = day_number(self.as_of)
            near, far = y, (y + bound if cond.direction == "after" else y - bound)
        else:
            keys.append(self.key(cond.ref, grain))
            y = {"$m": keys[1]}
            step = "$add" if cond.direction == "after" else "$sub"
            near, far = y, {step: {"$l": y, "$r": bound}}
        if cond.direction == "after":  # y <= x <= y + bound
            true = and_({"$gte": {x: near}}, {"$lte": {x: far}})
            false = or_({"$lt": {x: near}}, {"$gt": {x: far}})
        else:  # y - bound <= x <= y
            true = and_({"$lte": {x: near}}, {"$gte": {x: far}})
            false = or_({"$gt": {x: near}}, {"$lt": {x: far}})
        if cond.ref == ASSESSMENT_DATE:
            # Against literals no guard is needed (a missing key never matches one), and none is wanted: the
            # guard's $and, with the $or it holds, costs 4 of durable-rules' 32 expressions in a condition
            return self._literal_test(x, true, false)
        return guarded(keys, true, false)


def outcome_expressions(rule: CompiledRule, compiler: ConditionCompiler, unnamed: str = "A") -> dict[str, Expr]:
    """Expressions for three of a rule's four outcomes; a record none of them names has ``unnamed``.

    Exactly one of true / false / unknown holds for any condition, so either choice is exact.
    "A" (not applicable unnamed) gives the fewest matches; "R" (not recorded unnamed) avoids the
    unknown-expression, which can outgrow durable-rules' limit of 31 expressions in a condition.
    """
    unknown = unnamed != "R"
    wt, wf, wu = compiler.tfu(rule.when, unknown) if rule.when is not None else (True, False, False)
    if rule.expect is None:
        named = {"C": wt, "N": False, "R": wu, "A": wf}
    else:
        et, ef, eu = compiler.tfu(rule.expect, unknown)
        named = {"C": and_(wt, et), "N": and_(wt, ef), "R": or_(wu, and_(wt, eu)), "A": wf}
    named.pop(unnamed)
    return named


def compile_ruleset(rules: list[CompiledRule], record_type: RecordTypeSpec, as_of: dt.date,
                    cap: int = 1000, unnamed: list[str] | None = None) -> CompiledRuleset:
    """One durable-rules ruleset for all the given rules of one record type.

    ``unnamed`` chooses, per rule, the outcome no durable rule fires for ("C", "A" or "R"; default "A").
    """
    unnamed = list(unnamed) if unnamed is not None else ["A"] * len(rules)
    compiler = ConditionCompiler(record_type, as_of)
    definition: dict[str, Any] = {}
    names: dict[str, tuple[int, str]] = {}
    for index, rule in enumerate(rules):
        for code, expr in outcome_expressions(rule, compiler, unnamed[index]).items():
            if expr is False:
                continue
            name = f"r{index}{code}"
            definition[name] = {"all": [{"m": and_({DISCRIMINATOR: 1}, pruned(expr))}], "cap": cap}
            names[name] = (index, code)
    # Every fact matches SEEN, so a fact durable-rules dropped is noticed, not read as "not applicable".
    definition[SEEN] = {"all": [{"m": {DISCRIMINATOR: 1}}], "cap": cap}
    encodings = list(compiler.encodings.values())
    floats = any(e.kind == "float" for e in encodings)
    return CompiledRuleset(record_type.name, definition, encodings, [r.id for r in rules], names, unnamed, floats)
