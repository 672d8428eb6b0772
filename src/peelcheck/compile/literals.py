"""Typing the literal values written in rules against the field they are compared with."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import TypeAdapter, ValidationError

from peelcheck.schema.pack import FieldSpec, FieldType

_DATETIME = TypeAdapter(dt.datetime)
_DURATION = TypeAdapter(dt.timedelta)


class LiteralTypeError(ValueError):
    pass


def typed_literal(value: Any, spec: FieldSpec, field: str) -> Any:
    """The literal as the evaluators compare it, or LiteralTypeError saying why it does not fit."""
    kind = spec.type
    bad = LiteralTypeError(f"{field} is a {kind.value} field; {value!r} is not a {kind.value}")
    if value is None:
        raise LiteralTypeError(f"{field}: compare with null using 'recorded: false', not a value")
    if kind is FieldType.BOOL:
        if isinstance(value, bool):
            return value
        raise bad
    if isinstance(value, bool):
        raise bad
    if kind is FieldType.INT:
        if isinstance(value, int):
            return value
        raise bad
    if kind in (FieldType.FLOAT,):
        if isinstance(value, (int, float)):
            return float(value)
        raise bad
    if kind is FieldType.STRING:
        if isinstance(value, str):
            return value
        raise bad
    if kind is FieldType.ENUM:
        if isinstance(value, str) and value in (spec.values or []):
            return value
        raise LiteralTypeError(f"{field}: {value!r} is not one of its values: {', '.join(spec.values or [])}")
    if kind is FieldType.DATE:
        return _date(value, bad)
    if kind is FieldType.DATETIME:
        return _datetime(value, bad)
    if kind is FieldType.DURATION:
        try:
            return _DURATION.validate_python(value)
        except ValidationError:
            raise bad from None
    raise LiteralTypeError(f"{field} is a list of dates: use 'count' or 'longest_gap_days', not a value")


def _date(value: Any, bad: Exception) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise bad


def _datetime(value: Any, bad: Exception) -> dt.datetime:
    # pydantic would read a number as a Unix timestamp: in a rule that is a mistake, not a moment.
    if (isinstance(value, dt.date) and not isinstance(value, dt.datetime)) or isinstance(value, (int, float)):
        raise bad
    try:
        parsed = _DATETIME.validate_python(value)
    except ValidationError:
        raise bad from None
    if parsed.tzinfo is not None:
        try:
            parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
        except OverflowError:  # 0001-01-01T00:00:00+01:00: before year 1 in UTC
            raise bad from None
    return parsed
