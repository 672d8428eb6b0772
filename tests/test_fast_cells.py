"""The CSV fast path accepts only what pydantic accepts, and gives exactly pydantic's value."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peelcheck.load.fast_cells import MISS, converter, row_converter
from peelcheck.load.fast_columns import column_converter
from peelcheck.schema.records import record_validator

from .strategies import RECORD_TYPE

VALIDATOR = record_validator(RECORD_TYPE)
near_canonical = st.one_of(
    st.sampled_from(["true", "false", "True", "False", "TRUE", "yes", "1", "0", "", " true", "-0", "007", "-5",
                     "12", "1.5", "-2.25", "1e5", ".5", "5.", "2021-03-03", "2021-3-3", "20210303", "2021-02-30",
                     "2021-03-03T14:00:00", "2021-03-03 14:00:00", "2021-03-03T14:00:00Z", "2021-03-03T24:00:00",
                     "2021-03-03T14:00:00.5", "2021-03-03;2021-03-04", "2021-03-03;", ";", "a", "b", "x ", "é",
                     "٣", "½", "1_000",
                     # 19 characters that fromisoformat reads as a shorter time with an offset or a fraction
                     "2021-03-03T14:00+01", "2021-03-03T14:00-00", "2021-03-03T14:59.50", "2021-03-03T14:00,02",
                     "2021-03-03T14:-0900"]),
    st.text(max_size=22),
    st.dates().map(dt.date.isoformat),
    st.datetimes().map(lambda d: d.isoformat()),
    st.integers().map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
)


@pytest.mark.parametrize("field", [f for f in RECORD_TYPE.fields if f != "ref"])
@settings(max_examples=300, deadline=None)
@given(text=near_canonical)
def test_fast_converter_agrees_with_pydantic(field, text):
    value = converter(RECORD_TYPE.fields[field])(text)
    if value is MISS:
        return  # pydantic decides
    cell = text.split(";") if RECORD_TYPE.fields[field].type.value == "date_list" else text
    assert VALIDATOR.validate_python({"ref": "x", field: cell})[field] == value


def test_row_converter_defers_missing_required_and_odd_cells_to_pydantic():
    names = ["ref", "b1", "t1", "l1"]
    convert = row_converter(names, RECORD_TYPE)
    assert convert(["A", "true", "2021-03-03T14:00:00", "2021-03-03;2021-03-05"]) == {
        "ref": "A", "b1": True, "t1": dt.datetime(2021, 3, 3, 14), "l1": [dt.date(2021, 3, 3), dt.date(2021, 3, 5)]}
    assert convert(["A", "", "", ""]) == {"ref": "A"}  # a blank list cell is not recorded, not an empty list
    assert convert(["", "true", "", ""]) is None  # required key missing: pydantic reports it
    assert convert(["A", "yes", "", ""]) is None  # pydantic's spelling, not ours
    assert convert(["A", "true", "2021-03-03 14:00:00", ""]) is None
    for other in ("2021-03-03T14:00+01", "2021-03-03T14:59.50"):  # 19 long, read by fromisoformat, not canonical
        assert convert(["A", "true", other, ""]) is None, other




_seconds = st.datetimes(min_value=dt.datetime(1000, 1, 1)).map(lambda d: d.replace(microsecond=0).isoformat())
_dates = st.dates(min_value=dt.date(1000, 1, 1)).map(dt.date.isoformat)
CANONICAL = {  # cells as a clean export writes them, by field type, so whole columns pass the fast path
    "bool": st.sampled_from(["true", "false", "True", "False"]), "int": st.integers(-10**15 + 1, 10**15 - 1).map(str),
    "float": st.decimals(-10**6, 10**6, places=3).map(str), "string": st.sampled_from(["a", "b c", "é"]),
    "enum": st.sampled_from(["a", "b", "c"]), "date": _dates, "datetime": _seconds,
    "date_list": st.lists(_dates, min_size=1, max_size=3).map(";".join), "duration": st.just("PT1H"),
}


@pytest.mark.parametrize("field", [f for f in RECORD_TYPE.fields if f != "ref"])
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_column_converter_agrees_with_pydantic_cell_by_cell(field, data):
    spec = RECORD_TYPE.fields[field]
    cell = st.one_of(CANONICAL[spec.type.value], st.just("")) | near_canonical
    cells = data.draw(st.lists(cell, min_size=1, max_size=6))
    values = column_converter(spec)(cells)
    if values is None:
        return  # the chunk goes row by row: pydantic decides
    is_list = spec.type.value == "date_list"
    for text, value in zip(cells, values, strict=True):
        if text == "":
            assert value is None  # not recorded, a list cell too
            continue
        cell = text.split(";") if is_list else text
        assert VALIDATOR.validate_python({"ref": "x", field: cell})[field] == value


def test_column_converter_defers_a_column_with_one_odd_cell():
    convert = column_converter(RECORD_TYPE.fields["t1"])
    assert convert(["2021-03-03T14:00:00", ""]) == [dt.datetime(2021, 3, 3, 14), None]
    assert convert(["2021-03-03T14:00:00", "2021-03-03 14:00:00"]) is None  # pydantic's spelling
    assert convert(["2021-03-03T14:00:002021-03-03T14:00:00"]) is None  # two cells' shapes glued together
    assert convert(["2021-03-03T14:00:00\n2021-03-03T14:00:00"]) is None  # a line break inside a cell
    for other in ("2021-03-03T14:00+01", "20210303T140000.123", "2021-W09-3T14:00:00", "2021-03-03T14:00:0Z",
                  "2021-03-03t14:00:00", "2021-03-03T14:00:\uff10\uff10"):  # read by fromisoformat, 19 long
        assert convert(["2021-03-03T14:00:00", other]) is None, other
    assert column_converter(RECORD_TYPE.fields["ref"])(["A", ""]) is None  # required and blank
    assert column_converter(RECORD_TYPE.fields["l1"])(["2021-03-03;", ""]) is None
    dates = column_converter(RECORD_TYPE.fields["l1"])
    assert dates(["2021-03-03;2021-03-04", "", "2021-03-05"]) == [[dt.date(2021, 3, 3), dt.date(2021, 3, 4)], None,
                                                                  [dt.date(2021, 3, 5)]]
    for other in (["2021-W09-3"], ["20210303"], ["2021-03-03", ";2021-03-04"], ["2021-03-03;;2021-03-04"],
                  ["2021-03-03 "], ["2021-02-30"]):  # fromisoformat reads some; none is canonical
        assert dates(other) is None, other
