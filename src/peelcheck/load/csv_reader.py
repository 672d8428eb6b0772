"""CSV files in batches: clean chunks column by column, anything else row by row through the mapping and pydantic.

Blank lines are skipped and counted; rows of only blank cells are reported and not assessed;
exact repeats are noted for files with no reference column, repeated keys for the others. Every
bad row is reported with its line; a file that cannot be decoded, or a line or cell too long to
be a record's, is an error naming the line.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from peelcheck.errors import Location, RecordError
from peelcheck.load.batch import SIZE, Batch, gathered
from peelcheck.load.columns import resolve_columns, unnamed_columns
from peelcheck.load.fast_cells import row_converter
from peelcheck.load.fast_columns import ColumnarChunk
from peelcheck.load.input_guards import RepeatedKeys, bounded_lines, cell_too_long
from peelcheck.load.rows import FileQuality, RecordRow, RejectedRow, RowValidator
from peelcheck.load.shaping import RowShaper
from peelcheck.load.text_input import TextForm, decode_error, detect_encoding, first_line, open_text, with_delimiter
from peelcheck.schema.mapping import ColumnMapping
from peelcheck.schema.pack import FieldType, RecordTypeSpec


@dataclass(frozen=True)
class CsvJob:
    path: Path
    label: str  # the name locations give the file (``<stdin>`` for standard input)
    spec: RecordTypeSpec
    mapping: ColumnMapping | None
    shard: tuple[int, int] | None  # (k, n): only the k-th of every n batches


def csv_batches(job: CsvJob, validate: RowValidator, quality: FileQuality,
                keys: RepeatedKeys | None = None) -> Iterator[Batch | RejectedRow]:
    """The file's batches and rejected rows; ``keys`` notes each record's key (by the first shard only)."""
    form = detect_encoding(job.path, job.mapping.encoding if job.mapping else None)
    form = with_delimiter(form, first_line(job.path, form), job.mapping.delimiter if job.mapping else None)
    quality.stated += form.statement()
    try:
        with open_text(job.path, form) as handle:
            reader = csv.reader(bounded_lines(handle, job.label), delimiter=form.delimiter)
            yield from _read(job, reader, validate, quality, keys or RepeatedKeys())
    except UnicodeDecodeError as exc:
        raise decode_error(job.path, form, exc) from exc


def _read(job: CsvJob, reader: Iterator[list[str]], validate: RowValidator, quality: FileQuality,
          keys: RepeatedKeys) -> Iterator[Batch | RejectedRow]:
    header = _header(job, reader)
    fields = resolve_columns(header, job.spec, job.mapping, Location(job.label, 1), quality)
    mapping = job.mapping
    shaper = RowShaper(job.spec, fields, mapping, validate, lambda line, _column: Location(job.label, line),
                       (lambda line: f"{job.path.stem}:{line}") if mapping and mapping.key_from_row else None,
                       unnamed_columns(header))
    canonical = mapping is None and None not in fields  # the fast paths take a header of field names only
    fast = row_converter(fields, job.spec) if canonical else None
    by_column = ColumnarChunk([f or "" for f in fields], job.spec, job.label) if canonical else None
    first_seen: dict[tuple[str, ...], int] | None = {} if shaper.row_key is not None else None
    shard, shards = job.shard or (0, 1)
    # repeated keys are looked for once, by the first shard, in every block (not just its own)
    key_column = fields.index(job.spec.key) if shard == 0 and shaper.row_key is None \
        and job.spec.key in fields else None
    names = list(job.spec.fields)
    times = [f for f in names if job.spec.fields[f].type is FieldType.DATETIME]
    for block in itertools.count():
        before = reader.line_num  # type: ignore[attr-defined]
        try:
            chunk = list(itertools.islice(reader, SIZE))
        except csv.Error as exc:
            raise cell_too_long(exc, job.label, reader.line_num) from exc  # type: ignore[attr-defined]
        if not chunk:
            break
        lines = _end_lines(chunk, before, reader.line_num)  # type: ignore[attr-defined]
        if not all(map(any, chunk)):  # blank lines and rows of only blank cells
            chunk, lines = _without_blanks(chunk, lines, quality, first=shard == 0)
        if first_seen is not None and shard == 0:
            _note_repeats(chunk, lines, first_seen, quality)
        if key_column is not None:
            keys.note_cells(chunk, key_column, lines)
        if block % shards != shard or not chunk:
            continue
        batch = by_column.convert(chunk, lines) if by_column is not None else None
        if batch is not None:  # canonical cells: exactly what pydantic would give
            shaper.notes.saw_naive({f: batch.columns[f] for f in times})
            yield batch
            continue
        yield from gathered(_rows(chunk, lines, len(fields), fast, shaper, job), names)
    quality.mixed_offsets = shaper.notes.mixed()


def _header(job: CsvJob, reader: Iterator[list[str]]) -> list[str]:
    for header in reader:
        if any(c.strip() for c in header):
            return header
    raise RecordError.single("empty-file", "the file is empty: a CSV needs at least its header row",
                             Location(job.label, 1),
                             hint="a period with no records of this type is a file holding just the header")


def _rows(chunk: list[list[str]], lines: Sequence[int], width: int, fast: object, shaper: RowShaper,
          job: CsvJob) -> Iterator[RecordRow | RejectedRow]:
    key = job.spec.key
    for row, line in zip(chunk, lines):
        if len(row) != width:
            yield RejectedRow(Location(job.label, line), None, None, f"row has {len(row)} cells, the header has "
                              f"{width}")
            continue
        values = fast(row) if callable(fast) else None
        if values is not None:  # canonical cells: exactly what pydantic would give
            shaper.notes.saw_naive({f: [values.get(f)] for f in shaper.times})
            yield RecordRow(str(values[key]), values, Location(job.label, line))
            continue
        result = shaper.convert(row, line)
        yield from (result if isinstance(result, list) else [result])


def _without_blanks(chunk: list[list[str]], lines: Sequence[int], quality: FileQuality,
                    first: bool) -> tuple[list[list[str]], list[int]]:
    """The chunk without blank lines (counted) and all-blank rows (reported); counted by one shard only."""
    kept, kept_lines = [], []
    for row, line in zip(chunk, lines):
        if any(c.strip() for c in row):
            kept.append(row)
            kept_lines.append(line)
        elif first and not row:
            quality.blank_lines += 1
        elif first:
            quality.blank_rows.append(line)
    return kept, kept_lines


def _note_repeats(chunk: list[list[str]], lines: Sequence[int], first_seen: dict[tuple[str, ...], int],
                  quality: FileQuality) -> None:
    for row, line in zip(chunk, lines):
        earlier = first_seen.setdefault(tuple(row), line)
        if earlier != line:
            quality.repeated_rows.append((line, earlier))


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


__all__ = ["CsvJob", "TextForm", "csv_batches"]
