"""``within: {working_days: N, after: REF}`` at its boundaries, on every engine: weekends and bank holidays,
an end on a day off, the same day in either order, the assessment date, dates outside the calendar."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from peelcheck.cli.main import cli
from peelcheck.compile import sql_working_days
from peelcheck.compile.check import CompiledRule, compile_rule
from peelcheck.compile.durable import compile_ruleset
from peelcheck.errors import Location
from peelcheck.evaluate import durable_engine
from peelcheck.evaluate.chunk_result import outcomes
from peelcheck.evaluate.columnar import ColumnarEvaluator
from peelcheck.evaluate.durable_engine import DurableSession
from peelcheck.evaluate.generated import generate
from peelcheck.evaluate.reference import ReferenceRule
from peelcheck.load.batch import from_records
from peelcheck.report.schemas import schema_path
from peelcheck.schema.condition_parser import parse_condition
from peelcheck.schema.outcomes import Outcome
from peelcheck.schema.records import record_validator
from peelcheck.schema.rule import Rule, RuleSpec
from peelcheck.schema.wording import describe
from peelcheck.schema.working_days import working_day_number

from .engine_runs import assert_csv_reported_as_the_reference
from .pack_factory import rule_spec, write_pack
from .strategies import RECORD_TYPE
from .test_columnar_equivalence import outcome

D, T = dt.date, dt.datetime
OK, LATE, UNKNOWN = Outcome.COMPLIANT, Outcome.NON_COMPLIANT, Outcome.NOT_RECORDED
VALIDATOR = record_validator(RECORD_TYPE)
Engine = Callable[[CompiledRule, list[dict[str, Any]], dt.date], list[Outcome]]


def rule(expect: dict[str, Any]) -> CompiledRule:
    spec = RuleSpec.model_validate({
        "id": "GEN-001", "title": "generated", "area": "generated", "kind": "finding", "severity": "low",
        "source": {"document": "GEN", "section": "s", "quote": "q"}, "record_type": "thing", "expect": expect,
        "remediation": "r"})
    parsed, problems = parse_condition(expect, Location("<test>"))
    assert parsed is not None, problems
    compiled, problems = compile_rule(Rule(spec, None, parsed, "<test>", Location("<test>")), RECORD_TYPE)
    assert compiled is not None, problems
    return compiled


def _reference(compiled: CompiledRule, values: list[dict[str, Any]], as_of: dt.date) -> list[Outcome]:
    reference = ReferenceRule(compiled, as_of)
    return [reference.outcome(v) for v in values]


def _python(compiled: CompiledRule, values: list[dict[str, Any]], as_of: dt.date) -> list[Outcome]:
    evaluate = generate([compiled], as_of)[1]
    found = []
    for v in values:
        not_applicable, codes = evaluate(from_records([v], RECORD_TYPE.fields).columns, 1)
        found += outcomes(1, not_applicable[0], codes[0])
    return found


def _durable(compiled: CompiledRule, values: list[dict[str, Any]], as_of: dt.date) -> list[Outcome]:
    """durable-rules' outcomes, alike whichever outcome no durable rule names (so every expression is used)."""
    batch = from_records(values, RECORD_TYPE.fields)
    found = []
    for unnamed in ("C", "A", "R"):
        with DurableSession(compile_ruleset([compiled], RECORD_TYPE, as_of, unnamed=[unnamed])) as session:
            [seen], spilled = session.evaluate(batch.columns, len(batch))
        assert not spilled
        found.append(seen)
    assert found[0] == found[1] == found[2], found
    return found[0]


def _columnar(compiled: CompiledRule, values: list[dict[str, Any]], as_of: dt.date) -> list[Outcome]:
    engine = ColumnarEvaluator([compiled], RECORD_TYPE, as_of)
    try:
        assert engine.in_sql == [0]  # held in SQL, not handed to the python engine
        [codes] = engine.codes(from_records(values, RECORD_TYPE.fields))
    finally:
        engine.close()
    return [outcome(code) for code in codes]


ENGINES: dict[str, Engine] = {"reference": _reference, "python": _python, "columnar": _columnar}
if durable_engine.available():
    ENGINES["durable"] = _durable


AS_OF = D(2021, 3, 3)


def every_engine(expect: dict[str, Any], records: list[dict[str, Any]], as_of: dt.date = AS_OF) -> list[Outcome]:
    """The one outcome per record every engine gives (asserted alike)."""
    compiled = rule(expect)
    values = [VALIDATOR.validate_python({"ref": f"r{i}", **r}) for i, r in enumerate(records)]
    found = {name: engine(compiled, values, as_of) for name, engine in ENGINES.items()}
    assert all(seen == found["reference"] for seen in found.values()), found
    return found["reference"]


# (earlier, later, working days from the one to the other): the calendar's own cases
SPANS = [
    (D(2021, 8, 2), D(2021, 8, 9), 5),    # Monday to Monday
    (D(2021, 8, 4), D(2021, 8, 10), 4),   # Wednesday to Tuesday: 6 calendar days
    (D(2021, 8, 7), D(2021, 8, 13), 5),   # a Saturday to the Friday
    (D(2021, 8, 7), D(2021, 8, 14), 6),   # a Saturday to the Saturday: counts as the Monday
    (D(2021, 5, 1), D(2021, 5, 6), 3),    # over the early May bank holiday
    (D(2021, 4, 1), D(2021, 4, 8), 3),    # over Good Friday and Easter Monday
    (D(2021, 4, 1), D(2021, 4, 5), 1),    # told on Easter Monday: counts as the Tuesday
    (D(2021, 12, 24), D(2021, 12, 31), 3),  # over Christmas and Boxing Day's substitutes
    (D(2021, 8, 2), D(2021, 8, 2), 0),    # the same day
    (D(2021, 8, 7), D(2021, 8, 8), 1),    # Saturday to Sunday: the Sunday counts as the Monday
    (D(2021, 8, 7), D(2021, 8, 7), 1),    # a Saturday to itself, likewise
    (D(1979, 12, 24), D(1979, 12, 31), 5),  # before the calendar: weekends only
    (D(2099, 12, 31), D(2100, 1, 4), 2),  # after it: New Year's Day 2100 is not known
    (D(1, 1, 1), D(1, 1, 8), 5),          # the first day there is, a Monday
    (D(9999, 12, 24), D(9999, 12, 31), 5),  # the last, a Friday
]


def _noon(day: dt.date) -> dt.datetime:
    return T(day.year, day.month, day.day, 12)


@pytest.mark.parametrize(("earlier", "later", "days"), SPANS)
def test_a_span_of_n_working_days_is_within_n_and_not_within_n_less_one(earlier, later, days):
    limits = [days, days - 1] if days else [0]
    shapes = [  # (field, ref, record): dates, datetimes, a datetime after a date, and the mirror, before
        ("d1", "after", "d2", {"d1": later, "d2": earlier}),
        ("t1", "after", "t2", {"t1": _noon(later), "t2": _noon(earlier)}),
        ("t1", "after", "d2", {"t1": _noon(later), "d2": earlier}),
        ("d1", "before", "t2", {"d1": earlier, "t2": _noon(later)}),
        ("t1", "before", "t2", {"t1": _noon(earlier), "t2": _noon(later)}),
    ]
    for field, side, ref, record in shapes:
        for limit in limits:
            expect = {field: {"within": {"working_days": limit, side: ref}}}
            assert every_engine(expect, [record]) == [OK if limit >= days else LATE], (expect, record)


@pytest.mark.parametrize(("earlier", "later", "days"), SPANS)
def test_the_assessment_date_is_either_end(earlier, later, days):
    after = {"d1": {"within": {"working_days": days, "after": "assessment_date"}}}
    before = {"t1": {"within": {"working_days": days, "before": "assessment_date"}}}
    assert every_engine(after, [{"d1": later}], earlier) == [OK]
    assert every_engine(before, [{"t1": _noon(earlier)}], later) == [OK]
    if earlier > D(1, 1, 1):  # a day on the wrong side, where there is one
        assert every_engine(after, [{"d1": earlier - dt.timedelta(days=1)}], earlier) == [LATE]
    if later < D(9999, 12, 31):
        assert every_engine(before, [{"t1": _noon(later) + dt.timedelta(days=1)}], later) == [LATE]
    if days:
        shorter = {"d1": {"within": {"working_days": days - 1, "after": "assessment_date"}}}
        assert every_engine(shorter, [{"d1": later}], earlier) == [LATE]


def test_two_datetimes_on_one_day_are_in_order_to_the_microsecond():
    expect = {"t1": {"within": {"working_days": 0, "after": "t2"}}}
    morning, afternoon = T(2021, 8, 2, 11), T(2021, 8, 2, 16)
    records = [{"t1": afternoon, "t2": morning}, {"t1": morning, "t2": afternoon}, {"t1": morning, "t2": morning},
               {"t1": morning, "t2": morning + dt.timedelta(microseconds=1)}]
    assert every_engine(expect, records) == [OK, LATE, OK, LATE]
    # a date meets a datetime by its day: the same day is in order whatever the time
    mixed = {"t1": {"within": {"working_days": 0, "after": "d2"}}}
    assert every_engine(mixed, [{"t1": morning, "d2": D(2021, 8, 2)}, {"t1": morning, "d2": D(2021, 8, 3)}]) == [
        OK, LATE]


def test_the_wrong_side_and_a_missing_value():
    expect = {"d1": {"within": {"working_days": 5, "after": "d2"}}}
    records = [{"d1": D(2021, 8, 6), "d2": D(2021, 8, 9)}, {"d1": D(2021, 8, 6)}, {"d2": D(2021, 8, 6)}, {}]
    assert every_engine(expect, records) == [LATE, UNKNOWN, UNKNOWN, UNKNOWN]


def test_a_window_in_working_days_is_said_in_words():
    compiled = rule({"t1": {"within": {"working_days": 5, "after": "t2"}}})
    assert describe(compiled.expect) == "t1 is within 5 working days after t2"


@pytest.mark.parametrize(("amount", "code"), [
    ("2.5", "bad-condition"), ("true", "bad-condition"), ("-1", "bad-condition"), (".inf", "bad-condition"),
    ("'5'", "bad-condition"), ("3652059", "window-too-long"), ("1" + "0" * 30, "window-too-long"),
])
def test_a_count_of_working_days_that_is_not_a_whole_number_in_range_is_a_located_error(tmp_path, amount, code):
    text = yaml.safe_dump(rule_spec(0, {"d1": {"within": {"working_days": 1, "after": "d2"}}}), sort_keys=False)
    pack = write_pack(tmp_path, [text.replace("working_days: 1", f"working_days: {amount}")])
    result = CliRunner().invoke(cli, ["validate", str(pack), "--format", "json"])
    assert result.exit_code == 1, result.output
    [found] = json.loads(result.stdout)["diagnostics"]
    assert found["code"] == code and found["line"] and found["column"], found


@pytest.mark.parametrize(("spec", "valid"), [
    ({"working_days": 5, "after": "t2"}, True), ({"working_days": 0, "before": "assessment_date"}, True),
    ({"working_days": 2.5, "after": "t2"}, False), ({"working_days": -1, "after": "t2"}, False),
    ({"working_days": 5, "days": 5, "after": "t2"}, False),
])
def test_the_rule_schema_takes_a_whole_count_of_working_days(spec, valid):
    validator = jsonschema.Draft202012Validator(json.loads(schema_path("rule").read_text()))
    document = {**rule_spec(0), "expect": {"t1": {"within": spec}}}
    assert validator.is_valid(document) is valid


def _calendar_rows(count: int) -> list[dict[str, Any]]:
    """Records over Easter and Christmas 2021 (and beyond the calendar), spans of 0 to 9 days, some blank."""
    starts = [T(2021, 4, 1, 9), T(2021, 3, 27, 23, 30), T(2021, 12, 23, 12), T(1979, 12, 21, 8), T(2099, 12, 30, 17)]
    rows = []
    for i in range(count):
        start = starts[i % len(starts)] + dt.timedelta(hours=7 * (i // len(starts) % 4))
        later = start + dt.timedelta(days=i % 10, hours=-(i % 3))
        rows.append({"b1": i % 4 != 0, "t2": start, "d2": start.date(), "t1": later if i % 11 else None,
                     "d1": later.date() if i % 13 else None})
    return rows


def test_a_csv_gives_the_same_report_on_every_engine_and_with_two_processes(tmp_path):
    rules = [rule_spec(0, {"t1": {"within": {"working_days": 5, "after": "t2"}}}),
             rule_spec(1, {"d1": {"within": {"working_days": 2, "before": "assessment_date"}}}),
             rule_spec(2, {"t1": {"within": {"working_days": 1, "after": "d2"}}}, when={"b1": True}),
             rule_spec(3, {"d2": {"within": {"working_days": 3, "before": "t1"}}})]
    pack, rows = write_pack(tmp_path / "pack", rules), _calendar_rows(400)
    csv = tmp_path / "thing.csv"
    columns = ["ref", "b1", "d1", "d2", "t1", "t2"]
    cells = [[f"r{i}", *("" if row[c] is None else str(row[c]).lower() if c == "b1" else row[c].isoformat()
                         for c in columns[1:])] for i, row in enumerate(rows)]
    csv.write_text("\n".join(",".join(line) for line in [columns, *cells]) + "\n")

    assert_csv_reported_as_the_reference(pack, csv, rows, D(2021, 4, 6))


def test_sql_gives_every_day_s_working_day_number():
    """Every day from 1979 to 2100 (each block of the holiday tables, both ends) and the calendar's ends."""
    import duckdb

    first, last = D(1979, 1, 1).toordinal(), D(2101, 1, 1).toordinal()
    days = f"range({first}, {last}) || [0, 1, 2, 7, 8, {D(9999, 12, 31).toordinal()}]"
    rows = duckdb.connect().execute(
        f"SELECT o, {sql_working_days.working_day_number('o')} FROM (SELECT unnest({days}) AS o)").fetchall()
    assert len(rows) == last - first + 6
    assert [w for _, w in rows] == [working_day_number(o) for o, _ in rows]
