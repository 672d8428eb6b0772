"""A clean CSV file read by DuckDB itself, for the columnar engine: exactly the python loader's records, or nothing.

The python loader (``csv_reader``) converts a chunk of canonical cells column by column
(``fast_columns``); every other chunk goes to pydantic. This reader takes a file only where it can
be sure of giving that same result: UTF-8 without a byte-order mark, comma-delimited, a header of
field names only (no mapping), no quote character, carriage return or NUL byte anywhere (so each
line is one row and the python csv module would split it the same way), no blank line (counted:
the file's newlines must be its rows plus the header), no duration column, and every cell
canonical (``cell_value``: the same shapes ``fast_columns`` accepts, or fewer). A file that fails
any of these is read by the python loader, whose answer (records, rejected rows, notes) is the
reference; nothing here reports a problem of its own.

Cells are converted in SQL into the columnar engine's integer encodings (``compile.sql``); only the
rows a rule fails come back to Python, converted by ``fast_columns`` itself from their cells, so
an explanation reads exactly the values the python loader would have given.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from peelcheck.errors import Location, PeelcheckError
from peelcheck.load.batch import Batch
from peelcheck.load.columns import resolve_columns
from peelcheck.load.csv_spans import Span
from peelcheck.load.duckdb_spans import range_url
from peelcheck.load.fast_columns import ColumnConverter, column_converter
from peelcheck.load.input_guards import MAX_CELL_CHARS, MAX_LINE_CHARS
from peelcheck.load.records import RecordSource, file_format
from peelcheck.load.rows import FileQuality
from peelcheck.load.text_input import TextForm, with_delimiter
from peelcheck.schema.pack import FieldSpec, FieldType, RecordTypeSpec
from peelcheck.schema.timezones import DEFAULT_TIMEZONE

_BLOCK = 1 << 20  # bytes read at a time when counting lines
_BUFFER = 8_000_000  # DuckDB reads the file 8 MB at a time (with 1 MB, its threads were slower than one)
_LONGEST_LINE = 1_000_000  # a longer line: the python loader reads the file
_FORBIDDEN = (b'"', b"\r", b"\x00")  # quoting, old line ends, NUL: the python csv module might split otherwise
_ORDINAL = "(date_diff('day', DATE '0001-01-01', {}) + 1)"  # a date's day number, as date.toordinal()
# every character str.strip() strips (str.isspace), as a regular-expression class's contents
SPACES = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"


@dataclass
class CsvPlan:
    """A CSV file this reader takes: its columns' fields, what its header told, and (once counted) its rows."""

    path: Path
    label: str
    spec: RecordTypeSpec
    fields: list[str]  # column i holds field fields[i]
    quality: FileQuality = field(default_factory=FileQuality)
    # each field's converter, kept from batch to batch as the python loader keeps them (their caches of
    # cells already read, such as a file's few thousand dates, last the whole file)
    converters: dict[str, ColumnConverter] = field(default_factory=dict)
    span: Span | None = None  # a byte range of the file (a cluster's partition): its rows alone
    header_bytes: int = 0  # the header line's length, ending included
    zone: str = DEFAULT_TIMEZONE  # where the file's naive times were recorded

    @property
    def first_line(self) -> int:
        """The file line of the first row read (the header is line 1)."""
        return self.span.lines_before + 1 if self.span is not None and self.span.start > 0 else 2

    def columns(self) -> list[str]:
        return [f"__c{i}" for i in range(len(self.fields))]  # no field's name starts with "_"

    def key_column(self) -> str:
        return self.columns()[self.fields.index(self.spec.key)]

    @cached_property
    def rows(self) -> int | None:
        """Data rows (lines after the header), or None where the file holds a forbidden byte past its
        header, a line of more cells than the header (or cannot be read): the python loader reads it.
        Counted on first use, by reading the whole file, so that a caller can count while DuckDB reads
        the file too."""
        span = self.span or Span(0, 0, None)
        try:
            lines, ends_with_newline, commas = _count_lines(self.path, span.start, span.end)
        except OSError:
            return None
        header = 1 if span.start == 0 else 0  # a range after the first holds no header line
        if lines is None:
            return None
        rows = lines - header + (0 if ends_with_newline else 1)
        # with no quote character every comma parts two cells: DuckDB fails a line of too few, and takes
        # a line ending in extra empty cells as if they were not there, so the count must be exact
        return rows if commas == (rows + header) * (len(self.fields) - 1) else None


def plan(source: RecordSource) -> CsvPlan | None:
    """The plan for reading ``source`` here, or None: the python loader reads it. Only the header is
    read here; the rest of the file is checked when ``CsvPlan.rows`` is first asked for."""
    if source.mapping is not None or source.sheet is not None or file_format(source.path) != "csv":
        return None
    try:
        header, header_bytes = _header(source.path)
    except (OSError, UnicodeDecodeError):
        return None
    if header is None:
        return None
    quality = FileQuality()
    try:
        fields = resolve_columns(header, source.record_type, None, _where(source), quality)
    except PeelcheckError:
        return None
    spec = source.record_type
    if None in fields or FieldType.DURATION in {spec.fields[f].type for f in fields if f}:
        return None  # a column read past, or a duration: pydantic's
    if spec.fields[spec.key].type not in (FieldType.STRING, FieldType.INT) or not spec.fields[spec.key].required:
        return None  # repeated keys are found by the key's value (``key_value``), never blank
    if len(fields) * MAX_CELL_CHARS >= MAX_LINE_CHARS:
        return None  # a line of short cells could pass the python loader's line limit
    return CsvPlan(source.path, source.label, source.record_type, [f for f in fields if f], quality,
                   span=source.span, header_bytes=header_bytes, zone=source.zone)


def _where(source: RecordSource) -> Location:
    return Location(source.label, 1)


def _header(path: Path) -> tuple[list[str] | None, int]:
    """The header's cells (None where the file starts with a byte-order mark or a blank line, its
    header holds a forbidden byte or it is not comma-delimited) and its line's length in bytes."""
    with path.open("rb") as handle:
        first = handle.readline(MAX_LINE_CHARS)
    if first.startswith((b"\xef\xbb\xbf", b"\n")) or not first.endswith(b"\n") or any(b in first for b in _FORBIDDEN):
        return None, len(first)
    line = first[:-1].decode("utf-8")
    if with_delimiter(TextForm("utf-8", False), line, None).delimiter != ",":
        return None, len(first)
    return next(csv.reader([line])), len(first)


def _count_lines(path: Path, start: int = 0, end: int | None = None) -> tuple[int | None, bool, int]:
    """(newlines, whether the bytes end with one, commas) of the file from ``start`` to ``end`` (its end:
    None); newlines None if they hold a forbidden byte. A blank line is caught by counting: DuckDB skips
    it, so the rows read fall short of the newlines."""
    newlines, commas, last, block = 0, 0, b"\n", bytearray(_BLOCK)
    left = end - start if end is not None else None
    with path.open("rb") as handle:
        handle.seek(start)
        while size := handle.readinto(block):
            size = size if left is None else min(size, left)
            chunk = block if size == _BLOCK else block[:size]  # one buffer, reused: memory stays flat
            if left is not None:
                left -= size
            if any(b in chunk for b in _FORBIDDEN):
                return None, False, commas
            newlines += chunk.count(b"\n")
            commas += chunk.count(b",")
            last = bytes(chunk[-1:]) or last
            if left == 0:
                break
    return newlines, last == b"\n", commas


_YEAR = "([1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])"  # years 1 to 9999, as Python's dates have
_DATE = _YEAR + "-[0-9]{2}-[0-9]{2}"
_SHAPES = {  # a canonical cell's text; its value (DuckDB's) must then exist: no 30 February, no hour 24
    FieldType.INT: "-?[0-9]{1,15}",
    FieldType.FLOAT: "-?[0-9]{1,15}(\\.[0-9]{1,17})?",
    FieldType.DATE: _DATE,
    FieldType.DATETIME: _DATE + "T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]",
    FieldType.DATE_LIST: f"{_DATE}(;{_DATE})*",
}


def _shape(c: str, spec: FieldSpec) -> str:
    """SQL true where a cell's text has a canonical shape (one ``fast_columns`` accepts, or fewer)."""
    kind = spec.type
    if kind is FieldType.BOOL:
        return f"{c} IN ('true', 'false', 'True', 'False')"
    if kind is FieldType.STRING:  # pydantic strips a string: one with spaces around goes its way
        return f"(length({c}) < {MAX_CELL_CHARS} AND NOT regexp_matches({c}, '^[{SPACES}]|[{SPACES}]$'))"
    if kind is FieldType.ENUM:
        return f"{c} IN ({', '.join(_quoted(v) for v in spec.values or ())})" if spec.values else "FALSE"
    if kind in _SHAPES:
        return f"regexp_full_match({c}, '{_SHAPES[kind]}')"
    return "FALSE"  # durations: pydantic's


_SQL_TYPES = {FieldType.BOOL: "BOOLEAN", FieldType.INT: "BIGINT", FieldType.FLOAT: "DOUBLE",
              FieldType.STRING: "VARCHAR", FieldType.ENUM: "VARCHAR", FieldType.DATE: "BIGINT",
              FieldType.DATETIME: "BIGINT",
              FieldType.DURATION: "BIGINT", FieldType.DATE_LIST: "BIGINT[]"}  # as the encodings hold them
_MICROS_PER_DAY = 86_400_000_000
_BEFORE_DAY_ONE = 62_135_596_800_000_000  # microseconds from 0001-01-01 to 1970-01-01


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _name(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def cell_value(c: str, spec: FieldSpec) -> str:
    """SQL giving a cell's value in the columnar engine's encodings (``compile.sql``; a datetime's
    microseconds) where the cell is canonical, NULL where it is not (or blank). Each cell is parsed
    once, and only once its text has passed the shape test."""
    kind = spec.type
    if kind is FieldType.BOOL:
        return f"CASE WHEN {c} IN ('true', 'True') THEN TRUE WHEN {c} IN ('false', 'False') THEN FALSE END"
    if kind in (FieldType.STRING, FieldType.ENUM):
        return f"CASE WHEN {_shape(c, spec)} THEN {c} END"
    if kind is FieldType.DATE_LIST:
        days = f"CASE WHEN {_shape(c, spec)} THEN " \
               f"list_transform(string_split({c}, ';'), lambda d: {_ORDINAL.format('try_cast(d AS DATE)')}) END"
        return f"CASE WHEN {c} IS NULL THEN []::BIGINT[] ELSE {days} END" if spec.blank_cell == "empty_list" else days
    parsed = {FieldType.INT: f"try_cast({c} AS BIGINT)", FieldType.FLOAT: f"try_cast({c} AS DOUBLE)",
              FieldType.DATE: _ORDINAL.format(f"try_cast({c} AS DATE)"),
              FieldType.DATETIME: f"epoch_us(try_cast({c} AS TIMESTAMP))"}.get(kind)
    return f"CASE WHEN {_shape(c, spec)} THEN {parsed} END" if parsed else "NULL"  # durations: pydantic's


def _good(c: str, value: str, spec: FieldSpec) -> str:
    """SQL true where a row's cell is as the python loader would take it: canonical (its value
    exists: no 30 February, no hour 24), or blank where the field is not required."""
    good = f"list_count({value}) = len({value})" if spec.type is FieldType.DATE_LIST else f"{value} IS NOT NULL"
    return f"({c} IS NOT NULL AND {good})" if spec.required else f"({c} IS NULL OR {good})"


def key_check(csv_plan: CsvPlan) -> str:
    """SQL true where a row's key cell is canonical (so noted as the python loader notes it, stripped)."""
    column = csv_plan.key_column()
    return f"coalesce({_shape(column, csv_plan.spec.fields[csv_plan.spec.key])}, FALSE)"


def key_value(csv_plan: CsvPlan) -> str:
    """SQL of a row's key as repeats are found by it: its value, as its record is keyed (``007`` and ``7``
    are both the int 7), where the key cell is canonical (``key_check``); a text key's cell as it is."""
    column = csv_plan.key_column()
    return f"TRY_CAST({column} AS BIGINT)" if csv_plan.spec.fields[csv_plan.spec.key].type is FieldType.INT else column


def typed_select(csv_plan: CsvPlan, relation: str) -> str:
    """SELECT over a relation of raw cells (``CsvPlan.columns``): its columns, every field's value
    (and each datetime's day number, as ``compile.sql`` names it) and __ok, true where every cell
    of the row is as the python loader would take it."""
    spec, columns = csv_plan.spec, csv_plan.columns()
    values, days, oks = [], [], []
    for c, name in zip(columns, csv_plan.fields):
        field_spec = spec.fields[name]
        values.append(f"{cell_value(c, field_spec)} AS {_name(name)}")
        oks.append(_good(c, _name(name), field_spec))
    for name, field_spec in spec.fields.items():
        if name not in csv_plan.fields:  # not recorded in any row
            values.append(f"CAST(NULL AS {_SQL_TYPES[field_spec.type]}) AS {_name(name)}")
        if field_spec.type is FieldType.DATETIME:  # the day of a moment after 0001-01-01: floor division
            days.append(f"({_name(name)} + {_BEFORE_DAY_ONE}) // {_MICROS_PER_DAY} + 1 AS {_name(name + '__day')}")
    ok = f"coalesce({' AND '.join(oks) or 'TRUE'}, FALSE) AS __ok"
    return f"SELECT *, {', '.join([*days, ok])} FROM (SELECT *, {', '.join(values)} FROM {relation})"


def scan_sql(csv_plan: CsvPlan) -> str:
    """The query giving the file's raw cells (VARCHAR, NULL for a blank cell), its path the one parameter."""
    columns = ", ".join(f"'{c}': 'VARCHAR'" for c in csv_plan.columns())
    return (f"SELECT * FROM read_csv(?, header = true, delim = ',', quote = '', escape = '', new_line = '\\n', "
            f"auto_detect = false, strict_mode = true, null_padding = false, buffer_size = {_BUFFER}, "
            f"max_line_size = {min(_LONGEST_LINE, _BUFFER)}, "
            f"columns = {{{columns}}})")


def scan_params(csv_plan: CsvPlan) -> list[str]:
    """The file DuckDB reads: the file itself, or a byte range of it as a file (``duckdb_spans``)."""
    span = csv_plan.span
    if span is None or span.start == 0 and span.end is None:
        return [str(csv_plan.path)]
    end = span.end if span.end is not None else csv_plan.path.stat().st_size
    start = max(span.start, csv_plan.header_bytes)
    return [range_url(csv_plan.path, csv_plan.header_bytes, start, end)]


class _CellColumns(Mapping[str, Sequence[Any]]):
    """A few rows' values, field by field, each column taken and converted by ``fast_columns`` when
    first read (an explanation reads only its rule's fields)."""

    def __init__(self, cells: Any, rows: Any, csv_plan: CsvPlan) -> None:
        self.cells, self.rows, self.plan, self.size = cells, rows, csv_plan, len(rows)
        self.converted: dict[str, Sequence[Any]] = {}

    def __getitem__(self, name: str) -> Sequence[Any]:
        column = self.converted.get(name)
        if column is None:
            column = self.converted[name] = self._convert(name)
        return column

    def _convert(self, name: str) -> Sequence[Any]:
        spec = self.plan.spec.fields[name]  # KeyError for a field the record type has not, as a dict's
        if name not in self.plan.fields:
            return [None] * self.size
        column = self.cells.column(self.plan.columns()[self.plan.fields.index(name)])
        cells = [t or "" for t in column.take(self.rows).to_pylist()]
        convert = self.plan.converters.get(name) or self.plan.converters.setdefault(name, column_converter(spec))
        values = convert(cells)
        if values is None:
            raise AssertionError(f"{self.plan.label}: cells DuckDB read as canonical are not ({name})")
        return values

    def __iter__(self) -> Iterator[str]:
        return iter(self.plan.spec.fields)

    def __len__(self) -> int:
        return len(self.plan.spec.fields)


def row_keys(cells: Any, rows: Any, csv_plan: CsvPlan) -> list[str]:
    """The keys of the given rows (an Arrow array of positions) of a table of raw cells, as the python
    loader keys its records."""
    key = csv_plan.spec.key
    values = _CellColumns(cells, rows, csv_plan)[key]
    return list(values) if csv_plan.spec.fields[key].type is FieldType.STRING else [str(v) for v in values]


def failing_rows(cells: Any, rows: Any, lines: Sequence[int], keys: Sequence[str], csv_plan: CsvPlan) -> Batch:
    """The given rows (an Arrow array of positions) of a table of raw cells (an Arrow table or record
    batch of ``CsvPlan.columns``) as the python loader gives them (``fast_columns``), at their lines
    and with their keys (``row_keys``)."""
    label = csv_plan.label
    return Batch(_CellColumns(cells, rows, csv_plan), keys, lambda i: Location(label, lines[i]), (label, lines))


__all__ = ["CsvPlan", "cell_value", "failing_rows", "key_check", "key_value", "plan", "row_keys", "scan_sql",
           "typed_select"]
