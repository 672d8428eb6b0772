"""Formula cells a workbook holds no value for: found in the sheet's XML, so none reads as "not recorded".

A workbook saved by Excel stores each formula's last value beside it, and the readers read that
value. One written by a program (or saved with calculation off) may store the formula alone: both
readers would then give an empty cell, which peelcheck would take for a value not recorded, a
silent change to the evidence. Such cells are errors naming each cell; opening and saving the
workbook in Excel calculates them. The XML is scanned only when it holds a formula at all.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REF = re.compile(r"([A-Z]+)([0-9]+)")
# a formula element (``<f>``, ``<f t="shared" .../>``, or with a namespace prefix ``<x:f>``), or a cell of Excel's
# error type: looked for as literals, twice as fast as one regular expression (a text holding one by chance,
# in an inline string, only costs the full parse that finds none)
_FORMULA_MARKS = (b"<f>", b"<f ", b"<f/", b":f>", b":f ", b":f/", b' t="e"')


def sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding a sheet's cells, by the sheet's name."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    wanted = next((s.get(f"{_REL}id") for s in workbook.iter(f"{_MAIN}sheet") if s.get("name") == sheet), None)
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = next((r.get("Target") for r in rels.iter(f"{_PACKAGE_REL}Relationship") if r.get("Id") == wanted), None)
    if target is None:
        return None
    return target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)


def _holds_formulas(archive: zipfile.ZipFile, part: str) -> bool:
    with archive.open(part) as stream:
        tail = b""
        while chunk := stream.read(1 << 20):
            text = tail + chunk
            if any(mark in text for mark in _FORMULA_MARKS):
                return True
            tail = chunk[-8:]
    return False


def uncalculated(path: Path, sheet: str) -> list[tuple[int, int, str | None]]:
    """(row, column, error), both from 1, of every formula cell of ``sheet`` stored without a value (error
    None) and of every cell holding one of Excel's errors (``#DIV/0!``, ``#N/A``...): calamine reads
    such a cell as blank, openpyxl as its text, and neither is what was recorded."""
    try:
        with zipfile.ZipFile(path) as archive:
            part = sheet_part(archive, sheet)
            if part is None or not _holds_formulas(archive, part):
                return []
            found: list[tuple[int, int, str | None]] = []
            with archive.open(part) as stream:
                for _, cell in ElementTree.iterparse(stream):
                    if cell.tag != f"{_MAIN}c":
                        continue
                    value = (cell.findtext(f"{_MAIN}v") or "").strip()
                    if cell.get("t") == "e":
                        found.append((*_position(cell.get("r", "")), value or "an error"))
                    elif cell.find(f"{_MAIN}f") is not None and not value:
                        found.append((*_position(cell.get("r", "")), None))
                    cell.clear()
            return [p for p in found if p[:2] != (0, 0)]
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError):
        return []  # not a workbook the check can read: the reader says so in its own words


def _position(ref: str) -> tuple[int, int]:
    match = _REF.fullmatch(ref)
    if match is None:
        return 0, 0
    column = 0
    for letter in match.group(1):
        column = column * 26 + ord(letter) - 64
    return int(match.group(2)), column
