"""Which field each column of a header holds, and what the header lacks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from peelcheck.errors import Diagnostic, Location, RecordError
from peelcheck.load.input_guards import check_header
from peelcheck.load.rows import FileQuality
from peelcheck.schema.mapping import ColumnMapping
from peelcheck.schema.pack import RecordTypeSpec


def header_text(cell: Any) -> str:
    """A header cell as its column name (a byte-order mark or spaces around it are not part of it)."""
    return "" if cell is None else str(cell).strip().lstrip("\ufeff")


def resolve_columns(header: Sequence[Any], spec: RecordTypeSpec, mapping: ColumnMapping | None,
                    where: Location, quality: FileQuality) -> list[str | None]:
    """The field of each column (None: read past), recording absent fields and ignored columns in ``quality``.

    A column with no header is read past while its cells are blank (sheets and CSVs saved by Excel
    often end in one); a value in it is a problem of its row (see RowShaper)."""
    names = [header_text(c) for c in header]
    if mapping is None:
        fields: list[str | None] = [n if n in spec.fields else None for n in names]
        unknown = [n for n in names if n and n not in spec.fields]
    else:
        fields = [mapping.columns.get(n, n if n in spec.fields and n not in mapping.ignore else None)
                  for n in names]
        unknown = [n for n, f in zip(names, fields) if n and f is None and n not in mapping.ignore]
        quality.ignored_columns = [n for n in names if n in mapping.ignore]
    check_header(names, fields, where)  # a column named twice, or two sent to one field: a value would be lost
    if mapping is not None and mapping.constants:
        _no_constant_for_a_column(names, fields, mapping, where)
    if unknown and mapping is not None and mapping.ignore_unknown_columns:
        quality.ignored_columns += unknown
        unknown = []
    if unknown:
        shown = ", ".join(repr(n) for n in unknown)
        raise RecordError.single("unknown-column", f"column(s) not in record type {spec.name!r}: {shown}", where,
                                 hint="rename them, or use a mapping (--mapping FILE) that maps or ignores them, "
                                      "or says ignore_unknown_columns: true")
    present = set(fields) | (set(mapping.constants) if mapping else set())
    if spec.key not in present and not (mapping and mapping.key_from_row):
        raise RecordError.single("missing-key-column", f"no column for the key field {spec.key!r}", where,
                                 hint="every record needs its reference; map the column that holds it")
    quality.absent_fields = [f for f in spec.fields if f not in present and f != spec.key]
    if mapping is not None:
        expected: dict[str, list[str]] = {}  # a mapping may list several spellings of a column
        for column, field in mapping.columns.items():
            expected.setdefault(field, []).append(column)
        quality.absent_columns = {f: " or ".join(expected[f]) for f in quality.absent_fields if f in expected}
    return fields


def _no_constant_for_a_column(names: list[str], fields: Sequence[str | None], mapping: ColumnMapping,
                              where: Location) -> None:
    """A constant is for a field the file does not hold. A file with a column for it too is a conflict only
    the user can settle: the constant would fill the column's blank cells (a not recorded answer read as
    recorded), or be overridden by the others."""
    problems = [Diagnostic("constant-and-column", f"mapping {mapping.name} gives {field!r} a constant, and "
                           f"{where.path} has a column for it too ({names[i]!r}, column {i + 1})",
                           mapping.constant_at(field) or where,
                           hint="drop the constant, or drop the column (" + (
                               f"and the mapping's rename of {names[i]!r})" if names[i] in mapping.columns else
                               f"or list {names[i]!r} under the mapping's 'ignore')"))
                for i, field in enumerate(fields) if field is not None and field in mapping.constants]
    if problems:
        raise RecordError(problems)


def unnamed_columns(header: Sequence[Any]) -> set[int]:
    """The columns with a blank header cell."""
    return {i for i, cell in enumerate(header) if not header_text(cell)}
