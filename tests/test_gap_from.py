"""``longest_gap_days: {at_most: N, from: FIELD}`` at its boundaries, on each engine alone: a first gap from
FIELD's day of exactly N days and of N + 1, from a date and from a datetime (by calendar day), a date
before FIELD's day, no dates, FIELD or the list not recorded; its words, load errors and schema."""

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
from peelcheck.schema.values import longest_gap_days_from
from peelcheck.schema.wording import describe, in_words

from .engine_runs import assert_csv_reported_as_the_reference
from .pack_factory import rule_spec, write_pack
from .test_working_day_windows import ENGINES, LATE, OK, UNKNOWN, VALIDATOR, every_engine, rule

D, T = dt.date, dt.datetime
AS_OF = D(2022, 4, 1)
REPORTED = T(2021, 3, 1, 23, 30)  # late in the day: the gap counts calendar days, not 24 hours


def _gap(amount: float, start: str = "t1", op: str = "at_most") -> dict[str, Any]:
    return {"l1": {"longest_gap_days": {op: amount, "from": start}}}


# (limit, from field's value, dates, outcome)
CASES = [
    (7, REPORTED, [D(2021, 3, 8)], OK),                      # the first date exactly 7 days on
    (7, REPORTED, [D(2021, 3, 9)], LATE),                    # 8 days: one too many
    (7, D(2021, 3, 1), [D(2021, 3, 8)], OK),                 # from a date
    (7, D(2021, 3, 1), [D(2021, 3, 9)], LATE),
    (7, REPORTED, [D(2021, 3, 8), D(2021, 3, 15)], OK),      # then weekly
    (7, REPORTED, [D(2021, 3, 15), D(2021, 3, 8)], OK),      # in any order
    (7, REPORTED, [D(2021, 3, 8), D(2021, 3, 16)], LATE),    # a gap between dates still counts
    (7, T(2021, 1, 4, 10), [D(2021, 6, 1), D(2021, 6, 8), D(2021, 6, 15)], LATE),  # five months, then weekly
    (0, REPORTED, [D(2021, 3, 1)], OK),                      # the same day, earlier than the datetime
    (0, REPORTED, [D(2021, 3, 1), D(2021, 3, 1)], OK),
    (0, REPORTED, [], OK),                                   # no dates: 0
    (9, D(2021, 3, 10), [D(2021, 3, 1)], OK),                # a date before FIELD's day: 9 days to it
    (8, D(2021, 3, 10), [D(2021, 3, 1)], LATE),
    (5, D(2021, 3, 10), [D(2021, 3, 5), D(2021, 3, 12)], OK),  # 5 to FIELD's day, then 2 on
    (4, D(2021, 3, 10), [D(2021, 3, 5), D(2021, 3, 12)], LATE),
    (31, D(2024, 2, 29), [D(2024, 3, 31)], OK),              # across a month end and a leap day
    (30, D(2024, 2, 29), [D(2024, 3, 31)], LATE),
    (3_652_058, D(1, 1, 1), [D(9999, 12, 31)], OK),          # the calendar's ends
    (3_652_057, T(1, 1, 1), [D(9999, 12, 31)], LATE),
]


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_each_engine_measures_the_first_gap_from_the_field(engine):
    """Each engine alone (not only alike): one whose first gap is off by a day, or left out, fails."""
    for limit, start, dates, expected in CASES:
        field = "t1" if isinstance(start, dt.datetime) else "d1"
        record = VALIDATOR.validate_python({"ref": "r0", "l1": dates, field: start})
        assert ENGINES[engine](rule(_gap(limit, field)), [record], AS_OF) == [expected], (limit, start, dates)


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_each_engine_holds_no_dates_as_a_gap_of_0_and_a_missing_field_as_unknown(engine):
    records = [VALIDATOR.validate_python({"ref": f"r{i}", **r}) for i, r in enumerate([
        {"l1": [], "t1": REPORTED}, {"l1": [D(2021, 3, 2)]}, {"t1": REPORTED}, {}])]
    assert ENGINES[engine](rule(_gap(1, op="at_least")), records, AS_OF) == [LATE, UNKNOWN, UNKNOWN, UNKNOWN]
    assert ENGINES[engine](rule({"not": _gap(0, op="equals")}), records, AS_OF) == [LATE, UNKNOWN, UNKNOWN, UNKNOWN]


def test_all_engines_agree_on_every_case_at_once():
    for field in ("t1", "d1"):
        chosen = [(limit, start, dates, expected) for limit, start, dates, expected in CASES
                  if isinstance(start, dt.datetime) == (field == "t1")]
        for limit in sorted({limit for limit, *_ in chosen}):
            mine = [(start, dates, expected) for lim, start, dates, expected in chosen if lim == limit]
            found = every_engine(_gap(limit, field), [{"l1": dates, field: start} for start, dates, _ in mine], AS_OF)
            assert found == [expected for *_, expected in mine], (field, limit)


def test_the_gap_from_a_day_is_the_gap_of_the_days_together():
    assert longest_gap_days_from([], REPORTED) == 0
    assert longest_gap_days_from([D(2021, 3, 9)], REPORTED) == 8
    assert longest_gap_days_from([D(2021, 2, 20), D(2021, 3, 9)], D(2021, 3, 1)) == 9


def test_the_gap_from_a_field_is_said_in_words():
    compiled = rule(_gap(7))
    assert describe(compiled.expect) == "longest gap between l1 (days, from t1) is at most 7"
    said = in_words(compiled.expect, {"l1": "Dates the victim was updated.", "t1": "When the crime was reported."})
    assert said == "Dates the victim was updated: (days, from when the crime was reported) is at most 7"
    assert describe(rule({"l1": {"longest_gap_days": {"at_most": 7}}}).expect) == \
        "longest gap between l1 (days) is at most 7"


def _validate(tmp_path: Any, test: str, field: str = "l1") -> list[dict[str, Any]]:
    text = yaml.safe_dump(rule_spec(0, {field: "TEST"}), sort_keys=False)
    pack = write_pack(tmp_path, [text.replace("TEST", test)])
    result = CliRunner().invoke(cli, ["validate", str(pack), "--format", "json"])
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)["diagnostics"]


def _line_of(tmp_path: Any, needle: str) -> int:
    lines = (tmp_path / "generated" / "GEN-001.yaml").read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


@pytest.mark.parametrize(("test", "code", "named"), [
    ("{longest_gap_days: {at_most: 7, from: s1}}", "type-mismatch", "s1"),            # text
    ("{longest_gap_days: {at_most: 7, from: l1}}", "type-mismatch", "l1"),            # a list of dates
    ("{longest_gap_days: {at_most: 7, from: i1}}", "type-mismatch", "i1"),
    ("{longest_gap_days: {at_most: 7, from: reported_on}}", "unknown-field", "reported_on"),
    ("{longest_gap_days: {at_most: 7, from: assessment_date}}", "bad-condition", "assessment_date"),
    ("{longest_gap_days: {at_most: 7, from: 3}}", "bad-condition", "3"),
    ("{longest_gap_days: {at_most: 7, from: [t1]}}", "bad-condition", "t1"),
    ("{longest_gap_days: {from: t1}}", "bad-condition", "longest_gap_days"),           # no comparison
    ("{longest_gap_days: {at_most: 7, at_least: 1, from: t1}}", "bad-condition", "longest_gap_days"),
    ("{count: {at_least: 1, from: t1}}", "bad-condition", "count"),                    # a count has no from
])
def test_a_bad_from_is_an_error_at_its_file_and_line(tmp_path, test, code, named):
    [found] = _validate(tmp_path, test)
    assert found["code"] == code and found["column"] and named in found["message"], found
    assert found["path"].endswith("GEN-001.yaml") and found["line"] == _line_of(tmp_path, "expect:") + 1, found


def test_from_on_a_field_that_is_not_a_list_is_a_located_error(tmp_path):
    [found] = _validate(tmp_path, "{longest_gap_days: {at_most: 7, from: t1}}", field="d1")
    assert found["code"] == "type-mismatch" and "d1" in found["message"] and found["line"], found


@pytest.mark.parametrize(("spec", "valid"), [
    ({"at_most": 7, "from": "t1"}, True), ({"at_most": 7}, True), ({"from": "t1"}, False),
    ({"at_most": 7, "at_least": 1}, False), ({"at_most": 7, "at_least": 1, "from": "t1"}, False),
    ({"at_most": 7, "from": 3}, False), ({"at_most": 7, "since": "t1"}, False),
])
def test_the_rule_schema_takes_from_beside_one_comparison(spec, valid):
    validator = jsonschema.Draft202012Validator(json.loads(schema_path("rule").read_text()))
    document = {**rule_spec(0), "expect": {"l1": {"longest_gap_days": spec}}}
    assert validator.is_valid(document) is valid
    count = {**rule_spec(0), "expect": {"l1": {"count": {"at_least": 1, "from": "t1"}}}}
    assert not validator.is_valid(count)


def test_a_csv_gives_the_same_report_on_every_engine_and_with_two_processes(tmp_path):
    """Reports through March 2021, first updated 6 to 9 days later and weekly or a day late after that."""
    rules = [rule_spec(0, _gap(7)), rule_spec(1, _gap(8, "d1"), when={"b1": True}),
             rule_spec(2, {"any": [{"l1": {"count": {"at_most": 0}}}, _gap(7)]})]
    pack, rows = write_pack(tmp_path / "pack", rules), []
    for i in range(300):
        reported = T(2021, 3, 1, 6) + dt.timedelta(hours=7 * (i % 90))
        first = reported.date() + dt.timedelta(days=6 + i % 4)
        dates = [first + dt.timedelta(days=7 * k + (k == 2 and i % 5 == 0)) for k in range(i % 4)]
        rows.append({"b1": i % 4 != 1, "t1": reported if i % 13 else None, "d1": reported.date(), "l1": dates})
    csv = tmp_path / "thing.csv"
    csv.write_text("ref,b1,t1,d1,l1\n" + "".join(
        f"r{i},{str(r['b1']).lower()},{r['t1'].isoformat() if r['t1'] else ''},{r['d1'].isoformat()},"
        f"{';'.join(d.isoformat() for d in r['l1']) or 'none'}\n" for i, r in enumerate(rows)))

    assert_csv_reported_as_the_reference(pack, csv, rows, AS_OF)
