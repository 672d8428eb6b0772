"""A JSON record document read one record at a time, each placed at its line.

``json.loads`` builds every record of a document before the first is checked (a record file's
objects take several times its text) and says nothing of where a record was. Here the two outer
levels (the list, or the ``{"record_type", "records"}`` mapping around it) are walked by hand and
each record is decoded alone with ``input_guards``' strict decoder (no repeated keys, no outsize
numbers, no NaN), so an error names the record's line and memory holds the text and one record.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from peelcheck.errors import Location, RecordError
from peelcheck.load.input_guards import may_hold_half_characters, strict_decode

HEADER_KEYS = ("record_type", "records", "description")
SHAPE = "a record file is a list of records, or a mapping with 'record_type' and 'records'"
_SPACE = re.compile(r"[ \t\n\r]*")


class _Text:
    """The document and a position in it, with the line and column of any position."""

    def __init__(self, text: str, path: str) -> None:
        self.text, self.path, self.pos = text, path, 0
        self.checked = may_hold_half_characters(text)  # searched once, not once a record
        self._line, self._line_at, self._counted = 1, 0, 0  # line of position _counted, and where it starts

    def skip(self) -> str:
        """Skip white space; the next character ('' at the end)."""
        self.pos = _SPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]  # always matches
        return self.text[self.pos:self.pos + 1]

    def where(self, pos: int) -> Location:
        if pos >= self._counted:  # positions are asked for in order: count only the new stretch
            self._line += self.text.count("\n", self._counted, pos)
            newline = self.text.rfind("\n", self._counted, pos)
            self._line_at = newline + 1 if newline >= 0 else self._line_at
            self._counted = pos
            return Location(self.path, self._line, pos - self._line_at + 1)
        line = self.text.count("\n", 0, pos) + 1
        return Location(self.path, line, pos - self.text.rfind("\n", 0, pos))

    def value(self) -> Any:
        start = self.pos
        try:
            value, self.pos = strict_decode(self.text, start, self.checked)
        except json.JSONDecodeError as exc:
            raise RecordError.single("json-syntax", exc.msg, Location(self.path, exc.lineno, exc.colno)) from exc
        except ValueError as exc:  # a repeated key, an outsize number, nesting too deep, half a character
            raise RecordError.single("bad-json", str(exc), self.where(start)) from exc
        return value

    def expect(self, char: str, what: str) -> None:
        if self.skip() != char:
            raise RecordError.single("json-syntax", f"expected {what}", self.where(self.pos))
        self.pos += 1


def records(text: str, path: str, header: dict[str, Any] | None = None) -> Iterator[tuple[Any, Location]]:
    """Each record of a JSON record document with its place; other top-level keys go into ``header``."""
    doc = _Text(text, path)
    first = doc.skip()
    if first == "[":
        yield from _items(doc)
    elif first == "{":
        yield from _mapping(doc, {} if header is None else header)
    else:
        raise RecordError.single("bad-record-file", "expected a list of records", doc.where(doc.pos))
    if doc.skip():
        raise RecordError.single("json-syntax", "extra data after the document", doc.where(doc.pos))


def _items(doc: _Text) -> Iterator[tuple[Any, Location]]:
    doc.expect("[", "'['")
    if doc.skip() == "]":
        doc.pos += 1
        return
    while True:
        doc.skip()
        where = doc.where(doc.pos)
        yield doc.value(), where
        following = doc.skip()
        doc.pos += 1
        if following == "]":
            return
        if following != ",":
            raise RecordError.single("json-syntax", "expected ',' or ']' after a record", doc.where(doc.pos - 1))


def _mapping(doc: _Text, header: dict[str, Any]) -> Iterator[tuple[Any, Location]]:
    doc.expect("{", "'{'")
    seen: set[str] = set()
    if doc.skip() == "}":
        doc.pos += 1
    else:
        while True:
            doc.skip()
            yield from _member(doc, header, seen)
            following = doc.skip()
            doc.pos += 1
            if following == "}":
                break
            if following != ",":
                raise RecordError.single("json-syntax", "expected ',' or '}'", doc.where(doc.pos - 1))
    if "records" not in seen:
        raise RecordError.single("bad-record-file", SHAPE, Location(doc.path, 1, 1))


def _member(doc: _Text, header: dict[str, Any], seen: set[str]) -> Iterator[tuple[Any, Location]]:
    """One key of the top-level mapping and its value: the records, or a header entry."""
    where = doc.where(doc.pos)
    key = doc.value()
    if not isinstance(key, str) or key not in HEADER_KEYS:
        raise RecordError.single("bad-record-file", f"{SHAPE}; unknown keys: {key}", where)
    if key in seen:
        raise RecordError.single("bad-json", f"key {key!r} is written twice in one object", where)
    seen.add(key)
    doc.expect(":", "':'")
    if key == "records":
        if doc.skip() != "[":
            raise RecordError.single("bad-record-file", "expected a list of records", doc.where(doc.pos))
        yield from _items(doc)
    else:
        doc.skip()
        header[key] = doc.value()


def declared_type(text: str, path: str) -> str | None:
    """The ``record_type`` a JSON record document names, read without keeping its records."""
    header: dict[str, Any] = {}
    for _ in records(text, path, header):
        if "record_type" in header:
            break
    value = header.get("record_type")
    return value if isinstance(value, str) else None
