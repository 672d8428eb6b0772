"""``peelcheck mapping suggest``: a first draft of a mapping from a file's header and first rows, by
close matching of names and values, for a person to check and edit (never used unread)."""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import itertools
import re
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import yaml

from peelcheck.errors import Location, RecordError, UsageError, one_line
from peelcheck.load.columns import header_text
from peelcheck.load.parquet_types import parquet_file
from peelcheck.load.records import file_format
from peelcheck.load.shaping import is_blank
from peelcheck.load.text_input import detect_encoding, first_line, open_text, with_delimiter
from peelcheck.load.xlsx_reader import sheet_rows
from peelcheck.schema.pack import FieldSpec, FieldType, RecordTypeSpec

_SAMPLE_ROWS = 500
_DATE_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y", "%d-%m-%Y %H:%M", "%d.%m.%Y %H:%M",
                 "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%d/%m/%y %H:%M", "%d/%m/%y")
_TRUTHS = {"yes": True, "y": True, "true": True, "1": True, "no": False, "n": False, "false": False, "0": False}


def normalised(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.casefold()).strip("_")


def _rows(path: Path, sheet: str | None) -> Iterator[list[Any]]:
    if file_format(path) == "xlsx":
        yield from (row for row in sheet_rows(path, sheet)[1] if not all(map(is_blank, row)))
        return
    if file_format(path) == "parquet":
        yield from _parquet_rows(path)
        return
    form = detect_encoding(path, None)
    form = with_delimiter(form, first_line(path, form), None)
    with open_text(path, form) as handle:
        yield from (row for row in csv.reader(handle, delimiter=form.delimiter) if any(row))


def _parquet_rows(path: Path) -> Iterator[list[Any]]:
    """A Parquet file's column names (its schema, as a header), then its first rows."""
    with ExitStack() as stack:
        try:
            source = parquet_file(path, stack)
        except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
            raise RecordError.single("unreadable-file", f"not a readable Parquet file: {one_line(exc)}",
                                     Location(str(path))) from exc
        yield list(source.schema_arrow.names)
        for batch in source.iter_batches(batch_size=_SAMPLE_ROWS):
            yield from (list(row) for row in zip(*(column.to_pylist() for column in batch.columns)))


def best_field(column: str, spec: RecordTypeSpec, taken: set[str]) -> str | None:
    """The field a column most likely holds: the same name once normalised, else the closest name."""
    key = normalised(column)
    free = [f for f in spec.fields if f not in taken]
    if key in free:
        return key
    close = difflib.get_close_matches(key, free, n=1, cutoff=0.6)
    if close:
        return close[0]
    squashed = {f.replace("_", ""): f for f in free}
    close = difflib.get_close_matches(key.replace("_", ""), list(squashed), n=1, cutoff=0.75)
    if close:
        return squashed[close[0]]
    holding = [f for f in free if key and f"_{key}_" in f"_{f}_"]  # "Type" -> disposal_type, if only one has it
    return holding[0] if len(holding) == 1 else None


def _value_map(field: FieldSpec, seen: set[str]) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for value in sorted(seen):
        if field.type is FieldType.BOOL and value.strip().casefold() in _TRUTHS:
            table[value] = _TRUTHS[value.strip().casefold()]
        elif field.type is FieldType.ENUM and value not in (field.values or []):
            close = difflib.get_close_matches(normalised(value), field.values or [], n=1, cutoff=0.5)
            table[value] = close[0] if close else "?"
    return table


def _date_format(seen: set[str]) -> str | None:
    texts = [s.strip() for s in seen if s.strip()]
    if not texts or all(_iso(t) for t in texts):
        return None
    for fmt in _DATE_FORMATS:
        if all(_fits(t, fmt) for t in texts):
            return fmt
    return "?"


def _iso(text: str) -> bool:
    try:
        dt.datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def _fits(text: str, fmt: str) -> bool:
    try:
        dt.datetime.strptime(text, fmt)
    except ValueError:
        return False
    return True


def _columns(header: list[str], spec: RecordTypeSpec) -> dict[str, str]:
    taken: set[str] = set()
    columns: dict[str, str] = {}
    for column in header:
        field = best_field(column, spec, taken)
        if field is not None:
            columns[column] = field
            taken.add(field)
    return columns


def _values_and_formats(header: list[str], columns: dict[str, str], sample: list[list[Any]],
                        spec: RecordTypeSpec) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    values: dict[str, dict[str, Any]] = {}
    formats: dict[str, str] = {}
    for i, column in enumerate(header):
        field = columns.get(column)
        if field is None:
            continue
        seen = {str(row[i]) for row in sample if i < len(row) and not is_blank(row[i])
                and not isinstance(row[i], (dt.date, int, float))}
        kind = spec.fields[field].type
        if kind in (FieldType.BOOL, FieldType.ENUM) and (table := _value_map(spec.fields[field], seen)):
            values[field] = table
        if kind in (FieldType.DATE, FieldType.DATETIME) and (fmt := _date_format(seen)):
            formats[field] = fmt
    return values, formats


SUGGESTS_FROM = ("csv", "xlsx", "parquet")  # the formats a mapping reads: a JSON or YAML record's keys are its fields


def suggest_mapping(path: Path, spec: RecordTypeSpec, sheet: str | None = None, label: str | None = None) -> str:
    """A mapping file's text: columns matched to fields, value maps and date formats drafted from the
    first rows, unmatched columns listed under ``ignore`` for a person to map or keep ignored. ``label``
    names the file in errors and in the draft when ``path`` is a copy (of standard input)."""
    where, named = Location(label or str(path)), label or path.name
    fmt = file_format(path)
    if fmt not in SUGGESTS_FROM:
        raise UsageError.single("unsupported-format", f"{named} is {fmt.upper()}: a mapping renames the columns of a "
                                "CSV file, a workbook or a Parquet file", where,
                                hint="a JSON or YAML record names its fields itself: see `peelcheck dictionary`")
    if sheet is not None and fmt != "xlsx":  # it would be ignored
        raise UsageError.single("sheet-without-workbook", f"--sheet {sheet} but {named} is not a workbook (.xlsx)",
                                where, hint="drop --sheet: a CSV or Parquet file has no sheets")
    rows = _rows(path, sheet)
    header = [header_text(c) for c in next(rows, [])]
    if not any(header):  # a draft with no columns would look like a mapping and map nothing
        raise RecordError.single("empty-file", "the file holds no header: there are no columns to draft a mapping "
                                 "from", where, hint="give the export itself, with its header row (and a few rows, "
                                 "for value maps and date formats)")
    columns = _columns(header, spec)
    values, formats = _values_and_formats(header, columns, list(itertools.islice(rows, _SAMPLE_ROWS)), spec)
    draft: dict[str, Any] = {
        "name": normalised(Path(named).stem) or "my_mapping", "record_type": spec.name,
        "description": f"Drafted by peelcheck mapping suggest from {named}: check every line before use.",
        "columns": columns}
    for key, part in (("values", values), ("formats", formats)):
        if part:
            draft[key] = part
    draft["ignore"] = [c for c in header if c not in columns]
    missing = [f for f in spec.fields if f not in columns.values()]
    note = ("# Fields with no column found (map one, or leave them not recorded):\n"
            + "".join(f"#   {f}\n" for f in missing)) if missing else ""
    marks = "# '?' marks a value or format peelcheck could not guess.\n"
    return marks + yaml.safe_dump(draft, sort_keys=False, allow_unicode=True) + note
