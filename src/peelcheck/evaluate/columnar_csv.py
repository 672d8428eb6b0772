"""The columnar engine over a whole CSV file that DuckDB reads itself (``load.duckdb_csv``).

One streaming query reads the file, checks every cell is canonical, converts the cells and runs
every rule, and hands back each row's outcome codes (and the raw cells of the rows some rule
fails) in Arrow batches of ROWS_PER_BATCH rows, in file order: a row's place in the stream is
its place in the file (DuckDB preserves insertion order through the operators ``keeps_order``
allows, and no plan with another is run; a partition numbers rows with ``row_number``). Per
rule, the records it does not apply to are counted and its failing records explained, every rule
reading one batch of the failing rows, converted by the python loader's own code, as every engine
does; past the failures a run holds in memory, a rule's failing rows go to disk as their cells
(``failure_cells``), explained the same way when read. If any cell is not canonical, or the file
is not what the plan counted, the answer is None and the caller reads the file with the python
loader instead: what this path gives is always exactly what that one would, or nothing.

This module runs a file and counts the answer; the query itself and its reading in file order are
``columnar_csv_query``'s, and the hashes by which repeated keys are found ``key_hashes``'.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from operator import or_
from typing import Any

from peelcheck.compile.check import CompiledRule
from peelcheck.evaluate.columnar import ColumnarEvaluator, database
from peelcheck.evaluate.columnar_csv_query import NotCanonical, counted, datetime_columns, file_sql, stream_rows
from peelcheck.evaluate.explain import RuleExplainer, explained
from peelcheck.evaluate.failure_cells import put_cells
from peelcheck.evaluate.failure_columns import FailureColumns
from peelcheck.evaluate.key_hashes import KeyHashes
from peelcheck.evaluate.read_ahead import ReadAhead
from peelcheck.evaluate.runner import Engine, Tally, TypeEvaluation, long_lived_results
from peelcheck.load import duckdb_cells, duckdb_csv, duckdb_spans
from peelcheck.load.duckdb_failing_rows import failing_cells, failing_rows, row_keys
from peelcheck.load.key_cells import KeyCells
from peelcheck.load.records import RecordSource
from peelcheck.load.repeated_keys import RepeatedKeys
from peelcheck.load.rows import FileQuality, TimeNotes
from peelcheck.schema.outcomes import NON_COMPLIANT


@dataclass
class FileResult:
    records: int
    tallies: list[Tally]
    quality: FileQuality


class _Scalars:
    """The constants the counting compares with, as Arrow scalars made once: a Python number given to
    pyarrow.compute is converted on every call, and the conversion looks for dateutil's relativedelta
    each time (an import searched for on every path entry where dateutil is not installed)."""

    def __init__(self) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc

        self.code_zero, self.not_applicable = pa.scalar(0, pa.int8()), pa.scalar(-1, pa.int8())
        self.non_compliant = pa.scalar(NON_COMPLIANT, pa.int8())
        self.one = pa.scalar(1, pa.int64())
        self.over_none_true = pc.ScalarAggregateOptions(min_count=0)  # all() over no rows: true
        self._int64 = pa.int64()

    def place(self, number: int) -> Any:
        import pyarrow as pa

        return pa.scalar(number, self._int64)


class _FailingKeys:
    """The keys of a batch's rows some rule fails, made once (a record failing several rules has one key),
    and only if some rule's failures are explained now."""

    def __init__(self, rows: Any, csv_plan: duckdb_csv.CsvPlan, one: Any) -> None:
        self.rows, self.plan, self.one = rows, csv_plan, one
        self.keys: list[str] | None = None
        self.among: Any = None  # each row's place among them

    def of(self, failing: Any) -> list[str]:
        """The keys of the rows ``failing`` (a mask) marks."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if self.keys is None:
            fail = self.rows.column("__fail")
            self.keys = row_keys(self.rows, pc.indices_nonzero(fail), self.plan)
            self.among = pc.subtract(pc.cumulative_sum(pc.cast(fail, pa.int64())), self.one)
        return list(map(self.keys.__getitem__, pc.filter(self.among, failing).to_pylist()))


def _explained(explainer: RuleExplainer, csv_plan: duckdb_csv.CsvPlan, cells: Any) -> FailureColumns:
    """A group of failures put on disk as its cells (``_FileRun._count_rule``), explained as it would have
    been when found."""
    every = _every(cells)
    kinds = cells.column("__kind").to_pylist()
    batch = failing_rows(cells, every, cells.column("__line").to_pylist(), row_keys(cells, every, csv_plan), csv_plan)
    return explained(explainer, batch, _codes(kinds))


def _codes(kinds: list[int]) -> list[int]:
    """Each failing record's code, as the evaluators give them: record i's is i << 2 | its kind."""
    return list(map(or_, range(0, len(kinds) << 2, 4), kinds))


def _keys(csv_plan: duckdb_csv.CsvPlan, cells: Any) -> list[str]:
    return row_keys(cells, _every(cells), csv_plan)


def _every(cells: Any) -> Any:
    import pyarrow as pa

    return pa.array(range(cells.num_rows), pa.int64())


def evaluate_csv_file(source: RecordSource, rules: list[CompiledRule], as_of: dt.date, by: tuple[str, ...] = (),
                      progress: Callable[[int], None] | None = None) -> FileResult | None:
    """The columnar engine's result for one CSV file (or shard of one) read by DuckDB, or None."""
    csv_plan = duckdb_csv.plan(source)
    if csv_plan is None:
        return None
    evaluation = TypeEvaluation(source.record_type, rules, Engine.COLUMNAR, as_of, by)
    try:
        columnar = evaluation.columnar
        if not evaluation.counts_in_sql():
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
        self.partitioned = self.shards > 1 or csv_plan.span is not None  # one of a file's parts
        self.connection = database().cursor()
        self.key_column = csv_plan.key_column()
        self.key_cells = KeyCells(csv_plan.spec, None, csv_plan.zone)  # key cells read as the records are keyed
        # the first shard alone notes repeated keys (in every row), as the python loader's does: the hash of
        # each row's key's value, in file order; the key cells are read again only for repeats
        self.hashes = KeyHashes()
        self.rows = 0  # rows read (a partition's query reads its own and the last)
        # a byte range: every row's key and which datetime fields held a (naive) time, for the merge
        self.noted, self.times = RepeatedKeys(packed=True), TimeNotes()
        if csv_plan.span is not None:
            duckdb_spans.register(self.connection)
        self.scalars = _Scalars()

    def run(self) -> FileResult:
        import duckdb

        try:
            if self.shards > 1 and self.shard == 0:
                self._note_keys()
            with ReadAhead(self._stream(file_sql(self.plan, self.columnar, (self.shard, self.shards)))) as batches:
                counted(self.plan)  # while DuckDB reads the file too
                for rows in batches:
                    self._count(rows)
            if self.rows != self.plan.rows:  # a blank line DuckDB skipped: lines would not be rows + 1
                raise NotCanonical(f"{self.rows} rows read, {self.plan.rows} lines")
            if self.partitioned:  # what only the whole file tells, judged at the merge
                self.plan.quality.time_notes = self.times
            if self.plan.span is not None:
                self.plan.quality.noted_keys = self.noted
            elif self.shards > 1:  # another shard's rows may be rejected (read by the python loader): the merge
                self.plan.quality.noted_keys = self._repeated_keys()  # tells their keys apart
            else:
                self.plan.quality.repeated_keys = self._repeated_keys().described()
        except duckdb.Error as exc:  # a row of the wrong width, text that is not UTF-8...
            raise NotCanonical(str(exc)) from exc
        finally:
            self.connection.close()
            self.hashes.close()
        return FileResult(self.evaluation.records, self.evaluation.tallies, self.plan.quality)

    def _stream(self, sql: str) -> Iterator[Any]:
        """The query's rows in the file's order (``stream_rows``), on this run's connection."""
        return stream_rows(self.connection, self.plan, sql)

    def _count(self, rows: Any) -> None:
        """Add one batch of rows' counts and failures."""
        import pyarrow.compute as pc

        first = self.rows  # the batch's first row's place in the file
        if self.shards > 1:
            if rows.num_rows:
                self.rows = rows.column("__pos")[-1].as_py() + 1
            rows = rows.filter(rows.column("__mine"))
        else:
            self.rows += rows.num_rows
        if not pc.all(rows.column("__ok"), options=self.scalars.over_none_true).as_py():
            raise NotCanonical("a cell that is not canonical")  # (before a blank key is noted)
        if self.plan.span is not None:
            line = self.plan.first_line + first
            self.key_cells.note(self.noted, rows.column("__keytext").to_pylist(), range(line, line + rows.num_rows))
        elif self.shards == 1:
            self.hashes.add(rows.column("__key"))
        if self.partitioned:
            self.times.naive |= {self.plan.fields[k] for k, _ in datetime_columns(self.plan)
                                 if pc.any(rows.column(f"__seen_{k}")).as_py()}
        self.settle()
        self.evaluation.records += rows.num_rows
        if self.progress is not None:
            self.progress(rows.num_rows)
        if self.columnar is None:
            return
        keys = _FailingKeys(rows, self.plan, self.scalars.one)
        for k, rule in enumerate(self.columnar.in_sql):
            self._count_rule(rule, rows, rows.column(f"__o{k}"), first, keys)

    def _count_rule(self, rule: int, rows: Any, outcome: Any, first: int, keys: _FailingKeys) -> None:
        """One rule's counts over a batch, and its failing rows: explained now, as a batch of their own
        (record i the i-th) converted from their cells by the python loader's code, while the run holds
        failures in memory; past that, put on disk as their cells, to be explained the same way when read."""
        import pyarrow.compute as pc

        scalars = self.scalars
        failing = pc.greater_equal(outcome, scalars.code_zero)
        taken = pc.indices_nonzero(failing)
        places = rows.column("__pos").take(taken) if self.shards > 1 else pc.add(taken, scalars.place(first))
        lines = pc.add(places, scalars.place(self.plan.first_line))  # one line per row
        kinds = pc.filter(outcome, failing)
        skipped = pc.sum(pc.equal(outcome, scalars.not_applicable)).as_py() or 0
        evaluation = self.evaluation
        if evaluation.spill.fits(len(taken)):
            batch = failing_rows(rows, taken, lines.to_pylist(), keys.of(failing), self.plan)
            evaluation.count(rule, rows.num_rows, skipped, _codes(kinds.to_pylist()), batch)
            return
        non_compliant = pc.sum(pc.equal(kinds, scalars.non_compliant)).as_py() or 0
        tally = evaluation.tallies[rule]
        tally.add(rows.num_rows, skipped, non_compliant, len(kinds) - non_compliant)
        if len(kinds):
            cells = failing_cells(rows, taken, self.plan, evaluation.explainers[rule].fields)
            cells = cells.append_column("__line", lines).append_column("__kind", kinds)
            tally.failures.add(put_cells(evaluation.spill, cells, partial(_explained, evaluation.explainers[rule],
                                                                          self.plan), partial(_keys, self.plan)))

    def _note_keys(self) -> None:
        """The first of several partitions: every row's key cell canonical, and its hash noted."""
        import pyarrow.compute as pc

        rows = 0
        sql = f"SELECT {duckdb_cells.key_check(self.plan)} AS ok, hash({duckdb_cells.key_value(self.plan)}) AS h " \
              f"FROM ({duckdb_csv.scan_sql(self.plan)})"
        for keys in self._stream(sql):
            if not pc.all(keys.column("ok"), options=self.scalars.over_none_true).as_py():
                raise NotCanonical("a key cell that is not canonical")
            self.hashes.add(keys.column("h"))
            rows += keys.num_rows
        if rows != self.plan.rows:
            raise NotCanonical(f"{rows} rows read, {self.plan.rows} lines")

    def _repeated_keys(self) -> RepeatedKeys:
        """The keys of the rows whose key's hash another row's has (every place of each repeated key), noted
        as the python loader notes them: what its RepeatedKeys says of them is what it says of the file."""
        rows = self.hashes.repeated()
        keys = RepeatedKeys()
        if rows:
            self.key_cells.note(keys, self._key_cells(rows), [row + 2 for row in rows])  # the header is line 1
        return keys

    def _key_cells(self, rows: list[int]) -> list[str]:
        """The key cells of the given rows (in order), read from the file again: only where keys repeat."""
        import pyarrow as pa

        cells: list[str] = []
        offset, at = 0, 0
        for keys in self._stream(f"SELECT {self.key_column} FROM ({duckdb_csv.scan_sql(self.plan)})"):
            end = offset + keys.num_rows
            mine = [row - offset for row in rows[at:] if row < end]
            if mine:
                cells += keys.column(0).take(pa.array(mine, pa.int64())).to_pylist()
                at += len(mine)
            offset = end
            if at == len(rows):
                break
        return cells


__all__ = ["FileResult", "evaluate_csv_file"]
