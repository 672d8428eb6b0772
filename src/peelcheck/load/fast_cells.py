"""A fast path for CSV cells already in canonical form; pydantic stays the validator of record.

Reading a million-row audit through pydantic costs more than evaluating it. Most cells are
already canonical (``true``, ``42``, ``2021-03-03T14:00:00``), so each column gets a converter that
accepts only such text and returns exactly what pydantic would. Anything else (another spelling,
a bad value, a missing required field) returns None and the whole row goes through pydantic,
which then accepts it or reports the error. A property test holds the converters to pydantic.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from peelcheck.schema.key_text import shows_all
from peelcheck.schema.pack import FieldSpec, FieldType, RecordTypeSpec

MISS = object()  # "not canonical: ask pydantic"
Converter = Callable[[str], Any]

BOOLS = {"true": True, "false": False, "True": True, "False": False}  # the spellings pydantic reads as such
_fromisoformat = dt.date.fromisoformat


def _bool(text: str) -> Any:
    return BOOLS.get(text, MISS)


_DATES = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:;[0-9]{4}-[0-9]{2}-[0-9]{2})*").fullmatch


def _int(text: str) -> Any:
    body = text[1:] if text[:1] == "-" else text
    if 0 < len(body) < 16 and body.isascii() and body.isdigit():
        return int(text)
    return MISS


def _float(text: str) -> Any:
    whole, _, fraction = (text[1:] if text[:1] == "-" else text).partition(".")
    if 0 < len(whole) < 16 and whole.isdigit() and whole.isascii() and (not _ or (fraction.isdigit() and
                                                                                    fraction.isascii())):
        return float(text)
    return MISS


def _string(text: str) -> Any:
    return text if text == text.strip() else MISS


def _key_string(text: str) -> Any:
    """A text key: pydantic says which character it holds that does not show (``key_text``)."""
    return text if text == text.strip() and shows_all(text) else MISS


def _date(text: str) -> Any:
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.isascii():
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return MISS
    return MISS


# Where YYYY-MM-DDTHH:MM:SS has its separators. A canonical datetime has every one in its place:
# fromisoformat also reads shorter times padded to 19 characters with an offset or a fraction
# (10:00+05, 10:59.50), and between the separators it reads digits only. Both CSV fast paths test these.
DATETIME_SEPARATORS = ((4, "-"), (7, "-"), (10, "T"), (13, ":"), (16, ":"))
_DATETIME_SHAPE = " and ".join(f"t[{at}] == {mark!r}" for at, mark in DATETIME_SEPARATORS)  # inlined below


def _datetime(text: str) -> Any:
    if len(text) == 19 and all(text[at] == mark for at, mark in DATETIME_SEPARATORS) and text.isascii():
        try:
            return dt.datetime.fromisoformat(text)
        except ValueError:
            return MISS
    return MISS


def _date_list(text: str) -> Any:
    if not _DATES(text):  # a blank cell is not recorded, never an empty list
        return MISS
    try:
        return [_fromisoformat(part) for part in text.split(";")]
    except ValueError:  # a day that does not exist, such as 2021-02-30
        return MISS


def converter(spec: FieldSpec) -> Converter:
    """The canonical-form converter of one field type (durations always go to pydantic)."""
    if spec.type is FieldType.ENUM:
        allowed = frozenset(spec.values or ())
        return lambda text: text if text in allowed else MISS
    if spec.type is FieldType.DATE_LIST and spec.blank_cell == "empty_list":
        return lambda text: _date_list(text) if text else []
    simple: dict[FieldType, Converter] = {
        FieldType.BOOL: _bool, FieldType.INT: _int, FieldType.FLOAT: _float, FieldType.STRING: _string,
        FieldType.DATE: _date, FieldType.DATETIME: _datetime, FieldType.DATE_LIST: _date_list,
    }
    return simple.get(spec.type, lambda text: MISS)


# How each type's canonical cell is read inline (``t`` is the cell text, ``x`` the value).
_INLINE = {
    FieldType.BOOL: "x = B.get(t, MISS)",
    FieldType.DATETIME: f"x = DT(t) if len(t) == 19 and {_DATETIME_SHAPE} and t.isascii() else MISS",
}


def row_converter(names: list[str | None], spec: RecordTypeSpec) -> Callable[[list[str]], dict[str, Any] | None]:
    """A function turning a CSV row (cells in ``names`` order) into a record, or None for pydantic.

    Generated as straight-line source, one block per column, because a call per cell costs more
    than the conversion itself.
    """
    converters: list[Converter] = []
    lines = ["def convert(row):", "    d = {}"]
    for i, name in enumerate(names):
        if name is None:
            continue
        field = spec.fields[name]
        inline = _INLINE.get(field.type)
        if inline is None:
            text_key = name == spec.key and field.type is FieldType.STRING
            converters.append(_key_string if text_key else converter(field))
            inline = f"x = F[{len(converters) - 1}](t)"
        guard = "" if field.blank_cell == "empty_list" else "    if t:\n"  # a blank cell: no value at all
        indent = "        " if guard else "    "
        lines.append(f"    t = row[{i}]")
        lines.append(f"{guard}{indent}{inline}\n{indent}if x is MISS: return None\n{indent}d[{name!r}] = x")
    required = [n for n, f in spec.fields.items() if f.required]
    if required:
        lines.append("    if not REQUIRED.issubset(d): return None")
    lines.append("    return d")
    namespace: dict[str, Any] = {"MISS": MISS, "B": BOOLS, "F": converters, "REQUIRED": frozenset(required),
                                 "DT": _strict_datetime}
    exec(compile("\n".join(lines) + "\n", f"<peelcheck csv {spec.name}>", "exec"), namespace)  # noqa: S102
    return namespace["convert"]  # type: ignore[no-any-return]


def _strict_datetime(text: str) -> Any:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return MISS
