"""How many cells a sheet spans, from A1 to its farthest cell, read from the sheet's XML.

python-calamine holds a sheet as one block of cells from its first used cell to its last: a sheet of
ten rows with one stray cell at XFD1048576 (Excel's last) is 17 billion cells, an allocation that
aborts the process. The span is read first, by scanning the XML for the rows' and cells' numbers
(without building it), so such a sheet is read by openpyxl, which streams it row by row.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from peelcheck.load.xlsx_formulas import sheet_part

# written from a literal, which the regex engine finds fast: the only attributes named r are a row's
# number and a cell's reference (about 0.3 s for each of the two over the 250 MB of XML in a 16 MB workbook)
_ROW = re.compile(rb' r="([0-9]{1,9})"')
_WIDE_REF = re.compile(rb' r="([A-Z]{2,3})[0-9]')  # a cell past column Z (Z and before: 26 at most)
_OVERLAP = 64  # bytes kept from the end of a chunk, so a reference split across two is seen whole


def sheet_cells(path: Path, sheet: str) -> int | None:
    """Rows x columns ``sheet`` spans (columns counted as 26 where none is past Z); None if unreadable."""
    try:
        with zipfile.ZipFile(path) as archive:
            part = sheet_part(archive, sheet)
            if part is None:
                return None
            rows, width = 0, b"Z"
            with archive.open(part) as stream:
                tail = b""
                while chunk := stream.read(1 << 20):
                    text = tail + chunk
                    rows = max([rows, *map(int, _ROW.findall(text))])
                    width = _widest(width, _WIDE_REF.findall(text))
                    tail = text[-_OVERLAP:]
            return rows * _column(width)
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
