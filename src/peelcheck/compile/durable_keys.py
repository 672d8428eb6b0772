"""Short fact keys for a compiled ruleset, given to durable-rules in place of the field names.

durable-rules parses every fact's text, stores it, and echoes the whole text back once for each
rule it matches; with the field names as keys ("victim_views_recorded_at_D") the key text was
half of every fact. The adapter sends aliases instead ("a", "b", ... "ba", ...): the same facts
and conditions, key for key, only shorter. Aliases are given once the rules are packed into
rulesets (``plan_rulesets`` counts keys by their real names), and never spell ``id`` or ``sid``,
which the engine reads itself.
"""

from __future__ import annotations

import dataclasses
import string
from typing import Any

from peelcheck.compile.durable import DISCRIMINATOR, CompiledRuleset

_LETTERS = string.ascii_lowercase
_TAKEN = {"id", "sid", DISCRIMINATOR}


def _alias(number: int) -> str:
    text = _LETTERS[number % 26]
    while number >= 26:
        number = number // 26 - 1
        text = _LETTERS[number % 26] + text
    return text


def aliases(keys: list[str]) -> dict[str, str]:
    """Each key's alias, in order: "a".."z", "aa".."zz", ..., skipping the engine's own names."""
    found: dict[str, str] = {}
    number = 0
    for key in keys:
        while _alias(number) in _TAKEN:
            number += 1
        found[key] = _alias(number)
        number += 1
    return found


def _renamed(expr: Any, names: dict[str, str]) -> Any:
    """A condition with its fact keys renamed: every object key that is not an operator ($...),
    and the key a ``$m`` operand reads; literal values are left as they are."""
    if isinstance(expr, list):
        return [_renamed(part, names) for part in expr]
    if not isinstance(expr, dict):
        return expr
    renamed: dict[str, Any] = {}
    mapping: dict[str, Any] = expr
    for key, value in mapping.items():
        if key == "$m":
            renamed[key] = names.get(value, value)
        elif key.startswith("$"):
            renamed[key] = _renamed(value, names)
        else:
            renamed[names.get(key, key)] = _renamed(value, names) if isinstance(value, dict) else value
    return renamed


def with_short_keys(compiled: CompiledRuleset) -> CompiledRuleset:
    """The same ruleset reading its facts under aliases (see the module's docstring)."""
    names = aliases([enc.key for enc in compiled.encodings])
    definition = {name: {**rule, "all": [{"m": _renamed(rule["all"][0]["m"], names)}]}
                  for name, rule in compiled.definition.items()}
    encodings = [dataclasses.replace(enc, key=names[enc.key]) for enc in compiled.encodings]
    return dataclasses.replace(compiled, definition=definition, encodings=encodings)
