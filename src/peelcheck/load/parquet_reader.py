"""Reading Parquet record files: typed columns, checked against the record type before any row is read.

A column named twice is an error, as in a CSV header (only one of its values could be read). A
column's Parquet type must be the field's kind (a date column for a date field, a timestamp for a
datetime, integers for an int...): a mismatch is an error naming the file, the column and both
types, not a guess. Null cells are "not recorded", as blank CSV cells are; a field with no column
is not recorded in any row (and said so, as for CSV). Rows are validated by the record type like
every other file's and located as ``file.parquet[row N]`` (N counted from 1). A file read through a
column mapping is read cell by cell as a CSV's cells are (parquet_mapped.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from itertools import accumulate
from pathlib import Path
from typing import Any

from peelcheck.errors import Diagnostic, Location, RecordError, one_line
from peelcheck.load.batch import SIZE as BATCH_SIZE
from peelcheck.load.input_guards import check_header
from peelcheck.load.parquet_mapped import MappedRows
from peelcheck.load.parquet_types import ParquetReading, fits, parquet_file
from peelcheck.load.rows import RecordRow, RejectedRow
from peelcheck.schema.pack import RecordTypeSpec


def check_schema(label: str, schema: Any, spec: RecordTypeSpec) -> list[str]:
    """The record type's fields the file has no column for; RecordError for unknown, mistyped or repeated
    columns (Parquet lets a file name a column twice: only one of its values could be read)."""
    check_header(list(schema.names), list(schema.names), Location(label))
    problems = []
    for name, arrow_type in zip(schema.names, schema.types):
        field = spec.fields.get(name)
        if field is None:
            problems.append(Diagnostic("unknown-column", f"column {name!r} is not a field of {spec.name}",
                                       Location(label), hint=f"its fields are: {', '.join(spec.fields)}"))
        elif not fits(field.type, arrow_type):
            problems.append(Diagnostic("parquet-type", f"column {name!r} is Parquet {arrow_type}, but {name} is a "
                                       f"{field.type.value} field", Location(label)))
    if problems:
        raise RecordError(problems)
    return [name for name in spec.fields if name not in schema.names]


def parquet_rows(reader: ParquetReading, path: Path) -> Iterator[RecordRow | RejectedRow]:
    """Every row of a Parquet file, validated (through the source's mapping, if it has one); only this
    reader's partition when it has one (its share of the row groups, or of blocks of rows where the file
    has fewer row groups than partitions)."""
    with ExitStack() as stack:  # the file a name that is not UTF-8 is read through, open while rows are read
        try:
            source = parquet_file(path, stack)
        except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
            raise RecordError.single("unreadable-file", f"not a readable Parquet file: {one_line(exc)}",
                                     Location(reader.source.label)) from exc
        yield from _source_rows(reader, source)


def _source_rows(reader: ParquetReading, source: Any) -> Iterator[RecordRow | RejectedRow]:
    mapping = reader.source.mapping
    if mapping is not None:
        mapped = MappedRows(reader, source.schema_arrow, mapping)
        for batch, before in _intact(_partition(source, reader.source.shard or (0, 1)), reader.source.label):
            yield from mapped.rows(batch, before)
        mapped.finish()
        return
    reader.absent_fields = check_schema(reader.source.label, source.schema_arrow, reader.spec)
    for batch, before in _intact(_partition(source, reader.source.shard or (0, 1)), reader.source.label):
        yield from _validated(reader, batch, before)


def _intact(batches: Iterator[tuple[Any, int]], label: str) -> Iterator[tuple[Any, int]]:
    """The batches, or an error placed after the last batch read: a file whose footer
    (its schema) reads but whose pages are damaged fails only when they are decoded."""
    before = 0
    while True:
        try:
            batch, before = next(batches)
        except StopIteration:
            return
        except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError, its IOError an OSError
            raise RecordError.single("unreadable-file", f"the Parquet file is damaged: {exc}",
                                     Location(f"{label}[row {before + 1}]"),
                                     hint="export or copy the file again: its pages cannot be decoded") from exc
        yield batch, before
        before += batch.num_rows


def _partition(source: Any, partition: tuple[int, int]) -> Iterator[tuple[Any, int]]:
    """This partition's batches, each with the number of rows of the file before it."""
    shard, shards = partition
    groups = source.metadata.num_row_groups
    if shards > 1 and groups >= shards:  # a cluster's partition: whole row groups, the others never read
        starts = list(accumulate((source.metadata.row_group(i).num_rows for i in range(groups)), initial=0))
        for group in range(shard, groups, shards):
            row = starts[group]
            for batch in source.iter_batches(batch_size=BATCH_SIZE, row_groups=[group]):
                yield batch, row
                row += batch.num_rows
        return
    row = 0  # one partition of too few row groups: interleaved blocks of rows
    for block, batch in enumerate(source.iter_batches(batch_size=BATCH_SIZE)):
        if block % shards == shard:
            yield batch, row
        row += batch.num_rows


def _validated(reader: ParquetReading, batch: Any, before: int) -> Iterator[RecordRow | RejectedRow]:
    """A batch's rows validated, placed as rows ``before`` + 1 onwards of the file."""
    for row, raw in enumerate(batch.to_pylist(), start=before + 1):
        values = {name: value for name, value in raw.items() if value is not None}
        result = reader.validate(values, Location(f"{reader.source.label}[row {row}]"))
        reader.note_key(result, values, row)
        yield from (result if isinstance(result, list) else [result])
