"""What the readers hand on: a validated record, a rejected row, and what a file's shape told us.

This module imports nothing else of ``load/``: every reader and the batch code import it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter, ValidationError

from peelcheck.errors import Location
from peelcheck.load.repeated_keys import RepeatedKeys
from peelcheck.schema.key_text import KEY_ERROR
from peelcheck.schema.pack import RecordTypeSpec


@dataclass(frozen=True)
class CellLocation(Location):
    """A cell of a workbook sheet, shown as spreadsheets name it: ``file.xlsx[Sheet]!C14``."""

    sheet: str = ""

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.path}[{self.sheet}]"
        return f"{self.path}[{self.sheet}]!{column_letters(self.column or 1)}{self.line}"


def column_letters(number: int) -> str:
    """1 -> A, 27 -> AA: a sheet's column as a person finds it."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class RecordRow:
    """One validated record, where it came from, and the key that names it in findings."""

    key: str
    values: dict[str, Any]
    location: Location


@dataclass(frozen=True)
class RejectedRow:
    """A problem with one row: where, which field, what value, and why (a row may have several)."""

    location: Location
    field: str | None
    value: Any
    message: str
    code: str = "bad-record"  # the diagnostic code it is reported with

    def __str__(self) -> str:
        what = f"{self.field}: " if self.field else ""
        shown = "" if self.value is None else f" (value {self.value!r})"
        return f"{self.location}: error: {what}{self.message}{shown} [{self.code}]"


Validated = RecordRow | list[RejectedRow]


class TimeNotes:
    """Which datetime fields held naive values and which held values with an offset."""

    def __init__(self) -> None:
        self.naive: set[str] = set()
        self.aware: set[str] = set()

    def saw_naive(self, columns: dict[str, Any]) -> None:
        """Fields of a chunk read by a fast path (which takes naive times only) that held a value."""
        for name, values in columns.items():
            if name not in self.naive and any(v is not None for v in values):
                self.naive.add(name)

    def mixed(self) -> list[str]:
        return sorted(self.naive & self.aware)

    @classmethod
    def combined(cls, parts: list[TimeNotes]) -> TimeNotes:
        """What the readers of a file's parts saw, as one reader of the whole file."""
        whole = cls()
        for part in parts:
            whole.naive |= part.naive
            whole.aware |= part.aware
        return whole


@dataclass
class FileQuality:
    """What reading a file found besides its records: reported, never acted on silently."""

    repeated_rows: list[tuple[int, int]] = field(default_factory=list)  # (line, earlier line), or rows
    unit: str = "line"  # what a place is: a CSV's "line", a sheet's or a Parquet file's "row"
    # a part of a file read with key_from_row (a CSV's byte range, a Parquet file's partition): its rows' text,
    # for the merge to find repeats across all (repeated_rows.RepeatedRows)
    noted_rows: RepeatedKeys | None = None
    repeated_keys: list[str] = field(default_factory=list)  # records whose key an earlier record has, and where
    # a part of a file (a CSV's byte range, a Parquet file's partition): the keys it noted, for the merge to
    # find repeats across all
    noted_keys: RepeatedKeys | None = None
    # the lines of a CSV's rejected rows: their key cells were noted with the rest, but they are no records
    rejected_lines: set[int] = field(default_factory=set)
    absent_fields: list[str] = field(default_factory=list)  # fields with no column: not recorded in any row
    absent_columns: dict[str, str] = field(default_factory=dict)  # field -> the column a mapping expected
    blank_lines: int = 0  # skipped
    blank_rows: list[int] = field(default_factory=list)  # lines (or sheet rows) of all-blank cells: not assessed
    ignored_columns: list[str] = field(default_factory=list)  # columns read past (ignore / ignore_unknown_columns)
    mixed_offsets: list[str] = field(default_factory=list)  # datetime fields mixing naive and offset values
    # a part of a CSV (a shard, a byte range): which fields held naive times and which offsets, for the merge
    time_notes: TimeNotes | None = None
    stated: list[str] = field(default_factory=list)  # how the file was read: encoding, delimiter, sheet
    sheets_not_read: dict[str, int] = field(default_factory=dict)  # a workbook's other sheets with data -> rows
    # a byte range of a CSV whose last record ran on past it: the next range was cut inside that record
    cut_in_record: bool = False

    @classmethod
    def merged(cls, parts: list[FileQuality]) -> FileQuality:
        """The notes of a file's parts (in file order) as one reader of the whole file makes them: the
        first part's, added to. What the header tells is every part's; a CSV's interleaved shards leave
        repeats, blank lines and blank rows to the first, while a byte range counts its own; what only
        the whole file can tell (keys repeated across parts, rows repeated exactly across a CSV's byte
        ranges or a Parquet file's partitions, times naive in one and with offsets in another) is judged
        here from what each part noted."""
        whole = parts[0]
        for part in parts[1:]:
            whole.blank_lines += part.blank_lines
            whole.blank_rows += part.blank_rows
            whole.repeated_keys += part.repeated_keys
        whole.blank_rows.sort()
        times = TimeNotes.combined([part.time_notes for part in parts if part.time_notes is not None])
        whole.mixed_offsets = sorted({*(f for part in parts for f in part.mixed_offsets), *times.mixed()})
        # rejected rows are each part's own, and a key noted by another part may be one of them
        whole.rejected_lines = set().union(*(part.rejected_lines for part in parts))
        noted = [part.noted_keys for part in parts if part.noted_keys is not None]
        if noted:
            whole.repeated_keys = RepeatedKeys.combined(noted).described(whole.rejected_lines)
        rows = [part.noted_rows for part in parts if part.noted_rows is not None]
        if rows:
            whole.repeated_rows = RepeatedKeys.combined(rows).repeated_places()
        whole.time_notes, whole.noted_keys, whole.noted_rows = None, None, None
        return whole


class RowValidator:
    """Validates raw records of one type with pydantic and names each by its key."""

    def __init__(self, spec: RecordTypeSpec, validator: TypeAdapter[dict[str, Any]]) -> None:
        self.spec, self.validator, self.key = spec, validator, spec.key

    def __call__(self, raw: Any, location: Location) -> Validated:
        if not isinstance(raw, dict):
            return [RejectedRow(location, None, None, f"expected a record (a mapping), found {type(raw).__name__}")]
        try:
            values = self.validator.validate_python(raw)
        except ValidationError as exc:
            return [rejection(err, raw, location) for err in exc.errors(include_url=False)]
        return RecordRow(str(values[self.key]), values, location)


def rejection(err: Any, raw: dict[str, Any], location: Location) -> RejectedRow:
    """One pydantic error as a rejected row."""
    name = str(err["loc"][0]) if err["loc"] else None
    if err["type"] == "extra_forbidden":
        return RejectedRow(location, name, None, "unknown field")
    if err["type"] == "missing":
        return RejectedRow(location, name, None, "required field is missing")
    value = raw.get(name) if name else None
    message = str(err["msg"]).removeprefix("Value error, ")
    if err["type"] == KEY_ERROR:
        return RejectedRow(location, name, value, message, code="invisible-character-in-key")
    return RejectedRow(location, name, value, message)


def rows_rejected(rejected: list[RejectedRow]) -> int:
    """How many rows the problems fall on (one bad row with five bad cells is one row)."""
    return len({(r.location.path, r.location.line) for r in rejected})
