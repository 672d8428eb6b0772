"""Reading a force's record files (YAML, JSON, JSONL, CSV) into validated records, streaming.

Each file holds records of one type: a YAML/JSON file says so at its top
(``record_type: case_file`` beside ``records: [...]``); otherwise ``--type`` says, or a part of the
file name does (``case_file.csv``, ``q3.case_file.jsonl``). In CSV a blank cell is "not recorded",
and a list of dates is written ``2023-01-05;2023-02-01`` (a blank list cell is an empty list: the
updates were recorded as none). Every bad row is reported with file, line, field and value; none
is dropped silently.
"""

from __future__ import annotations

import csv
import itertools
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from peelcheck.errors import Location, RecordError, UsageError
from peelcheck.load.batch import SIZE as BATCH_SIZE
from peelcheck.load.batch import Batch, from_rows
from peelcheck.load.fast_cells import row_converter
from peelcheck.load.fast_columns import ColumnarChunk
from peelcheck.load.parquet_reader import parquet_rows
from peelcheck.load.yaml_positions import PosDict, PosList, load_yaml_file
from peelcheck.schema.mapping import ColumnMapping
from peelcheck.schema.pack import FieldType, RecordTypeSpec

SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv",
            ".parquet": "parquet"}


@dataclass(frozen=True)
class RecordRow:
    """One validated record, where it came from, and the key that names it in findings."""

    key: str
    values: dict[str, Any]
    location: Location


@dataclass(frozen=True)
class RejectedRow:
    """A row that failed validation: where, which field, what value, and why."""

    location: Location
    field: str | None
    value: Any
    message: str

    def __str__(self) -> str:
        what = f"{self.field}: " if self.field else ""
        shown = "" if self.value is None else f" (value {self.value!r})"
        return f"{self.location}: error: {what}{self.message}{shown} [bad-record]"


@dataclass(frozen=True)
class RecordSource:
    path: Path
    record_type: RecordTypeSpec
    mapping: ColumnMapping | None = None
    # (k, n): read only the k-th of every n batches of data rows (a CSV read by n processes)
    shard: tuple[int, int] | None = None


def file_format(path: Path) -> str:
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise UsageError.single("unknown-format", f"cannot tell the format of {path.name}: use one of "
                                f"{', '.join(sorted(SUFFIXES))}", Location(str(path)))
    return fmt


def _declared_type(path: Path) -> str | None:
    """The record type a YAML/JSON file names at its top, if it is that kind of file."""
    if file_format(path) not in ("yaml", "json"):
        return None
    document = _read_document(path)
    return document.get("record_type") if isinstance(document, dict) else None


def resolve_type(path: Path, record_types: dict[str, RecordTypeSpec], told: str | None) -> RecordTypeSpec:
    """Which record type a file holds: --type, then the file's own header, then its name."""
    name = told or _declared_type(path)
    if name is None:
        parts = path.name.split(".")[:-1]
        name = next((p for p in parts if p in record_types), None)
    if name is None or name not in record_types:
        raise UsageError.single("unknown-record-type", f"cannot tell which record type {path.name} holds"
                                + (f": {name!r} is not a record type of the pack" if name else ""),
                                Location(str(path)), hint="name it with --type, a 'record_type:' key, or the "
                                f"file name; the pack has: {', '.join(sorted(record_types))}")
    return record_types[name]


def _read_document(path: Path) -> Any:
    if file_format(path) == "yaml":
        try:
            return load_yaml_file(path)
        except Exception as exc:  # PackError from the YAML reader: same text, record stage
            raise RecordError(getattr(exc, "diagnostics", [])) from exc
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise RecordError.single("unreadable-file", f"cannot read file: {exc}", Location(str(path))) from exc
    except json.JSONDecodeError as exc:
        raise RecordError.single("json-syntax", exc.msg, Location(str(path), exc.lineno, exc.colno)) from exc


class RecordReader:
    """Validates raw rows of one record type and names each record by its key."""

    def __init__(self, source: RecordSource, validator: TypeAdapter[dict[str, Any]]) -> None:
        self.source = source
        self.spec = source.record_type
        self.validator = validator
        self.list_fields = {n for n, f in self.spec.fields.items() if f.type is FieldType.DATE_LIST}
        # Exact repeats of an earlier row, as (line, earlier line): reported, never dropped. Only
        # tracked for files with no reference column (key_from_row), where a repeat cannot be told apart.
        self.repeated_rows: list[tuple[int, int]] = []
        # Fields of the record type a CSV file has no column for: not recorded in every one of its rows.
        self.absent_fields: list[str] = []

    def validate(self, raw: Any, location: Location) -> RecordRow | list[RejectedRow]:
        if not isinstance(raw, dict):
            return [RejectedRow(location, None, None, f"expected a record (a mapping), found {type(raw).__name__}")]
        try:
            values = self.validator.validate_python(raw)
        except ValidationError as exc:
            return [_rejection(err, raw, location) for err in exc.errors(include_url=False)]
        return RecordRow(str(values[self.spec.key]), values, location)

    def rows(self) -> Iterator[RecordRow | RejectedRow]:
        """Every row of the file, valid or rejected, one by one; a file that cannot be read is a RecordError."""
        for item in self.batches():
            if isinstance(item, RejectedRow):
                yield item
            else:
                yield from (RecordRow(item.keys[i], item.record(i), item.where(i)) for i in range(len(item)))

    def batches(self) -> Iterator[Batch | RejectedRow]:
        """Every record of the file in batches, and every rejected row as it is met."""
        path = self.source.path
        try:
            if file_format(path) == "csv":
                yield from self._csv_batches(path)
            elif file_format(path) == "parquet":
                yield from gathered(parquet_rows(self, path), list(self.spec.fields))
            else:
                read = self._jsonl_rows if file_format(path) == "jsonl" else self._document_rows
                yield from gathered(read(path), list(self.spec.fields))
        except UnicodeDecodeError as exc:
            raise RecordError.single("unreadable-file", f"not UTF-8 text ({exc.reason} at byte {exc.start} of a "
                                     "block): save the file as UTF-8", Location(str(path))) from exc
        except csv.Error as exc:
            raise RecordError.single("bad-csv", str(exc), Location(str(path))) from exc
        except OSError as exc:
            raise RecordError.single("unreadable-file", f"cannot read file: {exc}", Location(str(path))) from exc

    def _document_rows(self, path: Path) -> Iterator[RecordRow | RejectedRow]:
        document = _read_document(path)
        if isinstance(document, dict):
            extra = set(document) - {"record_type", "records", "description"}
            if extra or "records" not in document:
                unknown = f"; unknown keys: {', '.join(sorted(extra))}" if extra else ""
                raise RecordError.single("bad-record-file", "a record file is a list of records, or a mapping with "
                                         f"'record_type' and 'records'{unknown}", Location(str(path), 1, 1))
            document = document["records"]
        if not isinstance(document, list):
            raise RecordError.single("bad-record-file", "expected a list of records", Location(str(path), 1, 1))
        for i, raw in enumerate(document):
            if isinstance(document, PosList):
                where = Location(str(path), *document.item_pos[i])
            else:
                where = Location(f"{path}[{i}]")
            if isinstance(raw, PosDict):
                raw = dict(raw)
            result = self.validate(raw, where)
            yield from (result if isinstance(result, list) else [result])

    def _jsonl_rows(self, path: Path) -> Iterator[RecordRow | RejectedRow]:
        with _open_text(path) as handle:
            for line_no, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                where = Location(str(path), line_no)
                try:
                    raw = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield RejectedRow(Location(str(path), line_no, exc.colno), None, None, f"invalid JSON: {exc.msg}")
                    continue
                result = self.validate(raw, where)
                yield from (result if isinstance(result, list) else [result])

    def _csv_batches(self, path: Path) -> Iterator[Batch | RejectedRow]:
        with _open_text(path, newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:  # usually a failed export: say so rather than assess nothing
                raise RecordError.single("empty-file", "the file is empty: a CSV needs at least its header row",
                                         Location(str(path), 1),
                                         hint="a period with no records of this type is a file holding just the header")
            names = self._csv_columns(path, header)
            mapping = self.source.mapping
            by_row = _RowConverter(self, path, names)
            by_column = ColumnarChunk(names, self.spec, str(path)) if mapping is None else None
            first_seen: dict[tuple[str, ...], int] | None = {} if mapping and mapping.key_from_row else None
            shard, shards = self.source.shard or (0, 1)
            if shard:
                first_seen = None  # repeats are looked for once, by the first shard
            fields = list(self.spec.fields)
            for block in itertools.count():
                before = reader.line_num
                chunk = list(itertools.islice(reader, BATCH_SIZE))
                if not chunk:
                    break
                lines = _end_lines(chunk, before, reader.line_num)
                if first_seen is not None:
                    self._note_repeats(chunk, lines, first_seen)
                if block % shards != shard:
                    continue
                batch = by_column.convert(chunk, lines) if by_column is not None else None
                if batch is not None:  # canonical cells: exactly what pydantic would give
                    yield batch
                    continue
                yield from gathered(by_row.rows(chunk, lines), fields)

    def _note_repeats(self, chunk: list[list[str]], lines: Sequence[int],
                      first_seen: dict[tuple[str, ...], int]) -> None:
        for row, line in zip(chunk, lines):
            earlier = first_seen.setdefault(tuple(row), line)
            if earlier != line:
                self.repeated_rows.append((line, earlier))

    def _csv_columns(self, path: Path, header: list[str]) -> list[Any]:
        mapping = self.source.mapping
        if mapping is None:
            unknown = [c for c in header if c not in self.spec.fields]
            names: list[Any] = list(header)
        else:
            unknown = [c for c in header if c not in mapping.columns and c not in mapping.ignore]
            names = [mapping.columns.get(c) for c in header]
        self.absent_fields = [f for f in self.spec.fields if f not in names and f != self.spec.key]
        if unknown:
            raise RecordError.single("unknown-column", f"column(s) not in record type {self.spec.name!r}: "
                                     f"{', '.join(unknown)}", Location(str(path), 1),
                                     hint="rename them, or declare a column mapping that maps or ignores them")
        return names


class _RowConverter:
    """One CSV row at a time: the canonical fast path, else the column mapping and pydantic."""

    def __init__(self, reader: RecordReader, path: Path, names: list[str | None]) -> None:
        self.reader, self.path, self.text_path, self.names = reader, path, str(path), names
        spec, mapping = reader.spec, reader.source.mapping
        self.key, self.mapping = spec.key, mapping
        self.lists = [i for i, n in enumerate(names) if n in reader.list_fields]
        self.translate = mapping.values if mapping else {}
        self.fast = row_converter(names, spec) if mapping is None else None

    def rows(self, chunk: list[list[str]], lines: Sequence[int]) -> Iterator[RecordRow | RejectedRow]:
        for row, line in zip(chunk, lines):
            result = self.convert(row, line)
            yield from (result if isinstance(result, list) else [result])

    def convert(self, row: list[str], line: int) -> RecordRow | list[RejectedRow]:
        names = self.names
        where = Location(self.text_path, line)
        if len(row) != len(names):
            return [RejectedRow(where, None, None, f"row has {len(row)} cells, the header has {len(names)}")]
        values = self.fast(row) if self.fast is not None else None
        if values is not None:  # canonical cells: exactly what pydantic would give
            return RecordRow(str(values[self.key]), values, where)
        raw: dict[str, Any] = {n: v for n, v in zip(names, row) if v != "" and n is not None}
        for i in self.lists:
            raw[names[i]] = row[i].split(";") if row[i] else []  # type: ignore[index]
        for name, table in self.translate.items():
            if name in raw and raw[name] in table:
                raw[name] = table[raw[name]]
        if self.mapping and self.mapping.key_from_row:
            raw[self.key] = f"{self.path.stem}:{line}"
        return self.reader.validate(raw, where)


def _end_lines(chunk: list[list[str]], before: int, after: int) -> Sequence[int]:
    """The line each row of a chunk ends on, as csv's line_num counts them (``before``: the line
    the previous row ended on; ``after``: the line this chunk's last row ends on)."""
    if after - before == len(chunk):  # one line per row, as in almost every export
        return range(before + 1, after + 1)
    lines, line = [], before
    for row in chunk:  # a quoted cell holds line breaks
        line += 1 + sum(c.count("\n") + c.count("\r") - c.count("\r\n") for c in row)
        lines.append(line)
    return lines


def gathered(rows: Iterator[RecordRow | RejectedRow], fields: list[str]) -> Iterator[Batch | RejectedRow]:
    """Valid rows in batches of up to BATCH_SIZE; rejected ones passed on where they come, so the
    items keep the file's order."""
    chunk: list[RecordRow] = []
    for row in rows:
        if isinstance(row, RejectedRow):
            if chunk:
                yield from_rows(chunk, fields)
                chunk = []
            yield row
            continue
        chunk.append(row)
        if len(chunk) == BATCH_SIZE:
            yield from_rows(chunk, fields)
            chunk = []
    if chunk:
        yield from_rows(chunk, fields)


def valid_batches(items: Iterable[Batch | RejectedRow], rejected: list[RejectedRow]) -> Iterator[Batch]:
    """The batches of valid records; rejected rows are set aside to be reported, never dropped."""
    for item in items:
        if isinstance(item, RejectedRow):
            rejected.append(item)
        else:
            yield item


def _open_text(path: Path, newline: str | None = None) -> Any:
    """Open as UTF-8 (a byte-order mark is allowed); decoding errors surface while reading, in rows()."""
    return path.open(encoding="utf-8-sig", newline=newline)


def _rejection(err: Any, raw: dict[str, Any], location: Location) -> RejectedRow:
    field = str(err["loc"][0]) if err["loc"] else None
    if err["type"] == "extra_forbidden":
        return RejectedRow(location, field, None, "unknown field")
    if err["type"] == "missing":
        return RejectedRow(location, field, None, "required field is missing")
    value = raw.get(field) if field else None
    return RejectedRow(location, field, value, err["msg"])
