"""What the reports say about the input itself: rows rejected (results incomplete), blank lines and
rows, absent columns, a workbook's sheets not read, repeated rows, mixed time offsets, and how each file was read.

Every format takes these from here: the heading's line (``incomplete_heading``), each file's notes
(``file_notes``: a note lists at most NOTE_LISTED rows or keys and counts the rest), the rejected rows
grouped by the file they came from (``input_quality``) and, where a format lists only the first of
them, the sentence that counts the rest (``rejected_left_out``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from peelcheck.assess.model import Assessment, InputFile, RejectedRowResult
from peelcheck.report.common import SHOWS_MORE, counted, every_one_in

_LINE = re.compile(r":(\d+)(?::(\d+))?")  # what follows a file's path in 'file.csv:12' or 'file.csv:12:3'
_TAIL = re.compile(r"(?::\d+){1,2}$")
# Problems of rejected rows listed per file in Markdown unless --max-failures says otherwise (the HTML's
# default too): a file of 100,000 bad rows still makes a report a person can read.
REJECTED_SHOWN = 200
# Items a file's note lists (blank rows, repeated rows, repeated keys) before counting the rest: a note
# is one sentence, in every format; the JSON report's inputs[] has every one.
NOTE_LISTED = 20


def incomplete_heading(assessment: Assessment) -> str | None:
    """The line every report heading carries when rows were rejected: the results are incomplete."""
    s = assessment.summary
    if not s.rows_rejected:
        return None
    return f"{s.rows_rejected:,} of {counted(s.rows_read, 'row')} rejected: results incomplete"


def sheets_not_read(source: InputFile) -> str:
    """A workbook's other sheets holding data, as ``Q1 (2 rows), Q2 (2 rows)``."""
    return ", ".join(f"{name} ({counted(rows, 'row')})" for name, rows in source.sheets_not_read.items())


def file_notes(source: InputFile) -> list[str]:
    """One sentence per thing worth knowing about how a file was read (nothing for a clean file)."""
    notes = []
    if source.read_as and any(not n.startswith("times in ") for n in source.read_as):
        notes.append(f"read as: {', '.join(source.read_as)}")
    if source.sheets_not_read:
        notes.append(f"sheets not read: {sheets_not_read(source)}")
    if source.rejected:
        notes.append(f"{counted(source.rejected, 'row')} rejected ({counted(source.problems, 'problem')}), "
                     "not assessed")
    if source.absent_fields and source.records + source.rejected:  # a file of no rows: no row lacks anything
        named = [f"{f} (column {source.absent_columns[f]!r})" if f in source.absent_columns else f
                 for f in source.absent_fields]
        notes.append(f"no column for {', '.join(named)}: not recorded in any row")
    unit = source.place_unit  # a CSV's lines, a sheet's or a Parquet file's rows
    if source.blank_lines:
        notes.append(f"{counted(source.blank_lines, f'blank {unit}')} skipped")
    if source.blank_rows:
        notes.append(f"{counted(len(source.blank_rows), 'row')} with every cell blank, not assessed ({unit}s "
                     f"{_listed(list(map(str, source.blank_rows)), ', ', 'blank_rows')})")
    if source.ignored_columns:
        notes.append(f"columns ignored: {', '.join(source.ignored_columns)}")
    if source.mixed_offsets:
        notes.append(f"{', '.join(source.mixed_offsets)} mix times with and without a UTC offset (offsets were "
                     "converted; check that the others are local times)")
    if source.repeated_rows:
        one = len(source.repeated_rows) == 1
        notes.append(f"{counted(len(source.repeated_rows), 'row')} exactly repeat{'s' if one else ''} an earlier "
                     f"row (assessed as {'it is' if one else 'they are'}): "
                     f"{_listed(source.repeated_rows, '; ', 'repeated_rows')}")
    if source.repeated_keys:
        one = len(source.repeated_keys) == 1
        notes.append(f"{counted(len(source.repeated_keys), 'record')} repeat{'s' if one else ''} the key of an "
                     f"earlier record (assessed as {'it is' if one else 'they are'}): "
                     f"{_listed(source.repeated_keys, '; ', 'repeated_keys')}")
    return notes


def _listed(items: list[str], separator: str, field: str) -> str:
    """The first NOTE_LISTED items, then how many more there are and where every one of them is."""
    left = len(items) - NOTE_LISTED
    shown = separator.join(items[:NOTE_LISTED])
    if left <= 0:
        return shown
    return (f"{shown}{separator}and {left:,} more not listed here: the JSON report (-o report.json) lists all "
            f"{len(items):,} (inputs[].{field})")


def rejected_left_out(path: str, listed: int, shown: int, shows_more: str | None = SHOWS_MORE) -> str | None:
    """What a report that shows ``shown`` of a file's ``listed`` problems of rejected rows says of the rest:
    how many, how that report shows more (``shows_more``: as :func:`peelcheck.report.common.failures_left_out`)
    and where every one of them is (None when none was left out)."""
    left = listed - shown
    if left <= 0:
        return None
    how = f" ({shows_more})" if shows_more else ""
    return (f"{counted(left, 'more problem')} of rejected rows of {path} not shown{how}: "
            f"{every_one_in(listed)}")


@dataclass(frozen=True)
class RejectedAt:
    """A rejected row (one problem of it) and where in its file it is."""

    row: RejectedRowResult
    where: str  # the location after the file's path: ':12', '[Sheet]!C14', '[row 3]'
    line: int | None
    column: int | None


@dataclass
class InputQuality:
    """One input file's data quality: its notes and the problems of the rows it rejected."""

    path: str
    source: InputFile | None  # None: rows rejected in a file the inputs do not list
    notes: list[str] = field(default_factory=list)
    rejected: list[RejectedAt] = field(default_factory=list)

    @property
    def rows_rejected(self) -> int:
        """Rows rejected (a row may have several problems)."""
        if self.source is not None:
            return self.source.rejected
        return len({r.where if r.line is None else r.line for r in self.rejected})

    @property
    def incomplete(self) -> bool:
        """Whether rows of this file were rejected and are missing from the results."""
        return bool(self.rows_rejected or self.rejected)


def _at(row: RejectedRowResult, path: str) -> RejectedAt:
    where = row.location[len(path):]
    found = _LINE.fullmatch(where)
    line, column = (int(found[1]), int(found[2]) if found[2] else None) if found else (None, None)
    return RejectedAt(row, where, line, column)


def input_quality(assessment: Assessment) -> list[InputQuality]:
    """Every input file with its notes and its rejected rows, in the order the files were read.

    A rejected row belongs to the file whose path its location starts with (the longest, if paths
    nest); one that names no input file is listed under the path its location gives."""
    files = [InputQuality(s.path, s, file_notes(s)) for s in assessment.inputs]
    longest_first = sorted(files, key=lambda f: -len(f.path))
    others: dict[str, InputQuality] = {}
    for row in assessment.rejected_rows:
        owner = next((f for f in longest_first if row.location.startswith(f.path)), None)
        if owner is None:
            path = _TAIL.sub("", row.location)
            owner = others.setdefault(path, InputQuality(path, None))
        owner.rejected.append(_at(row, owner.path))
    return files + list(others.values())
