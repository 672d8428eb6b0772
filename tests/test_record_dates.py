"""Date and datetime values: a number is never read as Unix seconds, and a time whose conversion to the
force's wall clock runs off the calendar is a bad value, never a fault."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from pydantic import ValidationError

from peelcheck.compile.literals import LiteralTypeError, typed_literal
from peelcheck.errors import Location
from peelcheck.load.rows import RejectedRow, RowValidator
from peelcheck.schema.records import record_validator

from .strategies import RECORD_TYPE

VALIDATOR = record_validator(RECORD_TYPE)
NUMBERS = [3, 0, 86400, 44256, 1_700_000_000, 1.5, 44256.5, Decimal("44256"), "3", "0", "86400", "44256",
           " 44256 ", "-5", "+5", "1.5", "1700000000.5", "20210301", b"123"]


def _errors(record: dict) -> list[tuple[str, tuple]]:
    with pytest.raises(ValidationError) as caught:
        VALIDATOR.validate_python({"ref": "x", **record})
    return [(e["type"], e["loc"]) for e in caught.value.errors(include_url=False)]


@pytest.mark.parametrize("field", ["d1", "t1"])
@pytest.mark.parametrize("value", NUMBERS, ids=repr)
def test_a_number_in_a_date_or_datetime_field_is_a_bad_value(field, value):
    assert _errors({field: value}) == [("date_from_number", (field,))]


@pytest.mark.parametrize("value", [0, 86400, "0", "86400"], ids=repr)
def test_a_number_in_a_list_of_dates_is_a_bad_value(value):
    assert _errors({"l1": [dt.date(2021, 3, 1), value]}) == [("date_from_number", ("l1", 1))]


def test_dates_and_times_in_accepted_forms_are_still_read():
    record = VALIDATOR.validate_python({
        "ref": "x", "d1": "2021-03-01", "d2": dt.date(2021, 3, 2), "t1": "2021-03-01T10:00:00",
        "t2": "2021-06-01T10:00:00Z", "l1": ["2021-03-01", dt.date(2021, 3, 2)]})
    assert (record["d1"], record["d2"], record["t1"], record["t2"], record["l1"]) == (
        dt.date(2021, 3, 1), dt.date(2021, 3, 2), dt.datetime(2021, 3, 1, 10), dt.datetime(2021, 6, 1, 11),
        [dt.date(2021, 3, 1), dt.date(2021, 3, 2)])


def test_durations_still_take_seconds():
    assert VALIDATOR.validate_python({"ref": "x", "u1": 90})["u1"] == dt.timedelta(seconds=90)


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00Z", "0001-01-01T00:30:00+01:00", "9999-12-31T23:30:00-05:00",
                                   dt.datetime(1, 1, 1, tzinfo=dt.UTC)], ids=repr)
def test_a_time_off_the_calendar_in_the_forces_zone_is_a_bad_value(value):
    assert _errors({"t1": value}) == [("datetime_out_of_range", ("t1",))]


def test_the_calendars_ends_that_fit_are_read():
    record = VALIDATOR.validate_python({"ref": "x", "t1": "0001-01-01T00:00:00", "t2": "9999-12-31T23:30:00Z"})
    assert (record["t1"], record["t2"]) == (dt.datetime(1, 1, 1), dt.datetime(9999, 12, 31, 23, 30))


def test_rejected_rows_name_the_field_and_value():
    where = Location("x.csv", 2)
    result = RowValidator(RECORD_TYPE, VALIDATOR)({"ref": "x", "t1": "3", "t2": "0001-01-01T00:00:00Z"}, where)
    assert isinstance(result, list) and all(isinstance(r, RejectedRow) for r in result)
    assert [(r.location, r.field, r.value) for r in result] == [(where, "t1", "3"),
                                                                (where, "t2", "0001-01-01T00:00:00Z")]


def test_a_rule_literal_off_the_calendar_in_utc_is_a_type_error():
    with pytest.raises(LiteralTypeError):
        typed_literal("0001-01-01T00:00:00+01:00", RECORD_TYPE.fields["t1"], "t1")
