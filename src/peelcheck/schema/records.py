"""Pydantic validators built from a pack's record types, so records are checked by the same machinery.

Values are normalised once, here, so the evaluators see one representation: aware datetimes
become naive UTC, and ``None`` (an explicit null) means the same as a field left out.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, NotRequired, Optional, Required, cast

from pydantic import AfterValidator, ConfigDict, TypeAdapter
from typing_extensions import TypedDict

from peelcheck.schema.pack import FieldSpec, FieldType, RecordTypeSpec


def _naive_utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        return value
    return value.astimezone(dt.UTC).replace(tzinfo=None)


_PY_TYPES: dict[FieldType, Any] = {
    FieldType.BOOL: bool,
    FieldType.INT: int,
    FieldType.FLOAT: float,
    FieldType.STRING: str,
    FieldType.DATE: dt.date,
    FieldType.DATETIME: Annotated[dt.datetime, AfterValidator(_naive_utc)],
    FieldType.DURATION: dt.timedelta,
    FieldType.DATE_LIST: list[dt.date],
}


def python_type(spec: FieldSpec) -> Any:
    if spec.type is FieldType.ENUM:
        return Literal[tuple(spec.values or ())]
    return _PY_TYPES[spec.type]


def record_validator(spec: RecordTypeSpec) -> TypeAdapter[dict[str, Any]]:
    """A TypeAdapter that validates one record (a dict) of this type and forbids unknown fields."""
    annotations: dict[str, Any] = {}
    for name, field_spec in spec.fields.items():
        kind = python_type(field_spec)
        annotations[name] = Required[kind] if field_spec.required else NotRequired[Optional[kind]]  # noqa: UP045
    typed: Any = cast(Any, TypedDict)(f"{spec.name}_record", annotations)
    typed.__pydantic_config__ = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)
    adapter: TypeAdapter[dict[str, Any]] = TypeAdapter(typed)
    return adapter
