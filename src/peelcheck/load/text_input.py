"""Opening a text export as it comes: its encoding and delimiter declared or detected, then stated.

Exports from Excel and from force systems arrive as UTF-8 with or without a byte-order mark,
UTF-16 with one, or Windows-1252; delimited by commas or, in many European locales, semicolons.
JSON, JSON Lines and YAML record files are UTF-8, or UTF-16 where a byte-order mark says so.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from peelcheck.errors import Location, RecordError

_SAMPLE = 1 << 16  # bytes looked at to detect an encoding
_DELIMITERS = (",", ";", "\t", "|")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


@dataclass(frozen=True)
class TextForm:
    """How a text file is read, and whether each part was declared or detected."""

    encoding: str
    encoding_detected: bool
    delimiter: str = ","
    delimiter_detected: bool = False

    def statement(self) -> list[str]:
        """What the report says of it (nothing for the usual UTF-8 and commas)."""
        said = []
        if self.encoding not in ("utf-8", "utf-8-sig"):
            said.append(f"encoding {self.encoding} ({'detected' if self.encoding_detected else 'declared'})")
        if self.delimiter != ",":
            shown = {"\t": "tab"}.get(self.delimiter, repr(self.delimiter))
            said.append(f"delimiter {shown} ({'detected' if self.delimiter_detected else 'declared'})")
        return said


def detect_encoding(path: Path, declared: str | None) -> TextForm:
    if declared is not None:
        return TextForm(declared, False)
    with path.open("rb") as handle:
        sample = handle.read(_SAMPLE)
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return TextForm(name, True)  # told by its byte-order mark
    wide = _utf16_without_mark(sample)
    if wide is not None:
        return TextForm(wide, True)
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 3:  # not a character cut at the sample's end
            return TextForm("cp1252" if _is_cp1252(sample) else "latin-1", True)
    return TextForm("utf-8", False)


def utf16_marked(path: Path) -> bool:
    """Whether a file starts with UTF-16's byte-order mark: how a JSON, JSON Lines or YAML record file saved as
    Windows' and Excel's "Unicode" text is told, and then read as UTF-16, as a CSV so saved is. Nothing else is
    guessed for them: their text is UTF-8 by their standards."""
    with path.open("rb") as handle:
        return starts_utf16(handle.read(4))


def starts_utf16(head: bytes) -> bool:
    """Whether bytes start with UTF-16's byte-order mark (either order; not UTF-32's, which starts alike)."""
    return head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not head.startswith(codecs.BOM_UTF32_LE)


def _utf16_without_mark(sample: bytes) -> str | None:
    """UTF-16 saved without a byte-order mark, told by its zero bytes: the text of an export is mostly
    ASCII, which UTF-16 writes as the character and a zero byte, in the order of the file's byte order.
    A text in an 8-bit encoding holds no zero byte at all (UTF-8 would read these as NUL characters)."""
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    low, high = sample[1::2].count(0), sample[0::2].count(0)
    if low >= 0.6 * pairs and high == 0:
        return "utf-16-le"
    if high >= 0.6 * pairs and low == 0:
        return "utf-16-be"
    return None


def _is_cp1252(sample: bytes) -> bool:
    try:
        sample.decode("cp1252")
    except UnicodeDecodeError:  # bytes Windows-1252 leaves undefined: latin-1 reads every byte
        return False
    return True


def with_delimiter(form: TextForm, header_line: str, declared: str | None) -> TextForm:
    """The delimiter: declared, else the commonest candidate in the header line (comma on a tie)."""
    if declared is not None:
        return TextForm(form.encoding, form.encoding_detected, declared, False)
    counts = {d: _unquoted(header_line).count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: (counts[d], d == ","))
    chosen = best if counts[best] else ","
    return TextForm(form.encoding, form.encoding_detected, chosen, chosen != ",")


def _unquoted(line: str) -> str:
    return "".join(part for i, part in enumerate(line.split('"')) if i % 2 == 0)


def open_text(path: Path, form: TextForm) -> IO[str]:
    return path.open(encoding=form.encoding, newline="")


def first_line(path: Path, form: TextForm) -> str:
    with open_text(path, form) as handle:
        try:
            return handle.readline()
        except UnicodeDecodeError as exc:
            raise decode_error(path, form, exc) from exc


def decode_error(path: Path, form: TextForm, exc: UnicodeDecodeError) -> RecordError:
    """A decoding failure located at the file's line, found by reading the file again line by line."""
    line = _bad_line(path, form.encoding)
    hint = ("save the file as UTF-8, or declare its encoding in a mapping (encoding: cp1252)"
            if form.encoding.startswith("utf-8") else "declare the file's encoding in a mapping")
    return RecordError.single("unreadable-file", f"not {form.encoding} text: {exc.reason} "
                              f"(byte {exc.object[exc.start:exc.start + 1]!r})", Location(str(path), line), hint=hint)


def _bad_line(path: Path, encoding: str) -> int | None:
    decoder = codecs.getincrementaldecoder(encoding)()
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                decoder.decode(raw)
            except UnicodeDecodeError:
                return number
    return None
