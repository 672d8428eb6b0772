"""Pydantic validators built from a pack's record types, so records are checked by the same machinery.

Values are normalised once, here, so the evaluators see one representation: datetimes are the
force's wall-clock time in its declared timezone (a naive time is read as such; one with an offset
is converted to it), a date alone in a datetime field is an error (a mapping may say how to read
it), a number (or text that is one) in a date or datetime field is an error rather than Unix seconds,
a time whose conversion runs off the calendar (``0001-01-01T00:00:00Z``) is an error rather than a
fault, and ``None`` (an explicit null) means the same as a field left out.
"""

from __future__ import annotations

import datetime as dt
import numbers
import re
from functools import lru_cache
from typing import Annotated, Any, Literal, NotRequired, Optional, Required, cast

from pydantic import AfterValidator, BeforeValidator, ConfigDict, TypeAdapter
from pydantic_core import PydanticCustomError
from typing_extensions import TypedDict

from peelcheck.schema.key_text import unseen_in_key
from peelcheck.schema.pack import FieldSpec, FieldType, RecordTypeSpec
from peelcheck.schema.timezones import DEFAULT_TIMEZONE, zone_info

_DATE_ONLY = re.compile(r"\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\s*").fullmatch
_NUMBER = re.compile(r"\s*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)\s*").fullmatch


def _not_number(value: Any) -> Any:
    """Pydantic reads a number, or text that is one, as Unix seconds: a cell "3" or an Excel serial
    44256 saved to CSV would become a moment of 1 January 1970. Neither is a date in any form we accept."""
    if isinstance(value, (bytes, bytearray)):
        text: Any = value.decode("latin-1")
    else:
        text = value
    if isinstance(value, numbers.Number) and not isinstance(value, bool) or isinstance(text, str) and _NUMBER(text):
        raise PydanticCustomError("date_from_number", "a number is not a date: write it as YYYY-MM-DD (a date) "
                                  "or YYYY-MM-DDTHH:MM:SS (a date and time)")
    return value


def _not_date_only(value: Any) -> Any:
    _not_number(value)
    if isinstance(value, str) and _DATE_ONLY(value) or isinstance(value, dt.date) and not isinstance(value,
                                                                                                      dt.datetime):
        raise ValueError("a date with no time in a datetime field: give the time, or say in a mapping how a date "
                         "alone is read (date_only: start_of_day or end_of_day)")
    return value


@lru_cache(maxsize=8)
def _wall_clock(zone_name: str) -> Any:
    zone = zone_info(zone_name)

    def convert(value: dt.datetime) -> dt.datetime:
        if value.tzinfo is None:
            return value
        try:
            return value.astimezone(zone).replace(tzinfo=None)
        except OverflowError:  # 0001-01-01T00:00:00Z (an "empty" date) lies before the calendar here
            raise PydanticCustomError("datetime_out_of_range", "this time in {zone} falls outside the years "
                                      "1-9999: not a real date", {"zone": zone_name}) from None
    return convert


_DATE = Annotated[dt.date, BeforeValidator(_not_number)]


_PY_TYPES: dict[FieldType, Any] = {
    FieldType.BOOL: bool,
    FieldType.INT: int,
    FieldType.FLOAT: float,
    FieldType.STRING: str,
    FieldType.DATE: _DATE,
    FieldType.DURATION: dt.timedelta,  # unchanged: pydantic reads a number as seconds
    FieldType.DATE_LIST: list[_DATE],
}


def python_type(spec: FieldSpec, zone: str = DEFAULT_TIMEZONE) -> Any:
    if spec.type is FieldType.ENUM:
        return Literal[tuple(spec.values or ())]
    if spec.type is FieldType.DATETIME:
        return Annotated[dt.datetime, BeforeValidator(_not_date_only), AfterValidator(_wall_clock(zone))]
    return _PY_TYPES[spec.type]


# how every record is validated: spaces around text dropped, NaN and infinities refused
_VALUES = ConfigDict(str_strip_whitespace=True, allow_inf_nan=False)


def _key_type(spec: FieldSpec, zone: str) -> Any:
    """A key field's type: its value's, and no character that does not show (``key_text``)."""
    return Annotated[python_type(spec, zone), BeforeValidator(unseen_in_key)]


def value_validator(spec: FieldSpec, zone: str = DEFAULT_TIMEZONE, key: bool = False) -> TypeAdapter[Any]:
    """A TypeAdapter that validates one value of a field as a record's validator does (a key cell read
    alone, to compare it with the others as its record is named: ``key``)."""
    adapter: TypeAdapter[Any] = TypeAdapter(_key_type(spec, zone) if key else python_type(spec, zone),
                                            config=_VALUES)
    return adapter


_MADE: dict[tuple[str, str], TypeAdapter[dict[str, Any]]] = {}  # record type (as JSON), zone -> its validator
_MADE_AT_MOST = 64


def record_validator(spec: RecordTypeSpec, zone: str = DEFAULT_TIMEZONE) -> TypeAdapter[dict[str, Any]]:
    """A TypeAdapter that validates one record (a dict) of this type and forbids unknown fields; times
    with an offset are converted to wall-clock time in ``zone``; the key holds no character that does not show.

    Made once per record type and zone: pydantic takes some 6 ms to build one, and a pack's 147 rules'
    worked examples were checked with one each (a second on every command). Keyed by the record type's
    content, never its identity, so a changed record type is never given an older type's validator."""
    key = (spec.model_dump_json(), zone)
    adapter = _MADE.get(key)
    if adapter is None:
        if len(_MADE) >= _MADE_AT_MOST:
            _MADE.pop(next(iter(_MADE)))
        adapter = _MADE[key] = _made_validator(spec, zone)
    return adapter


def _made_validator(spec: RecordTypeSpec, zone: str) -> TypeAdapter[dict[str, Any]]:
    annotations: dict[str, Any] = {}
    for name, field_spec in spec.fields.items():
        kind = _key_type(field_spec, zone) if name == spec.key else python_type(field_spec, zone)
        annotations[name] = Required[kind] if field_spec.required else NotRequired[Optional[kind]]  # noqa: UP045
    typed: Any = cast(Any, TypedDict)(f"{spec.name}_record", annotations)
    typed.__pydantic_config__ = ConfigDict(extra="forbid", **_VALUES)
    adapter: TypeAdapter[dict[str, Any]] = TypeAdapter(typed)
    return adapter
