"""Records travel from the readers to the evaluators in batches, held column by column.

A batch is up to ``SIZE`` validated records of one type. Columns (one list per field, ``None``
where the field is not recorded) are what a clean CSV chunk converts into without building a
record per row, and what the python engine reads fastest; a record as a dict is built only where
one is needed: for durable-rules' facts, and for the explanation of a failure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from peelcheck.errors import Location
from peelcheck.load.rows import RecordRow, RejectedRow

SIZE = 1000  # durable-rules' chunk: ids "0".."999" are checked free of hash collisions


@dataclass(frozen=True)
class Batch:
    """Validated records by column, with each record's key and where it came from."""

    columns: Mapping[str, Sequence[Any]]  # every field of the record type
    keys: Sequence[str]
    where: Callable[[int], Location]  # the location of record i
    lines: tuple[str, Sequence[int]] | None = None  # records that are lines of one file: (file, each one's line)

    def __len__(self) -> int:
        return len(self.keys)

    def place(self, i: int) -> str:
        """Where record i came from, as findings show it (file:line)."""
        return self.places((i,))[0]

    def places(self, positions: Iterable[int]) -> list[str]:
        """The same for many records at once (str(where(i)), made directly where records are lines)."""
        if self.lines is None:
            return [str(self.where(i)) for i in positions]
        path, lines = self.lines
        return [f"{path}:{lines[i]}" for i in positions]

    def lines_of(self, positions: Iterable[int]) -> tuple[str | None, Sequence[Any]]:
        """Where many records are, to be kept: (file, their lines) where records are lines of one file,
        else (None, their places as text)."""
        if self.lines is None:
            return None, self.places(positions)
        path, lines = self.lines
        return path, list(map(lines.__getitem__, positions))

    def record(self, i: int, fields: Iterable[str] | None = None) -> dict[str, Any]:
        """Record i as the validators give it (fields not recorded are left out), or just ``fields`` of it."""
        columns = self.columns
        if fields is None:
            return {name: column[i] for name, column in columns.items() if column[i] is not None}
        return {name: value for name in fields if (value := columns[name][i]) is not None}


def from_rows(rows: Sequence[RecordRow], fields: Iterable[str]) -> Batch:
    """A batch of records validated one by one (YAML, JSON, mapped or irregular CSV rows)."""
    columns = {name: [row.values.get(name) for row in rows] for name in fields}
    locations = [row.location for row in rows]
    return Batch(columns, [row.key for row in rows], locations.__getitem__)


def from_records(records: Sequence[dict[str, Any]], fields: Iterable[str]) -> Batch:
    """A batch of validated records held in memory, keyed and located by their position."""
    columns = {name: [record.get(name) for record in records] for name in fields}
    return Batch(columns, [str(i) for i in range(len(records))], lambda i: Location(f"<records>[{i}]"))


def column_loop(position: str, positions: str, fields: dict[str, str]) -> list[str]:
    """Generated source walking a batch's columns (``columns``, ``n`` records): a loop binding
    ``position`` from ``positions`` and each field's value to its local (field name -> local), a
    field the batch has no column for being None throughout. Locals, not a dict per record: this
    loop runs once per record in both engines."""
    if not fields:
        return [f"    for {position} in {positions}:"]
    columns = "".join(f", columns.get({name!r}, blank)" for name in fields)
    return ["    blank = [None] * n", f"    for {position}, {', '.join(fields.values())} in zip({positions}{columns}):"]


def gathered(rows: Iterable[RecordRow | RejectedRow], fields: list[str]) -> Iterator[Batch | RejectedRow]:
    """Valid rows in batches of up to SIZE; rejected ones passed on where they come, so the
    items keep the file's order."""
    chunk: list[RecordRow] = []
    for row in rows:
        if isinstance(row, RejectedRow):
            if chunk:
                yield from_rows(chunk, fields)
                chunk = []
            yield row
            continue
        chunk.append(row)
        if len(chunk) == SIZE:
            yield from_rows(chunk, fields)
            chunk = []
    if chunk:
        yield from_rows(chunk, fields)


def valid_batches(items: Iterable[Batch | RejectedRow], rejected: list[RejectedRow]) -> Iterator[Batch]:
    """The batches of valid records; rejected rows are set aside to be reported, never dropped."""
    for item in items:
        if isinstance(item, RejectedRow):
            rejected.append(item)
        else:
            yield item
