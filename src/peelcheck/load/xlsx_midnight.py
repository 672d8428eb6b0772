"""A workbook's midnight read as Excel shows it: a date cell at exactly 00:00 whose number format shows a time of
day (``yyyy-mm-dd hh:mm``) is a datetime at 00:00 in a datetime field; one whose format shows a date alone
(``dd/mm/yyyy``) stays a date, which a datetime field refuses unless the mapping says ``date_only:``.

Neither reader says which: python-calamine gives every date cell whose serial has no fraction as a date, whatever
its format, and openpyxl's cells are read as values, as calamine reads them (xlsx_reader.py). So the question is
asked only of a date cell in a datetime field's column, and answered the same way for both readers, at a cost
only where one appears: the workbook's table of cell styles (openpyxl's, without the sheet) first; if all its
date formats show a time, or none does, that is the answer for every cell. Only a workbook with both kinds is
read once more, by openpyxl's read-only mode, over the datetime fields' columns alone, noting the rows whose
cell's format shows a time. A date field reads any date cell as its date, and a text field refuses one as a
date (``2021-04-27``) either way: neither asks.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from peelcheck.errors import Location, RecordError, one_line
from peelcheck.load.xlsx_damage import intact
from peelcheck.load.xlsx_openpyxl import sheet_rows as openpyxl_rows

_MIDNIGHT = dt.time()
# what a format shows but does not read from the value: "literal text", \x and !x (one character), _x (a space as
# wide as x), *x (x repeated), and [...] (a colour, a condition, a locale such as [$-en-GB]), but for the
# elapsed [h], [m], [s]
_NOT_READ = re.compile(r'"[^"]*"|[\\!_*].|\[(?![hms]+\])[^\]]*\]', re.IGNORECASE)
# a time of day shows hours, seconds or AM/PM; minutes are never shown alone (Excel reads m or mm as minutes only
# next to h or s, else as the month), so m decides nothing
_TIME_OF_DAY = re.compile(r"[hs]|am/pm|a/p", re.IGNORECASE)


@lru_cache(maxsize=256)
def shows_time(number_format: str) -> bool:
    """Whether a date format shows a time of day; only its first section (for positive numbers) is read."""
    return _TIME_OF_DAY.search(_NOT_READ.sub("", number_format.split(";")[0])) is not None


def date_styles_show_time(path: Path) -> set[bool] | None:
    """Whether each date format among the workbook's cell styles shows a time: {True}, {False}, both, or none;
    None if the styles cannot be read (then each cell is looked at)."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS_MAX_SIZE, builtin_format_code
    from openpyxl.styles.stylesheet import Stylesheet
    from openpyxl.xml.constants import ARC_STYLE
    from openpyxl.xml.functions import fromstring
    try:
        with zipfile.ZipFile(path) as archive:
            if ARC_STYLE not in archive.namelist():
                return set()  # openpyxl's default styles: no date format
            styles = Stylesheet.from_tree(fromstring(archive.read(ARC_STYLE)))
    except Exception:  # zip, XML and openpyxl's own errors: then each cell's own format decides
        return None
    kinds = set()
    for index in styles.date_formats - styles.timedelta_formats:  # a [h]:mm cell is a duration to both readers
        number = styles.cell_styles[index].numFmtId
        fmt = (styles.number_formats[number - BUILTIN_FORMATS_MAX_SIZE] if number >= BUILTIN_FORMATS_MAX_SIZE
               else builtin_format_code(number))
        kinds.add(fmt is not None and shows_time(fmt))
    return kinds


class MidnightCells:
    """The date cells of a sheet's datetime columns that Excel shows with a time: read as datetimes at 00:00."""

    def __init__(self, path: Path, sheet: str, columns: list[int]) -> None:
        self.path, self.sheet, self.columns = path, sheet, columns
        self._decide: Callable[[int, int], bool] | None = None

    def rows(self, numbered: Iterator[tuple[int, list[Any]]]) -> Iterator[tuple[int, list[Any]]]:
        """The rows, each date cell of a watched column that shows a time read as a datetime at 00:00."""
        columns = self.columns
        for number, row in numbered:
            for column in columns:
                if column < len(row) and type(row[column]) is dt.date and self._shows_time(number, column):
                    row[column] = dt.datetime.combine(row[column], _MIDNIGHT)
            yield number, row

    def _shows_time(self, number: int, column: int) -> bool:
        if self._decide is None:  # asked only once a date appears in a datetime column
            self._decide = self._decider()
        return self._decide(number, column)

    def _decider(self) -> Callable[[int, int], bool]:
        kinds = date_styles_show_time(self.path)
        if kinds is not None and len(kinds) < 2:
            every = True in kinds
            return lambda number, column: every
        marks = self._marks()
        return lambda number, column: number < len(marks[column]) and marks[column][number] == 1

    def _marks(self) -> dict[int, bytearray]:
        """For each watched column, a byte per row: 1 where the cell is a date whose format shows a time."""
        import openpyxl
        try:
            workbook = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except Exception as exc:  # as xlsx_reader: openpyxl raises zip, XML and key errors
            raise RecordError.single("unreadable-file", f"not a readable .xlsx workbook: {one_line(exc)}",
                                     Location(str(self.path))) from exc
        try:
            sheet = workbook[self.sheet]
            sheet.reset_dimensions()  # as the reader: the recorded size may be wrong
            first = min(self.columns)
            marks = {column: bytearray() for column in self.columns}
            cut = openpyxl_rows(sheet, values_only=False, min_col=first + 1, max_col=max(self.columns) + 1)
            for number, cells in enumerate(intact(cut, self.path, self.sheet), 1):
                for column, mark in marks.items():
                    if column - first >= len(cells):
                        continue
                    cell = cells[column - first]
                    if type(cell.value) is dt.datetime and shows_time(cell.number_format):
                        mark.extend(bytes(number + 1 - len(mark)))  # rows come in order: it only grows
                        mark[number] = 1
            return marks
        finally:
            workbook.close()
