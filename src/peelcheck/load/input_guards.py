"""Checks that keep a record file from silently inflating counts or losing values.

- A CSV header naming one column twice, or a mapping sending two of its columns to one field,
  is an error: one of the two values would be lost.
- A line longer than ``MAX_LINE_CHARS`` (CSV, JSON Lines) or a CSV cell longer than csv's field
  limit (``MAX_CELL_CHARS``) is an error naming the line, read no further than the limit, so memory
  stays proportional to the chunk of rows being read, whatever the file holds.
- A JSON object with a key written twice is an error (json keeps the last value silently), and
  so is a number longer than ``MAX_NUMBER_CHARS`` characters (no record field needs one; Python
  refuses to read integers past 4,300 digits with an unlocated error); NaN and Infinity, which
  are not JSON, are refused too. So is a string escape of half a UTF-16 pair (``"\\udc80"`` alone): json reads
  it as a lone surrogate, which is no character and which no UTF-8 report can hold (a row rejected with one
  made the JSON report an internal fault); YAML refuses it as it reads.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Iterator
from typing import IO, Any

from peelcheck.errors import Location, RecordError

MAX_NUMBER_CHARS = 100
MAX_LINE_CHARS = 16 * 1024 * 1024
MAX_JSON_BYTES = 64 * 1024 * 1024  # a JSON document's text is held whole (its records are built one by one)
MAX_CELL_CHARS = csv.field_size_limit()  # 131,072: the csv module's own limit, kept


def bounded_lines(handle: IO[str], path: str) -> Iterator[str]:
    """The file's lines, each read no further than MAX_LINE_CHARS (a longer one is a located error)."""
    readline, line_no = handle.readline, 0
    while line := readline(MAX_LINE_CHARS):
        line_no += 1
        if len(line) == MAX_LINE_CHARS and not line.endswith(("\n", "\r")):
            raise RecordError.single("line-too-long", f"a line longer than {MAX_LINE_CHARS:,} characters",
                                     Location(path, line_no), hint="is this the file you meant? "
                                     "no record needs a line this long")
        yield line


def cell_too_long(error: csv.Error, path: str, line: int) -> RecordError:
    """csv's own error, located (csv.Error names no line)."""
    return RecordError.single("bad-csv", f"{error} (a cell of more than {MAX_CELL_CHARS:,} characters, or a quote "
                              "left open)", Location(path, line))


def check_header(header: list[str], names: list[Any], where: Location) -> None:
    """A CSV header with a column named twice, or two columns mapped to one field, is a located error."""
    twice = [name for name, n in Counter(header).items() if n > 1 and name]  # blank: columns with no header
    if twice:
        raise RecordError.single("duplicate-column", f"column(s) named more than once: {', '.join(twice)}",
                                 where, hint="rename or remove the extra column: only one of its values could be read")
    fields = Counter(n for n in names if n is not None)
    shared = {f: [c for c, n in zip(header, names) if n == f] for f, count in fields.items() if count > 1}
    if shared:
        what = "; ".join(f"{' and '.join(columns)} -> {field}" for field, columns in shared.items())
        raise RecordError.single("mapped-twice", f"the mapping sends more than one column to one field: {what}",
                                 where, hint="list all but one of those columns under the mapping's 'ignore'")


def _unique_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)  # from C; the loop below runs only when a key was written twice
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"key {key!r} is written twice in one object (only one value could be kept)")
            seen.add(key)
    return result


# a \uD800-\uDFFF escape: only a text holding one has its strings looked through (a pair is one character)
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _whole_characters(value: Any, key: str) -> None:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(f"the value of {key!r} holds half of a UTF-16 pair ({value!r}), not a character: write "
                             "the character itself, or both halves of its pair") from None
    elif isinstance(value, list):
        for item in value:
            _whole_characters(item, key)


def _unique_whole_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """As ``_unique_object``, every key and text value (and text in a list) whole characters."""
    for key, value in pairs:
        _whole_characters(key, key)
        _whole_characters(value, key)
    return _unique_object(pairs)


def _number(kind: type[int] | type[float]) -> Any:
    def parse(text: str) -> int | float:
        if len(text) > MAX_NUMBER_CHARS:
            raise ValueError(f"a number of {len(text):,} characters (at most {MAX_NUMBER_CHARS} are read): "
                             f"{text[:20]}...")
        return kind(text)
    return parse


def _no_constant(text: str) -> Any:
    raise ValueError(f"{text} is not a JSON number")


_DECODER = json.JSONDecoder(object_pairs_hook=_unique_object, parse_int=_number(int), parse_float=_number(float),
                            parse_constant=_no_constant)
_CHECKING_DECODER = json.JSONDecoder(object_pairs_hook=_unique_whole_object, parse_int=_number(int),
                                     parse_float=_number(float), parse_constant=_no_constant)


def may_hold_half_characters(text: str) -> bool:
    """Whether ``text`` has an escape that may be half a UTF-16 pair (looked for once per document or line)."""
    return "\\u" in text and _SURROGATE_ESCAPE.search(text) is not None


def strict_decode(text: str, start: int, checked: bool = True) -> tuple[Any, int]:
    """The JSON value starting at ``start`` and where it ends, decoded as ``json_loads`` does (``checked``: the
    text ``may_hold_half_characters``, so its strings are looked through)."""
    try:
        return (_CHECKING_DECODER if checked else _DECODER).raw_decode(text, start)
    except RecursionError:
        raise ValueError("lists or objects nested too deeply to read") from None


def json_loads(text: str) -> Any:
    """json.loads, refusing repeated keys, outsize numbers and deep nesting (ValueError; JSONDecodeError for
    bad syntax)."""
    try:
        return (_CHECKING_DECODER if may_hold_half_characters(text) else _DECODER).decode(text)
    except RecursionError:
        raise ValueError("lists or objects nested too deeply to read") from None
