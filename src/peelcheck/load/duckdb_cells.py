"""The SQL that tests and converts a DuckDB-read CSV's raw cells (``duckdb_csv``), as the python loader would.

A cell is taken only where its text has a canonical shape (one ``fast_columns`` accepts, or fewer)
and its value exists; it is then converted into the columnar engine's integer encodings
(``compile.sql``). Kept apart from the plan and scan of the file: this is where a reader looks to
see which cells DuckDB may read and what values it gives them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from peelcheck.load.input_guards import MAX_CELL_CHARS
from peelcheck.schema.key_text import UNSEEN_CLASS_RE2
from peelcheck.schema.pack import FieldSpec, FieldType

if TYPE_CHECKING:
    from peelcheck.load.duckdb_csv import CsvPlan

_ORDINAL = "(date_diff('day', DATE '0001-01-01', {}) + 1)"  # a date's day number, as date.toordinal()
# every character str.strip() strips (str.isspace), as a regular-expression class's contents
SPACES = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"

_YEAR = "([1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])"  # years 1 to 9999, as Python's dates have
_DATE = _YEAR + "-[0-9]{2}-[0-9]{2}"
_SHAPES = {  # a canonical cell's text; its value (DuckDB's) must then exist: no 30 February, no hour 24
    FieldType.INT: "-?[0-9]{1,15}",
    FieldType.FLOAT: "-?[0-9]{1,15}(\\.[0-9]{1,17})?",
    FieldType.DATE: _DATE,
    FieldType.DATETIME: _DATE + "T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]",
    FieldType.DATE_LIST: f"{_DATE}(;{_DATE})*",
}


def _shape(c: str, spec: FieldSpec) -> str:
    """SQL true where a cell's text has a canonical shape (one ``fast_columns`` accepts, or fewer)."""
    kind = spec.type
    if kind is FieldType.BOOL:
        return f"{c} IN ('true', 'false', 'True', 'False')"
    if kind is FieldType.STRING:  # pydantic strips a string: one with spaces around goes its way
        return f"(length({c}) < {MAX_CELL_CHARS} AND NOT regexp_matches({c}, '^[{SPACES}]|[{SPACES}]$'))"
    if kind is FieldType.ENUM:
        return f"{c} IN ({', '.join(_quoted(v) for v in spec.values or ())})" if spec.values else "FALSE"
    if kind in _SHAPES:
        return f"regexp_full_match({c}, '{_SHAPES[kind]}')"
    return "FALSE"  # durations: pydantic's


_SQL_TYPES = {FieldType.BOOL: "BOOLEAN", FieldType.INT: "BIGINT", FieldType.FLOAT: "DOUBLE",
              FieldType.STRING: "VARCHAR", FieldType.ENUM: "VARCHAR", FieldType.DATE: "BIGINT",
              FieldType.DATETIME: "BIGINT",
              FieldType.DURATION: "BIGINT", FieldType.DATE_LIST: "BIGINT[]"}  # as the encodings hold them
_MICROS_PER_DAY = 86_400_000_000
_BEFORE_DAY_ONE = 62_135_596_800_000_000  # microseconds from 0001-01-01 to 1970-01-01


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _name(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def cell_value(c: str, spec: FieldSpec) -> str:
    """SQL giving a cell's value in the columnar engine's encodings (``compile.sql``; a datetime's
    microseconds) where the cell is canonical, NULL where it is not (or blank). Each cell is parsed
    once, and only once its text has passed the shape test."""
    kind = spec.type
    if kind is FieldType.BOOL:
        return f"CASE WHEN {c} IN ('true', 'True') THEN TRUE WHEN {c} IN ('false', 'False') THEN FALSE END"
    if kind in (FieldType.STRING, FieldType.ENUM):
        return f"CASE WHEN {_shape(c, spec)} THEN {c} END"
    if kind is FieldType.DATE_LIST:
        days = f"CASE WHEN {_shape(c, spec)} THEN " \
               f"list_transform(string_split({c}, ';'), lambda d: {_ORDINAL.format('try_cast(d AS DATE)')}) END"
        return f"CASE WHEN {c} IS NULL THEN []::BIGINT[] ELSE {days} END" if spec.blank_cell == "empty_list" else days
    parsed = {FieldType.INT: f"try_cast({c} AS BIGINT)", FieldType.FLOAT: f"try_cast({c} AS DOUBLE)",
              FieldType.DATE: _ORDINAL.format(f"try_cast({c} AS DATE)"),
              FieldType.DATETIME: f"epoch_us(try_cast({c} AS TIMESTAMP))"}.get(kind)
    return f"CASE WHEN {_shape(c, spec)} THEN {parsed} END" if parsed else "NULL"  # durations: pydantic's


def _good(c: str, value: str, spec: FieldSpec) -> str:
    """SQL true where a row's cell is as the python loader would take it: canonical (its value
    exists: no 30 February, no hour 24), or blank where the field is not required."""
    good = f"list_count({value}) = len({value})" if spec.type is FieldType.DATE_LIST else f"{value} IS NOT NULL"
    return f"({c} IS NOT NULL AND {good})" if spec.required else f"({c} IS NULL OR {good})"


def _shown(c: str, spec: FieldSpec) -> str:
    """SQL true where a text key's cell holds no character that does not show (``key_text``): one that does
    is the python loader's to reject. Other types' canonical shapes hold none."""
    return f"NOT regexp_matches({c}, '[{UNSEEN_CLASS_RE2}]')" if spec.type is FieldType.STRING else "TRUE"


def _not_header(c: str, name: str, spec: FieldSpec) -> str:
    """SQL true where a text key's cell is not the key column's name (``name``): one that is may be the header
    again, two exports joined (``repeated_header``), the python loader's to reject. The header read here is of
    field names; an int key's canonical cell is no name."""
    return f"{c} <> {_quoted(name)}" if spec.type is FieldType.STRING else "TRUE"


def key_check(csv_plan: CsvPlan) -> str:
    """SQL true where a row's key cell is canonical (so noted as the python loader notes it, stripped)."""
    column, name = csv_plan.key_column(), csv_plan.spec.key
    spec = csv_plan.spec.fields[name]
    return f"coalesce({_shape(column, spec)} AND {_shown(column, spec)} AND {_not_header(column, name, spec)}, FALSE)"


def key_value(csv_plan: CsvPlan) -> str:
    """SQL of a row's key as repeats are found by it: its value, as its record is keyed (``007`` and ``7``
    are both the int 7), where the key cell is canonical (``key_check``); a text key's cell as it is."""
    column = csv_plan.key_column()
    return f"TRY_CAST({column} AS BIGINT)" if csv_plan.spec.fields[csv_plan.spec.key].type is FieldType.INT else column


def typed_select(csv_plan: CsvPlan, relation: str) -> str:
    """SELECT over a relation of raw cells (``CsvPlan.columns``): its columns, every field's value
    (and each datetime's day number, as ``compile.sql`` names it) and __ok, true where every cell
    of the row is as the python loader would take it."""
    spec, columns = csv_plan.spec, csv_plan.columns()
    values, days, oks = [], [], []
    for c, name in zip(columns, csv_plan.fields):
        field_spec = spec.fields[name]
        values.append(f"{cell_value(c, field_spec)} AS {_name(name)}")
        oks.append(_good(c, _name(name), field_spec))
        if name == spec.key:
            oks += [_shown(c, field_spec), _not_header(c, name, field_spec)]
    for name, field_spec in spec.fields.items():
        if name not in csv_plan.fields:  # not recorded in any row
            values.append(f"CAST(NULL AS {_SQL_TYPES[field_spec.type]}) AS {_name(name)}")
        if field_spec.type is FieldType.DATETIME:  # the day of a moment after 0001-01-01: floor division
            days.append(f"({_name(name)} + {_BEFORE_DAY_ONE}) // {_MICROS_PER_DAY} + 1 AS {_name(name + '__day')}")
    ok = f"coalesce({' AND '.join(oks) or 'TRUE'}, FALSE) AS __ok"
    return f"SELECT *, {', '.join([*days, ok])} FROM (SELECT *, {', '.join(values)} FROM {relation})"


__all__ = ["cell_value", "key_check", "key_value", "typed_select"]
