"""The columnar engine: a record type's rules as one SQL query, run by DuckDB over a batch's columns.

Each batch becomes an Arrow table of the fields the rules read (temporal values as the integer
encodings of ``compile.sql``), and one query gives, per rule, the count of records it does not
apply to and the failing records' codes (``chunk_result``), so explanations and reports are the
python engine's. What SQL cannot hold exactly goes to the python engine, said and counted, never
approximated: a rule with an integer literal past 64 bits, and a batch holding such an integer or
a float NaN (DuckDB orders NaN above every number; Python compares it false with all).
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import math
import operator
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from peelcheck.compile.check import CompiledRule
from peelcheck.compile.sql import NOT_APPLICABLE_CODE, NotExpressible, SqlWriter, fields_read
from peelcheck.errors import Location
from peelcheck.evaluate.chunk_result import ChunkResult
from peelcheck.evaluate.generated import ChunkFunction, generate
from peelcheck.load.batch import Batch
from peelcheck.schema import values as V
from peelcheck.schema.pack import FieldType, RecordTypeSpec


class Unencodable(ValueError):
    """A batch value SQL cannot hold exactly."""


def _day(value: dt.date) -> int:
    return value.toordinal()


def _micros(value: dt.datetime) -> int:
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return V.micros(value)


def _ints(values: Sequence[Any], encode: Callable[[Any], int]) -> list[int | None]:
    return [None if v is None else encode(v) for v in values]


_ARROW_DAY_ZERO = dt.date(1970, 1, 1).toordinal()  # Arrow counts days from 1970-01-01
_TZINFO = operator.attrgetter("tzinfo")


def _ordinals(dates: Any) -> Any:
    """Arrow dates (date32) as day numbers (date.toordinal), converted in Arrow rather than value by value."""
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.add(dates.cast(pa.int32()).cast(pa.int64()), _ARROW_DAY_ZERO)


def _moments(values: Sequence[Any]) -> tuple[Any, Any]:
    """A datetime column's microseconds since 1970 (an aware time's in UTC) and its days (each value's
    own calendar day): converted in Arrow where every time is naive; an aware time's day is its own
    offset's, which Arrow, keeping UTC, does not hold."""
    import pyarrow as pa

    if any(map(_TZINFO, filter(None, values))):  # in C: a datetime is true, and so is a tzinfo
        return pa.array(_ints(values, _micros), pa.int64()), pa.array(_ints(values, _day), pa.int64())
    moments = pa.array(values, pa.timestamp("us"))
    return moments.cast(pa.int64()), _ordinals(moments.cast(pa.date32()))


def arrow_columns(batch: Batch, fields: dict[str, FieldType]) -> dict[str, Any]:
    """The batch's columns the rules read, as Arrow arrays in the shared encodings."""
    import pyarrow as pa

    arrays: dict[str, Any] = {"__pos": pa.array(range(len(batch)), pa.int64())}
    blank = [None] * len(batch)
    for name, kind in fields.items():
        values = batch.columns.get(name, blank)
        try:
            if kind is FieldType.BOOL:
                arrays[name] = pa.array(values, pa.bool_())
            elif kind is FieldType.INT:
                arrays[name] = pa.array(values, pa.int64())
            elif kind is FieldType.FLOAT:
                if any(v is not None and math.isnan(v) for v in values):
                    raise Unencodable(f"{name} holds NaN")
                arrays[name] = pa.array(values, pa.float64())
            elif kind in (FieldType.STRING, FieldType.ENUM):
                arrays[name] = pa.array(values, pa.string())
            elif kind is FieldType.DATE:
                arrays[name] = _ordinals(pa.array(values, pa.date32()))
            elif kind is FieldType.DATETIME:
                arrays[name], arrays[f"{name}__day"] = _moments(values)
            elif kind is FieldType.DURATION:
                arrays[name] = pa.array(_ints(values, V.duration_micros), pa.int64())
            else:  # a list of dates
                lists = pa.array(values, pa.list_(pa.date32()))
                arrays[name] = pa.ListArray.from_arrays(lists.offsets, _ordinals(lists.values), mask=lists.is_null())
        except (OverflowError, pa.ArrowInvalid) as exc:
            raise Unencodable(f"{name}: {exc}") from None
    return arrays


T = TypeVar("T")
_DATABASE: list[Any] = []
MEMORY_LIMIT_ENV = "PEELCHECK_MEMORY_LIMIT"  # set by ``assess --memory-limit``; local cluster workers inherit it
DEFAULT_MEMORY_LIMIT = "256MB"  # DuckDB's own default is 80% of the machine's memory


def set_memory_limit(limit: str) -> None:
    """The most memory DuckDB may hold (e.g. ``1GB``) in this process and in workers it starts; past it,
    DuckDB spills to a temporary directory (``--memory-limit``)."""
    os.environ[MEMORY_LIMIT_ENV] = limit
    if _DATABASE:
        _DATABASE[0].execute(f"SET memory_limit = '{limit}'")


def database() -> Any:
    """One in-memory DuckDB per process (opening one takes 15 ms); each evaluator has its own cursor."""
    if not _DATABASE:
        import duckdb

        spill = os.path.join(tempfile.gettempdir(), f"peelcheck-duckdb-{os.getpid()}")  # DuckDB removes it
        limit = os.environ.get(MEMORY_LIMIT_ENV) or DEFAULT_MEMORY_LIMIT
        # rows come back in the order they were read (DuckDB's default, which reading a CSV file relies on);
        # an IN list of five or more values would be made a join, which does not keep that order
        _DATABASE.append(duckdb.connect(config={"memory_limit": limit, "temp_directory": spill,
                                                "preserve_insertion_order": True,
                                                "disabled_optimizers": "in_clause"}))
    return _DATABASE[0]


GATHERED_ROWS = 20_000  # records per query when batches come from the python loader (a query costs ~13 ms)


def gathered(parts: Iterable[T], rows: int, size: Callable[[T], int], join: Callable[[list[T]], T],
             held: list[T] | None = None) -> Iterator[T]:
    """Parts (batches of records or rows) joined into parts of at least ``rows`` rows (but the last), so
    DuckDB pays a query's fixed cost once per ``rows``; where ``held`` is given, the last parts, short of
    ``rows``, are left in it rather than joined (for the caller to join with what comes next)."""
    waiting: list[T] = []
    total = 0
    for part in parts:
        waiting.append(part)
        total += size(part)
        if total >= rows:
            yield join(waiting)
            waiting, total = [], 0
    if held is not None:
        held.extend(waiting)
    elif waiting:
        yield join(waiting)


def gathered_batches(batches: Iterable[Batch], rows: int | None = None, held: list[Batch] | None = None
                     ) -> Iterator[Batch]:
    """The python loader's batches (1,000 records) joined into batches of about ``rows`` (GATHERED_ROWS)
    (``gathered``); each record keeps its key and location, files' records joined into one batch included."""
    return gathered(batches, GATHERED_ROWS if rows is None else rows, len, _joined, held)


def _joined(batches: list[Batch]) -> Batch:
    if len(batches) == 1:
        return batches[0]
    starts = list(itertools.accumulate((len(b) for b in batches[:-1]), initial=0))

    def where(i: int) -> Location:
        k = bisect.bisect_right(starts, i) - 1
        return batches[k].where(i - starts[k])

    chained = itertools.chain.from_iterable
    columns = {name: list(chained(b.columns[name] for b in batches)) for name in batches[0].columns}
    lined = [b.lines for b in batches if b.lines is not None]
    lines = None  # places are then str(where(i)), as Batch.places makes them
    if len(lined) == len(batches) and len({path for path, _ in lined}) == 1:
        lines = (lined[0][0], [line for _, numbers in lined for line in numbers])
    return Batch(columns, [key for b in batches for key in b.keys], where, lines)


class ColumnarEvaluator:
    """Evaluates one record type's rules over batches with DuckDB (see the module docstring)."""

    def __init__(self, rules: list[CompiledRule], record_type: RecordTypeSpec, as_of: dt.date) -> None:
        writer = SqlWriter(record_type, as_of)
        self.rules = rules
        self.in_sql: list[int] = []
        self.in_python: list[int] = []  # rules SQL cannot hold exactly (see NotExpressible)
        self.expressions: list[str] = []  # each rule held in SQL: its outcome code's expression
        for index, rule in enumerate(rules):
            try:
                self.expressions.append(writer.outcome(rule))
                self.in_sql.append(index)
            except NotExpressible:
                self.in_python.append(index)
        outcomes = [f"{expression} AS c{k}" for k, expression in enumerate(self.expressions)]
        sql_rules = [rules[i] for i in self.in_sql]
        self.fields = {name: record_type.fields[name].type for name in fields_read(sql_rules)}
        self.outcomes = outcomes
        self.source = writer.source  # the relation the outcomes read, given the batch's or file's
        self.per_record = f"SELECT __pos, {', '.join(outcomes)} FROM {writer.source('batch')}" if outcomes else ""
        self.sql = f"SELECT {', '.join(self.aggregates())} FROM ({self.per_record})" if outcomes else ""
        self.as_of = as_of
        self.connection = database().cursor()
        self.batches_in_python = 0

    @functools.cached_property
    def python(self) -> ChunkFunction:
        """The python engine, for batches SQL cannot hold (generated when first needed: a CSV file DuckDB
        reads itself never is)."""
        return generate(self.rules, self.as_of)[1]

    @functools.cached_property
    def python_only(self) -> ChunkFunction:
        """The python engine over the rules SQL cannot hold."""
        return generate([self.rules[i] for i in self.in_python], self.as_of)[1]

    def aggregates(self) -> list[str]:
        """Per rule held in SQL: how many records it does not apply to, and its failing records' codes
        (position * 4 + kind), in no order (sorting them in Python is quicker than in the aggregate)."""
        return [f"coalesce(count_if(c{k} = {NOT_APPLICABLE_CODE}), 0), "  # NULL over no rows
                f"list(__pos * 4 + c{k}) FILTER (WHERE c{k} >= 0)" for k in range(len(self.in_sql))]

    def __call__(self, batch: Batch) -> ChunkResult:
        if not self.sql:
            return self.python(batch.columns, len(batch))
        try:
            arrays = arrow_columns(batch, self.fields)
        except Unencodable:
            self.batches_in_python += 1
            return self.python(batch.columns, len(batch))
        import pyarrow as pa

        table = pa.table(arrays)
        self.connection.register("batch", table)
        [row] = self.connection.execute(self.sql).fetchall()
        not_applicable = [0] * len(self.rules)
        failing: list[list[int]] = [[] for _ in self.rules]
        for k, index in enumerate(self.in_sql):
            not_applicable[index], failing[index] = row[2 * k], sorted(row[2 * k + 1] or [])
        if self.in_python:
            skipped, codes = self.python_only(batch.columns, len(batch))
            for k, index in enumerate(self.in_python):
                not_applicable[index], failing[index] = skipped[k], codes[k]
        return not_applicable, failing

    def codes(self, batch: Batch) -> list[list[int]]:
        """Every record's outcome code (``compile.sql``) per rule held in SQL: for tests, which compare
        engines record by record (the engine itself only counts compliant and not-applicable ones)."""
        import pyarrow as pa

        self.connection.register("batch", pa.table(arrow_columns(batch, self.fields)))
        rows = self.connection.execute(self.per_record + " ORDER BY __pos").fetchall()
        return [[row[k + 1] for row in rows] for k in range(len(self.in_sql))]

    def close(self) -> None:
        self.connection.close()
