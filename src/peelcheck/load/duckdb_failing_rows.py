"""The rows some rule fails, back from DuckDB (``duckdb_csv``) as the python loader gives them.

Only the failing rows' raw cells come back to Python; each field's column is converted by
``fast_columns`` itself when an explanation first reads it, so an explanation reads exactly the
values (and keys) the python loader would have given. Kept apart from the SQL: this is the way
back from DuckDB's cells to records.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from peelcheck.errors import Location
from peelcheck.load.batch import Batch
from peelcheck.load.fast_columns import column_converter
from peelcheck.schema.pack import FieldType

if TYPE_CHECKING:
    from peelcheck.load.duckdb_csv import CsvPlan


class _CellColumns(Mapping[str, Sequence[Any]]):
    """A few rows' values, field by field, each column taken and converted by ``fast_columns`` when
    first read (an explanation reads only its rule's fields)."""

    def __init__(self, cells: Any, rows: Any, csv_plan: CsvPlan) -> None:
        self.cells, self.rows, self.plan, self.size = cells, rows, csv_plan, len(rows)
        self.converted: dict[str, Sequence[Any]] = {}

    def __getitem__(self, name: str) -> Sequence[Any]:
        column = self.converted.get(name)
        if column is None:
            column = self.converted[name] = self._convert(name)
        return column

    def _convert(self, name: str) -> Sequence[Any]:
        spec = self.plan.spec.fields[name]  # KeyError for a field the record type has not, as a dict's
        if name not in self.plan.fields:
            return [None] * self.size
        column = self.cells.column(self.plan.columns()[self.plan.fields.index(name)])
        cells = [t or "" for t in column.take(self.rows).to_pylist()]
        convert = self.plan.converters.get(name) or self.plan.converters.setdefault(name, column_converter(spec))
        values = convert(cells)
        if values is None:
            raise AssertionError(f"{self.plan.label}: cells DuckDB read as canonical are not ({name})")
        return values

    def __iter__(self) -> Iterator[str]:
        return iter(self.plan.spec.fields)

    def __len__(self) -> int:
        return len(self.plan.spec.fields)


def row_keys(cells: Any, rows: Any, csv_plan: CsvPlan) -> list[str]:
    """The keys of the given rows (an Arrow array of positions) of a table of raw cells, as the python
    loader keys its records."""
    key = csv_plan.spec.key
    values = _CellColumns(cells, rows, csv_plan)[key]
    return list(values) if csv_plan.spec.fields[key].type is FieldType.STRING else [str(v) for v in values]


def failing_rows(cells: Any, rows: Any, lines: Sequence[int], keys: Sequence[str], csv_plan: CsvPlan) -> Batch:
    """The given rows (an Arrow array of positions) of a table of raw cells (an Arrow table or record
    batch of ``CsvPlan.columns``) as the python loader gives them (``fast_columns``), at their lines
    and with their keys (``row_keys``)."""
    label = csv_plan.label
    return Batch(_CellColumns(cells, rows, csv_plan), keys, lambda i: Location(label, lines[i]), (label, lines))


def failing_cells(cells: Any, rows: Any, csv_plan: CsvPlan, fields: Iterable[str]) -> Any:
    """The given rows of a table of raw cells, with only the columns of ``fields`` (those the file has) and
    of the key: what ``failing_rows`` and ``row_keys`` need later to give those rows' values and keys."""
    wanted = {csv_plan.spec.key, *fields}
    return cells.select([c for c, name in zip(csv_plan.columns(), csv_plan.fields) if name in wanted]).take(rows)


__all__ = ["failing_cells", "failing_rows", "row_keys"]
