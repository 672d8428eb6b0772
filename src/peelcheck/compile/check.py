"""Binding a rule's conditions to its record type: fields exist, operators suit their types,
literals are typed. The result is a CompiledRule the evaluators run."""

from __future__ import annotations

import dataclasses
import difflib
import math
from dataclasses import dataclass
from typing import Any

from peelcheck.compile.literals import LiteralTypeError, typed_literal
from peelcheck.errors import Diagnostic
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
from peelcheck.schema.rule import Rule

_NUMERIC = {FieldType.INT, FieldType.FLOAT}
BREAKDOWN_TYPES = (FieldType.ENUM, FieldType.BOOL, FieldType.STRING)  # values a report can list one by one
_TEXT = {FieldType.STRING, FieldType.ENUM}


@dataclass(frozen=True)
class CompiledRule:
    """A rule bound to its record type, with typed conditions (``when`` None means 'every record')."""

    rule: Rule
    record_type: RecordTypeSpec
    when: Condition | None
    expect: Condition | None

    @property
    def id(self) -> str:
        return self.rule.id


def comparable(left: FieldType, right: FieldType, op: Op) -> bool:
    """Whether two field types can be compared with ``op`` (a date with a number cannot)."""
    for family in (_NUMERIC, _TEXT, {FieldType.DATE, FieldType.DATETIME}):
        if left in family and right in family:
            return not op.is_ordering or left.is_ordered
    if left == right and left not in (FieldType.DATE_LIST,):
        return not op.is_ordering or left.is_ordered
    return False


class Binder:
    """Type-checks one condition tree against a record type, collecting diagnostics."""

    def __init__(self, record_type: RecordTypeSpec) -> None:
        self.record_type = record_type
        self.diagnostics: list[Diagnostic] = []

    def _type_of(self, name: str, node: Any) -> FieldType | None:
        spec = self.record_type.fields.get(name)
        if spec is None:
            known = ", ".join(sorted(self.record_type.fields))
            close = difflib.get_close_matches(name, list(self.record_type.fields), n=1)
            self.diagnostics.append(Diagnostic(
                "unknown-field", f"record type {self.record_type.name!r} has no field {name!r}", node.loc,
                hint=(f"did you mean {close[0]!r}? " if close else "") + f"its fields are: {known}"))
            return None
        return spec.type

    def _fail(self, node: Any, message: str, code: str = "type-mismatch") -> None:
        self.diagnostics.append(Diagnostic(code, message, node.loc))

    def bind(self, cond: Condition) -> Condition | None:
        if isinstance(cond, (All, AnyOf)):
            kids = [self.bind(c) for c in cond.children]
            if any(k is None for k in kids):
                return None
            return dataclasses.replace(cond, children=tuple(k for k in kids if k is not None))
        if isinstance(cond, Not):
            kid = self.bind(cond.child)
            return dataclasses.replace(cond, child=kid) if kid is not None else None
        kind = self._type_of(cond.field, cond)
        if kind is None:
            return None
        if isinstance(cond, Recorded):
            return cond
        if isinstance(cond, Compare):
            return self._compare(cond, kind)
        if isinstance(cond, Within):
            return self._within(cond, kind)
        if isinstance(cond, (ListCount, LongestGap)):
            if kind is not FieldType.DATE_LIST:
                self._fail(cond, f"{cond.field} is a {kind.value} field; count and longest_gap_days need a date_list")
                return None
            return self._gap_from(cond) if isinstance(cond, LongestGap) else cond
        raise TypeError(cond)

    def _gap_from(self, cond: LongestGap) -> Condition | None:
        """``from:`` names a date or datetime field, as ``within``'s reference does."""
        if cond.from_field is None:
            return cond
        other = self._type_of(cond.from_field, cond)
        if other is None:
            return None
        if not other.is_temporal:
            self._fail(cond, f"'longest_gap_days' measures from a date or datetime; {cond.from_field} is a"
                             f" {other.value} field")
            return None
        return cond

    def _compare(self, cond: Compare, kind: FieldType) -> Condition | None:
        if isinstance(cond.value, FieldRef):
            other = self._type_of(cond.value.name, cond)
            if other is None:
                return None
            if not comparable(kind, other, cond.op):
                self._fail(cond, f"cannot compare {cond.field} ({kind.value}) with {cond.value.name} "
                                 f"({other.value}) using '{cond.op.value}'")
                return None
            return cond
        if kind is FieldType.DATE_LIST:
            self._fail(cond, f"{cond.field} is a list of dates: use 'count' or 'longest_gap_days'")
            return None
        if cond.op.is_ordering and not kind.is_ordered:
            self._fail(cond, f"'{cond.op.value}' needs a number, date, datetime or duration; "
                             f"{cond.field} is a {kind.value} field")
            return None
        spec = self.record_type.fields[cond.field]
        try:
            if cond.op in (Op.IN, Op.NOT_IN):
                value: Any = tuple(typed_literal(v, spec, cond.field) for v in cond.value)
            else:
                value = typed_literal(cond.value, spec, cond.field)
        except LiteralTypeError as exc:
            self._fail(cond, str(exc))
            return None
        if any(isinstance(v, float) and not math.isfinite(v) for v in (value if isinstance(value, tuple) else [value])):
            self._fail(cond, f"{cond.field}: compare with a finite number, not infinity or NaN", "not-finite")
            return None
        return dataclasses.replace(cond, value=value)

    def _within(self, cond: Within, kind: FieldType) -> Condition | None:
        if not kind.is_temporal:
            self._fail(cond, f"'within' needs a date or datetime field; {cond.field} is a {kind.value} field")
            return None
        if cond.ref != ASSESSMENT_DATE:
            other = self._type_of(cond.ref, cond)
            if other is None:
                return None
            if not other.is_temporal:
                self._fail(cond, f"'within' measures from a date or datetime; {cond.ref} is a {other.value} field")
                return None
        if cond.by is not None:
            return self._by(cond, kind)
        return cond

    def _by(self, cond: Within, kind: FieldType) -> Condition | None:
        """``by`` is a time of day: both ends must have one (a date has none, nor has the assessment date)."""
        if kind is not FieldType.DATETIME:
            self._fail(cond, f"'by' needs a datetime field; {cond.field} is a {kind.value} field, with no time of day")
            return None
        if cond.ref == ASSESSMENT_DATE:
            self._fail(cond, f"'by' needs a datetime field to count from; {ASSESSMENT_DATE} is a date")
            return None
        other = self.record_type.fields[cond.ref].type
        if other is not FieldType.DATETIME:
            self._fail(cond, f"'by' needs a datetime field to count from; {cond.ref} is a {other.value} field,"
                             " with no time of day")
            return None
        return cond


def compile_rule(rule: Rule, record_type: RecordTypeSpec) -> tuple[CompiledRule | None, list[Diagnostic]]:
    binder = Binder(record_type)
    when = binder.bind(rule.when) if rule.when is not None else None
    expect = binder.bind(rule.expect) if rule.expect is not None else None
    if binder.diagnostics:
        return None, binder.diagnostics
    return CompiledRule(rule, record_type, when, expect), []


def breakdown_problem(field: str, record_type: RecordTypeSpec) -> str | None:
    """Why results cannot be broken down by ``field`` of ``record_type`` (None if they can)."""
    spec = record_type.fields.get(field)
    if spec is None:
        return f"record type {record_type.name!r} has no field {field!r}"
    if field == record_type.key:
        return f"{field!r} is the record key: every record would be a value of its own"
    if spec.type not in BREAKDOWN_TYPES:
        return f"{field!r} is a {spec.type.value} field; a breakdown needs an enum, bool or text field"
    return None
