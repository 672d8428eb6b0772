"""Workbooks written for tests, and a run of ``peelcheck assess`` with one XLSX reader or the other."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from peelcheck.cli.main import cli

READERS = ["calamine", "openpyxl"]


def workbook(path: Path, rows: list[list[Any]], formats: dict[str, str] | None = None) -> Path:
    """A workbook of one sheet, ``thing``, holding ``rows`` from A1; ``formats``: number formats by cell ("B2")
    or range ("B2:C9")."""
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.title = "thing"
    for row in rows:
        sheet.append(row)
    for cells, number_format in (formats or {}).items():
        for line in sheet[cells] if ":" in cells else [[sheet[cells]]]:
            for cell in line:
                cell.number_format = number_format
    book.save(path)
    return path


def assess_with(reader: str, pack: Path, path: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    """``peelcheck assess`` of one ``thing`` workbook, read by ``reader`` whatever its size, as JSON."""
    monkeypatch.setattr("peelcheck.load.xlsx_reader.READER", reader)
    return CliRunner().invoke(cli, ["assess", "--pack", str(pack), "--as-of", "2022-04-01", "--format", "json",
                                    "--type", "thing", *args, str(path)])
