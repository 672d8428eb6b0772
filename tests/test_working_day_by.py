"""``within: {working_days: N, after: REF, by: "HH:MM"}`` at its boundaries, on each engine alone: a minute
in and a minute out (and a microsecond), a value on a day off counting as its last working day, the
reference's own day, weekends and bank holidays, the calendar's ends; its words, load errors and schema."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from peelcheck.cli.main import cli
from peelcheck.report.schemas import schema_path
from peelcheck.schema.wording import describe, in_words
from peelcheck.schema.working_days import MICROS_PER_DAY, working_clock, working_day_number, working_start

from .engine_runs import assert_csv_reported_as_the_reference
from .pack_factory import rule_spec, write_pack
from .test_working_day_windows import ENGINES, LATE, OK, UNKNOWN, VALIDATOR, every_engine, rule

T = dt.datetime
MICRO = dt.timedelta(microseconds=1)
AS_OF = dt.date(2022, 4, 1)


def _window(days: int, by: str, field: str = "t1", ref: str = "t2") -> dict[str, Any]:
    return {field: {"within": {"working_days": days, "after": ref, "by": by}}}


# (days, by, reference, value, outcome): the docs' table first, then each edge
CASES = [
    (1, "09:00", T(2021, 10, 8, 22), T(2021, 10, 11, 8, 30), OK),    # Friday night, Monday before school
    (1, "09:00", T(2021, 10, 8, 22), T(2021, 10, 11, 9, 1), LATE),   # a minute out
    (1, "09:00", T(2021, 10, 8, 22), T(2021, 10, 11, 8, 59), OK),    # a minute in
    (1, "09:00", T(2021, 10, 8, 22), T(2021, 10, 11, 9), OK),        # both ends count
    (1, "09:00", T(2021, 10, 8, 22), T(2021, 10, 11, 9) + MICRO, LATE),
    (1, "09:00", T(2021, 10, 8, 22), T(2021, 10, 10, 20), OK),       # Sunday: before Monday starts
    (1, "09:00", T(2021, 10, 8, 22), T(2021, 10, 9, 23, 59), OK),    # Saturday, likewise
    (1, "09:00", T(2021, 10, 8, 22), T(2021, 10, 8, 23, 30), OK),    # the reference's own day: any time
    (1, "09:00", T(2021, 10, 8, 22), T(2021, 10, 8, 22), OK),        # the reference itself
    (1, "09:00", T(2021, 10, 8, 22), T(2021, 10, 8, 22) - MICRO, LATE),  # before it
    (1, "09:00", T(2021, 10, 8, 22), T(2021, 10, 12, 0), LATE),      # the Tuesday
    (1, "09:00", T(2021, 10, 12, 7), T(2021, 10, 13, 9), OK),        # Tuesday morning, Wednesday 09:00
    (1, "09:00", T(2021, 10, 12, 7), T(2021, 10, 12, 15), OK),       # the same day, after 09:00: an earlier day
    (1, "09:00", T(2021, 10, 12, 7), T(2021, 10, 13, 9, 1), LATE),
    (1, "09:00", T(2021, 4, 30, 19), T(2021, 5, 4, 8), OK),          # over the May bank holiday
    (1, "09:00", T(2021, 4, 30, 19), T(2021, 5, 3, 14), OK),         # on it: counts as Tuesday, before 09:00
    (1, "09:00", T(2021, 4, 30, 19), T(2021, 5, 4, 9, 1), LATE),
    (1, "09:00", T(2021, 4, 1, 18), T(2021, 4, 6, 9), OK),           # Thursday before Easter to the Tuesday
    (1, "09:00", T(2021, 4, 1, 18), T(2021, 4, 6, 9, 1), LATE),
    (1, "09:00", T(2021, 4, 3, 10), T(2021, 4, 6, 9), OK),           # from Easter Saturday: Thursday's number
    (1, "09:00", T(2021, 4, 3, 10), T(2021, 4, 6, 9, 1), LATE),
    (0, "09:00", T(2021, 10, 11, 7), T(2021, 10, 11, 8, 59), OK),    # none: the same working day, by 09:00
    (0, "09:00", T(2021, 10, 11, 7), T(2021, 10, 11, 9, 1), LATE),
    (0, "09:00", T(2021, 10, 11, 10), T(2021, 10, 11, 10), LATE),    # already past 09:00: nothing is in time
    (0, "09:00", T(2021, 10, 9, 10), T(2021, 10, 9, 11), LATE),      # a Saturday counts as the Monday
    (2, "16:30", T(2021, 10, 8, 22), T(2021, 10, 12, 16, 30), OK),
    (2, "16:30", T(2021, 10, 8, 22), T(2021, 10, 12, 16, 31), LATE),
    (2, "16:30", T(2021, 10, 8, 22), T(2021, 10, 11, 23, 59), OK),
    (5, "23:59", T(2021, 12, 24, 12), T(2022, 1, 5, 23, 59), OK),    # Christmas and New Year's substitutes
    (5, "23:59", T(2021, 12, 24, 12), T(2022, 1, 5, 23, 59) + MICRO, LATE),
    (5, "23:59", T(2021, 12, 24, 12), T(2022, 1, 6), LATE),
    (1, "00:00", T(2021, 10, 8, 22), T(2021, 10, 11, 0), OK),        # by midnight: only its first instant
    (1, "00:00", T(2021, 10, 8, 22), T(2021, 10, 11) + MICRO, LATE),
    (1, "00:00", T(2021, 10, 8, 22), T(2021, 10, 10, 23, 59), OK),   # a day off is before it
    (1, "09:00", T(1979, 12, 24, 12), T(1979, 12, 25, 9), OK),       # before the calendar: weekends only
    (1, "09:00", T(1979, 12, 24, 12), T(1979, 12, 25, 9, 1), LATE),
    (1, "09:00", T(9999, 12, 30, 12), T(9999, 12, 31, 9), OK),       # the last day there is, a Friday
    (1, "09:00", T(9999, 12, 30, 12), T(9999, 12, 31, 9, 1), LATE),
    (1, "09:00", T(1, 1, 1), T(1, 1, 2, 9, 1), LATE),                # the first, a Monday
]


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_each_engine_ends_the_window_at_the_time_of_its_last_working_day(engine):
    """Each engine alone (not only alike): an engine whose bound is a minute, a microsecond or a day off fails."""
    for days, by, reference, value, expected in CASES:
        compiled = rule(_window(days, by))
        record = VALIDATOR.validate_python({"ref": "r0", "t1": value, "t2": reference})
        assert ENGINES[engine](compiled, [record], AS_OF) == [expected], (days, by, reference, value)


def test_all_engines_agree_on_every_case_at_once_and_on_a_missing_value():
    for days, by in {(days, by) for days, by, *_ in CASES}:
        chosen = [(reference, value, expected) for d, b, reference, value, expected in CASES if (d, b) == (days, by)]
        records = [{"t1": value, "t2": reference} for reference, value, _ in chosen]
        assert every_engine(_window(days, by), records) == [expected for *_, expected in chosen]
    friday = T(2021, 10, 8, 22)
    assert every_engine(_window(1, "09:00"), [{"t2": friday}, {"t1": friday}, {}]) == [UNKNOWN] * 3


def test_the_working_day_clock_counts_a_day_off_as_the_next_working_day_s_start():
    sunday, monday = T(2021, 10, 10, 20), T(2021, 10, 11, 8, 30)
    assert working_clock(sunday) == working_day_number(monday.toordinal()) * MICROS_PER_DAY
    assert working_clock(monday) == working_clock(sunday) + 8.5 * 3600 * 1_000_000
    assert working_start(sunday.date()) == working_start(T(2021, 10, 8).date()) == working_clock(T(2021, 10, 8))


def test_a_window_ending_by_a_time_is_said_in_words():
    compiled = rule(_window(1, "09:00"))
    assert describe(compiled.expect) == "t1 is within 1 working day after t2, by 09:00"
    assert in_words(compiled.expect, {}).endswith("within 1 working day after t2, by 09:00")


def _validate(tmp_path: Any, window: str) -> list[dict[str, Any]]:
    text = yaml.safe_dump(rule_spec(0, {"t1": {"within": "WINDOW"}}), sort_keys=False)
    pack = write_pack(tmp_path, [text.replace("WINDOW", window)])
    result = CliRunner().invoke(cli, ["validate", str(pack), "--format", "json"])
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)["diagnostics"]


@pytest.mark.parametrize("window", [
    '{working_days: 1, after: t2, by: "9am"}', '{working_days: 1, after: t2, by: "24:00"}',
    '{working_days: 1, after: t2, by: "09:60"}', "{working_days: 1, after: t2, by: 900}",
    "{working_days: 1, after: t2, by: 10:30}",  # unquoted: YAML 1.1 reads the number 630
    '{working_days: 1, after: t2, by: "9:00"}', '{working_days: 1, after: t2, by: "09:00:00"}',
    '{days: 1, after: t2, by: "09:00"}', '{hours: 24, after: t2, by: "09:00"}',
    '{months: 1, after: t2, by: "09:00"}', '{working_days: 1, before: t2, by: "09:00"}',
])
def test_a_bad_by_is_a_located_error(tmp_path, window):
    [found] = _validate(tmp_path, window)
    assert found["code"] == "bad-condition" and found["line"] and found["column"], found
    assert found["path"].endswith("GEN-001.yaml"), found


@pytest.mark.parametrize(("window", "named"), [
    ('{working_days: 1, after: d2, by: "09:00"}', "d2"),                 # a date has no time of day
    ('{working_days: 1, after: assessment_date, by: "09:00"}', "assessment_date"),
])
def test_by_from_a_date_is_a_located_error_naming_it(tmp_path, window, named):
    [found] = _validate(tmp_path, window)
    assert found["code"] == "type-mismatch" and found["line"] and found["column"], found
    assert named in found["message"], found


def test_by_on_a_date_field_is_a_located_error_naming_it(tmp_path):
    text = yaml.safe_dump(rule_spec(0, {"d1": {"within": "WINDOW"}}), sort_keys=False)
    pack = write_pack(tmp_path, [text.replace("WINDOW", '{working_days: 1, after: t2, by: "09:00"}')])
    result = CliRunner().invoke(cli, ["validate", str(pack), "--format", "json"])
    [found] = json.loads(result.stdout)["diagnostics"]
    assert found["code"] == "type-mismatch" and found["line"] and found["column"] and "d1" in found["message"]


@pytest.mark.parametrize(("spec", "valid"), [
    ({"working_days": 1, "after": "t2", "by": "09:00"}, True),
    ({"working_days": 0, "after": "t2", "by": "23:59"}, True),
    ({"working_days": 1, "after": "t2", "by": "24:00"}, False),
    ({"working_days": 1, "after": "t2", "by": "9am"}, False),
    ({"working_days": 1, "after": "t2", "by": 900}, False), ({"days": 1, "after": "t2", "by": "09:00"}, False),
    ({"working_days": 1, "before": "t2", "by": "09:00"}, False),
    ({"working_days": 1, "after": "t2", "before": "t1"}, False),  # three keys only with by
])
def test_the_rule_schema_takes_by_with_working_days_after(spec, valid):
    validator = jsonschema.Draft202012Validator(json.loads(schema_path("rule").read_text()))
    document = {**rule_spec(0), "expect": {"t1": {"within": spec}}}
    assert validator.is_valid(document) is valid


def test_a_csv_gives_the_same_report_on_every_engine_and_with_two_processes(tmp_path):
    """Attendances through a week with a bank holiday, each told at a minute either side of 09:00 or later."""
    rules = [rule_spec(0, _window(1, "09:00")), rule_spec(1, _window(0, "16:30"), when={"b1": True}),
             rule_spec(2, _window(2, "00:00"))]
    pack, rows = write_pack(tmp_path / "pack", rules), []
    for i in range(300):
        attended = T(2021, 4, 28, 6) + dt.timedelta(hours=5 * (i % 40))  # Wednesday 28 April to 6 May
        told = T.combine(attended.date() + dt.timedelta(days=i % 6), dt.time(9)) + dt.timedelta(minutes=i % 3 - 1)
        rows.append({"b1": i % 4 != 0, "t2": attended, "t1": told if i % 17 else None})
    csv = tmp_path / "thing.csv"
    csv.write_text("ref,b1,t1,t2\n" + "".join(
        f"r{i},{str(r['b1']).lower()},{r['t1'].isoformat() if r['t1'] else ''},{r['t2'].isoformat()}\n"
        for i, r in enumerate(rows)))

    assert_csv_reported_as_the_reference(pack, csv, rows, dt.date(2021, 6, 1))
