"""One look at a sheet's XML before it is read: how many cells it spans, and whether it holds formulas.

python-calamine holds a sheet as one block of cells from its first used cell to its last: a sheet of
ten rows with one stray cell at XFD1048576 (Excel's last) is 17 billion cells, an allocation that
aborts the process. The span is read first, by scanning the XML for the rows' and cells' numbers
(without building it), so such a sheet is read by openpyxl, which streams it row by row. The same
pass notes whether any formula or error cell is there (``xlsx_formulas`` parses the XML for them
only then): the XML of a large sheet is inflated once, not once for each question.
"""

from __future__ import annotations

import re
import zipfile
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import NamedTuple
from xml.etree import ElementTree

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# written from a literal, which the regex engine finds fast: the only attributes named r are a row's
# number and a cell's reference (about 0.3 s for each of the two over the 250 MB of XML in a 16 MB workbook)
_ROW = re.compile(rb' r="([0-9]{1,9})"')
_WIDE_REF = re.compile(rb' r="([A-Z]{2,3})[0-9]')  # a cell past column Z (Z and before: 26 at most)
# a formula element (``<f>``, ``<f t="shared" .../>``, or with a namespace prefix ``<x:f>``), or a cell of Excel's
# error type: looked for as literals, twice as fast as one regular expression (a text holding one by chance,
# in an inline string, only costs the full parse that finds none)
_FORMULA_MARKS = (b"<f>", b"<f ", b"<f/", b":f>", b":f ", b":f/", b' t="e"')
_OVERLAP = 64  # bytes kept from the end of a chunk, so a reference split across two is seen whole


class SheetScan(NamedTuple):
    cells: int  # rows x columns the sheet spans, A1 to its farthest cell (columns counted as 26 up to Z)
    formulas: bool  # a formula or an error cell may be in it
    disorder: tuple[int, int] | None = None  # (a row, the row written before it) where rows do not ascend


def _disorder(found: list[bytes], last: int) -> tuple[int, int] | None:
    """The first row number not above the one before it (``last``: the chunk before's last). The format wants
    rows in ascending order and Excel writes them so; openpyxl drops, silently, a row whose number is not
    above every row before it, and calamine keeps one of two rows of the same number."""
    numbers = [last, *map(int, found)]
    return next(((b, a) for a, b in zip(numbers, numbers[1:]) if b <= a), None)


def sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding a sheet's cells, by the sheet's name."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    wanted = next((s.get(f"{_REL}id") for s in workbook.iter(f"{MAIN}sheet") if s.get("name") == sheet), None)
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = next((r.get("Target") for r in rels.iter(f"{_PACKAGE_REL}Relationship") if r.get("Id") == wanted), None)
    if target is None:
        return None
    return target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)


def sheet_cells(path: Path, sheet: str) -> int | None:
    """Rows x columns ``sheet`` spans; None if unreadable."""
    scanned = scan_sheet(path, sheet)
    return None if scanned is None else scanned.cells


def scan_sheet(path: Path, sheet: str) -> SheetScan | None:
    """The sheet's scan; None if the workbook or sheet cannot be read (the reader says why in its own words).
    Kept for the file as it is (its size and time), so the reader's two questions cost one pass."""
    try:
        info = path.stat()
    except OSError:
        return None
    return _scan(path, sheet, info.st_size, info.st_mtime_ns)


@lru_cache(maxsize=8)
def _scan(path: Path, sheet: str, _size: int, _modified: int) -> SheetScan | None:
    try:
        with zipfile.ZipFile(path) as archive:
            part = sheet_part(archive, sheet)
            if part is None:
                return None
            rows, width, formulas, disorder = 0, b"Z", False, None
            with archive.open(part) as stream:
                tail = b""
                while chunk := stream.read(1 << 20):
                    text = tail + chunk
                    found = _ROW.findall(text)[len(_ROW.findall(tail)):]  # those in the tail were seen before
                    disorder = disorder or _disorder(found, rows)
                    rows = max([rows, *map(int, found)])
                    width = _widest(width, _WIDE_REF.findall(text))
                    formulas = formulas or any(mark in text for mark in _FORMULA_MARKS)
                    tail = text[-_OVERLAP:]
            return SheetScan(rows * _column(width), formulas, disorder)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        return None  # not a workbook the check can read: the reader says so in its own words


def _column(letters: bytes) -> int:
    column = 0
    for letter in letters:
        column = column * 26 + letter - 64
    return column


def _widest(width: bytes, found: list[bytes]) -> bytes:
    """The farthest column of ``width`` and ``found``: a longer reference is farther (AA after Z)."""
    longest = max([len(width), *map(len, found)])
    return max([ref for ref in (width, *found) if len(ref) == longest])
