"""A clean CSV file read by DuckDB itself, for the columnar engine: exactly the python loader's records, or nothing.

The python loader (``csv_reader``) converts a chunk of canonical cells column by column
(``fast_columns``); every other chunk goes to pydantic. This reader takes a file only where it can
be sure of giving that same result: UTF-8 without a byte-order mark (as the python loader tells the whole
file's encoding from its start, even where DuckDB reads only a byte range of it), comma-delimited, a header of
field names only (no mapping), no quote character, carriage return or NUL byte anywhere (so each
line is one row and the python csv module would split it the same way), no blank line (counted:
the file's newlines must be its rows plus the header), no duration column, and every cell
canonical (``duckdb_cells.cell_value``: the same shapes ``fast_columns`` accepts, or fewer; a text key
holding no character that does not show, ``key_text``, and not the key column's name: a header repeated
by two exports joined, ``repeated_header``). A file
that fails any of these is read by the python loader, whose answer (records, rejected rows, notes)
is the reference; nothing here reports a problem of its own.

Cells are converted in SQL into the columnar engine's integer encodings (``duckdb_cells``); only the
rows a rule fails come back to Python, converted by ``fast_columns`` itself from their cells
(``duckdb_failing_rows``), so an explanation reads exactly the values the python loader would have
given. This module holds the plan (which files are taken, their header and rows counted) and the
scan that hands DuckDB the file's raw cells.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from peelcheck.errors import Location, PeelcheckError
from peelcheck.load.columns import resolve_columns
from peelcheck.load.csv_spans import Span
from peelcheck.load.duckdb_spans import range_url
from peelcheck.load.fast_columns import ColumnConverter
from peelcheck.load.input_guards import MAX_CELL_CHARS, MAX_LINE_CHARS
from peelcheck.load.records import RecordSource, file_format
from peelcheck.load.rows import FileQuality
from peelcheck.load.text_input import TextForm, detect_encoding, with_delimiter
from peelcheck.schema.pack import FieldType, RecordTypeSpec
from peelcheck.schema.timezones import DEFAULT_TIMEZONE

_BLOCK = 1 << 20  # bytes read at a time when counting lines
_BUFFER = 8_000_000  # DuckDB reads the file 8 MB at a time (with 1 MB, its threads were slower than one)
_LONGEST_LINE = 1_000_000  # a longer line: the python loader reads the file
_FORBIDDEN = (b'"', b"\r", b"\x00")  # quoting, old line ends, NUL: the python csv module might split otherwise
# bytes: the python loader reads a smaller file (or byte range) sooner than DuckDB plans the query for it
# (some 30 ms a file, whatever its size): 300 files of 1,000 rows took 16 s read by DuckDB, 3 s by the loader
SMALLEST = 1 << 20


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
        if _size(source) < SMALLEST:
            return None
        header, header_bytes = _header(source.path)
        # the encoding is the whole file's, told from its start: a byte range of UTF-8 alone is no proof
        encoding = detect_encoding(source.path, None).encoding
    except (OSError, UnicodeDecodeError):
        return None
    if header is None or encoding != "utf-8":
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
        return None  # repeated keys are found by the key's value (``duckdb_cells.key_value``), never blank
    if len(fields) * MAX_CELL_CHARS >= MAX_LINE_CHARS:
        return None  # a line of short cells could pass the python loader's line limit
    return CsvPlan(source.path, source.label, source.record_type, [f for f in fields if f], quality,
                   span=source.span, header_bytes=header_bytes, zone=source.zone)


def likely_taken(source: RecordSource) -> bool:
    """Whether this reader would take the file, as far as its plan and its first block tell (a quote, a
    carriage return or a NUL byte there: the python loader's). For ``--jobs auto``, which splits a file
    the python loader reads over processes, and leaves DuckDB one process, whose threads use every core."""
    if plan(source) is None:
        return False
    try:
        with source.path.open("rb") as handle:
            handle.seek(source.span.start if source.span is not None else 0)
            start = handle.read(_BLOCK)
    except OSError:
        return False
    return not any(b in start for b in _FORBIDDEN)


def _size(source: RecordSource) -> int:
    """The bytes DuckDB would read: the file's, or its byte range's."""
    return _end(source.path, source.span) - (source.span.start if source.span is not None else 0)


def _end(path: Path, span: Span | None) -> int:
    """The byte after a byte range of the file (after the file, where the range runs to its end)."""
    return span.end if span is not None and span.end is not None else path.stat().st_size


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
    start = max(span.start, csv_plan.header_bytes)
    return [range_url(csv_plan.path, csv_plan.header_bytes, start, _end(csv_plan.path, span))]


__all__ = ["CsvPlan", "likely_taken", "plan", "scan_sql"]
