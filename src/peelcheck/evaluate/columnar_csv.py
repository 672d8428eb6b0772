"""The columnar engine over a whole CSV file that DuckDB reads itself (``load.duckdb_csv``).

DuckDB parses the file into Arrow batches of raw cells; one query per 50,000 rows (not
1,000) checks every cell is canonical, converts the cells and runs every rule, and gives per rule
the count of records it does not apply to and the failing records' codes. Only failing rows come
back to Python, converted by the python loader's own code, to be explained as every engine does.
If any cell is not canonical, or the file is not what the plan counted, the answer is None and
the caller reads the file with the python loader instead: what this path gives is always exactly
what that one would, or nothing.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from peelcheck.compile.check import CompiledRule
from peelcheck.evaluate.columnar import ColumnarEvaluator, database, gathered
from peelcheck.evaluate.runner import Engine, Tally, TypeEvaluation, long_lived_results
from peelcheck.load import duckdb_csv
from peelcheck.load.batch import SIZE
from peelcheck.load.records import RecordSource
from peelcheck.load.rows import FileQuality

ROWS_PER_QUERY = 50_000
_names = itertools.count()


@dataclass
class FileResult:
    records: int
    tallies: list[Tally]
    quality: FileQuality


class NotCanonical(Exception):
    """The file holds something only the python loader reads exactly: it reads the file."""


def evaluate_csv_file(source: RecordSource, rules: list[CompiledRule], as_of: dt.date, by: tuple[str, ...] = (),
                      progress: Callable[[int], None] | None = None) -> FileResult | None:
    """The columnar engine's result for one CSV file (or shard of one) read by DuckDB, or None."""
    csv_plan = duckdb_csv.plan(source)
    if csv_plan is None:
        return None
    evaluation = TypeEvaluation(source.record_type, rules, Engine.COLUMNAR, as_of, by)
    try:
        columnar = evaluation.columnar
        if evaluation.breakdowns.active or (columnar is not None and columnar.in_python):
            return None  # breakdowns and rules past SQL count batch by batch in Python
        with long_lived_results() as settle:  # failures found so far kept out of the GC's full collections
            return _FileRun(csv_plan, evaluation, columnar, source.shard, progress, settle).run()
    except NotCanonical:
        return None
    finally:
        evaluation.close()


class _FileRun:
    def __init__(self, csv_plan: duckdb_csv.CsvPlan, evaluation: TypeEvaluation,
                 columnar: ColumnarEvaluator | None, shard: tuple[int, int] | None,
                 progress: Callable[[int], None] | None, settle: Callable[[], None]) -> None:
        self.plan, self.evaluation, self.columnar, self.progress = csv_plan, evaluation, columnar, progress
        self.settle = settle
        self.shard, self.shards = shard or (0, 1)
        self.connection, self.reading = database().cursor(), database().cursor()  # a scan holds its cursor
        # the first shard alone notes repeated keys (in every block), as the python loader's does: each row's
        # key's hash, 16 bytes a row in a table DuckDB can spill; the keys' text is read again only for repeats
        self.key_column = f"c{csv_plan.fields.index(csv_plan.spec.key)}"
        self.keys = f"row_keys_{next(_names)}" if self.shard == 0 else None
        outcomes = columnar.outcomes if columnar is not None else []
        # a partition converts and checks its own rows only, as the python loader's shard does (the first
        # also checks every row's key cell, which it notes for repeats)
        mine = f"((__pos + $offset) // {SIZE}) % {self.shards} = {self.shard}"
        self.typed = duckdb_csv.typed_select(csv_plan, f"(SELECT * FROM raw WHERE {mine})" if self.shards > 1
                                             else "raw")
        self.keys_checked = f"SELECT count_if(NOT {duckdb_csv.key_check(csv_plan)}) FROM raw" \
            if self.shards > 1 and self.shard == 0 else None
        self.per_record = ", ".join(["__pos", "__ok", *outcomes])
        self.typed_source = columnar.source("typed") if columnar is not None else "typed"

    def run(self) -> FileResult:
        import duckdb
        import pyarrow as pa

        positions = pa.array(range(2 * ROWS_PER_QUERY), pa.int64())  # _gathered's tables are shorter
        offset = 0
        try:
            if self.keys:
                self.connection.execute(f"CREATE TEMP TABLE {self.keys} (h UBIGINT, o BIGINT)")
            for raw in _gathered(duckdb_csv.scan(self.reading, self.plan, ROWS_PER_QUERY)):
                self._query(raw.append_column("__pos", positions.slice(0, raw.num_rows)), offset)
                offset += raw.num_rows
            if offset != self.plan.rows:  # a blank line DuckDB skipped: lines would not be rows + 1
                raise NotCanonical(f"{offset} rows read, {self.plan.rows} lines")
            self.plan.quality.repeated_keys = self._repeated_keys()
        except duckdb.Error as exc:  # a row of the wrong width, text that is not UTF-8...
            raise NotCanonical(str(exc)) from exc
        finally:
            if self.keys:
                self.connection.execute(f"DROP TABLE IF EXISTS {self.keys}")
            self.connection.close()
            self.reading.close()
        return FileResult(self.evaluation.records, self.evaluation.tallies, self.plan.quality)

    def _query(self, raw: Any, offset: int) -> None:
        connection = self.connection
        connection.register("raw", raw)
        aggregates = self.columnar.aggregates() if self.columnar is not None else []
        # count_if over no rows (a query holding none of this partition's) is NULL, not 0
        selected = ", ".join(["coalesce(count_if(NOT __ok), 0)", "count(*)", *aggregates])
        sql = f"WITH typed AS ({self.typed}) SELECT {selected} FROM (SELECT {self.per_record} FROM {self.typed_source})"
        [row] = connection.execute(sql.replace("$offset", str(offset))).fetchall()
        [(bad_keys,)] = connection.execute(self.keys_checked).fetchall() if self.keys_checked else [(0,)]
        if row[0] or bad_keys:
            raise NotCanonical(f"{row[0] + bad_keys} rows with a cell that is not canonical")
        if self.keys:
            connection.execute(f"INSERT INTO {self.keys} SELECT hash({self.key_column}), __pos + {offset} FROM raw")
        connection.unregister("raw")
        self._count(raw, offset, row[1], row[2:])

    def _count(self, raw: Any, offset: int, records: int, results: tuple[Any, ...]) -> None:
        """Add one query's counts and failures (failing rows converted by the python loader's code)."""
        evaluation = self.evaluation
        self.settle()
        evaluation.records += records
        if self.progress is not None:
            self.progress(records)
        if self.columnar is None:
            return
        for k, rule in enumerate(self.columnar.in_sql):
            failing = sorted(results[2 * k + 1] or [])
            # the rule's failing rows alone, as a batch: record i is the i-th failure
            batch = duckdb_csv.failing_rows(raw, [code >> 2 for code in failing], offset, self.plan)
            evaluation.count(rule, records, results[2 * k], [i << 2 | code & 3 for i, code in enumerate(failing)],
                             batch)

    def _repeated_keys(self) -> list[str]:
        """What the python loader's RepeatedKeys says: each record whose key an earlier one has, in file order."""
        if not self.keys:
            return []
        rows = [o for (o,) in self.connection.execute(
            f"SELECT o FROM {self.keys} SEMI JOIN (SELECT h FROM {self.keys} GROUP BY h HAVING count(*) > 1) "
            "USING (h) ORDER BY o").fetchall()]
        first: dict[str, int] = {}
        said = []
        for row, key in zip(rows, self._key_cells(rows)):
            if key in first:
                said.append(f"{key!r} at line {row + 2} (first at line {first[key] + 2})")
            else:
                first[key] = row
        return said

    def _key_cells(self, rows: list[int]) -> list[str]:
        """The key cells of the given rows (in order), read from the file again: only where keys repeat."""
        import pyarrow as pa

        cells: list[str] = []
        offset, at = 0, 0
        for raw in duckdb_csv.scan(self.reading, self.plan, ROWS_PER_QUERY):
            end = offset + raw.num_rows
            mine = [row - offset for row in rows[at:] if row < end]
            if mine:
                cells += raw.column(self.key_column).take(pa.array(mine, pa.int64())).to_pylist()
                at += len(mine)
            offset = end
            if at == len(rows):
                break
        return cells


def _gathered(batches: Iterator[Any]) -> Iterator[Any]:
    """DuckDB's record batches (a few thousand rows each) as tables of about ROWS_PER_QUERY rows."""
    import pyarrow as pa

    return gathered(batches, ROWS_PER_QUERY, lambda batch: batch.num_rows, pa.Table.from_batches)


__all__ = ["FileResult", "evaluate_csv_file"]
