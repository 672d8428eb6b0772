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
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from peelcheck.errors import Location, RecordError
from peelcheck.load.batch import SIZE, Batch, gathered
from peelcheck.load.columns import resolve_columns, unnamed_columns
from peelcheck.load.csv_blocks import Lines, split_columns
from peelcheck.load.csv_spans import ONE_BYTE_BREAKS, Span, data_cuts, open_span
from peelcheck.load.fast_cells import row_converter
from peelcheck.load.fast_columns import ColumnarChunk
from peelcheck.load.input_guards import cell_too_long
from peelcheck.load.key_cells import KeyCells
from peelcheck.load.repeated_header import RepeatedHeader
from peelcheck.load.repeated_keys import RepeatedKeys
from peelcheck.load.repeated_rows import RepeatedRows
from peelcheck.load.rows import FileQuality, RecordRow, RejectedRow, RowValidator
from peelcheck.load.shaping import RowShaper, place_keys
from peelcheck.load.text_input import TextForm, decode_error, detect_encoding, first_line, open_text, with_delimiter
from peelcheck.schema.mapping import ColumnMapping
from peelcheck.schema.pack import FieldType, RecordTypeSpec
from peelcheck.schema.timezones import DEFAULT_TIMEZONE


@dataclass(frozen=True)
class CsvJob:
    path: Path
    label: str  # the name locations give the file (``<stdin>`` for standard input)
    spec: RecordTypeSpec
    mapping: ColumnMapping | None
    shard: tuple[int, int] | None  # (k, n): only the k-th of every n batches
    span: Span | None = None  # a byte range of the file: only its lines (csv_spans)
    zone: str = DEFAULT_TIMEZONE  # where the file's naive times were recorded (a datetime key's too)


def csv_batches(job: CsvJob, validate: RowValidator, quality: FileQuality,
                keys: RepeatedKeys | None = None) -> Iterator[Batch | RejectedRow]:
    """The file's batches and rejected rows; ``keys`` notes each record's key (by the first shard only)."""
    form = _form(job.path, job.mapping)
    quality.stated += form.statement()
    try:
        with open_text(job.path, form) as handle, ExitStack() as ranges:
            lines = Lines(handle, job.label)
            reading = _Reading(job, lines, form.delimiter, validate, quality)
            if job.span is not None and job.span.start > 0:  # the header read, on from the range's first line
                lines.restart(ranges.enter_context(open_span(job.path, form.encoding, job.span)),
                              job.span.lines_before, job.span.stop)
            elif job.span is not None:
                lines.stop = job.span.stop
            yield from reading.batches(keys or RepeatedKeys())
    except UnicodeDecodeError as exc:
        raise decode_error(job.path, form, exc) from exc


def _form(path: Path, mapping: ColumnMapping | None) -> TextForm:
    form = detect_encoding(path, mapping.encoding if mapping else None)
    return with_delimiter(form, first_line(path, form), mapping.delimiter if mapping else None)


def span_cuts(path: Path, mapping: ColumnMapping | None, parts: int) -> tuple[list[int], int] | None:
    """Byte cuts for ``parts`` ranges of a CSV file's data (csv_spans.data_cuts) and its header's
    lines; None where the file is not cut: its encoding or line ends are not ones a count of bytes
    can follow, or its header cannot be read (the readers of its shards then say why). Rows keyed by
    place are cut like any: each range notes its rows, and the merge finds exact repeats across them."""
    try:
        form = _form(path, mapping)
        if form.encoding not in ONE_BYTE_BREAKS:
            return None
        with open_text(path, form) as handle:
            lines = Lines(handle, str(path))
            _header(str(path), csv.reader(lines, delimiter=form.delimiter))
    except (RecordError, UnicodeDecodeError, csv.Error, OSError):
        return None
    cuts = data_cuts(path, lines.taken, parts)
    return None if cuts is None else (cuts, lines.taken)


class _Reading:
    """One CSV file read a chunk of SIZE records at a time: column by column where its lines allow."""

    def __init__(self, job: CsvJob, lines: Lines, delimiter: str, validate: RowValidator,
                 quality: FileQuality) -> None:
        self.job, self.lines, self.delimiter, self.quality = job, lines, delimiter, quality
        self.reader = csv.reader(lines, delimiter=delimiter)  # quoted cells: records may span lines
        header = _header(job.label, self.reader)
        fields = resolve_columns(header, job.spec, job.mapping, Location(job.label, 1), quality)
        mapping = job.mapping
        self.shaper = RowShaper(job.spec, fields, mapping, validate, lambda line, _column: Location(job.label, line),
                                place_keys(job.path.stem, mapping),
                                unnamed_columns(header))
        canonical = mapping is None and None not in fields  # the fast paths take a header of field names only
        self.fast = row_converter(fields, job.spec) if canonical else None
        self.by_column = ColumnarChunk([f or "" for f in fields], job.spec, job.label) if canonical else None
        self.width, self.key_at = len(fields), fields.index(job.spec.key) if job.spec.key in fields else None
        # a row repeating the header (two exports joined): rejected row by row; a chunk holding one is not
        # taken column by column (ColumnarChunk finds the key's name among its key cells)
        self.header = RepeatedHeader(header, self.key_at, "line", self.reader.line_num)
        # key cells read as the records are keyed (``007`` as 7 in an int key), for repeated keys
        self.key_cells = KeyCells(job.spec, mapping, job.zone)
        self.shard, self.shards = job.shard or (0, 1)
        # exact repeats, where rows are keyed by place: looked for by the first shard, in every block (as
        # repeated keys are), or by each byte range in its own lines, judged across them at the merge
        self.rows_seen = RepeatedRows.wanted(mapping, "line", job.span is not None) if self.shard == 0 else None
        self.names = list(job.spec.fields)
        self.times = [f for f in self.names if job.spec.fields[f].type is FieldType.DATETIME]

    def batches(self, keys: RepeatedKeys) -> Iterator[Batch | RejectedRow]:
        # repeated keys are looked for once, by the first shard, in every block (not just its own)
        noting = keys if self.shard == 0 and self.shaper.row_key is None and self.key_at is not None else None
        for block in itertools.count():
            before = self.lines.taken
            run = self.lines.take(SIZE)
            if not run:
                break
            ours = block % self.shards == self.shard
            text = "".join(run)
            if not ours and noting is None and self.shard != 0 and '"' not in text:
                continue  # another shard's run of whole rows: nothing in it is this shard's to note
            columns = self._columns(run, text) if '"' not in text else None
            if columns is not None:  # every row has its cells and a key: none is blank
                lines = range(before + 1, self.lines.taken + 1)
                if noting is not None:
                    self.key_cells.note(noting, columns[self.key_at], lines)  # type: ignore[index]
                if ours:
                    yield from self._from_columns(columns, run, lines)
                continue
            chunk, numbers = self._rows_of(run, text, before)
            if self.lines.stop is not None and numbers and numbers[-1] > self.lines.stop:
                chunk, numbers = self._up_to(self.lines.stop, chunk, numbers, before)
            yield from self._chunk(chunk, _start_lines(numbers, before), noting, ours)
        self.quality.mixed_offsets = self.shaper.notes.mixed()
        if self.rows_seen is not None:
            self.rows_seen.tell(self.quality)
        if self.shards > 1 or self.job.span is not None:  # one part of the file: the merge judges the whole
            self.quality.time_notes = self.shaper.notes

    def _up_to(self, stop: int, chunk: list[list[str]], numbers: Sequence[int],
               before: int) -> tuple[list[list[str]], Sequence[int]]:
        """The rows of a byte range's last chunk that start by its last line, ``stop`` (csv read on to
        finish a quoted cell); one that ends past it means the range was cut inside a record."""
        kept, start = 0, before + 1
        for line in numbers:
            if start > stop:
                break
            kept, start = kept + 1, line + 1
        if kept and numbers[kept - 1] > stop:
            self.quality.cut_in_record = True
        return chunk[:kept], numbers[:kept]

    def _columns(self, run: list[str], text: str) -> list[list[str]] | None:
        """The run's cells by column, where the file is canonical and every line a row with a key."""
        if self.by_column is None or self.key_at is None:
            return None
        columns = split_columns(run, text, self.delimiter, self.width, self.lines.longest)
        return columns if columns is not None and all(map(str.strip, columns[self.key_at])) else None

    def _rows_of(self, run: list[str], text: str, before: int) -> tuple[list[list[str]], Sequence[int]]:
        """The run's rows, read by csv, and the line each ends on."""
        if '"' not in text:  # one row per line
            reader = csv.reader(run, delimiter=self.delimiter)
            try:
                return list(reader), range(before + 1, before + len(run) + 1)
            except csv.Error as exc:
                raise cell_too_long(exc, self.job.label, before + reader.line_num) from exc
        self.lines.give_back(run)  # a quoted cell may hold line breaks: csv reads the lines as they come
        try:
            chunk = list(itertools.islice(self.reader, SIZE))
        except csv.Error as exc:
            raise cell_too_long(exc, self.job.label, self.lines.taken) from exc
        return chunk, _end_lines(chunk, before, self.lines.taken)

    def _from_columns(self, columns: list[list[str]], run: list[str],
                      numbers: Sequence[int]) -> Iterator[Batch | RejectedRow]:
        batch = self.by_column.from_columns(columns, numbers)  # type: ignore[union-attr]
        if batch is not None:  # canonical cells: exactly what pydantic would give
            self.shaper.notes.saw_naive({f: batch.columns[f] for f in self.times})
            yield batch
            return
        yield from gathered(self._rows(list(csv.reader(run, delimiter=self.delimiter)), numbers), self.names)

    def _chunk(self, chunk: list[list[str]], numbers: Sequence[int], noting: RepeatedKeys | None,
               ours: bool) -> Iterator[Batch | RejectedRow]:
        # blank lines and rows of only blank cells (spaces too: pydantic would strip them to nothing)
        if not all(map(str.strip, map("".join, chunk))):
            chunk, numbers = _without_blanks(chunk, numbers, self.quality, first=self.shard == 0)
        if self.rows_seen is not None:
            self.rows_seen.note(chunk, numbers)
        if noting is not None:
            self._note_chunk_keys(noting, chunk, numbers)
        if not ours or not chunk:
            return
        batch = self.by_column.convert(chunk, numbers) if self.by_column is not None else None
        if batch is not None:  # canonical cells: exactly what pydantic would give
            self.shaper.notes.saw_naive({f: batch.columns[f] for f in self.times})
            yield batch
            return
        yield from gathered(self._rows(chunk, numbers), self.names)

    def _note_chunk_keys(self, noting: RepeatedKeys, chunk: list[list[str]], lines: Sequence[int]) -> None:
        column: int = self.key_at  # type: ignore[assignment]
        if min(map(len, chunk), default=0) <= column:  # a short row is rejected anyway
            kept = [(row, line) for row, line in zip(chunk, lines) if len(row) > column]
            chunk, lines = [row for row, _ in kept], [line for _, line in kept]
        self.key_cells.note(noting, [row[column] for row in chunk], lines)

    def _rows(self, chunk: list[list[str]], lines: Sequence[int]) -> Iterator[RecordRow | RejectedRow]:
        job, width, fast, shaper, header = self.job, self.width, self.fast, self.shaper, self.header
        key = job.spec.key
        for row, line in zip(chunk, lines):
            if len(row) != width:
                yield RejectedRow(Location(job.label, line), None, None, f"row has {len(row)} cells, the header has "
                                  f"{width}")
                continue
            if header.repeats(row):
                yield header.rejected(Location(job.label, line))
                continue
            values = fast(row) if fast is not None else None
            if values is not None:  # canonical cells: exactly what pydantic would give
                shaper.notes.saw_naive({f: [values.get(f)] for f in shaper.times})
                yield RecordRow(str(values[key]), values, Location(job.label, line))
                continue
            result = shaper.convert(row, line)
            yield from (result if isinstance(result, list) else [result])


def _header(label: str, reader: Iterator[list[str]]) -> list[str]:
    for header in reader:
        if any(c.strip() for c in header):
            return header
    raise RecordError.single("empty-file", "the file is empty: a CSV needs at least its header row",
                             Location(label, 1),
                             hint="a period with no records of this type is a file holding just the header")


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


def _start_lines(ends: Sequence[int], before: int) -> Sequence[int]:
    """The line each row starts on, from the lines they end on: a record with a quoted cell spanning
    lines is reported where it starts, as a person reading the file finds it."""
    if isinstance(ends, range):  # one line per row
        return ends
    return [before + 1, *(end + 1 for end in ends[:-1])][:len(ends)]


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


__all__ = ["CsvJob", "TextForm", "csv_batches", "span_cuts"]
