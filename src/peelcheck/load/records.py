"""Reading a force's record files (YAML, JSON, JSONL, CSV, XLSX) into validated records, streaming.

Each file holds records of one type: a YAML/JSON file says so at its top
(``record_type: case_file`` beside ``records: [...]``); otherwise ``--type`` or a mapping says, or
a part of the file name does (``case_file.csv``, ``q3.case_file.jsonl``). In CSV and XLSX a blank
cell is "not recorded". Every bad row is reported with file, line (or cell), field and value;
none is dropped silently. The tabular readers are csv_reader and xlsx_reader; this module
chooses one and reads the document formats itself.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from peelcheck.errors import Location, RecordError, UsageError
from peelcheck.load.batch import Batch, gathered, valid_batches
from peelcheck.load.csv_reader import CsvJob, csv_batches
from peelcheck.load.parquet_reader import parquet_rows
from peelcheck.load.rows import FileQuality, RecordRow, RejectedRow, RowValidator, Validated
from peelcheck.load.xlsx_reader import XlsxJob, xlsx_batches
from peelcheck.load.yaml_positions import PosDict, PosList, load_yaml_file
from peelcheck.schema.mapping import DEFAULT_TIMEZONE, ColumnMapping
from peelcheck.schema.pack import RecordTypeSpec

SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv",
            ".xlsx": "xlsx", ".xlsm": "xlsx", ".parquet": "parquet"}


@dataclass(frozen=True)
class RecordSource:
    path: Path
    record_type: RecordTypeSpec
    mapping: ColumnMapping | None = None
    # (k, n): read only the k-th of every n batches of data rows (a CSV read by n processes)
    shard: tuple[int, int] | None = None
    sheet: str | None = None  # --sheet: the workbook sheet to read
    name: str | None = None  # how locations name the file, if not by its path (``<stdin>``)
    zone: str = DEFAULT_TIMEZONE  # where the file's naive times were recorded

    @property
    def label(self) -> str:
        return self.name or str(self.path)


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
    """Reads one record file: validated records in batches, rejected rows, and what its shape told us."""

    def __init__(self, source: RecordSource, validator: TypeAdapter[dict[str, Any]]) -> None:
        self.source = source
        self.spec = source.record_type
        self.validate_row = RowValidator(source.record_type, validator)
        self.quality = FileQuality()

    @property
    def repeated_rows(self) -> list[tuple[int, int]]:
        return self.quality.repeated_rows

    @property
    def absent_fields(self) -> list[str]:
        return self.quality.absent_fields

    @absent_fields.setter
    def absent_fields(self, fields: list[str]) -> None:  # the Parquet reader says which columns it lacks
        self.quality.absent_fields = fields

    def validate(self, raw: Any, location: Location) -> Validated:
        return self.validate_row(raw, location)

    def rows(self) -> Iterator[RecordRow | RejectedRow]:
        """Every row of the file, valid or rejected, one by one; a file that cannot be read is a RecordError."""
        for item in self.batches():
            if isinstance(item, RejectedRow):
                yield item
            else:
                yield from (RecordRow(item.keys[i], item.record(i), item.where(i)) for i in range(len(item)))

    def batches(self) -> Iterator[Batch | RejectedRow]:
        """Every record of the file in batches, and every rejected row as it is met."""
        source, path = self.source, self.source.path
        fmt = file_format(path)
        try:
            if fmt == "csv":
                yield from csv_batches(CsvJob(path, source.label, self.spec, source.mapping, source.shard),
                                       self.validate_row, self.quality)
            elif fmt == "xlsx":
                yield from xlsx_batches(XlsxJob(path, source.label, self.spec, source.mapping, source.sheet),
                                        self.validate_row, self.quality)
            elif fmt == "parquet":
                yield from gathered(parquet_rows(self, path), list(self.spec.fields))
            else:
                read = self._jsonl_rows if fmt == "jsonl" else self._document_rows
                yield from gathered(read(path), list(self.spec.fields))
        except UnicodeDecodeError as exc:
            raise RecordError.single("unreadable-file", f"not UTF-8 text ({exc.reason}): save the file as UTF-8",
                                     Location(source.label)) from exc
        except OSError as exc:
            raise RecordError.single("unreadable-file", f"cannot read file: {exc}", Location(source.label)) from exc
        except csv.Error as exc:
            raise RecordError.single("bad-csv", str(exc), Location(source.label)) from exc

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
        with path.open(encoding="utf-8-sig") as handle:
            for line_no, line in enumerate(handle, start=1):
                if not line.strip():
                    self.quality.blank_lines += 1
                    continue
                where = Location(self.source.label, line_no)
                try:
                    raw = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield RejectedRow(Location(self.source.label, line_no, exc.colno), None, None,
                                      f"invalid JSON: {exc.msg}")
                    continue
                result = self.validate(raw, where)
                yield from (result if isinstance(result, list) else [result])


# gathered and valid_batches live in batch.py; named here too for code written against the old layout
__all__ = ["RecordReader", "RecordRow", "RecordSource", "RejectedRow", "file_format", "gathered", "resolve_type",
           "valid_batches"]
