"""Rows repeated exactly within a file read with ``key_from_row`` (no key column, so a repeated row is the
only sign of a row counted twice): one way for every reader of such files (a CSV, a sheet, a Parquet file).

Each row is noted as one text (``row_text``) in a ``RepeatedKeys``, which holds no more than a chunk of
them as Python strings and the rest joined and compressed a chunk at a time, and finds the repeats once,
at the end, taking them one by one. A row's text is long and much like its neighbours' (the same
categories, dates and places over and over): compressed, it costs about a ninth of its bytes (a
police.uk stop-and-search export's), where a national file's rows would otherwise be held at nearly the
size of the file. A part of a file (a CSV's byte range, a Parquet file's partition) hands its notes to
the merge, which judges the rows of every part as one reader of the whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from peelcheck.load.repeated_keys import RepeatedKeys
from peelcheck.load.rows import FileQuality
from peelcheck.schema.mapping import ColumnMapping


def row_text(cells: Sequence[Any]) -> str:
    """A row's cells as one text, equal for two rows exactly when their cells are (``1`` and ``1.0``
    and ``True`` are not): how a file read with ``key_from_row`` is searched for repeated rows."""
    return repr(tuple(cells))


class RepeatedRows:
    """The rows of one file (or one part of it), noted in file order, for exact repeats."""

    def __init__(self, unit: str, partial: bool = False) -> None:
        self.partial = partial  # a part of the file: the merge finds the repeats, across every part
        self.noted = RepeatedKeys(unit, packed=True)

    @classmethod
    def wanted(cls, mapping: ColumnMapping | None, unit: str, partial: bool = False) -> RepeatedRows | None:
        """Where the mapping keys rows by their place (``key_from_row``), their notes; else None (rows
        with a key column are looked at by their keys instead)."""
        return cls(unit, partial) if mapping is not None and mapping.key_from_row else None

    def note(self, rows: Iterable[Sequence[Any]], places: Sequence[int]) -> None:
        """Rows (each its cells, as read) and the place of each (a line, or a row number)."""
        self.noted.note_many([row_text(cells) for cells in rows], places)

    def tell(self, quality: FileQuality) -> None:
        """Once every row is noted: the file's repeats, or a part's notes for the merge to judge."""
        if self.partial:
            quality.noted_rows = self.noted
        else:
            quality.repeated_rows = self.noted.repeated_places()


__all__ = ["RepeatedRows", "row_text"]
