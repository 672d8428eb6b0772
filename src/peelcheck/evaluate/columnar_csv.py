"""The columnar engine over a whole CSV file that DuckDB reads itself (``load.duckdb_csv``).

One streaming query reads the file, checks every cell is canonical, converts the cells and runs
every rule, and hands back each row's outcome codes (and the raw cells of the rows some rule
fails) in Arrow batches of ROWS_PER_BATCH rows, in file order: a row's place in the stream is
its place in the file (DuckDB preserves insertion order through the operators ``keeps_order``
allows, and no plan with another is run; a partition numbers rows with ``row_number``). Per
rule, the records it does not apply to are counted and its failing records explained, every rule
reading one batch of the failing rows, converted by the python loader's own code, as every engine
does. If any cell is not canonical, or the file is not what the plan counted, the answer is None
and the caller reads the file with the python loader instead: what this path gives is always
exactly what that one would, or nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from operator import or_
from typing import Any

from peelcheck.compile.check import CompiledRule
from peelcheck.evaluate.columnar import ColumnarEvaluator, database
from peelcheck.evaluate.read_ahead import ReadAhead
from peelcheck.evaluate.runner import Engine, Tally, TypeEvaluation, long_lived_results
from peelcheck.load import duckdb_cells, duckdb_csv, duckdb_spans
from peelcheck.load.batch import SIZE
from peelcheck.load.duckdb_failing_rows import failing_rows, row_keys
from peelcheck.load.key_cells import KeyCells
from peelcheck.load.records import RecordSource
from peelcheck.load.repeated_keys import RepeatedKeys
from peelcheck.load.rows import FileQuality, TimeNotes
from peelcheck.schema.pack import FieldType

ROWS_PER_BATCH = 50_000  # rows counted at a time (DuckDB hands back what each thread read, some 12,000 rows)


@dataclass
class FileResult:
    records: int
    tallies: list[Tally]
    quality: FileQuality


class _KeyHashes:
    """Each row's key's hash, in file order, in a table of DuckDB's (8 bytes a row, held within its
    memory limit and spilled past it, as Python's memory would not be), to find repeated keys."""

    HELD = 500_000  # hashes held in Python (4 MB) before they go into the table: each insert costs a few ms

    def __init__(self) -> None:
        self.connection: Any = None  # its own, made when first needed: the file's query streams on another
        self.pending: list[Any] = []
        self.held = 0

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
        found = self.connection.sql("SELECT pos FROM (SELECT row_number() OVER () - 1 AS pos, h FROM key_hashes) "
                                    "WHERE h IN (SELECT h FROM key_hashes GROUP BY h HAVING count(*) > 1) "
                                    "ORDER BY pos").fetchall()
        return [pos for (pos,) in found]

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()  # its temporary table goes with it


class _Scalars:
    """The constants the counting compares with, as Arrow scalars made once: a Python number given to
    pyarrow.compute is converted on every call, and the conversion looks for dateutil's relativedelta
    each time (an import searched for on every path entry where dateutil is not installed)."""

    def __init__(self) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc

        self.code_zero, self.not_applicable = pa.scalar(0, pa.int8()), pa.scalar(-1, pa.int8())
        self.one = pa.scalar(1, pa.int64())
        self.over_none_true = pc.ScalarAggregateOptions(min_count=0)  # all() over no rows: true
        self._int64 = pa.int64()

    def place(self, number: int) -> Any:
        import pyarrow as pa

        return pa.scalar(number, self._int64)


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


def file_query(source: RecordSource, rules: list[CompiledRule], as_of: dt.date) -> tuple[str, list[str]] | None:
    """The one query the columnar engine runs over a whole CSV file, and its parameters; None where it
    would not read the file so (``bench/columnar_floor.py`` times it alone)."""
    csv_plan = duckdb_csv.plan(source)
    if csv_plan is None:
        return None
    evaluation = TypeEvaluation(source.record_type, rules, Engine.COLUMNAR, as_of)
    try:
        return _file_sql(csv_plan, evaluation.columnar, (0, 1)), duckdb_csv.scan_params(csv_plan)
    finally:
        evaluation.close()


# Operators that hand rows on in the order they came: a plan of these alone answers in the file's order
# (DuckDB keeps insertion order). Joins, aggregates and sorts are not among them.
ORDER_KEEPING = frozenset({"READ_CSV", "PROJECTION", "FILTER", "STREAMING_WINDOW"})


def keeps_order(connection: Any, sql: str, params: list[str]) -> bool:
    """Whether DuckDB's physical plan for ``sql`` holds only ORDER_KEEPING operators."""
    [*_, (_, text)] = connection.sql(f"EXPLAIN (FORMAT JSON) {sql}", params=params).fetchall()
    nodes, names = json.loads(text), set()
    while nodes:
        node = nodes.pop()
        names.add(node["name"])
        nodes += node.get("children", [])
    return names <= ORDER_KEEPING


def _counted(csv_plan: duckdb_csv.CsvPlan) -> int:
    """The file's data rows, or NotCanonical where it holds a byte the python loader must read past."""
    if csv_plan.rows is None:
        raise NotCanonical("a quote, carriage return or NUL byte, or a line of more cells than the header")
    return csv_plan.rows


def _file_sql(csv_plan: duckdb_csv.CsvPlan, columnar: ColumnarEvaluator | None, shard: tuple[int, int]) -> str:
    """Each row's __ok, rule outcome codes (__o0..) and __fail, with its cells where it fails a rule; a
    partition's rows (shard ``part`` of ``parts`` > 1) are numbered (__pos) and its own marked (__mine);
    a byte range's rows come with their key cell (__keytext), and a partition's of either kind, for each
    datetime field, with whether the row holds one (__seen_FIELD), for the merge to judge the whole file."""
    cells, (part, parts) = csv_plan.columns(), shard
    relation, numbered = f"({duckdb_csv.scan_sql(csv_plan)})", []
    if parts > 1:  # row_number reads the file in order, on one thread (a partition is one of many)
        mine = f"(__pos // {SIZE}) % {parts} = {part}"
        relation = (f"(SELECT *, {mine} AS __mine FROM (SELECT row_number() OVER () - 1 AS __pos, * "
                    f"FROM {relation}) WHERE {mine} OR __pos >= {_counted(csv_plan) - 1})")
        numbered = ["__pos", "__mine"]
    expressions = columnar.expressions if columnar is not None else []
    codes = [f"CAST({e} AS TINYINT) AS __o{k}" for k, e in enumerate(expressions)]
    source = columnar.source("typed") if columnar is not None else "typed"
    per_row = f"SELECT {', '.join([*numbered, *cells, '__ok', *codes])} FROM {source}"
    failing = " OR ".join(f"__o{k} >= 0" for k in range(len(codes))) or "FALSE"
    key = [f"hash({duckdb_cells.key_value(csv_plan)}) AS __key"] if parts == 1 else []
    if csv_plan.span is not None:
        key = [f"{csv_plan.key_column()} AS __keytext"]
    if parts > 1 or csv_plan.span is not None:
        key += [f"{c} IS NOT NULL AS __seen_{k}" for k, c in _datetime_columns(csv_plan)]
    out = [*numbered, "__ok", *(f"__o{k}" for k in range(len(codes))), *key, "__fail",
           *(f"CASE WHEN __fail THEN {c} END AS {c}" for c in cells)]
    return (f"WITH typed AS ({duckdb_cells.typed_select(csv_plan, relation)}) "
            f"SELECT {', '.join(out)} FROM (SELECT *, {failing} AS __fail FROM ({per_row}))")


def _datetime_columns(csv_plan: duckdb_csv.CsvPlan) -> list[tuple[int, str]]:
    """(place, raw cell column) of each datetime field the file has."""
    datetime = FieldType.DATETIME
    return [(k, c) for k, (c, name) in enumerate(zip(csv_plan.columns(), csv_plan.fields))
            if csv_plan.spec.fields[name].type is datetime]


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
        self.hashes = _KeyHashes()
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
            with ReadAhead(self._stream(_file_sql(self.plan, self.columnar, (self.shard, self.shards)))) as batches:
                _counted(self.plan)  # while DuckDB reads the file too
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
        """The query's rows as Arrow tables of ROWS_PER_BATCH rows or so, in the file's order (a row's place
        in the answer is its line: a plan that might not keep that order is declined). What DuckDB finds
        wrong past the first batch (a short row, text not UTF-8) comes through Arrow's reader as an
        OSError or ArrowException."""
        import pyarrow as pa

        params = duckdb_csv.scan_params(self.plan)
        if not keeps_order(self.connection, sql, params):
            raise NotCanonical("DuckDB's plan for the file might not keep its rows in order")
        reader = self.connection.sql(sql, params=params).to_arrow_reader(ROWS_PER_BATCH)
        pending: list[Any] = []
        held = 0
        try:
            for batch in reader:
                pending.append(batch)
                held += batch.num_rows
                if held >= ROWS_PER_BATCH:
                    yield pa.Table.from_batches(pending)
                    pending, held = [], 0
        except (OSError, pa.ArrowException) as exc:
            raise NotCanonical(str(exc)) from exc
        if pending:
            yield pa.Table.from_batches(pending)

    def _count(self, rows: Any) -> None:
        """Add one batch of rows' counts and failures."""
        import pyarrow as pa
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
            self.times.naive |= {self.plan.fields[k] for k, _ in _datetime_columns(self.plan)
                                 if pc.any(rows.column(f"__seen_{k}")).as_py()}
        self.settle()
        self.evaluation.records += rows.num_rows
        if self.progress is not None:
            self.progress(rows.num_rows)
        if self.columnar is None:
            return
        # the keys of the rows some rule fails, made once: a record failing several rules has one key
        fail = rows.column("__fail")
        keys = row_keys(rows, pc.indices_nonzero(fail), self.plan)
        # each row's place among them
        among = pc.subtract(pc.cumulative_sum(pc.cast(fail, pa.int64())), self.scalars.one)
        for k, rule in enumerate(self.columnar.in_sql):
            self._count_rule(rule, rows, rows.column(f"__o{k}"), first, keys, among)

    def _count_rule(self, rule: int, rows: Any, outcome: Any, first: int, keys: list[str], among: Any) -> None:
        """One rule's counts over a batch, and its failing rows as a batch of their own (record i the
        i-th), converted from their cells by the python loader's code as explanations read them."""
        import pyarrow.compute as pc

        scalars = self.scalars
        failing = pc.greater_equal(outcome, scalars.code_zero)
        taken = pc.indices_nonzero(failing)
        places = rows.column("__pos").take(taken) if self.shards > 1 else pc.add(taken, scalars.place(first))
        lines = pc.add(places, scalars.place(self.plan.first_line)).to_pylist()  # one line per row
        batch = failing_rows(rows, taken, lines,
                             list(map(keys.__getitem__, pc.filter(among, failing).to_pylist())), self.plan)
        kinds = pc.filter(outcome, failing).to_pylist()
        codes = list(map(or_, range(0, len(kinds) << 2, 4), kinds))  # record i's code: i << 2 | kind
        self.evaluation.count(rule, rows.num_rows, pc.sum(pc.equal(outcome, scalars.not_applicable)).as_py() or 0,
                              codes, batch)

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


__all__ = ["ORDER_KEEPING", "FileResult", "evaluate_csv_file", "file_query", "keeps_order"]
