"""Reading a force's record files (YAML, JSON, JSONL, CSV, XLSX) into validated records, streaming.

Each file holds records of one type: a YAML/JSON file says so at its top
(``record_type: case_file`` beside ``records: [...]``); otherwise ``--type`` or a mapping says, or
a part of the file name does (``case_file.csv``, ``q3.case_file.jsonl``). In CSV and XLSX a blank
cell is "not recorded", and a list of dates is written ``2023-01-05;2023-02-01`` (a blank list cell
is not recorded either, unless the field says ``blank_cell: empty_list``; ``none`` is a recorded
empty list: the updates were recorded as none). Every bad row is reported with file, line (or cell), field and value;
none is dropped silently. The tabular readers are csv_reader and xlsx_reader; this module
chooses one and reads the document formats itself.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from peelcheck.errors import Location, RecordError, UsageError, path_text
from peelcheck.load import json_stream, yaml_stream
from peelcheck.load.batch import Batch, gathered, valid_batches
from peelcheck.load.csv_reader import CsvJob, csv_batches
from peelcheck.load.csv_spans import Span
from peelcheck.load.input_guards import MAX_JSON_BYTES, bounded_lines, json_loads
from peelcheck.load.key_cells import as_written
from peelcheck.load.parquet_reader import parquet_rows
from peelcheck.load.repeated_keys import RepeatedKeys
from peelcheck.load.rows import FileQuality, RecordRow, RejectedRow, RowValidator, Validated
from peelcheck.load.shaping import enum_values
from peelcheck.load.text_input import utf16_marked
from peelcheck.positions import PosDict
from peelcheck.schema.mapping import ColumnMapping
from peelcheck.schema.pack import RecordTypeSpec
from peelcheck.schema.timezones import DEFAULT_TIMEZONE

SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv",
            ".xlsx": "xlsx", ".xlsm": "xlsx", ".parquet": "parquet"}


@dataclass(frozen=True)
class RecordSource:
    path: Path
    record_type: RecordTypeSpec
    mapping: ColumnMapping | None = None
    # (k, n): read only the k-th of every n batches of data rows (a CSV read by n processes)
    shard: tuple[int, int] | None = None
    span: Span | None = None  # a byte range of a CSV (a cluster's partition): only its lines are read
    sheet: str | None = None  # --sheet: the workbook sheet to read
    name: str | None = None  # how locations name the file, if not by its path (``<stdin>``)
    zone: str = DEFAULT_TIMEZONE  # where the file's naive times were recorded

    @property
    def label(self) -> str:
        return self.name or path_text(self.path)  # a name that is not UTF-8 written out: reports hold it

    @property
    def partial(self) -> bool:
        """A part of the file whose keys, kept compressed, a merge judges with the other parts' (a CSV's byte
        range, a Parquet file's partition); the first of a CSV's interleaved shards reads every row's key
        itself, and the merge sets apart the rows any shard rejected."""
        return self.span is not None or self.shard is not None and file_format(self.path) == "parquet"


def file_format(path: Path) -> str:
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise UsageError.single("unknown-format", f"cannot tell the format of {path.name}: use one of "
                                f"{', '.join(sorted(SUFFIXES))}", Location(str(path)))
    return fmt


def declared_type(path: Path, label: str | None = None) -> str | None:
    """The record type a YAML/JSON file names at its top, if it is that kind of file (``label``: how
    locations name it, ``<stdin>`` for standard input copied to ``path``)."""
    where = label or str(path)
    if file_format(path) == "yaml":
        try:
            return yaml_stream.declared_type(path, where)
        except UnicodeDecodeError as exc:  # read before any reader could say it: said here, located
            raise RecordError.single("unreadable-file", f"cannot read file: {exc}", Location(where)) from exc
    if file_format(path) != "json":
        return None
    return json_stream.declared_type(_json_text(path, where), where)


def resolve_type(path: Path, record_types: dict[str, RecordTypeSpec], told: str | None,
                 label: str | None = None) -> RecordTypeSpec:
    """Which record type a file holds: --type (or the mapping's), then the file's own header, then its name
    (standard input, copied to ``path`` and named ``label``, has none).

    A file's ``record_type:`` key that contradicts ``--type`` or the type its name gives is an error:
    one of them is a mistake, and records read as the wrong type would be judged by the wrong rules."""
    declared = declared_type(path, label)
    by_name = None if label else next((p for p in path.name.split(".")[:-1] if p in record_types), None)
    for other, says in ((told, "--type (or the --mapping) says"), (by_name, "its file name says")):
        if declared is not None and other is not None and other != declared:
            raise UsageError.single("conflicting-record-type", f"the file's record_type is {declared!r} but "
                                    f"{says} {other!r}", Location(label or str(path)),
                                    hint="make them agree: rename the file, or correct its 'record_type:' key")
    name = told or declared or by_name
    if name is None or name not in record_types:
        raise UsageError.single("unknown-record-type", f"cannot tell which record type {path.name} holds"
                                + (f": {name!r} is not a record type of the pack" if name else ""),
                                Location(label or str(path)), hint="name it with --type, a 'record_type:' key, or the "
                                f"file name; the pack has: {', '.join(sorted(record_types))}")
    return record_types[name]


def _json_text(path: Path, label: str | None = None) -> str:
    """A JSON record document's text (read whole, so limited; JSON Lines and CSV stream)."""
    where = Location(label or str(path))
    try:
        size = path.stat().st_size
        if size > MAX_JSON_BYTES:
            raise RecordError.single("file-too-large", f"{size:,} bytes: a JSON document may hold at most "
                                     f"{MAX_JSON_BYTES:,}", where,
                                     hint="write one record per line (JSON Lines, .jsonl) or CSV")
        return path.read_text(encoding=_document_encoding(path))  # a BOM, as JSON Lines, YAML and CSV allow
    except (OSError, UnicodeDecodeError) as exc:
        raise RecordError.single("unreadable-file", f"cannot read file: {exc}", where) from exc


def _document_encoding(path: Path) -> str:
    """A JSON or JSON Lines file's: UTF-16 where its byte-order mark says so, else UTF-8 (past a UTF-8 mark)."""
    return "utf-16" if utf16_marked(path) else "utf-8-sig"


class RecordReader:
    """Reads one record file: validated records in batches, rejected rows, and what its shape told us."""

    def __init__(self, source: RecordSource, validator: TypeAdapter[dict[str, Any]]) -> None:
        self.source = source
        self.spec = source.record_type
        self.validate_row = RowValidator(source.record_type, validator)
        self.enum_values = enum_values(source.record_type)  # as the CSV and XLSX readers read them
        self.quality = FileQuality()
        # Records whose key an earlier record of the file already has: reported, never merged or dropped (a
        # part's, sent to the merge, kept compressed)
        self.repeated_keys = RepeatedKeys(packed=source.partial)

    @property
    def absent_fields(self) -> list[str]:
        return self.quality.absent_fields

    @absent_fields.setter
    def absent_fields(self, fields: list[str]) -> None:  # the Parquet reader says which columns it lacks
        self.quality.absent_fields = fields

    def validate(self, raw: Any, location: Location) -> Validated:
        """A record read whole (JSON, YAML, Parquet, in memory), its enum values read as cells' are."""
        return self.validate_row(self.enum_values(raw) if isinstance(raw, dict) else raw, location)

    def rows(self) -> Iterator[RecordRow | RejectedRow]:
        """Every row of the file, valid or rejected, one by one; a file that cannot be read is a RecordError."""
        for item in self.batches():
            if isinstance(item, RejectedRow):
                yield item
            else:
                yield from (RecordRow(item.keys[i], item.record(i), item.where(i)) for i in range(len(item)))

    def batches(self) -> Iterator[Batch | RejectedRow]:
        """Every record of the file in batches, and every rejected row as it is met; once all are read,
        ``quality.repeated_keys`` says which records repeat an earlier one's key."""
        source, path = self.source, self.source.path
        fmt = file_format(path)
        try:
            if fmt == "csv":  # every row's key cell noted as it is read: a rejected row's is set apart below
                rejected = self.quality.rejected_lines
                for item in csv_batches(CsvJob(path, source.label, self.spec, source.mapping, source.shard,
                                               source.span, source.zone), self.validate_row, self.quality,
                                        self.repeated_keys):
                    if isinstance(item, RejectedRow) and item.location.line is not None:
                        rejected.add(item.location.line)
                    yield item
            elif fmt == "xlsx":  # repeats placed by the sheet's row number
                # imported here: openpyxl takes a tenth of a second to import, which a run on CSV files never needs
                from peelcheck.load.xlsx_reader import XlsxJob, xlsx_batches

                self.repeated_keys.unit = self.quality.unit = "row"
                yield from xlsx_batches(XlsxJob(path, source.label, self.spec, source.mapping, source.sheet),
                                        self.validate_row, self.quality, self.repeated_keys)
            elif fmt == "parquet":  # placed by row (file.parquet[row N]); partitions' keys judged when they merge
                self.repeated_keys.unit = self.quality.unit = "row"
                yield from gathered(parquet_rows(self, path), list(self.spec.fields))
            else:
                read = self._jsonl_rows if fmt == "jsonl" else self._document_rows
                yield from gathered(read(path), list(self.spec.fields))
        except UnicodeDecodeError as exc:
            said = "UTF-16" if exc.encoding.startswith("utf-16") else "UTF-8"  # by its byte-order mark
            raise RecordError.single("unreadable-file", f"not {said} text ({exc.reason} at byte {exc.start} of a "
                                     "block): save the file as UTF-8", Location(source.label)) from exc
        except OSError as exc:
            raise RecordError.single("unreadable-file", f"cannot read file: {exc}", Location(source.label)) from exc
        except csv.Error as exc:
            raise RecordError.single("bad-csv", str(exc), Location(source.label)) from exc
        # the merge judges the keys of every part; a CSV's first shard notes every row's key, and which of the
        # rows are rejected only every shard knows
        if source.partial or source.shard is not None and fmt == "csv":
            self.quality.noted_keys = self.repeated_keys
            return
        self.quality.repeated_keys = self.repeated_keys.described(self.quality.rejected_lines)

    def note_key(self, result: Validated, raw: Any, place: int) -> None:
        """A valid record's key noted for repeats at ``place`` (a line, record or row number), with its
        value as the file wrote it (``"007"`` in an int key: read as 7)."""
        if isinstance(result, RecordRow):
            written = as_written(raw.get(self.spec.key)) if isinstance(raw, dict) else None
            self.repeated_keys.note(result.key, place, written)

    def _document_rows(self, path: Path) -> Iterator[RecordRow | RejectedRow]:
        if file_format(path) == "yaml":
            yield from self._checked(yaml_stream.records(path, label=self.source.label))
        else:  # minified JSON has every record on one line: repeats are placed by record number
            self.repeated_keys.unit = "record"
            yield from self._checked(json_stream.records(_json_text(path, self.source.label), self.source.label))

    def _checked(self, items: Iterable[tuple[Any, Location]]) -> Iterator[RecordRow | RejectedRow]:
        for number, (raw, where) in enumerate(items, start=1):
            if isinstance(raw, PosDict):
                raw = dict(raw)
            result = self.validate(raw, where)
            by_line = self.repeated_keys.unit == "line" and where.line is not None
            self.note_key(result, raw, where.line if by_line else number)  # type: ignore[arg-type]
            yield from (result if isinstance(result, list) else [result])

    def _jsonl_rows(self, path: Path) -> Iterator[RecordRow | RejectedRow]:
        label = self.source.label
        with path.open(encoding=_document_encoding(path)) as handle:
            for line_no, line in enumerate(bounded_lines(handle, label), start=1):
                if not line.strip():
                    self.quality.blank_lines += 1
                    continue
                where = Location(label, line_no)
                try:
                    raw = json_loads(line)
                except json.JSONDecodeError as exc:
                    yield RejectedRow(Location(label, line_no, exc.colno), None, None, f"invalid JSON: {exc.msg}")
                    continue
                except ValueError as exc:  # a repeated key, an outsize number
                    yield RejectedRow(where, None, None, str(exc))
                    continue
                result = self.validate(raw, where)
                self.note_key(result, raw, line_no)
                yield from (result if isinstance(result, list) else [result])


# gathered and valid_batches live in batch.py; named here too for code written against the old layout
__all__ = ["RecordReader", "RecordRow", "RecordSource", "RejectedRow", "file_format", "gathered", "resolve_type",
           "valid_batches"]
