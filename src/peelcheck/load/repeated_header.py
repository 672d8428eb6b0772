"""A data row that repeats the file's header: two exports joined end to end (``cat a.csv b.csv > all.csv``).

The second export's header is then a row like any other. Where a column is typed (a date, a number, a
yes/no, an enum) its cell fails to parse; where every column read is text, the row read as a record keyed
by the key column's name, counted and assessed as one. A row whose cells are the header's, each compared
as a column name is read (``columns.header_text``: spaces and a byte-order mark around it dropped), is a
problem of its own, ``repeated-header``, located at its line or row, whatever its columns' types: the
header as the file writes it, so a mapping's renames change nothing. A row of another width, or a header
of another export version, is not this: it is a row with the wrong cells, reported as such.

The test is cheap where it runs on every row: one cell (the key's, or the first named column's) is
looked at first, and the others only where it holds that column's name.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from peelcheck.errors import Location
from peelcheck.load.columns import header_text
from peelcheck.load.rows import RejectedRow


class RepeatedHeader:
    """A file's header row, to know a data row that repeats it."""

    def __init__(self, header: Sequence[Any], key_at: int | None, place: str, at: int) -> None:
        """``header``: its cells as read; ``key_at``: the key's column, if the file has one; ``place``: what
        a place is (a CSV's ``line``, a sheet's ``row``) and ``at`` the header's."""
        self.names = [header_text(c) for c in header]
        named = [i for i, name in enumerate(self.names) if name]
        self.probe = key_at if key_at is not None else (named[0] if named else 0)
        self.name = self.names[self.probe] if self.names else ""
        self.place, self.at = place, at

    def repeats(self, row: Sequence[Any]) -> bool:
        """Whether ``row`` (of the header's width) is the header again."""
        cell = row[self.probe] if len(row) > self.probe else None
        if isinstance(cell, str):
            if self.name not in cell:  # (a substring test in C: almost every row ends here)
                return False
        elif header_text(cell) != self.name:
            return False
        return len(row) == len(self.names) and all(header_text(c) == n for c, n in zip(row, self.names))

    def rejected(self, location: Location) -> RejectedRow:
        """The row at ``location``, rejected as the header again."""
        return RejectedRow(location, None, None,
                           f"this {self.place} repeats the header ({self.place} {self.at}): the file looks like "
                           "two exports joined end to end, the second's header left among the records; remove the "
                           f"{self.place} (and check the rows after it belong in this file), or export the records "
                           "as one file", code="repeated-header")


__all__ = ["RepeatedHeader"]
