"""Column mappings: how a record file in someone else's shape (police.uk CSVs) becomes records."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from peelcheck.schema.pack import Closed, Identifier


class ColumnMapping(Closed):
    """Source column name -> field, with optional value translations per field.

    A mapping is chosen with ``--mapping NAME``. Columns the mapping does not name are reported,
    not silently dropped; list them under ``ignore`` to say they are deliberately unused.
    """

    name: Identifier
    record_type: Identifier
    description: str
    columns: dict[str, Identifier]
    values: dict[Identifier, dict[str, Any]] = Field(default_factory=dict)
    ignore: list[str] = Field(default_factory=list)
    key_from_row: bool = Field(default=False, description="Make the key from file name and row, for data with "
                                                          "no reference column.")
