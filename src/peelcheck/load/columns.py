"""Which field each column of a header holds, and what the header lacks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from peelcheck.errors import Location, RecordError
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
        expected = {field: column for column, field in mapping.columns.items()}
        quality.absent_columns = {f: expected[f] for f in quality.absent_fields if f in expected}
    return fields


def unnamed_columns(header: Sequence[Any]) -> set[int]:
    """The columns with a blank header cell."""
    return {i for i, cell in enumerate(header) if not header_text(cell)}
