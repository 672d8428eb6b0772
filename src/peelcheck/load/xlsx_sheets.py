"""The sheets of a workbook that were not read, and whether they hold data: none is passed over silently.

A workbook read without ``--sheet`` (its sheet named after the record type, or its only sheet) may
hold records on other sheets too: a quarter a sheet, say. Those that hold data rows are named in
the file's notes with their size; when the sheet read holds none while another does, that is an
error (``empty-sheet``), not an assessment of no records. The check streams each other sheet only
until its first row after the header (openpyxl's read-only mode), and takes the number of rows from
the sheet's recorded size, read without reading the rows, unless that size is plainly wrong.

The helper sheets ``peelcheck template`` writes (the hidden dropdown lists and the data dictionary)
are not data and are not named.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peelcheck.errors import Location, RecordError, one_line
from peelcheck.load.shaping import is_blank
from peelcheck.load.xlsx_damage import intact
from peelcheck.load.xlsx_openpyxl import sheet_rows as openpyxl_rows

LISTS_SHEET = "lists"  # peelcheck template's hidden sheet of dropdown values
DICTIONARY_SHEET = "dictionary"  # and its data dictionary, with this header
DICTIONARY_HEADER = ("field", "type", "required", "allowed values / how written", "rules that read it", "description")


@dataclass(frozen=True)
class OtherSheet:
    name: str
    rows: int  # rows below the header (by the sheet's recorded size, which counts blank rows among them)


def other_sheets_with_data(path: Path, read: str) -> list[OtherSheet]:
    """The sheets of the workbook, other than ``read``, that hold at least one row below a header."""
    import openpyxl
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zip, XML and key errors for a file that is not a workbook
        raise RecordError.single("unreadable-file", f"not a readable .xlsx workbook: {one_line(exc)}",
                                 Location(str(path))) from exc
    try:
        found = []
        for sheet in workbook.worksheets:  # chart sheets hold no cells
            size = sheet.max_row  # the sheet's recorded size, before it is set aside
            sheet.reset_dimensions()  # read-only mode stops at that size, which writers may get wrong
            if sheet.title == read or _template_helper(sheet, path):
                continue
            rows = _data_rows(intact(openpyxl_rows(sheet), path, sheet.title), size)
            if rows:
                found.append(OtherSheet(sheet.title, rows))
        return found
    finally:
        workbook.close()


def _template_helper(sheet: Any, path: Path) -> bool:
    if sheet.title == LISTS_SHEET:
        return bool(sheet.sheet_state == "hidden")
    if sheet.title == DICTIONARY_SHEET:
        header = next(_filled(intact(openpyxl_rows(sheet), path, sheet.title)), (0, ()))[1]
        return tuple(c for c in header if not is_blank(c)) == DICTIONARY_HEADER
    return False


def _filled(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The rows holding at least one value, with their numbers (from 1)."""
    return ((n, row) for n, row in enumerate(rows, start=1) if not all(map(is_blank, row)))


def _data_rows(rows: Iterator[tuple[Any, ...]], size: object) -> int:
    """How many of a sheet's ``rows`` lie below its header: 0 when none holds a value (read until one does).
    ``size`` is the sheet's recorded size (its <dimension>): some writers omit it or write it wrong."""
    filled = _filled(rows)
    header, first = next(filled, (0, ())), next(filled, None)
    if first is None:
        return 0
    if isinstance(size, int) and size >= first[0]:
        return size - header[0]
    return 1 + sum(1 for _ in filled)
