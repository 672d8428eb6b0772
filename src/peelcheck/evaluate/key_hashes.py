"""Each row's key's hash, kept in DuckDB, to find the rows whose keys repeat in a file DuckDB reads.

The columnar engine over a whole CSV file (``columnar_csv``) notes repeated keys as the python
loader does, but a national file's keys would not fit in Python's memory: their hashes go into a
table of DuckDB's, which spills past its memory limit. Kept apart from the file's run: it is the
one part that holds state across the whole file.
"""

from __future__ import annotations

from typing import Any

from peelcheck.evaluate.columnar import database


class KeyHashes:
    """Each row's key's hash, in file order, in a table of DuckDB's (8 bytes a row, held within its
    memory limit and spilled past it, as Python's memory would not be), to find repeated keys."""

    HELD = 500_000  # hashes held in Python (4 MB) before they go into the table: each insert costs a few ms
    ROWS_PER_PART, MOST_PARTS = 250_000, 64  # repeats are sought among a part of the rows' hashes at a time

    def __init__(self) -> None:
        self.connection: Any = None  # its own, made when first needed: the file's query streams on another
        self.pending: list[Any] = []
        self.held = self.rows = 0

    def add(self, hashes: Any) -> None:
        """The hashes (an Arrow array or chunked array) of the next rows of the file."""
        import pyarrow as pa

        chunks = getattr(hashes, "chunks", [hashes])
        if not chunks:  # a batch of no rows
            return
        # copied: a column of DuckDB's batch holds on to the memory of the whole batch (every column of
        # its rows) while it waits here: 500,000 rows' worth was 55 MiB of peak memory
        self.pending.append(pa.concat_arrays(chunks))
        self.held += len(hashes)
        self.rows += len(hashes)
        if self.held >= self.HELD:
            self._insert()

    def _insert(self) -> None:
        import pyarrow as pa

        chunks, self.pending, self.held = self.pending, [], 0
        if not chunks:
            return
        if self.connection is None:
            self.connection = database().cursor()
            self.connection.execute("CREATE TEMP TABLE key_hashes (h UBIGINT)")
        # one contiguous array: DuckDB scans it on one thread, so its rows go in in order
        self.connection.register("noted", pa.table({"h": pa.concat_arrays(chunks)}))
        self.connection.execute("INSERT INTO key_hashes SELECT h FROM noted")
        self.connection.unregister("noted")

    def repeated(self) -> list[int]:
        """The places (from 0) of the rows whose key's hash another row's has, in file order: a table
        is scanned in the order its rows went in (``database`` keeps insertion order), and numbered so."""
        if self.pending:
            self._insert()
        if self.connection is None:
            return []
        # the repeated hashes, a share of the distinct ones at a time: counting 1,000,000 at once took
        # 35 MiB more of peak memory than in parts of 250,000 (repeated keys are few: the answer is small)
        parts = min(self.MOST_PARTS, -(-self.rows // self.ROWS_PER_PART))
        # numbers written into the query: given as parameters, they made each part's query ten times slower
        repeats = [h for part in range(parts) for (h,) in self.connection.sql(
            f"SELECT h FROM key_hashes WHERE h % {parts:d} = {part:d} GROUP BY h HAVING count(*) > 1").fetchall()]
        if not repeats:
            return []
        import pyarrow as pa

        self.connection.register("repeats", pa.table({"h": pa.array(repeats, pa.uint64())}))
        try:
            found = self.connection.sql("SELECT pos FROM (SELECT row_number() OVER () - 1 AS pos, h FROM key_hashes) "
                                        "WHERE h IN (SELECT h FROM repeats) ORDER BY pos").fetchall()
        finally:
            self.connection.unregister("repeats")
        return [pos for (pos,) in found]

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()  # its temporary table goes with it


__all__ = ["KeyHashes"]
