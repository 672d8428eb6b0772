"""A JSON Schema of the rule language's conditions (``when``/``expect``), so that an editor checks them
as it checks the rest of a rule file. Built from the parser's own vocabulary (operators, time units),
so the two cannot drift apart; the parser stays the judge (types of fields are known only to a pack)."""

from __future__ import annotations

from typing import Any

from peelcheck.schema.conditions import (
    ASSESSMENT_DATE,
    BY,
    CALENDAR_UNITS,
    COMPARISONS,
    FROM,
    MAX_WINDOW_DAYS,
    MAX_WINDOW_MONTHS,
    SCALAR_COMPARISONS,
    TIME_UNITS,
    WORKING_DAYS,
    Op,
)

_REF = "#/$defs/"
_SCALAR: dict[str, Any] = {"type": ["string", "number", "boolean", "null"]}
_ONE_KEY = {"type": "object", "minProperties": 1, "maxProperties": 1}


def _operand() -> dict[str, Any]:
    other_field = {"type": "object", "properties": {"field": {"type": "string"}}, "required": ["field"],
                   "additionalProperties": False, "description": "compare with another field of the record"}
    return {"anyOf": [_SCALAR, other_field]}


def _measure() -> dict[str, Any]:
    return {**_ONE_KEY, "properties": {name: {"type": "number"} for name in SCALAR_COMPARISONS},
            "additionalProperties": False, "description": "one comparison, for example {at_least: 1}"}


def _gap() -> dict[str, Any]:
    """One comparison, and maybe ``from``: two keys with it, one without."""
    comparisons: dict[str, Any] = {name: {"type": "number"} for name in SCALAR_COMPARISONS}
    start = {FROM: {"type": "string", "description": "a date or datetime field: the gaps are counted from its day"
                                                     " too (to the earliest date)"}}
    return {"type": "object", "properties": comparisons | start, "additionalProperties": False,
            "minProperties": 1, "maxProperties": 2, "if": {"required": [FROM]}, "then": {"minProperties": 2},
            "else": {"maxProperties": 1},
            "description": "one comparison, for example {at_most: 28}, and maybe from: FIELD"}


def _within() -> dict[str, Any]:
    amounts: dict[str, Any] = {unit: {"type": "number", "minimum": 0} for unit in TIME_UNITS}
    amounts[WORKING_DAYS] = {"type": "integer", "minimum": 0, "maximum": MAX_WINDOW_DAYS,
                             "description": "Monday to Friday, less England and Wales's bank holidays"}
    for unit, months in CALENDAR_UNITS.items():
        amounts[unit] = {"type": "integer", "minimum": 0, "maximum": MAX_WINDOW_MONTHS // months,
                         "description": "calendar " + unit + " (a year is 12 months): the day of the month"
                                        " is kept, or becomes the month's last day when the month is shorter"}
    sides = {side: {"type": "string", "description": f"a field, or {ASSESSMENT_DATE}"} for side in ("after", "before")}
    by = {BY: {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$",
               "description": "working days after a datetime only: the window ends at this time of day"
                              " (\"HH:MM\", in quotes) on its last working day"}}
    return {"type": "object", "properties": amounts | sides | by, "additionalProperties": False,
            "minProperties": 2, "maxProperties": 3, "dependentRequired": {BY: [WORKING_DAYS, "after"]},
            "if": {"required": [BY]}, "else": {"maxProperties": 2},
            "description": "for example {hours: 24, after: attended_at}"}


def _test() -> dict[str, Any]:
    listing = {"type": "array", "minItems": 1, "items": _SCALAR}
    operators: dict[str, Any] = {name: listing if op in (Op.IN, Op.NOT_IN) else {"$ref": _REF + "operand"}
                                 for name, op in COMPARISONS.items()}
    operators |= {"recorded": {"type": "boolean"}, "within": {"$ref": _REF + "within"},
                  "count": {"$ref": _REF + "measure"}, "longest_gap_days": {"$ref": _REF + "gap"}}
    return {"anyOf": [{**_SCALAR, "description": "shorthand for {equals: VALUE}"},
                      {**_ONE_KEY, "properties": operators, "additionalProperties": False}]}


def condition_defs() -> dict[str, Any]:
    """$defs for a condition: {all: [...]}, {any: [...]}, {not: ...} or {FIELD: TEST}."""
    nested = {"type": "array", "minItems": 1, "items": {"$ref": _REF + "condition"}}
    condition = {**_ONE_KEY, "properties": {"all": nested, "any": nested, "not": {"$ref": _REF + "condition"}},
                 "additionalProperties": {"$ref": _REF + "test"},
                 "description": "all / any / not, or a field name and its test"}
    return {"condition": condition, "test": _test(), "operand": _operand(), "within": _within(),
            "measure": _measure(), "gap": _gap()}


def with_conditions(rule_schema: dict[str, Any]) -> dict[str, Any]:
    """The rule schema with ``when`` and ``expect`` described as conditions."""
    rule_schema.setdefault("$defs", {}).update(condition_defs())
    for key in ("when", "expect"):
        rule_schema["properties"][key] = {"anyOf": [{"$ref": _REF + "condition"}, {"type": "null"}],
                                          "default": None, "title": key.capitalize()}
    return rule_schema
