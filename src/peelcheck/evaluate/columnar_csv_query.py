"""The one query the columnar engine runs over a whole CSV file (``columnar_csv``), and its answer in file order.

The query reads the file, checks every cell, converts the cells and runs every rule; its answer is
streamed in Arrow batches of ROWS_PER_BATCH rows, a row's place in the stream its place in the file
(only a plan of ORDER_KEEPING operators is run). Kept apart from the counting of the answer: this
is where a reader looks for the SQL and for why its rows come back in order.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

from peelcheck.compile.check import CompiledRule
from peelcheck.evaluate.columnar import ColumnarEvaluator
from peelcheck.evaluate.runner import Engine, TypeEvaluation
from peelcheck.load import duckdb_cells, duckdb_csv
from peelcheck.load.batch import SIZE
from peelcheck.load.records import RecordSource
from peelcheck.schema.pack import FieldType

# rows counted at a time (DuckDB hands back what each thread read, some 12,000 rows); at 1M rows, 25,000
# peaked 269-282 MiB where 50,000 peaked 289-301 MiB, in the same time (measured in turn, three runs each)
ROWS_PER_BATCH = 25_000


class NotCanonical(Exception):
    """The file holds something only the python loader reads exactly: it reads the file."""


def file_query(source: RecordSource, rules: list[CompiledRule], as_of: dt.date) -> tuple[str, list[str]] | None:
    """The one query the columnar engine runs over a whole CSV file, and its parameters; None where it
    would not read the file so (``bench/columnar_floor.py`` times it alone)."""
    csv_plan = duckdb_csv.plan(source)
    if csv_plan is None:
        return None
    evaluation = TypeEvaluation(source.record_type, rules, Engine.COLUMNAR, as_of)
    try:
        return file_sql(csv_plan, evaluation.columnar, (0, 1)), duckdb_csv.scan_params(csv_plan)
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


_ORDER_KEPT: dict[str, bool] = {}  # keeps_order by query: many files of one shape are planned once (10 ms each)


def _keeps_order(connection: Any, sql: str, params: list[str]) -> bool:
    """keeps_order, asked once per query text: the file (a parameter) does not change the plan's operators."""
    if sql not in _ORDER_KEPT:
        if len(_ORDER_KEPT) >= 64:
            _ORDER_KEPT.clear()
        _ORDER_KEPT[sql] = keeps_order(connection, sql, params)
    return _ORDER_KEPT[sql]


def counted(csv_plan: duckdb_csv.CsvPlan) -> int:
    """The file's data rows, or NotCanonical where it holds a byte the python loader must read past."""
    if csv_plan.rows is None:
        raise NotCanonical("a quote, carriage return or NUL byte, or a line of more cells than the header")
    return csv_plan.rows


def file_sql(csv_plan: duckdb_csv.CsvPlan, columnar: ColumnarEvaluator | None, shard: tuple[int, int]) -> str:
    """Each row's __ok, rule outcome codes (__o0..) and __fail, with its cells where it fails a rule; a
    partition's rows (shard ``part`` of ``parts`` > 1) are numbered (__pos) and its own marked (__mine);
    a byte range's rows come with their key cell (__keytext), and a partition's of either kind, for each
    datetime field, with whether the row holds one (__seen_FIELD), for the merge to judge the whole file."""
    cells, (part, parts) = csv_plan.columns(), shard
    relation, numbered = f"({duckdb_csv.scan_sql(csv_plan)})", []
    if parts > 1:  # row_number reads the file in order, on one thread (a partition is one of many)
        mine = f"(__pos // {SIZE}) % {parts} = {part}"
        relation = (f"(SELECT *, {mine} AS __mine FROM (SELECT row_number() OVER () - 1 AS __pos, * "
                    f"FROM {relation}) WHERE {mine} OR __pos >= {counted(csv_plan) - 1})")
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
        key += [f"{c} IS NOT NULL AS __seen_{k}" for k, c in datetime_columns(csv_plan)]
    out = [*numbered, "__ok", *(f"__o{k}" for k in range(len(codes))), *key, "__fail",
           *(f"CASE WHEN __fail THEN {c} END AS {c}" for c in cells)]
    return (f"WITH typed AS ({duckdb_cells.typed_select(csv_plan, relation)}) "
            f"SELECT {', '.join(out)} FROM (SELECT *, {failing} AS __fail FROM ({per_row}))")


def datetime_columns(csv_plan: duckdb_csv.CsvPlan) -> list[tuple[int, str]]:
    """(place, raw cell column) of each datetime field the file has."""
    datetime = FieldType.DATETIME
    return [(k, c) for k, (c, name) in enumerate(zip(csv_plan.columns(), csv_plan.fields))
            if csv_plan.spec.fields[name].type is datetime]


def stream_rows(connection: Any, csv_plan: duckdb_csv.CsvPlan, sql: str) -> Iterator[Any]:
    """The query's rows as Arrow tables of ROWS_PER_BATCH rows or so, in the file's order (a row's place
    in the answer is its line: a plan that might not keep that order is declined). What DuckDB finds
    wrong past the first batch (a short row, text not UTF-8) comes through Arrow's reader as an
    OSError or ArrowException."""
    import pyarrow as pa

    params = duckdb_csv.scan_params(csv_plan)
    if not _keeps_order(connection, sql, params):
        raise NotCanonical("DuckDB's plan for the file might not keep its rows in order")
    reader = connection.sql(sql, params=params).to_arrow_reader(ROWS_PER_BATCH)
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


__all__ = ["ORDER_KEEPING", "ROWS_PER_BATCH", "NotCanonical", "counted", "datetime_columns", "file_query", "file_sql",
           "keeps_order", "stream_rows"]
