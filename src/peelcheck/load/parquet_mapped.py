"""Parquet files read through a column mapping, cell by cell as a CSV's or a workbook's cells are.

The file's column names are its header: ``resolve_columns`` renames, ignores and checks them exactly
as it does a CSV header (two spellings, ``ignore``, ``ignore_unknown_columns``, constants, a missing
key, absent fields), and each row goes through the same ``RowShaper`` (value maps, ``formats:``,
``date_only``, constants, ``key_from_row``), so a mapping cannot read a Parquet file differently
from a CSV. Parquet cells arrive typed, so what a column may hold is widened only where the mapping
says how to read it:

- a column of the field's own Parquet type (as without a mapping): its cells are taken as that type
  (a timestamp stays a timestamp, naive or with its zone; ``formats:`` reads text only, so a typed
  date needs none), and a value map is looked up by the cell's text (``1``, ``True``);
- a text column, for any field: its cells are text cells, read as a CSV's (``Y`` by a value map,
  ``05/03/2021 14:30`` by ``formats:``, ``2021-03-05;2021-04-01`` as a list of dates);
- a date column in a datetime field the mapping gives ``date_only``;
- an integer or boolean column (codes) in a yes/no, number, text or enum field the mapping gives a
  value map; a cell the map lacks is read as its type (a code 9 in an enum field is rejected);
- an integer column in a text field with no value map (a warehouse's numeric reference): each cell is
  its decimal text (12345 is "12345"), as the same export written to CSV would read.

Any other column type is a ``parquet-type`` error before any row is read: an integer in a date field
is never read as a day count. A null is not recorded; so is a blank text cell, as in CSV (and a
text column's blank cell in a ``blank_cell: empty_list`` field is a recorded empty list, as in CSV;
a list column's null is not: Parquet writes no dates as an empty list).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from peelcheck.errors import Diagnostic, Location, RecordError
from peelcheck.load.columns import resolve_columns, unnamed_columns
from peelcheck.load.key_cells import as_written
from peelcheck.load.parquet_types import ParquetReading, fits
from peelcheck.load.repeated_rows import RepeatedRows
from peelcheck.load.rows import FileQuality, RecordRow, RejectedRow
from peelcheck.load.shaping import RowShaper, place_keys
from peelcheck.schema.mapping import ColumnMapping
from peelcheck.schema.pack import FieldType, RecordTypeSpec

_CODED = (FieldType.BOOL, FieldType.INT, FieldType.FLOAT, FieldType.STRING, FieldType.ENUM)


def _read_through(spec: RecordTypeSpec, field: str, arrow_type: Any, mapping: ColumnMapping) -> bool:
    """Whether the mapping reads a column of this type into ``field`` (beyond the field's own type)."""
    import pyarrow.types as t

    kind = spec.fields[field].type
    if fits(FieldType.STRING, arrow_type):  # text (or dictionary-encoded text): read as a CSV's cells
        return True
    if t.is_dictionary(arrow_type):
        arrow_type = arrow_type.value_type
    if kind is FieldType.DATETIME and t.is_date(arrow_type):
        return field in mapping.date_only
    if kind is FieldType.STRING and t.is_integer(arrow_type):
        return True  # a numeric reference: read as its text (``MappedRows.as_text``) unless a value map reads it
    return kind in _CODED and field in mapping.values and bool(t.is_integer(arrow_type) or t.is_boolean(arrow_type))


def mapped_columns(label: str, schema: Any, spec: RecordTypeSpec, mapping: ColumnMapping,
                   quality: FileQuality) -> list[str | None]:
    """The field of each column (None: read past), as for a CSV header; RecordError for a column whose
    Parquet type the field cannot take, naming the column, the field and both types."""
    where = Location(label)
    fields = resolve_columns(list(schema.names), spec, mapping, where, quality)
    problems = [Diagnostic("parquet-type", f"column {name!r} is Parquet {arrow_type}, but {field} is a "
                           f"{spec.fields[field].type.value} field", where,
                           hint=f"export {name!r} as text (the mapping then reads it as a CSV cell), or as the "
                                "field's type")
                for name, arrow_type, field in zip(schema.names, schema.types, fields)
                if field is not None and not fits(spec.fields[field].type, arrow_type)
                and not _read_through(spec, field, arrow_type, mapping)]
    if problems:
        raise RecordError(problems)
    return fields


class MappedRows:
    """A mapped Parquet file's batches made into validated records by the mapping's RowShaper."""

    def __init__(self, reader: ParquetReading, schema: Any, mapping: ColumnMapping) -> None:
        import pyarrow.types as t

        source, spec = reader.source, reader.spec
        self.reader, self.label = reader, source.label
        fields = mapped_columns(source.label, schema, spec, mapping, reader.quality)
        row_key = place_keys(source.path.stem, mapping)
        # without a key column, an exact repeated row is the only sign of a row counted twice (as in a CSV);
        # a partition's rows are judged with the others' at the merge
        self.rows_seen = RepeatedRows.wanted(mapping, "row", source.partial)
        self.shaper = RowShaper(spec, fields, mapping, reader.validate_row, self._locate, row_key,
                                unnamed_columns(schema.names))
        # a list column's null is not an empty list: Parquet can write one ([]), so blank_cell (for
        # text exports, which cannot) is for text columns only
        self.shaper.empty_lists -= {i for i, arrow_type in enumerate(schema.types)
                                    if t.is_list(arrow_type) or t.is_large_list(arrow_type)}
        self.key_at = fields.index(spec.key) if spec.key in fields and row_key is None else None
        # integer columns read into text fields with no value map: their cells as decimal text
        self.as_text = {i for i, (arrow_type, field) in enumerate(zip(schema.types, fields))
                        if field is not None and spec.fields[field].type is FieldType.STRING
                        and field not in mapping.values and t.is_integer(arrow_type)}

    def _locate(self, row: int, _column: int | None) -> Location:
        return Location(f"{self.label}[row {row}]")

    def rows(self, batch: Any, before: int) -> Iterator[RecordRow | RejectedRow]:
        """A batch's rows, placed as rows ``before`` + 1 onwards of the file; keys noted for repeats."""
        columns = [[None if v is None else str(v) for v in column.to_pylist()] if i in self.as_text
                   else column.to_pylist() for i, column in enumerate(batch.columns)]
        if self.rows_seen is not None:
            self.rows_seen.note(zip(*columns), range(before + 1, before + 1 + batch.num_rows))
        for row, cells in enumerate(zip(*columns), start=before + 1):
            result = self.shaper.convert(cells, row)
            if self.key_at is not None and isinstance(result, RecordRow):  # as the file wrote it: "007" -> 7
                self.reader.repeated_keys.note(result.key, row, as_written(cells[self.key_at]))
            yield from (result if isinstance(result, list) else [result])

    def finish(self) -> None:
        """What only the whole read tells: datetime fields mixing naive times and offsets (text columns
        can), and exact repeated rows (key_from_row); a partition's notes go to the merge, which judges
        the file's."""
        quality = self.reader.quality
        quality.mixed_offsets = self.shaper.notes.mixed()
        if self.reader.source.partial:
            quality.time_notes = self.shaper.notes
        if self.rows_seen is not None:
            self.rows_seen.tell(quality)


__all__ = ["MappedRows", "mapped_columns"]
