"""Hypothesis strategies: random record types' values, random rules in the rule language, random records.

Values cluster around boundaries (equal values, windows' exact ends, one microsecond either side,
missing fields) because that is where two evaluators can disagree.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from hypothesis import strategies as st

from peelcheck.compile.check import CompiledRule, compile_rule
from peelcheck.errors import Location
from peelcheck.schema.condition_parser import parse_condition
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


@lru_cache(maxsize=None, typed=True)  # typed: True and 1 are not one choice
def pick(*choices: Any) -> st.SearchStrategy[Any]:
    """``st.sampled_from(choices)``, made once: composites draw from these on every example, and building
    a strategy each time cost a quarter of the drawing."""
    return st.sampled_from(choices)


BASE = dt.datetime(2021, 3, 3, 12, 0, 0)
# Easter 2021 (Good Friday 2 April, Easter Monday 5 April): weekends and bank holidays, for working days
EASTER = dt.datetime(2021, 4, 2, 12, 0, 0)
AS_OFS = st.sampled_from([dt.date(2021, 3, 3), dt.date(2021, 3, 4), dt.date(2022, 3, 3), dt.date(2020, 2, 29),
                          dt.date(2021, 4, 1), dt.date(2021, 4, 5)])

ints = st.one_of(st.integers(-3, 3), st.sampled_from([2**31, -(2**31) - 1, 2**53, -(2**53), 10**15]))
floats = st.one_of(st.sampled_from([0.0, -0.0, 0.1, 0.5, 1.0, 2.5, -1.5, 1e-9, 1e15]),
                   st.floats(-10, 10, allow_nan=False, allow_infinity=False))
texts = st.one_of(st.sampled_from(["", "x", "y", "a b", 'quote"d', "back\\slash", "é", "日本", "tab\t", "new\nline"]),
                  st.text(max_size=4))
easter_days = st.integers(-6, 8).map(lambda d: dt.timedelta(days=d))
dates = st.one_of(st.builds(lambda d: dt.date(2021, 3, 3) + dt.timedelta(days=d),
                            st.one_of(st.integers(-3, 3), st.sampled_from([-366, -365, -364, 364, 365, 366]))),
                  easter_days.map(lambda d: EASTER.date() + d))
offsets = st.one_of(
    st.sampled_from([0, 1, -1, 3600, 86400, 86400 * 365]).map(lambda s: dt.timedelta(seconds=s)),
    st.sampled_from([-1, 1]).map(lambda u: dt.timedelta(hours=24, microseconds=u)),
    st.integers(-3 * 86400, 3 * 86400).map(lambda s: dt.timedelta(seconds=s)),
)
datetimes = st.one_of(offsets.map(lambda o: BASE + o), st.builds(  # midnight, noon, the last hour, and by a second
    lambda d, s: EASTER + d + dt.timedelta(seconds=s), easter_days, st.sampled_from([-43200, 0, 1, -1, 39600])))
# ``by`` times a working-day window may end at, and datetimes at them (to the microsecond, and a minute
# either side) over Easter's weekend and bank holidays
BY_TIMES = ["09:00", "00:00", "23:59", "16:30"]
cutoff_times = st.builds(
    lambda by, nudge: dt.datetime.combine(dt.date(2000, 1, 1), dt.time.fromisoformat(by)) + nudge,
    st.sampled_from(BY_TIMES), st.sampled_from([0, 1, -1, 60_000_000, -60_000_000]).map(
        lambda u: dt.timedelta(microseconds=u))).map(lambda moment: moment.time())
cutoff_datetimes = st.builds(lambda d, t: dt.datetime.combine(EASTER.date() + d, t), easter_days, cutoff_times)
datetimes = st.one_of(datetimes, cutoff_datetimes)
durations = st.one_of(st.sampled_from([0, 10, 30, 3600]), st.integers(0, 100)).map(lambda s: dt.timedelta(seconds=s))
date_lists = st.lists(dates, max_size=4)

VALUES: dict[str, st.SearchStrategy[Any]] = {
    "b1": st.booleans(), "b2": st.booleans(), "i1": ints, "i2": ints, "f1": floats, "s1": texts,
    "e1": st.sampled_from(["a", "b", "c"]), "d1": dates, "d2": dates, "t1": datetimes, "t2": datetimes,
    "u1": durations, "l1": date_lists,
}
FIELDS = [f for f in VALUES]
# counts of working days, months and years a window may take (the rest take fractions too)
WHOLE_AMOUNTS = {"working_days": [0, 1, 2, 5], "months": [0, 1, 2, 6, 12, 13], "years": [0, 1, 2]}
SCALAR_OPS = ["equals", "not_equals"]
ORDER_OPS = ["less_than", "at_most", "greater_than", "at_least"]


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    """A record with each field present or missing (None when written as an explicit null)."""
    record: dict[str, Any] = {}
    for name, values in VALUES.items():
        presence = draw(pick("value", "value", "missing", "null"))
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
    name = draw(pick(*FIELDS))
    kind = RECORD_TYPE.fields[name].type.value
    options = ["recorded"]
    if kind == "date_list":
        options += ["count", "gap", "gap_from"]
    else:
        options += ["equals", "compare", "in"]
        if kind in ("int", "float", "date", "datetime", "duration"):
            options += ["order", "field"]
        if kind in ("date", "datetime"):
            options += ["within"]
        if kind == "datetime":
            options += ["within_by"]
    choice = draw(pick(*options))
    if choice == "recorded":
        return {name: {"recorded": draw(st.booleans())}}
    if choice == "count":
        return {name: {"count": {draw(pick(*ORDER_OPS + SCALAR_OPS)): draw(st.integers(0, 4))}}}
    if choice == "gap":
        return {name: {"longest_gap_days": {draw(pick(*ORDER_OPS + SCALAR_OPS)):
                                            draw(pick(0, 1, 2, 3, 5, 2.5))}}}
    if choice == "gap_from":  # from a date or a datetime: the dates lie round it, before and after
        return {name: {"longest_gap_days": {draw(pick(*ORDER_OPS + SCALAR_OPS)): draw(pick(
            0, 1, 2, 3, 5, 2.5, 29, 30, 31, 365)), "from": draw(pick("d1", "d2", "t1", "t2"))}}}
    if choice == "equals":
        return {name: _literal(draw, name)}
    if choice == "compare":
        return {name: {draw(pick(*SCALAR_OPS)): _literal(draw, name)}}
    if choice == "in":
        return {name: {draw(pick("in", "not_in")): [_literal(draw, name) for _ in range(draw(
            st.integers(1, 3)))]}}
    if choice == "order":
        return {name: {draw(pick(*ORDER_OPS)): _literal(draw, name)}}
    if choice == "field":
        family = {"int": ["i1", "i2", "f1"], "float": ["i1", "f1"], "date": ["d1", "d2", "t1", "t2"],
                  "datetime": ["d1", "d2", "t1", "t2"], "duration": ["u1"]}[kind]
        return {name: {draw(pick(*ORDER_OPS + SCALAR_OPS)): {"field": draw(pick(*family))}}}
    if choice == "within_by":
        return {name: {"within": {"working_days": draw(pick(*WHOLE_AMOUNTS["working_days"])),
                                  "after": draw(pick("t1", "t2")), "by": draw(pick(*BY_TIMES))}}}
    unit = draw(pick("minutes", "hours", "days", "working_days", "months", "years"))
    amount = draw(pick(*WHOLE_AMOUNTS.get(unit, [0, 1, 24, 365, 0.5, 1.5])))
    ref = draw(pick("d1", "d2", "t1", "t2", "assessment_date"))
    return {name: {"within": _window(draw, unit, amount, name, ref)}}


def _window(draw: st.DrawFn, unit: str, amount: Any, name: str, ref: str) -> dict[str, Any]:
    """A window's mapping; working days after a datetime, from a datetime, sometimes end ``by`` a time."""
    side = draw(pick("after", "before"))
    window = {unit: amount, side: ref}
    if unit == "working_days" and side == "after" and {name, ref} <= {"t1", "t2"} and draw(st.booleans()):
        window["by"] = draw(pick(*BY_TIMES))
    return window


def combined(leaf: st.SearchStrategy[dict[str, Any]], max_leaves: int) -> st.SearchStrategy[dict[str, Any]]:
    """Conditions made of ``leaf`` conditions under ``all`` / ``any`` / ``not``, at most ``max_leaves`` of them."""
    return st.recursive(leaf, lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(lambda xs: {"all": xs}),
        st.lists(inner, min_size=1, max_size=3).map(lambda xs: {"any": xs}),
        inner.map(lambda x: {"not": x})), max_leaves=max_leaves)


conditions = combined(leaves(), max_leaves=6)


@st.composite
def compiled_rules(draw: st.DrawFn, index: int = 0,
                   conditions: st.SearchStrategy[dict[str, Any]] = conditions) -> CompiledRule:
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


# --- windows in working days, over the weekends and bank holidays of Easter 2021 ---

easter_dates = easter_days.map(lambda d: EASTER.date() + d)
easter_datetimes = st.one_of(st.builds(lambda d, s: EASTER + d + dt.timedelta(seconds=s), easter_days,
                                       st.sampled_from([-43200, 0, 1, -1, 39600])), cutoff_datetimes)
CALENDAR_VALUES: dict[str, st.SearchStrategy[Any]] = {
    **VALUES, "d1": easter_dates, "d2": easter_dates, "t1": easter_datetimes, "t2": easter_datetimes}


@st.composite
def calendar_records(draw: st.DrawFn) -> dict[str, Any]:
    """A record whose dates and datetimes all fall within a week of Easter 2021, each present or not."""
    return {name: draw(values) for name, values in CALENDAR_VALUES.items()
            if draw(pick(True, True, False))}


@st.composite
def working_day_leaves(draw: st.DrawFn) -> dict[str, Any]:
    if draw(st.integers(0, 2)) == 0:  # one in three ends by a time of day (both ends datetimes, after)
        name, ref = draw(pick(("t1", "t2"), ("t2", "t1"), ("t1", "t1")))
        return {name: {"within": {"working_days": draw(pick(0, 1, 2, 5)), "after": ref,
                                  "by": draw(pick(*BY_TIMES))}}}
    name, ref = draw(pick("d1", "d2", "t1", "t2")), draw(pick("d1", "d2", "t1", "t2", "assessment_date"))
    amount = draw(pick(0, 1, 2, 5))
    return {name: {"within": _window(draw, "working_days", amount, name, ref)}}


working_day_conditions = combined(st.one_of(working_day_leaves(), working_day_leaves(), leaves()), max_leaves=4)


@st.composite
def working_day_rulesets(draw: st.DrawFn) -> list[CompiledRule]:
    return [draw(compiled_rules(i, working_day_conditions)) for i in range(draw(st.integers(1, 3)))]


# --- windows in calendar months and years, round month ends and 29 February 2028 ---

# the last three days of each month of 2027-2029 and the first two of the next, 29 February 2028 among them
_MONTH_ENDS = sorted({dt.date(y, m, 1) + dt.timedelta(days=k) for y in (2027, 2028, 2029) for m in range(1, 13)
                      for k in (-3, -2, -1, 0, 1)})
month_end_dates = st.one_of(st.sampled_from(_MONTH_ENDS),
                            st.sampled_from([dt.date(2028, 2, 29), dt.date(2027, 2, 28), dt.date(2029, 2, 28)]))
month_end_datetimes = st.builds(lambda d, s: dt.datetime.combine(d, dt.time()) + dt.timedelta(seconds=s),
                                month_end_dates, st.sampled_from([0, 1, 43200, 86399]))
MONTH_END_VALUES: dict[str, st.SearchStrategy[Any]] = {
    **VALUES, "d1": month_end_dates, "d2": month_end_dates, "t1": month_end_datetimes, "t2": month_end_datetimes}
MONTH_END_AS_OFS = st.sampled_from([dt.date(2028, 2, 29), dt.date(2029, 2, 28), dt.date(2028, 3, 1),
                                    dt.date(2028, 8, 31), dt.date(2028, 3, 31), dt.date(2028, 4, 30),
                                    dt.date(2029, 3, 1), dt.date(2027, 12, 31)])


@st.composite
def month_end_records(draw: st.DrawFn) -> dict[str, Any]:
    """A record whose dates and datetimes fall round month ends of 2027-2029, each present or not."""
    return {name: draw(values) for name, values in MONTH_END_VALUES.items()
            if draw(pick(True, True, False))}


@st.composite
def month_leaves(draw: st.DrawFn) -> dict[str, Any]:
    name, ref = draw(pick("d1", "d2", "t1", "t2")), draw(pick("d1", "d2", "t1", "t2", "assessment_date"))
    unit = draw(pick("months", "years"))
    amount = draw(pick(*WHOLE_AMOUNTS[unit]))
    return {name: {"within": {unit: amount, draw(pick("after", "before")): ref}}}


month_conditions = combined(st.one_of(month_leaves(), month_leaves(), leaves()), max_leaves=4)


@st.composite
def month_rulesets(draw: st.DrawFn) -> list[CompiledRule]:
    return [draw(compiled_rules(i, month_conditions)) for i in range(draw(st.integers(1, 3)))]


# --- past durable-rules' limits (docs/durable-envelope.md): values and rules at and beyond each ---

LONG = 65_536  # durable-rules compares strings over a 16-bit length
# Small pools, drawn for records and literals alike, so values that the engine would confuse meet
# often: "hello" and "hello" + 65,536 x look the same to a 16-bit length, 2**63 and 2**64 to atoll.
long_texts = st.sampled_from(["hello", "hello" + "x" * (LONG - 5), "hello" + "x" * LONG, "x" * LONG,
                              "x" * 4096, "x" * 4097, "\x00sha256:" + "0" * 64, "\x00sha256:"])
big_ints = st.one_of(st.integers(-2, 2), st.sampled_from([
    2**53 - 1, 2**53, 2**53 + 1, 2**62, 2**63 - 1, 2**63, 2**64, -(2**63), -(2**63) - 1, -(2**64), 10**30]))
big_floats = st.one_of(floats, st.sampled_from([float(2**53), float(2**63), float(2**64), 1e300, -1e300]))
big_durations = st.one_of(durations, st.sampled_from([dt.timedelta(days=999_999_999), dt.timedelta(days=106_752),
                                                      dt.timedelta(days=999_999_998), dt.timedelta(days=-999_999_999)]))
# the calendar's ends, and either side of the years whose bank holidays are known
far_dates = st.one_of(dates, st.sampled_from([dt.date(1, 1, 1), dt.date(1, 1, 2), dt.date(1979, 12, 31),
                                              dt.date(2100, 1, 1), dt.date(9999, 12, 31)]))
far_datetimes = st.one_of(datetimes, st.sampled_from([dt.datetime(1, 1, 1), dt.datetime(1980, 1, 1, 12),
                                                      dt.datetime(9999, 12, 31, 23, 59, 59, 999999)]))
EDGE_VALUES: dict[str, st.SearchStrategy[Any]] = {
    **VALUES, "i1": big_ints, "i2": big_ints, "f1": big_floats, "s1": st.one_of(long_texts, texts),
    "u1": big_durations, "d1": far_dates, "d2": far_dates, "t1": far_datetimes, "t2": far_datetimes,
}


@st.composite
def edge_records(draw: st.DrawFn) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for name, values in EDGE_VALUES.items():
        if draw(pick(True, True, False)):
            record[name] = draw(values)
    return record


@st.composite
def edge_leaves(draw: st.DrawFn) -> dict[str, Any]:
    """Leaves with literals past the limits, and in / not_in lists of up to 700 values."""
    name = draw(pick("i1", "i2", "f1", "s1", "u1", "e1", "d1", "t1"))
    literal = draw(EDGE_VALUES[name])
    literal = literal.total_seconds() if isinstance(literal, dt.timedelta) else literal
    choice = draw(pick("equals", "order", "in", "long-in", "leaf"))
    if choice == "leaf" or name in ("e1", "d1", "t1") and choice != "long-in":
        return draw(leaves())
    if choice == "long-in":
        size = draw(pick(17, 511, 512, 700))
        many = [draw(EDGE_VALUES[name]) for _ in range(3)] + _filler(name, size)
        many = [v.total_seconds() if isinstance(v, dt.timedelta) else v for v in many]
        return {name: {draw(pick("in", "not_in")): many}}
    if choice == "in":
        return {name: {draw(pick("in", "not_in")): [literal]}}
    if choice == "order" and name != "s1":
        return {name: {draw(pick(*ORDER_OPS)): literal}}
    return {name: {draw(pick(*SCALAR_OPS)): literal}}


def _filler(name: str, size: int) -> list[Any]:
    """``size`` distinct values of the field's type (dates, moments, numbers, words, enum choices)."""
    if name == "e1":
        return ["a", "b", "c"]
    if name == "d1":
        return [dt.date(2021, 3, 3) + dt.timedelta(days=k) for k in range(-size // 2, size - size // 2)]
    if name == "t1":
        return [BASE + dt.timedelta(seconds=k) for k in range(-size // 2, size - size // 2)]
    if name == "s1":
        return [f"w{k}" for k in range(size)]
    if name == "u1":
        return [float(k) for k in range(size)]
    return [k - size // 2 for k in range(size)] if name != "f1" else [k / 2 for k in range(size)]


def deep(inner: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """A condition nested up to the depth limit (32): chains of not / all / any around other conditions."""
    @st.composite
    def chain(draw: st.DrawFn) -> dict[str, Any]:
        cond = draw(inner)
        for _ in range(draw(st.integers(1, 26))):
            key = draw(pick("not", "all", "any"))
            cond = {"not": cond} if key == "not" else {key: [cond, *draw(st.lists(leaves(), max_size=1))]}
        return cond
    return chain()


edge_conditions = st.one_of(
    combined(edge_leaves(), max_leaves=4),
    deep(st.one_of(edge_leaves(), conditions)),
)


@st.composite
def edge_rulesets(draw: st.DrawFn) -> list[CompiledRule]:
    """A few rules past the limits, or hundreds of ordinary ones on one record type."""
    if draw(st.integers(0, 5)) == 0:
        return [draw(compiled_rules(i)) for i in range(draw(pick(150, 300)))]
    return [draw(compiled_rules(i, edge_conditions)) for i in range(draw(st.integers(1, 4)))]
