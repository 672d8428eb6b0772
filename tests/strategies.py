"""Hypothesis strategies: random record types' values, random rules in the rule language, random records.

Values cluster around boundaries (equal values, windows' exact ends, one microsecond either side,
missing fields) because that is where two evaluators can disagree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from peelcheck.compile.check import CompiledRule, compile_rule
from peelcheck.errors import Location
from peelcheck.schema.conditions import parse_condition
from peelcheck.schema.pack import RecordTypeSpec
from peelcheck.schema.rule import Rule, RuleSpec

RECORD_TYPE = RecordTypeSpec.model_validate({
    "name": "thing", "title": "Random thing", "description": "Fields of every type.", "key": "ref",
    "fields": {
        "ref": {"type": "string", "required": True, "description": "key"},
        "b1": {"type": "bool", "description": "a flag"},
        "b2": {"type": "bool", "description": "another flag"},
        "i1": {"type": "int", "description": "a count"},
        "i2": {"type": "int", "description": "another count"},
        "f1": {"type": "float", "description": "a measure"},
        "s1": {"type": "string", "description": "some text"},
        "e1": {"type": "enum", "values": ["a", "b", "c"], "description": "a choice"},
        "d1": {"type": "date", "description": "a date"},
        "d2": {"type": "date", "description": "another date"},
        "t1": {"type": "datetime", "description": "a moment"},
        "t2": {"type": "datetime", "description": "another moment"},
        "u1": {"type": "duration", "description": "a duration"},
        "l1": {"type": "date_list", "description": "some dates"},
    },
})
BASE = dt.datetime(2021, 3, 3, 12, 0, 0)
AS_OFS = st.sampled_from([dt.date(2021, 3, 3), dt.date(2021, 3, 4), dt.date(2022, 3, 3), dt.date(2020, 2, 29)])

ints = st.one_of(st.integers(-3, 3), st.sampled_from([2**31, -(2**31) - 1, 2**53, -(2**53), 10**15]))
floats = st.one_of(st.sampled_from([0.0, -0.0, 0.1, 0.5, 1.0, 2.5, -1.5, 1e-9, 1e15]),
                   st.floats(-10, 10, allow_nan=False, allow_infinity=False))
texts = st.one_of(st.sampled_from(["", "x", "y", "a b", 'quote"d', "back\\slash", "é", "日本", "tab\t", "new\nline"]),
                  st.text(max_size=4))
dates = st.builds(lambda d: dt.date(2021, 3, 3) + dt.timedelta(days=d),
                  st.one_of(st.integers(-3, 3), st.sampled_from([-366, -365, -364, 364, 365, 366])))
offsets = st.one_of(
    st.sampled_from([0, 1, -1, 3600, 86400, 86400 * 365]).map(lambda s: dt.timedelta(seconds=s)),
    st.sampled_from([-1, 1]).map(lambda u: dt.timedelta(hours=24, microseconds=u)),
    st.integers(-3 * 86400, 3 * 86400).map(lambda s: dt.timedelta(seconds=s)),
)
datetimes = offsets.map(lambda o: BASE + o)
durations = st.one_of(st.sampled_from([0, 10, 30, 3600]), st.integers(0, 100)).map(lambda s: dt.timedelta(seconds=s))
date_lists = st.lists(dates, max_size=4)

VALUES: dict[str, st.SearchStrategy[Any]] = {
    "b1": st.booleans(), "b2": st.booleans(), "i1": ints, "i2": ints, "f1": floats, "s1": texts,
    "e1": st.sampled_from(["a", "b", "c"]), "d1": dates, "d2": dates, "t1": datetimes, "t2": datetimes,
    "u1": durations, "l1": date_lists,
}
FIELDS = [f for f in VALUES]
SCALAR_OPS = ["equals", "not_equals"]
ORDER_OPS = ["less_than", "at_most", "greater_than", "at_least"]


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    """A record with each field present or missing (None when written as an explicit null)."""
    record: dict[str, Any] = {}
    for name, values in VALUES.items():
        presence = draw(st.sampled_from(["value", "value", "missing", "null"]))
        if presence == "value":
            record[name] = draw(values)
        elif presence == "null":
            record[name] = None
    return record


def _literal(draw: st.DrawFn, name: str) -> Any:
    value = draw(VALUES[name])
    return value if name != "u1" else value.total_seconds()


@st.composite
def leaves(draw: st.DrawFn) -> dict[str, Any]:
    name = draw(st.sampled_from(FIELDS))
    kind = RECORD_TYPE.fields[name].type.value
    options = ["recorded"]
    if kind == "date_list":
        options += ["count", "gap"]
    else:
        options += ["equals", "compare", "in"]
        if kind in ("int", "float", "date", "datetime", "duration"):
            options += ["order", "field"]
        if kind in ("date", "datetime"):
            options += ["within"]
    choice = draw(st.sampled_from(options))
    if choice == "recorded":
        return {name: {"recorded": draw(st.booleans())}}
    if choice == "count":
        return {name: {"count": {draw(st.sampled_from(ORDER_OPS + SCALAR_OPS)): draw(st.integers(0, 4))}}}
    if choice == "gap":
        return {name: {"longest_gap_days": {draw(st.sampled_from(ORDER_OPS + SCALAR_OPS)):
                                            draw(st.sampled_from([0, 1, 2, 3, 5, 2.5]))}}}
    if choice == "equals":
        return {name: _literal(draw, name)}
    if choice == "compare":
        return {name: {draw(st.sampled_from(SCALAR_OPS)): _literal(draw, name)}}
    if choice == "in":
        return {name: {draw(st.sampled_from(["in", "not_in"])): [_literal(draw, name) for _ in range(draw(
            st.integers(1, 3)))]}}
    if choice == "order":
        return {name: {draw(st.sampled_from(ORDER_OPS)): _literal(draw, name)}}
    if choice == "field":
        family = {"int": ["i1", "i2", "f1"], "float": ["i1", "f1"], "date": ["d1", "d2", "t1", "t2"],
                  "datetime": ["d1", "d2", "t1", "t2"], "duration": ["u1"]}[kind]
        return {name: {draw(st.sampled_from(ORDER_OPS + SCALAR_OPS)): {"field": draw(st.sampled_from(family))}}}
    unit = draw(st.sampled_from(["minutes", "hours", "days"]))
    amount = draw(st.sampled_from([0, 1, 24, 365, 0.5, 1.5]))
    ref = draw(st.sampled_from(["d1", "d2", "t1", "t2", "assessment_date"]))
    return {name: {"within": {unit: amount, draw(st.sampled_from(["after", "before"])): ref}}}


conditions = st.recursive(
    leaves(),
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(lambda xs: {"all": xs}),
        st.lists(inner, min_size=1, max_size=3).map(lambda xs: {"any": xs}),
        inner.map(lambda x: {"not": x}),
    ),
    max_leaves=6,
)


@st.composite
def compiled_rules(draw: st.DrawFn, index: int = 0) -> CompiledRule:
    count_rule = draw(st.booleans()) if draw(st.integers(0, 4)) == 0 else False
    when = draw(st.one_of(st.none(), conditions))
    expect = None if count_rule else draw(conditions)
    spec = RuleSpec.model_validate({
        "id": f"GEN-{index + 1:03d}", "title": "generated", "area": "generated", "kind": "finding",
        "severity": "low", "source": {"document": "GEN", "section": "s", "quote": "q"},
        "record_type": "thing", "when": when, "expect": expect,
        "count": {"at_least": 1} if count_rule else None, "remediation": "r",
    })
    where = Location("<generated>")
    parsed_when = parse_condition(when, where)[0] if when is not None else None
    parsed_expect = parse_condition(expect, where)[0] if expect is not None else None
    compiled, problems = compile_rule(Rule(spec, parsed_when, parsed_expect, "<generated>", where), RECORD_TYPE)
    assert compiled is not None, problems
    return compiled


@st.composite
def rulesets(draw: st.DrawFn) -> list[CompiledRule]:
    return [draw(compiled_rules(i)) for i in range(draw(st.integers(1, 4)))]
