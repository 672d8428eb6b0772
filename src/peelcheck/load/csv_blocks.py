"""A CSV file's lines read a block at a time, and quote-free runs of lines cut into columns without csv.

Reading line by line (a Python call per line, to bound each line's length) and parsing with csv
(a list per row, then a tuple per column) cost more than converting and checking the cells. So
the text is read in blocks of ``BLOCK`` characters and split into lines in C, exactly where a file
opened with ``newline=""`` splits them ("\\n", "\\r" or "\\r\\n", kept on the line), each line no
longer than ``MAX_LINE_CHARS``. A run of lines holding no quote character can hold no record
spanning lines, and csv reads each such line as its cells split at the delimiter: where every
line has the header's number of cells, the run is cut into columns with one split (each line end
made a piece of its own, so one look at every (width + 1)-th piece tells that every line has its
cells, with no count per line). Any other run goes to csv, which stays the reader of record for
quoted cells, ragged rows and blank lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO

from peelcheck.errors import Location, RecordError
from peelcheck.load.input_guards import MAX_CELL_CHARS, MAX_LINE_CHARS

# characters read at a time: few enough that a block's lines are still in the CPU's cache when joined, and
# that a block's lines are known to hold no cell longer than csv reads without measuring each line
BLOCK = 100_000
# characters str.splitlines breaks at but a file opened with newline="" does not
_OTHER_BREAKS = ("\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")
_TERMINATORS = "\r\n"
_LINE_ENDS = re.compile(r"(?<=\n)|(?<=\r)(?!\n)")


class Lines:
    """A text file's lines, taken a run at a time (``take``) or one by one (as csv's iterator);
    ``taken`` counts the lines handed out, so it is the file line the last one ended on, and no
    line read so far is longer than ``longest`` (ends included)."""

    def __init__(self, handle: IO[str], path: str) -> None:
        self._path = path
        self._blocks = _line_blocks(handle, path)
        self._buffer: list[str] = []
        self._at = 0
        self.taken = 0
        self.longest = 0
        self.stop: int | None = None  # a byte range's last line: ``take`` goes no further (csv may, within a record)

    def restart(self, handle: IO[str], lines_before: int, stop: int | None) -> None:
        """Go on from ``handle`` (a byte range of the file, its lines numbered after ``lines_before``)."""
        self._blocks = _line_blocks(handle, self._path, lines_before)
        self._buffer, self._at, self.taken, self.stop = [], 0, lines_before, stop

    def take(self, count: int) -> list[str]:
        """The next ``count`` lines (fewer at the end of the file, or of the range up to ``stop``)."""
        if self.stop is not None:
            count = max(0, min(count, self.stop - self.taken))
        while len(self._buffer) - self._at < count and self._fill():
            pass
        run = self._buffer[self._at:self._at + count]
        self._at += len(run)
        self.taken += len(run)
        return run

    def give_back(self, run: list[str]) -> None:
        """Put back the run just taken, to be read again one line at a time."""
        self._at -= len(run)
        self.taken -= len(run)

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        if self._at == len(self._buffer) and not self._fill():
            raise StopIteration
        self._at += 1
        self.taken += 1
        return self._buffer[self._at - 1]

    def _fill(self) -> bool:
        more, longest = next(self._blocks, ([], -1))
        if longest < 0:
            return False
        self.longest = max(self.longest, longest)
        self._buffer = self._buffer[self._at:] + more
        self._at = 0
        return True


def _line_blocks(handle: IO[str], path: str, number: int = 0) -> Iterator[tuple[list[str], int]]:
    """The file's lines (after line ``number``), a block's worth at a time, each with a length no
    line of it exceeds; a line of MAX_LINE_CHARS or more (its end not counted) is an error naming
    it, found before more than a block past the limit is read."""
    carry = ""  # the last line read, which may go on in the next block
    while block := handle.read(BLOCK):
        text = carry + block
        lines = _split(text)
        carry = lines.pop()  # (a "\r" ending it may be followed by its "\n")
        if lines:
            longest = len(text)  # no line is longer: measured only where that may be too long
            if longest > min(MAX_CELL_CHARS, MAX_LINE_CHARS):
                longest = max(map(len, lines))
                if longest > MAX_LINE_CHARS:
                    _check_lengths(lines, path, number)
            number += len(lines)
            yield lines, longest
        if len(carry) >= MAX_LINE_CHARS and len(carry.rstrip(_TERMINATORS)) >= MAX_LINE_CHARS:
            raise _too_long(path, number + 1)
    if carry:
        yield [carry], len(carry)


def _split(text: str) -> list[str]:
    """Lines as a file opened with newline="" gives them: ends kept, broken at "\n", "\r", "\r\n" only."""
    if not any(c in text for c in _OTHER_BREAKS):
        return text.splitlines(keepends=True)
    lines = _LINE_ENDS.split(text)
    if not lines[-1]:
        lines.pop()
    return lines


def _check_lengths(lines: list[str], path: str, before: int) -> None:
    for number, line in enumerate(lines, start=before + 1):
        if len(line.rstrip(_TERMINATORS)) >= MAX_LINE_CHARS:
            raise _too_long(path, number)


def _too_long(path: str, line: int) -> RecordError:
    return RecordError.single("line-too-long", f"a line longer than {MAX_LINE_CHARS:,} characters",
                              Location(path, line), hint="is this the file you meant? no record needs a line this long")


def split_columns(run: list[str], text: str, delimiter: str, width: int, longest: int) -> list[list[str]] | None:
    """The cells of a run of lines (each ending at its one line end, as Lines gives them; ``text``:
    the run joined, holding no quote character; ``longest``: no line is longer), column by column,
    exactly as csv reads them; None where any line does not hold ``width`` cells (a blank line, a
    ragged row) or a cell may be longer than csv reads, for csv to read and report."""
    if width < 2 or longest > MAX_CELL_CHARS and max(map(len, run)) > MAX_CELL_CHARS:
        return None
    if "\r" in text:  # outside quotes, a "\r" is part of a line's end
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.endswith("\n"):  # the file's last line
        text += "\n"
    # Each line end, a piece of its own (one-character strings are Python's own, not made per line):
    # the run has one line end per line, so if every (width + 1)-th piece is one, every line has its cells.
    pieces = text.replace("\n", f"{delimiter}\n{delimiter}").split(delimiter)
    size = (width + 1) * len(run)
    if len(pieces) != size + 1 or pieces[width:size:width + 1] != ["\n"] * len(run):
        return None
    return [pieces[j:size:width + 1] for j in range(width)]
