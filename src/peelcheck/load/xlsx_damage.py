"""A sheet whose XML is damaged part-way, read by either workbook reader: an input error at the sheet.

A workbook can open (its zip and its list of sheets intact) while a sheet's XML is not: cut short, a
character reference XML forbids (``&#0;``), a boolean cell holding ``yes``, a shared-string index past the
table. Each reader raises its own error types for these (calamine's ``CalamineError`` and ``XmlError`` when
the sheet is loaded, and the sheet is then read by openpyxl; openpyxl's ``ValueError``, ``IndexError`` and
``ParseError`` as rows are read), which escaped as an internal fault (exit 4). They are the file's fault:
``unreadable-file`` at the sheet, saying after which row the damage came. A number cell holding text is not
damage of this kind: both readers read its text (xlsx_openpyxl.py), which a number field refuses at its cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from peelcheck.errors import RecordError, one_line
from peelcheck.load.rows import CellLocation
from peelcheck.load.xlsx_extent import scan_sheet

T = TypeVar("T")


def damaged(error: Exception, path: Path, sheet: str, after: int | None = None) -> RecordError:
    """The located error for a sheet a reader could not read to its end (``after``: rows read before)."""
    said = f" after row {after}" if after else ""
    return RecordError.single("unreadable-file", f"the sheet is damaged{said}: {one_line(error)}",
                              CellLocation(str(path), None, None, sheet=sheet),
                              hint="open the workbook in Excel and save it again, or export it afresh")


def intact(rows: Iterable[T], path: Path, sheet: str) -> Iterator[T]:
    """``rows`` as they come; a reader's error on the way is ``damaged`` (only the reader's own: an error raised
    where the rows are used never comes back into this generator)."""
    read = 0
    try:
        for row in rows:
            yield row
            read += 1
    except Exception as error:  # noqa: BLE001 - the readers' error types are their own, and many
        raise damaged(error, path, sheet, read) from error


def rows_in_order(path: Path, label: str, sheet: str) -> None:
    """A sheet whose rows are not written in ascending order, or a row number written twice, is ``unreadable-file``
    at the row: openpyxl (the reader of workbooks over 16 MB) dropped every row numbered below one before it,
    silently (a row 99 written before row 4 lost rows 4 to 98), where calamine read them all; a row written twice
    kept one of its two copies in either. Excel never writes such a sheet; another program may."""
    scanned = scan_sheet(path, sheet)
    if scanned is not None and scanned.disorder is not None:
        row, before = scanned.disorder
        said = "written twice" if row == before else f"written after row {before}"
        raise RecordError.single("unreadable-file", f"row {row} is {said}: a sheet's rows ascend, and a reader would "
                                 "lose rows", CellLocation(label, row, None, sheet=sheet),
                                 hint="open the workbook in Excel and save it again, or export it afresh")
