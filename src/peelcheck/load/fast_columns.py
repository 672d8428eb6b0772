"""Whole CSV columns converted at once, where every cell is canonical; pydantic stays the validator of record.

A chunk of a clean export converts column by column: one shape test of the whole column (the
separators of dates and times in their places, tested for every cell at once by slices of the
column joined), then one conversion per cell, with no record built per row; columns of few values
(codes, dates) are read through what their cells were read as before. Any cell that is not in
canonical form (or a blank in a required column) makes the column converter return None, and
the chunk goes row by row through ``fast_cells`` and pydantic, which accept it or report the
error. A property test holds these converters to pydantic.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from itertools import islice, repeat
from operator import add, floordiv, itemgetter
from typing import Any

from peelcheck.errors import Location
from peelcheck.load.batch import Batch
from peelcheck.load.fast_cells import BOOLS, DATETIME_SEPARATORS, MISS, converter
from peelcheck.schema.key_text import shows_all
from peelcheck.schema.pack import FieldSpec, FieldType, RecordTypeSpec

ColumnConverter = Callable[[Sequence[str]], Sequence[Any] | None]

_FLOAT_CELLS = re.compile(r"(?:-?[0-9]{1,15}(?:\.[0-9]+)?)?(?:\n(?:-?[0-9]{1,15}(?:\.[0-9]+)?)?)*").fullmatch


def _canonical(cells: Sequence[str], check: Callable[[str], Any], required: bool) -> bool:
    if required and "" in cells:
        return False
    joined = "\n".join(cells)
    return joined.count("\n") == len(cells) - 1 and bool(check(joined))  # no cell holds a newline


def _typed(parse: Callable[[str], Any], check: Callable[[str], Any], required: bool) -> ColumnConverter:
    def convert(cells: Sequence[str]) -> Sequence[Any] | None:
        if not _canonical(cells, check, required):
            return None
        try:
            if "" in cells:
                return [parse(t) if t else None for t in cells]
            return list(map(parse, cells))  # a full column: one call per cell, from C
        except ValueError:  # a day that does not exist (2021-02-30), or cells the shape test let through
            return None
    return convert




def _datetimes(required: bool) -> ColumnConverter:
    """Canonical datetimes: 19 characters with the separators in their places (each position of a
    column's cells read at once, by slices of them joined) that fromisoformat reads: it reads digits
    only between those separators, so nothing but YYYY-MM-DDTHH:MM:SS passes both."""
    parse = dt.datetime.fromisoformat

    def convert(cells: Sequence[str]) -> Sequence[Any] | None:
        present = list(filter(None, cells)) if "" in cells else cells
        if required and len(present) < len(cells) or present and set(map(len, present)) != {19}:
            return None
        joined, count = "".join(present), len(present)
        if any(joined[at::19] != mark * count for at, mark in DATETIME_SEPARATORS):
            return None
        try:
            return list(map(parse, cells)) if present is cells else [parse(t) if t else None for t in cells]
        except ValueError:  # a day or time that does not exist (2021-02-30, 24:00:00)
            return None
    return convert


class _Days(dict[str, dt.date]):
    """Dates already read, by their text: a file's dates repeat (a few thousand days in a year of
    records), so most cells of a list cost a lookup, not a parse. Cleared when it grows large."""

    LIMIT = 100_000

    def __missing__(self, text: str) -> dt.date:
        if len(self) > self.LIMIT:
            self.clear()
        day = self[text] = dt.date.fromisoformat(text)
        return day


def _date_list(blank: list[Any] | None) -> ColumnConverter:
    """Lists of canonical dates: the column's dates, joined, are YYYY-MM-DD with ";" between (each
    place of every date read at once, by slices) that fromisoformat reads (digits only between)."""
    day = _Days().__getitem__

    def convert(cells: Sequence[str]) -> Sequence[Any] | None:
        joined = ";".join(filter(None, cells))
        count = (len(joined) + 1) // 11
        if joined and (len(joined) != 11 * count - 1 or joined[4::11] != "-" * count or joined[7::11] != "-" * count
                       or joined[10::11] != ";" * (count - 1)):
            return None
        try:
            every = iter(list(map(day, joined.split(";"))) if joined else [])
        except ValueError:  # a day that does not exist (2021-02-30)
            return None
        # each cell holds whole dates (the shape test put ";" every 11th character), so its length
        # says how many: each takes that many of the column's dates in turn, all in C
        sizes = map(floordiv, map(add, map(len, cells), repeat(1)), repeat(11))
        lists = list(map(list, map(islice, repeat(every), sizes)))
        if blank is None and "" in cells:
            return [found if t else None for found, t in zip(lists, cells)]
        return lists  # a blank cell: an empty list, as the field says
    return convert


def _bool(required: bool) -> ColumnConverter:
    table: dict[str, bool | None] = dict(BOOLS) if required else {**BOOLS, "": None}

    def convert(cells: Sequence[str]) -> Sequence[Any] | None:
        try:
            return itemgetter(*cells)(table) if len(cells) > 1 else [table[t] for t in cells]  # a tuple, from C
        except KeyError:
            return None
    return convert


class _Known(dict[str, Any]):
    """Cells already read, by their text, for columns of few values (outcome codes, dates): most
    cells then cost a lookup. A new cell is read by ``fast_cells`` (the same canonical forms, held to
    pydantic too); one that is not canonical sends the chunk to pydantic. Cleared when it grows large."""

    LIMIT = 100_000

    def __init__(self, read: Callable[[str], Any], required: bool) -> None:
        super().__init__()
        self.read, self.blank = read, not required
        self._start()

    def _start(self) -> None:
        self.clear()
        if self.blank:
            self[""] = None

    def __missing__(self, text: str) -> Any:
        value = self.read(text)
        if value is MISS:
            raise KeyError(text)
        if len(self) > self.LIMIT:
            self._start()
        self[text] = value
        return value


def _known(read: Callable[[str], Any], required: bool) -> ColumnConverter:
    known = _Known(read, required).__getitem__

    def convert(cells: Sequence[str]) -> Sequence[Any] | None:
        try:
            return list(map(known, cells))
        except KeyError:
            return None
    return convert


def _text(allowed: frozenset[str] | None, required: bool) -> ColumnConverter:
    def convert(cells: Sequence[str]) -> Sequence[Any] | None:
        if required and "" in cells or allowed is not None and not allowed.issuperset(cells):
            return None
        if allowed is None and list(map(str.strip, cells)) != list(cells):  # pydantic strips: let it
            return None
        return [t or None for t in cells] if "" in cells else cells
    return convert


def column_converter(spec: FieldSpec) -> ColumnConverter:
    """The whole-column converter of one field (durations always go to pydantic, row by row)."""
    required = spec.required
    if spec.type is FieldType.BOOL:
        return _bool(required)
    if spec.type is FieldType.ENUM:
        return _text(frozenset(spec.values or ()) | (set() if required else {""}), required)
    if spec.type is FieldType.STRING:
        return _text(None, required)
    if spec.type is FieldType.DATE_LIST:
        return _date_list([] if spec.blank_cell == "empty_list" else None)
    if spec.type in (FieldType.INT, FieldType.DATE):
        return _known(converter(spec), required)
    if spec.type is FieldType.FLOAT:
        return _typed(float, _FLOAT_CELLS, required)
    if spec.type is FieldType.DATETIME:
        return _datetimes(required)
    return lambda cells: None


class ColumnarChunk:
    """Converts a chunk of CSV rows (cells in header order) into a Batch, or None if any cell is not canonical."""

    def __init__(self, names: list[str], spec: RecordTypeSpec, path: str) -> None:
        self.width, self.path, self.key = len(names), path, spec.key
        self.converters = [(name, column_converter(spec.fields[name])) for name in names]
        self.absent = [name for name in spec.fields if name not in names]
        self.key_is_text = spec.fields[spec.key].type in (FieldType.STRING, FieldType.ENUM)
        # a text key's column, searched for characters that do not show (pydantic names them): an enum's
        # values are the pack's, and other types' canonical cells hold none
        self.text_key_at = names.index(spec.key) if spec.key in names and \
            spec.fields[spec.key].type is FieldType.STRING else None
        # a key cell that is the key column's name: the header again (two exports joined), for the row by row
        # reading to reject (``repeated_header``); a canonical key cell so named is exactly that name
        self.key_at = names.index(spec.key) if spec.key in names else None

    def convert(self, chunk: list[list[str]], lines: Sequence[int]) -> Batch | None:
        """A chunk of rows (as csv reads them) as a Batch, or None."""
        if set(map(len, chunk)) != {self.width}:
            return None
        return self.from_columns(list(zip(*chunk)), lines)

    def from_columns(self, cells: Sequence[Sequence[str]], lines: Sequence[int]) -> Batch | None:
        """The same from the chunk's cells column by column (each as long as the chunk)."""
        if self.key in self.absent:
            return None
        if self.text_key_at is not None and not shows_all("".join(cells[self.text_key_at])):  # in C, once a chunk
            return None
        if self.key_at is not None and self.key in cells[self.key_at]:  # in C too
            return None
        columns: dict[str, Sequence[Any]] = {}
        for (name, convert), column in zip(self.converters, cells):
            values = convert(column)
            if values is None:
                return None
            columns[name] = values
        blank = [None] * len(cells[0])
        for name in self.absent:
            columns[name] = blank
        keys = columns[self.key] if self.key_is_text else [str(v) for v in columns[self.key]]
        path = self.path
        return Batch(columns, keys, lambda i: Location(path, lines[i]), (path, lines))
