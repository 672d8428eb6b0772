"""One row of cells (text from a CSV, typed values from a workbook) made into a raw record for pydantic.

The mapping's work happens here, cell by cell: value maps (``Yes`` -> true), enum values in any
case where that is unambiguous (``Caution`` -> caution; ``enum_values`` does the same for records read
whole, so every format agrees), dates and times in a declared format
(``%d/%m/%Y %H:%M``), Excel serial dates, dates in a datetime field read at the start or end of
their day where the mapping says so, and constants. A cell that cannot be converted is a
problem located at its cell; nothing is dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from peelcheck.errors import Location
from peelcheck.load.rows import RejectedRow, RowValidator, TimeNotes, Validated
from peelcheck.schema.key_text import written_out
from peelcheck.schema.mapping import ColumnMapping, DateOnly
from peelcheck.schema.pack import FieldSpec, FieldType, RecordTypeSpec

Locate = Callable[[int, int | None], Location]  # (line or sheet row, column index or None) -> where
Cell = Callable[[Any], Any]
# Excel counts 1900 as a leap year (Lotus 1-2-3's mistake, kept): serial 61 is 1900-03-01, 61 days after this;
# serial 60 is its 29 February 1900, which never was, and serials 1 to 59 (1900-01-01 to 02-28) a day later
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_OFFSET = re.compile(r"(?:[zZ]|[+-][0-9]{2}:?[0-9]{2})$").search
_DATE_ONLY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}").fullmatch
_END_OF_DAY = dt.time(23, 59, 59)


class CellError(ValueError):
    """A cell that cannot be read as its field's type."""


def excel_serial(value: float) -> dt.datetime:
    """The moment an Excel serial number (days in its 1900 date system) names, as Excel shows it."""
    shown = int(value) if value.is_integer() else value
    if not 1 <= value < 2_958_466:  # 1900-01-01 to 9999-12-31: below 1 Excel shows 1900-01-00, a time alone
        raise CellError(f"{shown} is not an Excel date serial number")
    if 60 <= value < 61:
        raise CellError(f"{shown} is Excel's 29 February 1900, a day that never was (1900 was no leap year)")
    # Excel keeps times to the millisecond; a day fraction in binary floating point is a hair off it
    return _EXCEL_EPOCH + dt.timedelta(days=1 if value < 60 else 0, milliseconds=round(value * 86_400_000))


def folded(table: dict[str, Any]) -> dict[str, Any]:
    """Keys also by their case-folded form, where that names one entry only."""
    by_fold: dict[str, list[str]] = {}
    for key in table:
        by_fold.setdefault(key.casefold(), []).append(key)
    return {**{k: table[keys[0]] for k, keys in by_fold.items() if len(keys) == 1}, **table}


def _temporal(spec: FieldSpec, name: str, fmt: str | None, date_only: DateOnly | None, notes: TimeNotes) -> Cell:
    want_date = spec.type is FieldType.DATE

    def read(cell: Any) -> Any:
        if isinstance(cell, bool):
            raise CellError("a yes/no value, not a date")
        if isinstance(cell, (int, float)):
            cell = excel_serial(float(cell))
        if isinstance(cell, str) and fmt is not None:
            cell = _parse(cell.strip(), fmt, None if want_date else date_only)
        if isinstance(cell, dt.datetime):
            notes.naive.add(name) if cell.tzinfo is None else notes.aware.add(name)
            return cell.date() if want_date else cell
        if isinstance(cell, dt.date):
            return cell if want_date else _whole_day(cell, date_only)
        if isinstance(cell, str) and not want_date:
            text = cell.strip()
            if date_only is not None and _DATE_ONLY(text):
                return _whole_day(dt.date.fromisoformat(text), date_only)
            (notes.aware if len(text) > 10 and _OFFSET(text) else notes.naive).add(name)
        return cell
    return read


def _parse(text: str, fmt: str, date_only: DateOnly | None) -> dt.datetime:
    """A cell in its declared format; a date alone (the format's date part) where date_only allows it."""
    try:
        return dt.datetime.strptime(text, fmt)
    except ValueError as exc:
        day_format = fmt.split(" ")[0]
        if date_only is not None and day_format != fmt:
            try:
                return _whole_day(dt.datetime.strptime(text, day_format).date(), date_only)
            except ValueError:
                pass
        raise CellError(f"not in the declared format {fmt}") from exc


def _whole_day(day: dt.date, date_only: DateOnly | None) -> dt.datetime:
    if date_only is None:
        raise CellError("a date with no time in a datetime field: give the time, or say in the mapping how a "
                        "date alone is read (date_only: start_of_day or end_of_day)")
    return dt.datetime.combine(day, _END_OF_DAY if date_only is DateOnly.END_OF_DAY else dt.time())


def _number_as(kind: type) -> Cell:
    def read(cell: Any) -> Any:
        if isinstance(cell, float) and cell.is_integer():
            return kind(int(cell)) if kind is str else int(cell)
        return str(cell) if kind is str and isinstance(cell, (int, float)) else cell
    return read


def cell_reader(spec: FieldSpec, name: str, mapping: ColumnMapping | None, notes: TimeNotes) -> Cell:
    """How one column's non-blank cells are read: the value map first, then the field type's reading."""
    table = folded({str(k): v for k, v in (mapping.values.get(name, {}) if mapping else {}).items()})
    if spec.type is FieldType.ENUM:
        table = {**folded({v: v for v in spec.values or ()}), **table}
    typed: Cell = lambda cell: cell  # noqa: E731
    if spec.type in (FieldType.DATE, FieldType.DATETIME):
        typed = _temporal(spec, name, mapping.formats.get(name) if mapping else None,
                          mapping.date_only.get(name) if mapping else None, notes)
    elif spec.type is FieldType.DATE_LIST:
        item = _temporal(FieldSpec(type=FieldType.DATE, description="-"), name,
                         mapping.formats.get(name) if mapping else None, None, notes)
        typed = lambda cell: _date_list(cell, item)  # noqa: E731
    elif spec.type in (FieldType.INT, FieldType.BOOL):
        typed = _number_as(int)
    elif spec.type in (FieldType.STRING, FieldType.ENUM):
        typed = _number_as(str)
    if not table:
        return typed

    def read(cell: Any) -> Any:
        found = in_any_case(table, cell.strip() if isinstance(cell, str) else _plain_number(cell))
        return typed(cell) if found is _NOT_FOUND else found
    return read


_NOT_FOUND = object()


def in_any_case(table: dict[str, Any], text: Any) -> Any:
    """The entry of a ``folded`` table for ``text`` as written, else for its case-folded form, else _NOT_FOUND."""
    if isinstance(text, str):
        if text in table:
            return table[text]
        if text.casefold() in table:
            return table[text.casefold()]
    return _NOT_FOUND


def enum_values(spec: RecordTypeSpec) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """For records read whole (JSON, YAML, Parquet): each enum field's text value read as a cell of
    that field is (surrounding spaces dropped, in any case where only one allowed value matches),
    so every format reads ``Caution`` as ``caution``. The record is copied where anything changes."""
    tables = {name: folded({v: v for v in field.values or ()}) for name, field in spec.fields.items()
              if field.type is FieldType.ENUM}

    def normalise(raw: dict[str, Any]) -> dict[str, Any]:
        changed = {}
        for name, table in tables.items():
            value = raw.get(name)
            if isinstance(value, str) and value not in table:
                found = in_any_case(table, value.strip())
                if found is not _NOT_FOUND:
                    changed[name] = found
        return {**raw, **changed} if changed else raw
    return normalise


def _date_list(cell: Any, item: Cell) -> list[Any]:
    """``2023-01-05;2023-02-01``; ``none`` is a recorded empty list (the updates were recorded as none)."""
    if isinstance(cell, list):  # a typed list (a Parquet list column): its items read as cells
        return [item(c) for c in cell]
    if not isinstance(cell, str):
        return [item(cell)]
    return [] if cell.strip().casefold() == "none" else [item(p) for p in cell.split(";")]


def _plain_number(cell: Any) -> Any:
    """A workbook number as its text would be written (1.0 -> "1"), so value maps keyed by text find it."""
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell) if isinstance(cell, int) else cell


def is_blank(cell: Any) -> bool:
    return cell is None or isinstance(cell, str) and not cell.strip()


def place_keys(stem: str, mapping: ColumnMapping | None) -> Callable[[int], str] | None:
    """Where the mapping keys records by their place (``key_from_row``: no key column), each record's key:
    the file's name and its line or row (``calls:12``); else None, the key column names them. A character of
    the name that does not show is written out (``key_text``): a key may not hold one."""
    if mapping is None or not mapping.key_from_row:
        return None
    name = written_out(stem)
    return lambda place: f"{name}:{place}"


class RowShaper:
    """Cells in column order -> a validated record, or the row's problems located at their cells."""

    def __init__(self, spec: RecordTypeSpec, fields: Sequence[str | None], mapping: ColumnMapping | None,
                 validate: RowValidator, locate: Locate, row_key: Callable[[int], str] | None = None,
                 unnamed: set[int] | None = None) -> None:
        self.spec, self.fields, self.validate, self.locate, self.row_key = spec, fields, validate, locate, row_key
        self.unnamed = unnamed or set()
        self.notes = TimeNotes()
        self.readers = [None if f is None else cell_reader(spec.fields[f], f, mapping, self.notes) for f in fields]
        self.column_of = {f: i for i, f in enumerate(fields) if f is not None}
        self.constants = dict(mapping.constants) if mapping else {}
        # date_list columns whose blank cell means a recorded empty list (the field says so); elsewhere
        # a blank cell is not recorded, as in every other column
        self.empty_lists = {i for i, f in enumerate(fields) if f and spec.fields[f].type is FieldType.DATE_LIST
                            and spec.fields[f].blank_cell == "empty_list"}
        self.times = [f for f in fields if f and spec.fields[f].type is FieldType.DATETIME]

    def convert(self, row: Sequence[Any], line: int) -> Validated:
        raw: dict[str, Any] = dict(self.constants)
        problems: list[RejectedRow] = []
        for i, (name, read, cell) in enumerate(zip(self.fields, self.readers, row)):
            if name is None or read is None:
                if i in self.unnamed and not is_blank(cell):
                    problems.append(RejectedRow(self.locate(line, i), None, cell, "a value in a column with no header"))
                continue
            if is_blank(cell):
                if i in self.empty_lists:
                    raw[name] = []
                continue
            try:
                raw[name] = read(cell)
            except CellError as exc:
                problems.append(RejectedRow(self.locate(line, i), name, cell, str(exc)))
        if self.row_key is not None:
            raw[self.spec.key] = self.row_key(line)
        result = self.validate(raw, self.locate(line, None))
        if isinstance(result, list):
            failed = {p.field for p in problems}
            problems += [self._at_cell(r, line) for r in result if r.field not in failed]
        return problems or result

    def _at_cell(self, rejected: RejectedRow, line: int) -> RejectedRow:
        column = self.column_of.get(rejected.field or "")
        if column is None:
            return rejected
        return replace(rejected, location=self.locate(line, column))
