"""Failures the columnar engine finds past what a run holds in memory, waiting on disk as their raw cells.

A run keeps its first failures in memory, explained (``failure_spill``). Past those, pickling
each explained failure cost the columnar engine more than finding it (at a million records, half
a second for 270,000 failures). So its later groups go to the run's temporary file as what DuckDB
handed back: an Arrow table of the failing rows' cells (only the fields explaining them reads, and
the key), their lines and their kinds, written as Arrow IPC. A group is explained when something
reads it, by the same code and from the same cells as one held in memory, so a report is the
same either way; its keys alone are read without explaining it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from peelcheck.evaluate.failure_columns import FailureColumns
from peelcheck.evaluate.failure_spill import Parcel, Spill, Spilled, stored

Explain = Callable[[Any], FailureColumns]  # an Arrow table of cells -> its failures, explained
Keys = Callable[[Any], list[str]]  # the same table -> its records' keys


class Unexplained(Spilled):
    """A group of failures on disk as its cells (Arrow IPC), explained whenever read."""

    __slots__ = ("explain", "keys_of")

    def __init__(self, spill: Spill, offset: int, length: int, size: int, explain: Explain, keys_of: Keys) -> None:
        super().__init__(spill, offset, length, size)
        self.explain, self.keys_of = explain, keys_of

    def load(self) -> FailureColumns:
        return self.explain(self._cells())

    def failing_keys(self) -> list[str]:
        return self.keys_of(self._cells())

    def _cells(self) -> Any:
        import pyarrow as pa

        return pa.ipc.open_stream(self.spill.read(self.offset, self.length)).read_all()

    def __reduce__(self) -> tuple[Any, ...]:
        # to another process explained (how to explain it stays here), as a group waiting on disk travels
        return Parcel, (stored(self.load()), self.size)


def put_cells(spill: Spill, cells: Any, explain: Explain, keys_of: Keys) -> Unexplained:
    """A group of failures, an Arrow table of their cells with one row per failure, to the run's disk."""
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, cells.schema, options=pa.ipc.IpcWriteOptions(compression=None)) as writer:
        writer.write_table(cells)
    at = spill.put(sink.getvalue().to_pybytes(), cells.num_rows)
    return Unexplained(spill, at.offset, at.length, at.size, explain, keys_of)


__all__ = ["Unexplained", "put_cells"]
