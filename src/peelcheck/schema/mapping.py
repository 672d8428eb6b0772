"""Column mappings: how a record file in someone else's shape (a system export, a police.uk CSV,
an analyst's workbook) becomes records.

A mapping is a force's own file (``--mapping FILE``), one kept in a force profile, or one of a
pack's ``mappings/`` (``--mapping NAME``). Everything it does is stated in the report.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any, NamedTuple, Optional

from pydantic import ConfigDict, Field, PrivateAttr, TypeAdapter, ValidationError, field_validator

from peelcheck.errors import Location
from peelcheck.schema.pack import Closed, FieldType, Identifier
from peelcheck.schema.records import python_type
from peelcheck.schema.timezones import TimezoneName


class DateOnly(str, Enum):
    """How a date with no time is read in a datetime field (otherwise it is an error)."""

    START_OF_DAY = "start_of_day"
    END_OF_DAY = "end_of_day"


class ColumnMapping(Closed):
    """Source column name -> field, with value translations, formats and constants per field.

    Columns the mapping does not name are reported, not silently dropped: list them under
    ``ignore`` to say they are deliberately unused, or set ``ignore_unknown_columns`` (stated in
    the report).
    """

    name: Identifier
    record_type: Identifier
    description: str = ""
    columns: dict[str, Identifier] = Field(default_factory=dict, description="Source column -> field.")
    values: dict[Identifier, dict[str, Any]] = Field(
        default_factory=dict, description="Per field: source value -> value (e.g. Yes: true, Caution: caution).")
    formats: dict[Identifier, str] = Field(
        default_factory=dict, description="Per date/datetime field: a strptime format, e.g. '%d/%m/%Y %H:%M'.")
    date_only: dict[Identifier, DateOnly] = Field(
        default_factory=dict, description="Per datetime field: how a date with no time is read.")
    constants: dict[Identifier, Any] = Field(
        default_factory=dict, description="Fields given one value for every row (a field no column holds; a "
                                          "file with a column for it too is an error).")
    ignore: list[str] = Field(default_factory=list, description="Source columns deliberately unused.")
    ignore_unknown_columns: bool = Field(default=False, description="Read past every column the mapping does "
                                                                     "not name (the report lists them).")
    key_from_row: bool = Field(default=False, description="Make the key from file name and row, for data with "
                                                          "no reference column.")
    encoding: str | None = Field(default=None, description="The text encoding (utf-8, cp1252, latin-1, utf-16); "
                                                           "detected when left out.")
    delimiter: str | None = Field(default=None, min_length=1, max_length=1,
                                  description="The CSV delimiter (',', ';', tab); detected when left out.")
    sheet: str | None = Field(default=None, description="The workbook sheet to read (default: the record type).")
    timezone: TimezoneName | None = Field(default=None, description="Where naive times were recorded (default: the "
                                                           "pack's or profile's, else Europe/London).")
    # where each constant was written, for the error a file with a column for it too gets (not part of the schema)
    _constants_at: dict[str, Location] = PrivateAttr(default_factory=dict)

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str | None) -> str | None:
        import codecs
        if value is not None:
            try:
                codecs.lookup(value)
            except LookupError as exc:
                raise ValueError(f"unknown encoding {value!r}") from exc
        return value

    def placed(self, constants: dict[str, Location]) -> ColumnMapping:
        """This mapping, told where each of its constants was written; returns itself."""
        self._constants_at = dict(constants)
        return self

    def constant_at(self, name: str) -> Location | None:
        """Where the constant for ``name`` was written, when the mapping was read from a file."""
        return self._constants_at.get(name)


class MappingProblem(NamedTuple):
    """What in a mapping does not fit its record type, and where: at ``keys``, on the key itself or, with
    ``at_value``, on the value written for it (the target a source value or column is sent to, a constant)."""

    keys: tuple[str, ...]
    message: str
    code: str = "invalid-value"
    at_value: bool = False


def mapping_issues(mapping: ColumnMapping, fields: dict[str, Any]) -> list[MappingProblem]:
    """What in a mapping does not fit its record type's fields (name -> FieldSpec)."""
    out: list[MappingProblem] = []
    for column, target in mapping.columns.items():
        if target not in fields:  # the column is the file's; the field named for it is the mistake
            out.append(MappingProblem(("columns", column), f"column {column!r} maps to unknown field {target!r}",
                                      "unknown-field", at_value=True))
    for part in ("values", "formats", "date_only", "constants"):
        for name in getattr(mapping, part):
            if name not in fields:
                out.append(MappingProblem((part, name), f"{part}: unknown field {name!r}", "unknown-field"))
    for name in mapping.formats:
        if name in fields and fields[name].type not in (FieldType.DATE, FieldType.DATETIME, FieldType.DATE_LIST):
            out.append(MappingProblem(("formats", name),
                                      f"formats: {name!r} is a {fields[name].type.value} field, not a date"))
    for name in mapping.date_only:
        if name in fields and fields[name].type is not FieldType.DATETIME:
            out.append(MappingProblem(("date_only", name), f"date_only: {name!r} is not a datetime field"))
    out += _unfit_values(mapping, fields)
    return out


def _unfit_values(mapping: ColumnMapping, fields: dict[str, Any]) -> list[MappingProblem]:
    """Value-map targets and constants that no record of the type could hold: each row they reach would
    be rejected, and the data file blamed for the mapping's value. Located at the value written."""
    out: list[MappingProblem] = []
    for name, table in mapping.values.items():
        if name not in fields:
            continue  # an unknown field: said above
        check = value_checker(fields[name])
        for source, target in table.items():
            if (why := check(target)) is not None:
                out.append(MappingProblem(
                    ("values", name, source),
                    f"values: {name!r} maps {source!r} to {target!r}, not a value of the field: {why}", at_value=True))
    for name, value in mapping.constants.items():
        if name in fields and (why := value_checker(fields[name])(value)) is not None:
            out.append(MappingProblem(("constants", name), f"constants: {value!r} is not a value of {name!r}: {why}",
                                      at_value=True))
    return out


def value_checker(spec: Any) -> Callable[[Any], str | None]:
    """For a field (a FieldSpec): why a value cannot be one of its values as records are validated, or None."""
    kind = python_type(spec)
    adapter: TypeAdapter[Any] = TypeAdapter(kind if spec.required else Optional[kind],  # noqa: UP045
                                            config=ConfigDict(str_strip_whitespace=True, allow_inf_nan=False))

    def problem(value: Any) -> str | None:
        try:
            adapter.validate_python(value)
        except ValidationError as exc:
            return "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors(include_url=False))
        return None
    return problem
