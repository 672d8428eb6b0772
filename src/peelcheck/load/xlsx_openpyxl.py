"""A sheet's rows as openpyxl's read-only mode streams them, each number cell read as python-calamine reads it.

A number cell (``t="n"``, or no type, which means a number) may hold text: a sheet written by hand or by a
program that forgot to type its text cells, or damaged. calamine reads the text of such a cell where the cell
says no type; openpyxl raised on it (``int('abc')``) and refused the whole sheet, as calamine did where the
cell said ``t="n"`` (xlsx_reader then reads the sheet with openpyxl, cell by cell). Here such a cell is its
text, whichever it said: a field that wants a number refuses it at its cell, and every other row is read.

A number is what calamine takes for one (Rust's reading of a float: ``-1.5e3``, ``.5``, ``+5``, ``5.``,
``inf`` and ``nan`` in any case); ``1_000`` or `` 12 `` (which Python's ``int`` takes) is text to both.

A date cell whose serial is past Excel's last day, 9999-12-31 (Excel shows ``#####``), is its number, as calamine
reads it: a date field refuses it at its cell as no Excel date (shaping.py), like any other bad date. openpyxl
read it as the text ``#VALUE!`` and printed a raw ``UserWarning`` on stderr.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any
from xml.etree.ElementTree import Element

from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet._reader import VALUE_TAG, WorkSheetParser

_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
                     r"|[+-]?(?:inf|infinity|nan)", re.IGNORECASE)


# serials every date system's day count holds (Excel's ends at 9999-12-31, 2,958,465 days from 1899-12-30; the
# datetime type's at year 1, about 693,000 before): outside them, whether a serial names a day is asked
_SURELY_DAYS = (-690_000, 2_950_000)


class _CalamineCells(WorkSheetParser):  # type: ignore[misc]  # openpyxl is untyped
    """openpyxl's parser of a sheet's XML, but for a number cell holding text (its text), a number past what a
    cell holds (``1e999``: infinite, as calamine reads it), and a date cell whose serial names no day (its
    number: openpyxl warned on stderr and read the text ``#VALUE!``)."""

    def parse_cell(self, element: Element) -> dict[str, Any]:
        text = element.findtext(VALUE_TAG) if element.get("t", "n") == "n" else None
        if not text:
            return dict(super().parse_cell(element))
        if not _NUMBER.fullmatch(text):
            return self._holding(element, text, "s")
        number = float(text)
        if not math.isfinite(number) or self._no_day(int(element.get("s", 0)), number):
            return self._holding(element, number, "n")
        return dict(super().parse_cell(element))

    def _holding(self, element: Element, value: Any, data_type: str) -> dict[str, Any]:
        cell = dict(super().parse_cell(Element(element.tag, element.attrib)))  # its place, without its value
        cell.update(value=value, data_type=data_type)
        return cell

    def _no_day(self, style: int, number: float) -> bool:
        """Whether a cell of this style is a date (not a duration) whose serial names no day openpyxl can hold."""
        if style not in self.date_formats or style in self.timedelta_formats:
            return False
        if _SURELY_DAYS[0] < number < _SURELY_DAYS[1]:
            return False
        try:
            from_excel(number, self.epoch)
        except (OverflowError, ValueError):
            return True
        return False


def sheet_rows(sheet: Any, values_only: bool = True, min_col: int = 1,
               max_col: int | None = None) -> Iterator[tuple[Any, ...]]:
    """``sheet.iter_rows(min_col=, max_col=, values_only=)`` of an openpyxl read-only sheet whose dimensions were
    reset (``reset_dimensions``), read by ``_CalamineCells``; a row missing from the XML is an empty row."""
    from openpyxl.cell.read_only import EMPTY_CELL
    book = sheet.parent
    empty = () if max_col is None else (None if values_only else EMPTY_CELL,) * (max_col + 1 - min_col)
    with sheet._get_source() as source:
        parser = _CalamineCells(source, sheet._shared_strings, data_only=book.data_only, epoch=book.epoch,
                                date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
        following = 1  # the row expected next; a row numbered below it openpyxl skips (xlsx_damage refuses it)
        for number, cells in parser.parse():
            if number < following:
                continue
            for _ in range(following, number):
                yield empty
            yield sheet._get_row(cells, min_col, max_col, values_only)
            following = number + 1
