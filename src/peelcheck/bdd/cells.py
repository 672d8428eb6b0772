"""Turning what a rule author writes in a feature file into record values.

A Gherkin data table is text. Each cell is read by the type of its field in the pack's record
type, so authors write ``true``, ``2021-03-03T14:00``, ``3 March 2021`` or ``2021-01-05;2021-02-01``
and never quote anything. A blank cell (or the words ``not recorded``) leaves the field out: the
record does not record it, which the engine reports as *not recorded*, never as a pass.

Values that cannot be read are passed on unchanged, so the engine's own record validation rejects
them with the field and the value (a table is checked exactly like a record file).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import yaml

from peelcheck.schema.pack import FieldSpec, FieldType, RecordTypeSpec

NOT_RECORDED_WORDS = frozenset({"", "not recorded", "(not recorded)"})
EMPTY_LIST_WORDS = frozenset({"[]", "none", "(none)"})
TRUE_WORDS = frozenset({"true", "yes", "y"})
FALSE_WORDS = frozenset({"false", "no", "n"})
_DATE_FORMATS = ("%d %B %Y", "%d %b %Y")
_DATETIME_FORMATS = ("%d %B %Y %H:%M", "%d %b %Y %H:%M", "%d %B %Y %H:%M:%S", "%d %b %Y %H:%M:%S",
                     "%d %B %Y at %H:%M", "%d %b %Y at %H:%M")


class _Missing:
    """Marks a cell that records nothing (the field is left out of the record)."""

    def __repr__(self) -> str:
        return "NOT_RECORDED"


NOT_RECORDED = _Missing()


def _words_date(text: str, formats: tuple[str, ...]) -> dt.datetime | None:
    for fmt in formats:
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def parse_date(text: str) -> dt.date | str:
    """``2021-03-03`` or ``3 March 2021``; anything else is left for validation to reject."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        found = _words_date(text, _DATE_FORMATS)
        return found.date() if found else text


def parse_datetime(text: str) -> dt.datetime | str:
    """ISO 8601 (``2021-03-03T14:00``, ``2021-03-03 14:00``) or ``3 March 2021 14:00``."""
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return _words_date(text, _DATETIME_FORMATS) or text


def _number(text: str, kind: type) -> Any:
    try:
        return kind(text.replace(",", "")) if kind is int else kind(text)
    except ValueError:
        return text


def _bool(text: str) -> Any:
    low = text.lower()
    if low in TRUE_WORDS:
        return True
    if low in FALSE_WORDS:
        return False
    return text


def _date_list(text: str) -> Any:
    if text.lower() in EMPTY_LIST_WORDS:
        return []
    return [parse_date(part.strip()) for part in text.split(";") if part.strip()]


_PARSERS = {
    FieldType.BOOL: _bool,
    FieldType.INT: lambda t: _number(t, int),
    FieldType.FLOAT: lambda t: _number(t, float),
    FieldType.DURATION: lambda t: _number(t, int) if t.isdigit() else t,
    FieldType.DATE: parse_date,
    FieldType.DATETIME: parse_datetime,
    FieldType.DATE_LIST: _date_list,
}


def parse_cell(spec: FieldSpec | None, text: str) -> Any:
    """The value of one cell for a field of this spec (None: a field the record type lacks)."""
    text = text.strip()
    if text.lower() in NOT_RECORDED_WORDS:
        return NOT_RECORDED
    if spec is None:
        return text
    parser = _PARSERS.get(spec.type)
    return parser(text) if parser else text


def parse_value(spec: FieldSpec | None, value: Any) -> Any:
    """A value from a YAML docstring: YAML already typed it; strings are read like cells."""
    if value is None:
        return NOT_RECORDED
    if isinstance(value, str):
        return parse_cell(spec, value)
    if spec is not None and spec.type is FieldType.DATE_LIST and isinstance(value, list):
        return [parse_date(v) if isinstance(v, str) else v for v in value]
    return value


def record_from_pairs(spec: RecordTypeSpec, pairs: Mapping[str, Any], from_text: bool) -> dict[str, Any]:
    """One record from field/value pairs, leaving out the fields that are not recorded."""
    read = parse_cell if from_text else parse_value
    record = {}
    for name, raw in pairs.items():
        value = read(spec.fields.get(name), raw)
        if value is not NOT_RECORDED:
            record[name] = value
    return record


def records_from_table(spec: RecordTypeSpec, table: list[list[str]]) -> list[dict[str, Any]]:
    """Records from a data table whose first row names the fields."""
    if not table:
        return []
    header = [cell.strip() for cell in table[0]]
    return [record_from_pairs(spec, dict(zip(header, row)), from_text=True) for row in table[1:]]


def record_from_vertical_table(spec: RecordTypeSpec, table: list[list[str]]) -> dict[str, Any]:
    """One record from a two-column table of ``| field | value |`` rows (a ``field | value`` header is skipped)."""
    rows = [row for row in table if [c.strip().lower() for c in row] != ["field", "value"]]
    bad = [row for row in rows if len(row) != 2]
    if bad:
        raise ValueError(f"a record table has two columns, field and value; this row has {len(bad[0])}: {bad[0]}")
    return record_from_pairs(spec, {row[0].strip(): row[1] for row in rows}, from_text=True)


def records_from_yaml(spec: RecordTypeSpec, text: str) -> list[dict[str, Any]]:
    """Records from a YAML docstring: one mapping, or a list of mappings."""
    document = yaml.safe_load(text)
    if document is None:
        return []
    items = document if isinstance(document, list) else [document]
    records = []
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise ValueError(f"item {i} of the YAML is not a record (field: value lines), it is {item!r}")
        records.append(record_from_pairs(spec, {str(k): v for k, v in item.items()}, from_text=False))
    return records
