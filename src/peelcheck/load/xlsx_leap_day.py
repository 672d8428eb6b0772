"""Excel's 29 February 1900 in a date cell: a bad date at its cell, as on either workbook reader.

Excel counts 1900 as a leap year (Lotus 1-2-3's mistake, kept for its files): serial 59 is 28 February 1900,
serial 61 is 1 March, and serial 60 is 29 February 1900, a day that never was. Both readers read a date cell
holding 60 as 28 February, the day before, so a record could be assessed on a date nobody wrote. Neither
says which serial a 28 February came from, so only where a date, datetime or date-list column holds one is the
sheet's XML read, once, for the cells whose serial is 60: those are given as their serial, which the field
refuses at the cell (``shaping.excel_serial``) with the same words for both readers.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from peelcheck.load.xlsx_extent import MAIN, sheet_part
from peelcheck.load.xlsx_formulas import position

_EVE = dt.date(1900, 2, 28)  # serial 59, and serial 60 as both readers give it


class LeapDayCells:
    """The date cells of a sheet's dated columns whose serial is 60: given as that serial."""

    def __init__(self, path: Path, sheet: str, columns: list[int]) -> None:
        self.path, self.sheet, self.columns = path, sheet, columns
        self._sixty: dict[tuple[int, int], float] | None = None

    def rows(self, numbered: Iterator[tuple[int, list[Any]]]) -> Iterator[tuple[int, list[Any]]]:
        """The rows, each cell of a watched column read as 28 February 1900 from serial 60 given as the serial."""
        columns = self.columns
        for number, row in numbered:
            for column in columns:
                cell = row[column] if column < len(row) else None
                if type(cell) is dt.date and cell == _EVE or type(cell) is dt.datetime and cell.date() == _EVE:
                    row[column] = self._serials().get((number, column + 1), cell)
            yield number, row

    def _serials(self) -> dict[tuple[int, int], float]:
        if self._sixty is None:  # read only once a 28 February 1900 appears
            self._sixty = _serials_of_sixty(self.path, self.sheet)
        return self._sixty


def _serials_of_sixty(path: Path, sheet: str) -> dict[tuple[int, int], float]:
    """(row, column), both from 1, of each number cell of ``sheet`` holding a serial from 60 up to 61, and it."""
    found: dict[tuple[int, int], float] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            part = sheet_part(archive, sheet)
            if part is None:
                return found
            with archive.open(part) as stream:
                for _, cell in ElementTree.iterparse(stream):
                    if cell.tag == f"{MAIN}c" and cell.get("t", "n") == "n":
                        serial = _number(cell.findtext(f"{MAIN}v"))
                        if serial is not None and 60 <= serial < 61:  # a whole one as 60, as the readers give it
                            found[position(cell.get("r", ""))] = int(serial) if serial.is_integer() else serial
                    if cell.tag in (f"{MAIN}c", f"{MAIN}row"):
                        cell.clear()
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        pass  # the reader read the sheet; a second read that fails finds no serial 60 (it says nothing new)
    return found


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None
