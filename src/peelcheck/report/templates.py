"""Blank input sheets from the record types, to fill in and assess with no mapping.

An XLSX template has a sheet named after the record type (one column per field, the field name
as header, its description as the header's comment, a dropdown for enums and yes/no, a date
format on date columns) and a dictionary sheet. A CSV template is the header row alone.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from peelcheck.compile.pack_check import CompiledPack
from peelcheck.load.rows import column_letters
from peelcheck.load.xlsx_sheets import DICTIONARY_HEADER, DICTIONARY_SHEET, LISTS_SHEET
from peelcheck.report.data_dictionary import allowed, rules_by_field
from peelcheck.report.followup import SHEET_ROWS  # dropdowns and formats cover the whole column
from peelcheck.schema.pack import FieldType, RecordTypeSpec

_NUMBER_FORMATS = {FieldType.DATE: "yyyy-mm-dd", FieldType.DATETIME: "yyyy-mm-dd hh:mm:ss"}


def write_template(pack: CompiledPack, spec: RecordTypeSpec, folder: Path, fmt: str) -> Path:
    path = folder / f"{spec.name}.{fmt}"
    if fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerow(list(spec.fields))
    else:
        _workbook(pack, spec).save(path)
    return path


def _workbook(pack: CompiledPack, spec: RecordTypeSpec) -> Any:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = spec.name
    lists = book.create_sheet(LISTS_SHEET)  # dropdown values too long to write inline
    lists.sheet_state = "hidden"
    for column, (name, field) in enumerate(spec.fields.items(), start=1):
        letter = column_letters(column)
        cell = sheet.cell(row=1, column=column, value=name)
        cell.font = Font(bold=True)
        cell.comment = Comment(f"{field.description}\n\n{field.type.value}: {allowed(field)}"
                               + ("\nrequired" if field.required else ""), "peelcheck")
        sheet.column_dimensions[letter].width = max(12, min(40, len(name) + 2))
        if field.type in _NUMBER_FORMATS:
            sheet.column_dimensions[letter].number_format = _NUMBER_FORMATS[field.type]
        choices = ["true", "false"] if field.type is FieldType.BOOL else field.values
        if choices:
            _dropdown(sheet, lists, letter, column, choices)
    sheet.freeze_panes = "A2"
    _dictionary(book, pack, spec)
    return book


def _dropdown(sheet: Any, lists: Any, letter: str, column: int, choices: list[str]) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation
    for row, value in enumerate(choices, start=1):
        lists.cell(row=row, column=column, value=value)
    source = f"{LISTS_SHEET}!${letter}$1:${letter}${len(choices)}"
    check = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=True,
                           errorTitle="Not an allowed value", error=f"One of: {', '.join(choices)}"[:255])
    sheet.add_data_validation(check)
    check.add(f"{letter}2:{letter}{SHEET_ROWS}")


def _dictionary(book: Any, pack: CompiledPack, spec: RecordTypeSpec) -> None:
    from openpyxl.styles import Font
    sheet = book.create_sheet(DICTIONARY_SHEET)  # both known to the reader: not data, not named as sheets not read
    sheet.append(list(DICTIONARY_HEADER))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    used = rules_by_field(pack, spec.name)
    for name, field in spec.fields.items():
        sheet.append([name, field.type.value, "yes" if field.required else "", allowed(field),
                      ", ".join(used.get(name, [])), field.description])
    for letter, width in zip("ABCDEF", (34, 10, 9, 40, 30, 80)):
        sheet.column_dimensions[letter].width = width
