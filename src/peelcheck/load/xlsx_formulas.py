"""Formula cells a workbook holds no value for: found in the sheet's XML, so none reads as "not recorded".

A workbook saved by Excel stores each formula's last value beside it, and the readers read that
value. One written by a program (or saved with calculation off) may store the formula alone: both
readers would then give an empty cell, which peelcheck would take for a value not recorded, a
silent change to the evidence. Such cells are errors naming each cell; opening and saving the
workbook in Excel calculates them. The XML is parsed only where the sheet's scan (``xlsx_extent``)
saw a formula or an error cell in it.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from peelcheck.errors import Diagnostic, Location
from peelcheck.load.xlsx_extent import MAIN, scan_sheet, sheet_part

_REF = re.compile(r"([A-Z]+)([0-9]+)")


def uncalculated(path: Path, sheet: str) -> list[tuple[int, int, str | None]]:
    """(row, column, error), both from 1, of every formula cell of ``sheet`` stored without a value (error
    None) and of every cell holding one of Excel's errors (``#DIV/0!``, ``#N/A``...): calamine reads
    such a cell as blank, openpyxl as its text, and neither is what was recorded."""
    scanned = scan_sheet(path, sheet)
    if scanned is None or not scanned.formulas:
        return []
    try:
        with zipfile.ZipFile(path) as archive:
            part = sheet_part(archive, sheet)
            if part is None:
                return []
            found: list[tuple[int, int, str | None]] = []
            with archive.open(part) as stream:
                for _, cell in ElementTree.iterparse(stream):
                    if cell.tag != f"{MAIN}c":
                        continue
                    value = (cell.findtext(f"{MAIN}v") or "").strip()
                    if cell.get("t") == "e":
                        found.append((*position(cell.get("r", "")), value or "an error"))
                    elif cell.find(f"{MAIN}f") is not None and not value:
                        found.append((*position(cell.get("r", "")), None))
                    cell.clear()
            return [p for p in found if p[:2] != (0, 0)]
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError):
        return []  # not a workbook the check can read: the reader says so in its own words


def unread_cell(location: Location, error: str | None) -> Diagnostic:
    """The error for one cell ``uncalculated`` found (``error`` None: a formula saved without its value)."""
    if error is None:
        return Diagnostic("formula-not-calculated", "a formula saved without its value", location,
                          hint="open the workbook in Excel and save it, so every formula's value is stored")
    return Diagnostic("formula-error", f"the cell holds Excel's error {error}, not a value", location,
                      hint="correct the cell (or the formula and the cells it reads); clear it if nothing was recorded")


def position(ref: str) -> tuple[int, int]:
    """A cell's (row, column), both from 1, by its reference (``C14``); (0, 0) for one that is not a reference."""
    match = _REF.fullmatch(ref)
    if match is None:
        return 0, 0
    column = 0
    for letter in match.group(1):
        column = column * 26 + ord(letter) - 64
    return int(match.group(2)), column
