"""``within: {months: N}`` and ``{years: N}`` at their boundaries, on every engine: month ends, 29 February,
the same day in either order, the assessment date, the calendar's ends, and load errors."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from peelcheck.cli.main import cli
from peelcheck.compile import sql
from peelcheck.evaluate import durable_engine
from peelcheck.report.schemas import schema_path
from peelcheck.schema.calendar_months import BEFORE_THE_START, PAST_THE_END, shifted_day
from peelcheck.schema.wording import describe

from .engine_runs import assert_csv_reported_as_the_reference
from .pack_factory import rule_spec, write_pack
from .test_working_day_windows import ENGINES, LATE, OK, UNKNOWN, every_engine, rule

D, T = dt.date, dt.datetime
ONE_DAY = dt.timedelta(days=1)


def test_every_engine_is_tried():
    assert set(ENGINES) >= {"reference", "python", "columnar"}
    assert "durable" in ENGINES or not durable_engine.available()


# (reference, unit, amount, the last day "after" reaches): the worked examples of docs/rule-language.md
AHEAD = [
    (D(2021, 8, 31), "months", 6, D(2022, 2, 28)),   # into a short February
    (D(2023, 8, 31), "months", 6, D(2024, 2, 29)),   # into a leap February
    (D(2021, 1, 31), "months", 1, D(2021, 2, 28)),
    (D(2021, 3, 31), "months", 1, D(2021, 4, 30)),   # a 31st into a 30-day month
    (D(2028, 2, 29), "years", 1, D(2029, 2, 28)),    # 29 February to a year without one
    (D(2028, 2, 29), "years", 4, D(2032, 2, 29)),    # to the next leap year's
    (D(2019, 3, 1), "years", 1, D(2020, 3, 1)),      # 366 days, over 29 February
    (D(2021, 12, 15), "months", 1, D(2022, 1, 15)),  # over a year's end
    (D(2021, 8, 2), "months", 0, D(2021, 8, 2)),     # the same day only
    (D(2021, 2, 28), "months", 12, D(2022, 2, 28)),  # 12 months are a year
]
# (reference, unit, amount, the first day "before" reaches)
BACK = [
    (D(2028, 2, 29), "years", 1, D(2027, 2, 28)),
    (D(2020, 3, 1), "years", 1, D(2019, 3, 1)),      # 366 days back, over 29 February
    (D(2021, 3, 1), "years", 1, D(2020, 3, 1)),
    (D(2018, 3, 1), "months", 6, D(2017, 9, 1)),     # ARM-053's review: 181 days
    (D(2021, 8, 31), "months", 6, D(2021, 2, 28)),   # from a month's end into February
    (D(2024, 8, 31), "months", 6, D(2024, 2, 29)),
    (D(2021, 3, 31), "months", 1, D(2021, 2, 28)),
    (D(2021, 4, 30), "months", 2, D(2021, 2, 28)),   # the reference moved, not the value: 30 April less 2 months
    (D(2021, 1, 15), "months", 1, D(2020, 12, 15)),  # over a year's end
    (D(2021, 8, 2), "years", 0, D(2021, 8, 2)),
]


def _noon(day: dt.date) -> dt.datetime:
    return T(day.year, day.month, day.day, 12)


def _late(day: dt.date) -> dt.datetime:
    return T(day.year, day.month, day.day, 23, 59, 59, 999_999)


@pytest.mark.parametrize(("ref", "unit", "amount", "last"), AHEAD)
def test_after_one_day_in_and_one_day_out(ref, unit, amount, last):
    shapes = [  # (field, ref field, the value's form, the reference's form): dates, datetimes, mixed
        ("d1", "d2", lambda d: d, lambda d: d), ("t1", "t2", _noon, _noon), ("t1", "d2", _late, lambda d: d),
        ("d1", "t2", lambda d: d, _late), ("t1", "t2", lambda d: T.combine(d, dt.time(1)), _late)]
    for field, other, value, reference in shapes:
        if last == ref and field[0] == other[0] == "t" and value(last) < reference(ref):  # the one day, earlier
            continue
        expect = {field: {"within": {unit: amount, "after": other}}}
        records = [{field: value(last), other: reference(ref)}, {field: value(last + ONE_DAY), other: reference(ref)},
                   {field: value(ref - ONE_DAY), other: reference(ref)}]  # the wrong side
        assert every_engine(expect, records) == [OK, LATE, LATE], (expect, records)


@pytest.mark.parametrize(("ref", "unit", "amount", "first"), BACK)
def test_before_one_day_in_and_one_day_out(ref, unit, amount, first):
    shapes = [("d1", "d2", lambda d: d, lambda d: d), ("t1", "t2", _noon, _noon), ("t1", "d2", _noon, lambda d: d),
              ("d1", "t2", lambda d: d, _noon), ("t1", "t2", lambda d: T.combine(d, dt.time()), _late)]
    for field, other, value, reference in shapes:
        expect = {field: {"within": {unit: amount, "before": other}}}
        records = [{field: value(first), other: reference(ref)}, {field: value(first - ONE_DAY), other: reference(ref)},
                   {field: value(ref + ONE_DAY), other: reference(ref)}]  # the wrong side
        assert every_engine(expect, records) == [OK, LATE, LATE], (expect, records)


@pytest.mark.parametrize(("ref", "unit", "amount", "last"), AHEAD)
def test_the_assessment_date_as_the_reference_after(ref, unit, amount, last):
    expect = {"d1": {"within": {unit: amount, "after": "assessment_date"}}}
    found = every_engine(expect, [{"d1": last}, {"d1": last + ONE_DAY}, {"d1": ref}, {"d1": ref - ONE_DAY}], ref)
    assert found == [OK, LATE, OK, LATE]


@pytest.mark.parametrize(("ref", "unit", "amount", "first"), BACK)
def test_the_assessment_date_as_the_reference_before(ref, unit, amount, first):
    expect = {"t1": {"within": {unit: amount, "before": "assessment_date"}}}
    midnight = T.combine(first, dt.time())
    records = [{"t1": _late(first)}, {"t1": midnight - dt.timedelta(microseconds=1)}, {"t1": _late(ref)},
               {"t1": T.combine(ref + ONE_DAY, dt.time())}]
    assert every_engine(expect, records, ref) == [OK, LATE, OK, LATE]


def test_two_datetimes_on_one_day_are_in_order_to_the_microsecond():
    morning, afternoon = T(2021, 8, 31, 11), T(2021, 8, 31, 16)
    for unit in ("months", "years"):
        after = {"t1": {"within": {unit: 0, "after": "t2"}}}
        before = {"t1": {"within": {unit: 1, "before": "t2"}}}
        records = [{"t1": afternoon, "t2": morning}, {"t1": morning, "t2": afternoon}, {"t1": morning, "t2": morning},
                   {"t1": morning, "t2": morning + dt.timedelta(microseconds=1)}]
        assert every_engine(after, records) == [OK, LATE, OK, LATE]
        assert every_engine(before, records) == [LATE, OK, OK, OK]
        # a date meets a datetime by its day: the same day is in order whatever the time
        mixed = {"t1": {"within": {unit: 0, "after": "d2"}}}
        assert every_engine(mixed, [{"t1": morning, "d2": D(2021, 8, 31)}, {"t1": morning, "d2": D(2021, 9, 1)}]) == [
            OK, LATE]


def test_the_calendar_s_ends_and_a_missing_value():
    last, first = D(9999, 12, 31), D(1, 1, 1)
    ahead = {"d1": {"within": {"years": 1, "after": "d2"}}}
    assert every_engine(ahead, [{"d1": last, "d2": D(9999, 6, 30)}, {"d1": last, "d2": last}, {"d1": D(9999, 1, 1)},
                                {"d2": last}]) == [OK, OK, UNKNOWN, UNKNOWN]
    back = {"t1": {"within": {"months": 3, "before": "d2"}}}
    assert every_engine(back, [{"t1": T(1, 1, 1), "d2": D(1, 2, 28)}, {"t1": T(1, 1, 1), "d2": D(1, 4, 2)}]) == [
        OK, LATE]
    assert every_engine({"d1": {"within": {"years": 9999, "before": "assessment_date"}}}, [{"d1": first}], last) == [OK]
    assert every_engine({"d1": {"within": {"months": 119_988, "after": "assessment_date"}}}, [{"d1": last}],
                        first) == [OK]


def test_shifted_day_keeps_the_day_of_the_month_or_takes_the_month_s_last():
    def moved(day: dt.date, months: int) -> dt.date:
        return D.fromordinal(shifted_day(day.toordinal(), months))
    assert moved(D(2021, 8, 31), 6) == D(2022, 2, 28)
    assert moved(D(2027, 8, 31), 6) == D(2028, 2, 29)
    assert moved(D(2028, 2, 29), 12) == D(2029, 2, 28)
    assert moved(D(2028, 2, 29), -12) == D(2027, 2, 28)
    assert moved(D(2021, 5, 31), -1) == D(2021, 4, 30)
    assert moved(D(2021, 1, 15), -1) == D(2020, 12, 15)
    assert shifted_day(D(9999, 12, 31).toordinal(), 1) == PAST_THE_END == D(9999, 12, 31).toordinal() + 1
    assert shifted_day(D(1, 1, 31).toordinal(), -1) == BEFORE_THE_START == 0


def test_sql_moves_every_day_by_months_as_python_does():
    """Every day from 1979 to 2100, by months on and back; and the calendar's ends, where SQL counts on past
    them and Python stands beyond them."""
    import duckdb

    first, last = D(1979, 1, 1).toordinal(), D(2101, 1, 1).toordinal()
    connection = duckdb.connect()
    for months in (0, 1, -1, 2, -3, 6, -6, 11, 12, -12, 13, 24, -48):
        query = f"SELECT o, {sql.shifted_day('o', months)} FROM range({first}, {last}) t(o)"
        rows = connection.execute(query).fetchall()
        assert len(rows) == last - first
        assert [moved for _, moved in rows] == [shifted_day(day, months) for day, _ in rows], months
    ends = [1, 2, 31, 59, 60, D(9999, 12, 1).toordinal(), D(9999, 12, 31).toordinal()]
    for months in (1, -1, 12, -12, 119_988, -119_988):
        for day in ends:
            [(moved,)] = connection.execute(f"SELECT {sql.shifted_day(str(day), months)}").fetchall()
            expected = shifted_day(day, months)
            if expected == PAST_THE_END:
                assert moved > D(9999, 12, 31).toordinal(), (day, months)
            elif expected == BEFORE_THE_START:
                assert moved < 1, (day, months)
            else:
                assert moved == expected, (day, months)


@pytest.mark.parametrize(("spec", "words"), [
    ({"t1": {"within": {"months": 6, "after": "t2"}}}, "t1 is within 6 months after t2"),
    ({"d1": {"within": {"years": 1, "before": "assessment_date"}}}, "d1 is within 1 year before the assessment date"),
    ({"d1": {"within": {"years": 2, "before": "d2"}}}, "d1 is within 2 years before d2"),
    ({"d1": {"within": {"months": 1, "after": "d2"}}}, "d1 is within 1 month after d2"),
])
def test_a_window_in_months_or_years_is_said_in_words(spec, words):
    assert describe(rule(spec).expect) == words


@pytest.mark.parametrize(("window", "code"), [
    ("months: -1", "bad-condition"), ("months: 1.5", "bad-condition"), ("months: '6'", "bad-condition"),
    ("years: true", "bad-condition"), ("years: .inf", "bad-condition"), ("years: 0.5", "bad-condition"),
    ("months: 6, years: 1", "bad-condition"), ("months: 6, days: 1", "bad-condition"),
    ("months: 119989", "window-too-long"), ("years: 10000", "window-too-long"),
    ("years: 1" + "0" * 30, "window-too-long"),
])
def test_a_count_of_months_that_is_not_a_whole_number_in_range_is_a_located_error(tmp_path, window, code):
    text = yaml.safe_dump(rule_spec(0, {"d1": {"within": {"months": 1, "after": "d2"}}}), sort_keys=False)
    written = "    within:\n      months: 1\n      after: d2\n"
    assert written in text
    pack = write_pack(tmp_path, [text.replace(written, "    within: {" + window + ", after: d2}\n")])
    result = CliRunner().invoke(cli, ["validate", str(pack), "--format", "json"])
    assert result.exit_code == 1, result.output
    [found] = json.loads(result.stdout)["diagnostics"]
    assert found["code"] == code and found["line"] and found["column"], found


def test_whole_months_and_years_in_range_load():
    for window in ("months: 0", "months: 6", "years: 1", "years: 9999", "months: 119988", "years: 2.0"):
        spec = yaml.safe_load("{" + window + ", before: assessment_date}")
        assert rule({"d1": {"within": spec}}).expect is not None, window


@pytest.mark.parametrize(("spec", "valid"), [
    ({"months": 6, "after": "t2"}, True), ({"years": 1, "before": "assessment_date"}, True),
    ({"months": 0, "before": "t2"}, True), ({"years": 9999, "before": "t2"}, True),
    ({"months": 1.5, "after": "t2"}, False), ({"months": -1, "after": "t2"}, False),
    ({"months": "6", "after": "t2"}, False), ({"years": 10000, "after": "t2"}, False),
    ({"months": 6, "years": 1, "after": "t2"}, False),
])
def test_the_rule_schema_takes_whole_months_and_years(spec, valid):
    validator = jsonschema.Draft202012Validator(json.loads(schema_path("rule").read_text()))
    document = {**rule_spec(0), "expect": {"t1": {"within": spec}}}
    assert validator.is_valid(document) is valid


def _month_end_rows(count: int) -> list[dict[str, Any]]:
    """Records round month ends and 29 February 2028, spans of 0 to about 14 months, some blank."""
    starts = [T(2027, 8, 31, 9), T(2028, 2, 29, 23, 30), T(2027, 2, 28, 12), T(2028, 1, 31, 8), T(2028, 3, 1, 17)]
    rows = []
    for i in range(count):
        start = starts[i % len(starts)]
        later = start + dt.timedelta(days=(i * 7) % 430 - 20 + i % 3, hours=-(i % 5))
        rows.append({"b1": i % 4 != 0, "t2": start, "d2": start.date(), "t1": later if i % 11 else None,
                     "d1": later.date() if i % 13 else None})
    return rows


def test_a_csv_gives_the_same_report_on_every_engine_and_with_two_processes(tmp_path):
    rules = [rule_spec(0, {"t1": {"within": {"months": 6, "after": "t2"}}}),
             rule_spec(1, {"d1": {"within": {"years": 1, "before": "assessment_date"}}}),
             rule_spec(2, {"t1": {"within": {"years": 1, "after": "d2"}}}, when={"b1": True}),
             rule_spec(3, {"d2": {"within": {"months": 1, "before": "t1"}}})]
    pack, rows = write_pack(tmp_path / "pack", rules), _month_end_rows(400)
    csv = tmp_path / "thing.csv"
    columns = ["ref", "b1", "d1", "d2", "t1", "t2"]
    cells = [[f"r{i}", *("" if row[c] is None else str(row[c]).lower() if c == "b1" else row[c].isoformat()
                         for c in columns[1:])] for i, row in enumerate(rows)]
    csv.write_text("\n".join(",".join(line) for line in [columns, *cells]) + "\n")

    assert_csv_reported_as_the_reference(pack, csv, rows, D(2029, 2, 28))
