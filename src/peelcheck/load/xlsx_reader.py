"""Excel workbooks (.xlsx): one sheet per record type (named after it, or chosen with --sheet), read
row by row.

Cells arrive typed: numbers, text, booleans and dates (a date-formatted cell comes as a date; a
serial number in a date field is read as Excel's day count). Formula cells are read as the value
Excel saved with them. Every problem is located at its cell, ``file.xlsx[Sheet]!C14``. Other sheets
holding data, when none was named, are noted or make an empty sheet read an error (xlsx_sheets.py).
Two readers, chosen by measurement (bench/xlsx_readers.py, 100,000 rows x 10 columns): python-calamine
reads about 20 times faster than openpyxl's read-only mode but holds the whole sheet (about 70 MB
per million cells), so it reads workbooks up to CALAMINE_LIMIT bytes and openpyxl, which streams
row by row in bounded memory, reads larger ones (and any where calamine is not installed), any
sheet whose cells span more than CALAMINE_CELLS (a stray cell far from the rest: xlsx_extent.py), and any
sheet calamine cannot read (a number cell holding text: xlsx_openpyxl.py reads each cell as calamine would).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from peelcheck.errors import Location, RecordError, one_line, path_text
from peelcheck.load.batch import SIZE, Batch, gathered
from peelcheck.load.columns import resolve_columns, unnamed_columns
from peelcheck.load.key_cells import as_written
from peelcheck.load.repeated_header import RepeatedHeader
from peelcheck.load.repeated_keys import RepeatedKeys
from peelcheck.load.repeated_rows import RepeatedRows
from peelcheck.load.rows import CellLocation, FileQuality, RecordRow, RejectedRow, RowValidator, column_letters
from peelcheck.load.shaping import RowShaper, is_blank, place_keys
from peelcheck.load.xlsx_damage import intact, rows_in_order
from peelcheck.load.xlsx_extent import sheet_cells
from peelcheck.load.xlsx_formulas import uncalculated, unread_cell
from peelcheck.load.xlsx_leap_day import LeapDayCells
from peelcheck.load.xlsx_midnight import MidnightCells
from peelcheck.load.xlsx_openpyxl import sheet_rows as openpyxl_rows
from peelcheck.load.xlsx_sheets import OtherSheet, other_sheets_with_data
from peelcheck.schema.mapping import ColumnMapping
from peelcheck.schema.pack import FieldType, RecordTypeSpec

READER = "auto"  # or "calamine" / "openpyxl" (read-only mode): bench/xlsx_readers.py measures both
CALAMINE_LIMIT = 16_000_000  # bytes of .xlsx (about 3 million cells): beyond it, stream with openpyxl
CALAMINE_CELLS = 16_000_000  # cells a sheet spans, A1 to its farthest (calamine holds them all, 32 bytes each)


@dataclass(frozen=True)
class XlsxJob:
    path: Path
    label: str
    spec: RecordTypeSpec
    mapping: ColumnMapping | None
    sheet: str | None  # --sheet, else the mapping's, else the record type's name


class Sheet(NamedTuple):
    name: str
    rows: Iterator[list[Any]]  # lists of typed cells
    others: list[str]  # the workbook's other sheets, by name


def sheet_rows(path: Path, sheet: str | None, reader: str | None = None) -> Sheet:
    """The sheet's name, its rows and the workbook's other sheets; the one sheet if the workbook has one."""
    chosen = reader or READER
    if chosen == "auto":
        chosen = "calamine" if path.stat().st_size <= CALAMINE_LIMIT else "openpyxl"
    if chosen == "calamine":
        try:
            read = _calamine_rows(path, sheet)
        except ImportError:
            read = None
        if read is not None:
            return read
    return _openpyxl_rows(path, sheet)


def _pick(names: list[str], wanted: str | None, path: Path) -> str:
    if not names:  # a workbook written by a program: Excel never saves one
        raise RecordError.single("empty-file", "the workbook has no sheets", Location(str(path)),
                                 hint="give a workbook with a sheet holding a header and rows")
    if wanted is None and len(names) == 1:
        return names[0]
    for name in names:
        if wanted is not None and name.strip().casefold() == wanted.casefold():
            return name
    raise RecordError.single("no-such-sheet", f"no sheet {wanted!r} in the workbook" if wanted else
                             "the workbook has several sheets and none is named after the record type",
                             Location(str(path)), hint=f"name one with --sheet; it has: {', '.join(names)}")


def _calamine_rows(path: Path, sheet: str | None) -> Sheet | None:
    """The sheet as calamine reads it, or None where it spans too many cells for calamine to hold or calamine
    cannot read it (then openpyxl reads it)."""
    from python_calamine import CalamineWorkbook
    try:
        if path_text(path) == str(path):
            workbook = CalamineWorkbook.from_path(str(path))
        else:  # calamine opens a path by its UTF-8 text, which a name whose bytes are not UTF-8 has none of
            with path.open("rb") as handle:
                workbook = CalamineWorkbook.from_filelike(handle)
    except Exception as exc:  # calamine raises its own error types for a file that is not a workbook
        raise RecordError.single("unreadable-file", f"not a readable .xlsx workbook: {one_line(exc)}",
                                 Location(str(path))) from exc
    names = list(workbook.sheet_names)
    name = _pick(names, sheet, path)
    if (sheet_cells(path, name) or 0) > CALAMINE_CELLS:  # a stray far cell: calamine would hold the whole span
        return None
    try:  # calamine reads the whole sheet here: a sheet it cannot read fails now, not row by row
        data = workbook.get_sheet_by_name(name)
        top, left = data.start or (0, 0)  # calamine starts at the first cell in use: keep Excel's numbering
        found = intact(data.iter_rows(), path, name)
        first = next(found, None)
    except Exception:  # noqa: BLE001 - calamine's own error types (CalamineError, XmlError)
        # openpyxl reads it cell by cell: a number cell holding text (calamine refuses the sheet for one that
        # says t="n") is that text to it (xlsx_openpyxl.py); damage it cannot read either, it names the row after
        return None
    lead: list[Any] = [None] * left
    # Its rows start at the first column in use; some versions also give the empty rows above the first
    # row in use (0.9 does), others start at it: only those that do not get the rows above added.
    above = 0 if first is None or top == 0 or not any(first) else top
    given = itertools.chain([] if first is None else [first], found)
    rows = itertools.chain(([] for _ in range(above)), (lead + list(map(_whole, row)) for row in given))
    return Sheet(name, rows, [n for n in names if n != name])


def _openpyxl_rows(path: Path, sheet: str | None) -> Sheet:
    import openpyxl
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zip, XML and key errors for a file that is not a workbook
        raise RecordError.single("unreadable-file", f"not a readable .xlsx workbook: {one_line(exc)}",
                                 Location(str(path))) from exc
    names = list(workbook.sheetnames)
    name = _pick(names, sheet, path)
    worksheet = workbook[name]
    worksheet.reset_dimensions()  # read-only mode stops at the sheet's recorded size, which writers may get wrong
    rows = (list(map(_as_calamine, row)) for row in intact(openpyxl_rows(worksheet), path, name))
    return Sheet(name, rows, [n for n in names if n != name])


_ESCAPE = re.compile("_x([0-9A-Fa-f]{4})_")
_MIDNIGHT = dt.time()
# serial 0 in Excel's 1900 date system: a date cell holding a negative serial (Excel shows it as #####) reads in
# openpyxl as a date before it (-5: 1899-12-25), in calamine as the serial's time of day alone (-5: 00:00), which a
# date field refuses; openpyxl's is read as calamine's, so a workbook's size does not decide whether it is a date
_EXCEL_ZERO = dt.datetime(1899, 12, 30)
_DATED = (FieldType.DATE, FieldType.DATETIME, FieldType.DATE_LIST)


def _whole(cell: Any) -> Any:
    """A number as it is shown: calamine gives every number as a float and openpyxl a whole one as an int
    (as the sheet's XML writes it), so a rejected 42 read ``42.0`` or ``42``, and a header cell 2021 named the
    column ``2021.0`` or ``2021``, by the workbook's size. Both readers' whole numbers are ints."""
    return int(cell) if type(cell) is float and cell.is_integer() else cell


def _as_calamine(cell: Any) -> Any:
    """An openpyxl cell as calamine reads it. Text as the workbook means it: Excel writes a character XML
    cannot hold (a carriage return, a control character) as ``_xHHHH_``, and an underscore before such a
    form as ``_x005F_``; calamine reads these, openpyxl gives them as written. A time of midnight is a date, as
    calamine reads it whatever the cell's format; in a datetime field, one whose format shows a time is read as
    00:00 for either reader (xlsx_midnight.py). Whole numbers as ``_whole``."""
    kind = type(cell)
    if kind is str:
        return _ESCAPE.sub(lambda found: chr(int(found.group(1), 16)), cell) if "_x" in cell else cell
    if kind is float:
        return _whole(cell)
    if kind is dt.datetime and cell < _EXCEL_ZERO and cell.tzinfo is None:
        return cell.time()
    if kind is dt.datetime and cell.time() == _MIDNIGHT and cell.tzinfo is None:
        return cell.date()
    return cell


def xlsx_batches(job: XlsxJob, validate: RowValidator, quality: FileQuality,
                 keys: RepeatedKeys | None = None) -> Iterator[Batch | RejectedRow]:
    """The sheet's batches and rejected rows; ``keys`` notes each record's key, placed by its row."""
    wanted = job.sheet or (job.mapping.sheet if job.mapping else None) or job.spec.name
    names_sheet = job.sheet is not None or (job.mapping is not None and job.mapping.sheet is not None)
    try:
        name, rows, other_names = sheet_rows(job.path, wanted)
    except RecordError:
        if names_sheet:
            raise
        name, rows, other_names = sheet_rows(job.path, None)  # a workbook of one sheet, named as its author liked
    quality.stated.append(f"sheet {name!r}")
    # the other sheets are opened (a second read of the workbook) only where there are any
    others = other_sheets_with_data(job.path, name) if other_names and not names_sheet else []
    quality.sheets_not_read = {other.name: other.rows for other in others}

    def locate(line: int, column: int | None) -> Location:
        return CellLocation(job.label, line, None if column is None else column + 1, sheet=name)
    rows_in_order(job.path, job.label, name)
    unread = uncalculated(job.path, name)
    if unread:  # they would read as blank ("not recorded") or as an error's text, where the workbook has neither
        raise RecordError([unread_cell(locate(row, column - 1), error) for row, column, error in unread])
    numbered: Iterator[tuple[int, list[Any]]] = enumerate(rows, start=1)
    header_row, header = next(((n, r) for n, r in numbered if not all(map(is_blank, r))), (1, None))
    if others:
        numbered = _holding_data(numbered, job.label, name, others)
    if header is None:
        raise RecordError.single("empty-file", "the sheet is empty: it needs a header row", locate(1, None))
    # the table ends at its last heading: calamine gives every row as wide as the sheet's farthest cell, openpyxl
    # each row as far as its own last cell, and a stray value out there is named alike by either
    header = header[:max(i for i, cell in enumerate(header) if not is_blank(cell)) + 1]
    fields = resolve_columns(header, job.spec, job.mapping, locate(header_row, None), quality)
    row_key = place_keys(job.path.stem, job.mapping)
    dated = [i for i, f in enumerate(fields) if f is not None and job.spec.fields[f].type in _DATED]
    if dated:  # a 28 February 1900 there may be Excel's 29th (only then is the sheet's XML looked at)
        numbered = LeapDayCells(job.path, name, dated).rows(numbered)
    stamped = [i for i, f in enumerate(fields) if f is not None and job.spec.fields[f].type is FieldType.DATETIME]
    if stamped:  # a date cell there may show a time of 00:00 (only then is the cell's format looked at)
        numbered = MidnightCells(job.path, name, stamped).rows(numbered)
    shaper = RowShaper(job.spec, fields, job.mapping, validate, locate, row_key, unnamed_columns(header))
    # without a key column, an exact repeated row is the only sign of a row counted twice (as in a CSV)
    rows_seen = RepeatedRows.wanted(job.mapping, "row")
    key_at = fields.index(job.spec.key) if job.spec.key in fields else None
    noting = _Noting(keys, key_at, rows_seen)
    again = RepeatedHeader(header, key_at, "row", header_row)  # the header repeated: two exports pasted together
    yield from gathered(_records(numbered, again, shaper, quality, noting), list(job.spec.fields))
    quality.mixed_offsets = shaper.notes.mixed()
    if rows_seen is not None:
        rows_seen.tell(quality)


def _holding_data(numbered: Iterator[tuple[int, list[Any]]], label: str, name: str,
                  others: list[OtherSheet]) -> Iterator[tuple[int, list[Any]]]:
    """The sheet's rows after its header, once one is found to hold a value; else, as other sheets hold
    data, an error: the records are on those, and assessing none of them would pass for a clean run."""
    held = []
    for item in numbered:
        held.append(item)
        if not all(map(is_blank, item[1])):
            return itertools.chain(held, numbered)
    sheets = ", ".join(f"{other.name!r} ({other.rows} rows)" for other in others)
    raise RecordError.single("empty-sheet", f"sheet {name!r} holds no rows of data, but {sheets} do",
                             CellLocation(label, None, None, sheet=name),
                             hint="name the sheet to read with --sheet (or gather the rows onto one sheet)")


class _Noting(NamedTuple):
    keys: RepeatedKeys | None  # where records' keys are noted for repeats
    column: int | None  # the key's column (None: the key is made from the row)
    rows: RepeatedRows | None  # where every row's cells are noted for exact repeats (key_from_row)

    def note(self, result: RecordRow | list[RejectedRow], cells: list[Any], row: int) -> None:
        """A valid record's key, with its cell as written (a text cell "007" in an int key: read as 7)."""
        if self.keys is not None and isinstance(result, RecordRow):
            self.keys.note(result.key, row, None if self.column is None else as_written(cells[self.column]))

    def note_row(self, cells: list[Any], row: int) -> None:
        """A row's cells for exact repeats: an empty cell as either reader gives it (None, or calamine's
        ""), and none after the last that holds a value (sheets drop trailing empty cells)."""
        if self.rows is not None:
            kept = [None if cell == "" else cell for cell in cells]
            while kept and kept[-1] is None:
                kept.pop()
            self.rows.note([kept], (row,))


def _records(numbered: Iterator[tuple[int, list[Any]]], header: RepeatedHeader, shaper: RowShaper,
             quality: FileQuality, noting: _Noting) -> Iterator[RecordRow | RejectedRow]:
    width = len(header.names)
    blank: list[int] = []  # held back: blank rows after the last record are the sheet's margin, not data
    for number, row in numbered:
        if all(map(is_blank, row)):
            blank.append(number)
            continue
        quality.blank_rows += blank
        blank = []
        noting.note_row(row, number)
        cells = (row + [None] * width)[:width]  # sheets drop trailing empty cells
        if any(not is_blank(c) for c in row[width:]):
            yield from _beyond(row, width, number, shaper)
            continue
        if header.repeats(cells):
            yield header.rejected(shaper.locate(number, None))
            continue
        result = shaper.convert(cells, number)
        noting.note(result, cells, number)
        yield from (result if isinstance(result, list) else [result])
    quality.blank_lines += len(blank)


def _beyond(row: list[Any], width: int, number: int, shaper: RowShaper) -> Iterator[RejectedRow]:
    """Each value of a row past the table's last headed column, at its own cell (a stray value at XFD1048576 is
    found there, not at the column after the table's)."""
    last = column_letters(width)
    for column, cell in enumerate(row[width:], start=width):
        if not is_blank(cell):
            yield RejectedRow(shaper.locate(number, column), None, cell,
                              f"a value beyond the last headed column, {last}")


__all__ = ["SIZE", "XlsxJob", "sheet_rows", "xlsx_batches"]
