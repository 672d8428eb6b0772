"""Building compiled rules from plain dicts, for tests that need a specific rule."""

from __future__ import annotations

from typing import Any

from peelcheck.compile.check import CompiledRule, compile_rule
from peelcheck.errors import Location
from peelcheck.schema.condition_parser import parse_condition
from peelcheck.schema.rule import Rule, RuleSpec

from .strategies import RECORD_TYPE


def make_rule(expect: Any, when: Any = None, index: int = 0) -> CompiledRule:
    spec = RuleSpec.model_validate({
        "id": f"GEN-{index + 1:03d}", "title": "test rule", "area": "generated", "kind": "finding",
        "severity": "low", "source": {"document": "GEN", "section": "s", "quote": "q"}, "record_type": "thing",
        "when": when, "expect": expect, "remediation": "r"})
    where = Location("<test>")
    parsed = [parse_condition(c, where) if c is not None else (None, []) for c in (when, expect)]
    for _, problems in parsed:
        assert not problems, problems
    compiled, problems = compile_rule(Rule(spec, parsed[0][0], parsed[1][0], "<test>", where), RECORD_TYPE)
    assert compiled is not None, problems
    return compiled
