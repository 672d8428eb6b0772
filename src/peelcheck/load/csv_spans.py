"""A CSV file cut into byte ranges, so each partition of a cluster reads its own bytes and no others.

A cut is moved on to the start of the next line, and each range's line breaks are counted (a scan
of its bytes, not a parse), so the reader of a range numbers its lines as a reader of the whole
file does. A cut may still fall inside a quoted cell holding line breaks: the reader of the range
before it then sees its last record run on past the range's last line and says so
(``FileQuality.cut_in_record``), and the file is read again in interleaved shards. Only files
whose line breaks are the byte ``\\n`` (lines ending ``\\n`` or ``\\r\\n``) in an encoding where that
byte is never part of another character (UTF-8, Windows-1252, Latin-1) are cut.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import IO

SCAN = 1 << 22  # bytes scanned at a time
# encodings in which b"\n" is always a line break and never a byte of another character
ONE_BYTE_BREAKS = frozenset({"utf-8", "utf-8-sig", "cp1252", "latin-1"})


@dataclass(frozen=True)
class Span:
    """One partition's range: from byte ``start`` (0: the first, header and all) to its line ``stop``."""

    start: int
    lines_before: int  # the file's lines before ``start``: the range's first line is the next
    stop: int | None  # the range's last line (None: to the end of the file)
    end: int | None = None  # the byte the next range starts at (None: the end of the file)


@dataclass(frozen=True)
class Stretch:
    """What a scan of the bytes from one cut to the next found."""

    start: int  # where the first line starting at or after the cut starts
    end: int  # where the first line starting at or after the next cut starts (or the file's end)
    breaks: int  # line breaks between them
    lone_cr: bool  # a "\r" not followed by "\n": a line break the count of "\n" misses


def data_cuts(path: Path, header_lines: int, parts: int) -> list[int] | None:
    """Where ``parts`` ranges of the file's data are cut (bytes), the file's end last: the first cut
    just after the header (its ``header_lines`` lines), the others evenly after it; None where the
    header's lines do not all end in "\n"."""
    with path.open("rb") as handle:
        head, start = b"", -1
        for _ in range(header_lines):
            while (found := head.find(b"\n", start + 1)) < 0 and (more := handle.read(SCAN)):
                head += more
            start = found if found >= 0 else len(head) - 1
        size = handle.seek(0, io.SEEK_END)
    first = start + 1
    if head[:first].count(b"\r") != head[:first].count(b"\r\n"):
        return None
    return [first + (size - first) * k // parts for k in range(parts)] + [size]


def surveyed(path: Path, cut: int, next_cut: int) -> Stretch:
    """The lines between two cuts, each moved on to the start of a line."""
    with path.open("rb") as handle:
        start, end = _line_start(handle, cut), _line_start(handle, next_cut)
        handle.seek(start)
        breaks = returns = pairs = 0
        left, last = end - start, b""
        while left > 0 and (block := handle.read(min(SCAN, left))):
            left -= len(block)
            breaks += block.count(b"\n")
            returns += block.count(b"\r")
            pairs += block.count(b"\r\n") + (last == b"\r" and block[:1] == b"\n")
            last = block[-1:]
    return Stretch(start, max(start, end), breaks, returns != pairs)


def _line_start(handle: IO[bytes], at: int) -> int:
    """``at`` if a line starts there, else where the next line starts (or the file's end)."""
    if at == 0:
        return 0
    handle.seek(at - 1)
    while block := handle.read(SCAN):
        found = block.find(b"\n")
        if found >= 0:
            return handle.tell() - len(block) + found + 1
    return handle.tell()


def spans(stretches: list[Stretch], header_lines: int) -> list[Span] | None:
    """The partitions' ranges (empty stretches left out), or None where a line break is not "\\n"."""
    if any(stretch.lone_cr for stretch in stretches):
        return None
    kept = [stretches[0], *(s for s in stretches[1:] if s.end > s.start)]
    ranges, before = [], header_lines
    for k, stretch in enumerate(kept):
        last = k == len(kept) - 1
        ranges.append(Span(0 if k == 0 else stretch.start, 0 if k == 0 else before,
                           None if last else before + stretch.breaks, None if last else kept[k + 1].start))
        before += stretch.breaks
    return ranges


def open_span(path: Path, encoding: str, span: Span) -> IO[str]:
    """The text of the file from ``span.start`` on (a byte-order mark is only at the file's start)."""
    handle = path.open("rb")
    handle.seek(span.start)
    return io.TextIOWrapper(handle, encoding="utf-8" if encoding == "utf-8-sig" else encoding, newline="")


__all__ = ["ONE_BYTE_BREAKS", "Span", "Stretch", "data_cuts", "open_span", "spans", "surveyed"]
