"""A table's key cells read as the keys their records are named by, to find keys repeated in a file.

A record is named by its key's value as read (``RecordRow.key``, the text of the validated value),
so in an int key column ``7``, ``007``, ``+7`` and `` 7`` name one record four times, and the repeat
check must compare them so. It reads every row's key cell (the first of a file's shards reads the
other shards' rows too, which it does not convert; DuckDB hands back cells), so the key is read
here as the row path reads it: the mapping's cell reading, then pydantic. A chunk whose cells are
each written as its key already (a clean export's, tested at once) costs no conversion.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import ValidationError

from peelcheck.load.repeated_keys import RepeatedKeys
from peelcheck.load.rows import TimeNotes
from peelcheck.load.shaping import CellError, cell_reader
from peelcheck.schema.mapping import ColumnMapping
from peelcheck.schema.pack import FieldType, RecordTypeSpec
from peelcheck.schema.records import value_validator
from peelcheck.schema.timezones import DEFAULT_TIMEZONE

_JOIN = "\x00"  # between a chunk's cells, tested at once: no key's text in the forms below holds it


def _joined_match(one: str) -> Callable[[Sequence[str]], bool]:
    """A test that every cell is text of the form ``one`` (a pattern), made on the cells joined."""
    match = re.compile(f"(?:{one})(?:{_JOIN}(?:{one}))*").fullmatch

    def test(cells: Sequence[str]) -> bool:
        joined = _JOIN.join(cells)
        return joined.count(_JOIN) == len(cells) - 1 and match(joined) is not None
    return test


def _stripped(cells: Sequence[str]) -> bool:
    # str.strip drops every space pydantic drops (and \x1c-\x1f, which it keeps): a cell it leaves
    # as it is, pydantic does too
    return list(map(str.strip, cells)) == list(cells)  # in C: a test per cell in Python took 8 times as long


# Where every cell of a chunk is already written as its record's key would be (the text of its value):
# the forms the value's text takes, for the types a key is likely to have. Others are read cell by cell.
_AS_WRITTEN: dict[FieldType, Callable[[Sequence[str]], bool]] = {
    FieldType.STRING: _stripped,
    FieldType.INT: _joined_match("-?[1-9][0-9]*|0"),  # no plus sign, no zeros before (and no -0)
    FieldType.DATE: _joined_match("[0-9]{4}-[0-9]{2}-[0-9]{2}"),  # not a day that exists: rejected, as written
    FieldType.BOOL: {"True", "False"}.issuperset,
}


# Chunks a conversion in C reads exactly as pydantic does: ASCII digits after a sign or zeros (zero-padded
# references) by ``int``, which also reads spaces, \x1c and other scripts' digits, not all as pydantic does
_QUICK: dict[FieldType, tuple[Callable[[Sequence[str]], bool], Callable[[Sequence[str]], list[str]]]] = {
    FieldType.INT: (_joined_match("[+-]?[0-9]{1,18}"), lambda cells: list(map(str, map(int, cells)))),
}


class KeyCells:
    """How the key cells of one file's rows name their records."""

    def __init__(self, spec: RecordTypeSpec, mapping: ColumnMapping | None = None,
                 zone: str = DEFAULT_TIMEZONE) -> None:
        field, name = spec.fields[spec.key], spec.key
        self.read = cell_reader(field, name, mapping, TimeNotes())  # the mapping's value map, format...
        self.validate = value_validator(field, zone, key=True).validate_python
        recast = mapping is not None and (name in mapping.values or name in mapping.formats)
        if field.type is FieldType.ENUM:
            self.as_written: Callable[[Sequence[str]], bool] | None = frozenset(field.values or ()).issuperset
        else:
            self.as_written = _AS_WRITTEN.get(field.type)
        self.quick = _QUICK.get(field.type)
        if recast:  # a cell may be read as another key altogether
            self.as_written = self.quick = None

    def keys(self, cells: Sequence[str]) -> list[str] | None:
        """The keys of the records of these cells; None where each cell is written as its key already."""
        if self.as_written is not None and self.as_written(cells):
            return None
        if self.quick is not None and self.quick[0](cells):
            return self.quick[1](cells)
        return list(map(self.key, cells))

    def note(self, noting: RepeatedKeys, cells: Sequence[str], places: Sequence[int]) -> None:
        """Key cells noted for repeats by their records' keys, and as written where that is otherwise."""
        keys = self.keys(cells)
        noting.note_many(cells if keys is None else keys, places, None if keys is None else cells)

    def key(self, cell: Any) -> str:
        """The key of the record of one cell, as ``RowValidator`` names it. A cell that is not a key
        (its row is rejected) is compared as written, without the spaces around it."""
        try:
            return str(self.validate(self.read(cell)))
        except (CellError, ValidationError):
            return cell.strip() if isinstance(cell, str) else str(cell)


def as_written(value: Any) -> str | None:
    """A key's value as the file gave it (a record read whole, a sheet's typed cell), as text to show: a
    number by its digits (a sheet's 7.0 as 7); None where there is none."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


__all__ = ["KeyCells", "as_written"]
