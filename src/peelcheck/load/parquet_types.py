"""What the two Parquet readers share: which Parquet column types a field takes, and what they need of
the record reader they read for.

``parquet_reader`` reads a file's typed columns as they are, and hands a file read through a column
mapping to ``parquet_mapped``; both are called by ``records.RecordReader``, which they know only as
``ParquetReading`` (so neither imports the module that imports them).
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Any, Protocol

from peelcheck.errors import Location, path_text
from peelcheck.load.repeated_keys import RepeatedKeys
from peelcheck.load.rows import FileQuality, RowValidator, Validated
from peelcheck.schema.mapping import ColumnMapping
from peelcheck.schema.pack import FieldType, RecordTypeSpec


def parquet_file(path: Path, stack: ExitStack) -> Any:
    """``pq.ParquetFile`` of ``path``, kept open as long as ``stack``. pyarrow opens a path by its UTF-8 text, which a
    name whose bytes are not UTF-8 (a Latin-1 ``café`` from a Windows share) has none of: it said "not a readable
    Parquet file". Such a file is given as a Python file object (slower to read through: so only such a file)."""
    import pyarrow.parquet as pq

    if path_text(path) == str(path):
        return pq.ParquetFile(path)
    return pq.ParquetFile(stack.enter_context(path.open("rb")))


def _text(arrow_type: Any) -> bool:
    import pyarrow.types as t

    return bool(t.is_string(arrow_type) or t.is_large_string(arrow_type) or t.is_string_view(arrow_type))


def fits(kind: FieldType, arrow_type: Any) -> bool:
    import pyarrow.types as t

    if t.is_null(arrow_type):
        return True  # a column with nothing recorded in it
    if t.is_dictionary(arrow_type):
        arrow_type = arrow_type.value_type
    checks = {
        FieldType.BOOL: t.is_boolean, FieldType.INT: t.is_integer,
        FieldType.FLOAT: lambda a: t.is_floating(a) or t.is_integer(a),
        FieldType.STRING: _text, FieldType.ENUM: _text,
        FieldType.DATE: t.is_date, FieldType.DATETIME: t.is_timestamp, FieldType.DURATION: t.is_duration,
        FieldType.DATE_LIST: lambda a: (t.is_list(a) or t.is_large_list(a)) and t.is_date(a.value_type),
    }
    return bool(checks[kind](arrow_type))


class ParquetSource(Protocol):
    """What the Parquet readers read of a ``records.RecordSource``."""

    @property
    def path(self) -> Path: ...
    @property
    def label(self) -> str: ...
    @property
    def mapping(self) -> ColumnMapping | None: ...
    @property
    def shard(self) -> tuple[int, int] | None: ...
    @property
    def partial(self) -> bool: ...


class ParquetReading(Protocol):
    """What the Parquet readers need of a ``records.RecordReader``: its source and record type, how it
    validates a record, and where it notes the file's quality, keys and absent fields."""

    validate_row: RowValidator
    quality: FileQuality
    repeated_keys: RepeatedKeys
    absent_fields: list[str]  # the Parquet reader says which columns the file lacks

    @property
    def source(self) -> ParquetSource: ...
    @property
    def spec(self) -> RecordTypeSpec: ...
    def validate(self, raw: Any, location: Location) -> Validated: ...
    def note_key(self, result: Validated, raw: Any, place: int) -> None: ...
