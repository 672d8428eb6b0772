"""What the reports say about the input itself: rows rejected (results incomplete), blank lines and
rows, absent columns, a workbook's sheets not read, repeated rows, mixed time offsets, and how each file was read."""

from __future__ import annotations

from peelcheck.assess.model import Assessment, InputFile


def incomplete_heading(assessment: Assessment) -> str | None:
    """The line every report heading carries when rows were rejected: the results are incomplete."""
    s = assessment.summary
    if not s.rows_rejected:
        return None
    return f"{s.rows_rejected} of {s.rows_read} rows rejected: results incomplete"


def sheets_not_read(source: InputFile) -> str:
    """A workbook's other sheets holding data, as ``Q1 (2 rows), Q2 (2 rows)``."""
    return ", ".join(f"{name} ({rows} row{'' if rows == 1 else 's'})" for name, rows in source.sheets_not_read.items())


def file_notes(source: InputFile) -> list[str]:
    """One sentence per thing worth knowing about how a file was read (nothing for a clean file)."""
    notes = []
    if source.read_as and any(not n.startswith("times in ") for n in source.read_as):
        notes.append(f"read as: {', '.join(source.read_as)}")
    if source.sheets_not_read:
        notes.append(f"sheets not read: {sheets_not_read(source)}")
    if source.rejected:
        notes.append(f"{source.rejected} rows rejected ({source.problems} problems), not assessed")
    if source.absent_fields:
        named = [f"{f} (column {source.absent_columns[f]!r})" if f in source.absent_columns else f
                 for f in source.absent_fields]
        notes.append(f"no column for {', '.join(named)}: not recorded in any row")
    if source.blank_lines:
        notes.append(f"{source.blank_lines} blank lines skipped")
    if source.blank_rows:
        notes.append(f"{len(source.blank_rows)} rows with every cell blank, not assessed (lines "
                     f"{', '.join(map(str, source.blank_rows[:20]))}{' ...' if len(source.blank_rows) > 20 else ''})")
    if source.ignored_columns:
        notes.append(f"columns ignored: {', '.join(source.ignored_columns)}")
    if source.mixed_offsets:
        notes.append(f"{', '.join(source.mixed_offsets)} mix times with and without a UTC offset (offsets were "
                     "converted; check that the others are local times)")
    if source.repeated_rows:
        notes.append(f"{len(source.repeated_rows)} rows exactly repeat an earlier row (assessed as they are): "
                     f"{'; '.join(source.repeated_rows)}")
    if source.repeated_keys:
        notes.append(f"{len(source.repeated_keys)} records repeat the key of an earlier record (assessed as they "
                     f"are): {'; '.join(source.repeated_keys)}")
    return notes
