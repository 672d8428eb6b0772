"""A rule's failures are kept field by field (FailureColumns) and read as a list of FailureResult (Failures)."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from peelcheck.evaluate.failure_columns import FailureColumns, Same, Zipped
from peelcheck.evaluate.failure_result import FailureResult
from peelcheck.evaluate.failure_spill import Spill
from peelcheck.evaluate.failures import Failures
from peelcheck.schema.outcomes import Outcome

NC, NR = Outcome.NON_COMPLIANT, Outcome.NOT_RECORDED


def _result(i: int, outcome: Outcome = NC, path: str = "cases.csv") -> FailureResult:
    values = {"arrived_at": dt.datetime(2024, 3, 3, 14, 0, i % 60), "attended": None if i % 2 else True}
    return FailureResult(f"R{i}", f"{path}:{i + 2}", outcome, "expect", f"reason {i % 3}", f"said {i % 3}", values)


def _columns(numbers: list[int], outcome: Outcome = NC) -> FailureColumns:
    """Failures as the python engine keeps them: records that are lines of one file."""
    made = [_result(i, outcome) for i in numbers]
    return FailureColumns.found([f.key for f in made], ("cases.csv", [i + 2 for i in numbers]), outcome, "expect",
                                [f.reason for f in made], [f.explanation for f in made],
                                [tuple(f.values) for f in made], [tuple(f.values.values()) for f in made])


def _alike(numbers: list[int], outcome: Outcome = NC) -> FailureColumns:
    """Failures as the python engine keeps records that failed alike: one text, values as columns."""
    made = [FailureResult(f"R{i}", f"cases.csv:{i + 2}", outcome, "when", "same", "said", {"day": i, "seen": None})
            for i in numbers]
    return FailureColumns.found([f.key for f in made], ("cases.csv", [i + 2 for i in numbers]), outcome, "when",
                                "same", "said", ("day", "seen"), Zipped([list(numbers), [None] * len(numbers)],
                                                                        len(numbers)))


def _alike_results(numbers: list[int]) -> list[FailureResult]:
    return [FailureResult(f"R{i}", f"cases.csv:{i + 2}", NC, "when", "same", "said", {"day": i, "seen": None})
            for i in numbers]


@settings(max_examples=100, deadline=None)
@given(size=st.integers(0, 6), index=st.integers(-8, 8), start=st.integers(-8, 8) | st.none(),
       stop=st.integers(-8, 8) | st.none(), step=st.sampled_from([None, 1, 2, -1]))
def test_same_and_zipped_read_as_lists(size, index, start, stop, step):
    columns = [list(range(size)), [str(i) for i in range(size)]]
    rows, same = Zipped(columns, size), Same("text", size)
    for held, expected in ((rows, list(zip(*columns))), (same, ["text"] * size), (Zipped([], size), [()] * size)):
        assert len(held) == len(expected) and list(held) == expected
        assert held[start:stop:step] == expected[start:stop:step]
        if -size <= index < size:
            assert held[index] == expected[index]
        else:
            with pytest.raises(IndexError):
                held[index]


@settings(max_examples=200, deadline=None)
@given(sizes=st.lists(st.integers(0, 5), max_size=5), index=st.integers(-30, 30),
       start=st.integers(-8, 8) | st.none(), stop=st.integers(-8, 30) | st.none(),
       step=st.sampled_from([None, 1, 2, -1]))
def test_failures_read_as_the_list_they_hold(sizes, index, start, stop, step):
    failures, expected, at = Failures(), [], 0
    for k, size in enumerate(sizes):
        numbers = list(range(at, at + size))
        at += size
        failures.add(_columns(numbers) if k % 2 else _alike(numbers))
        expected += [_result(i) for i in numbers] if k % 2 else _alike_results(numbers)
    assert len(failures) == len(expected) and bool(failures) == bool(expected)
    assert list(failures) == expected and failures == expected
    assert failures.keys() == [f.key for f in expected]
    assert failures[start:stop:step] == expected[start:stop:step]
    if -len(expected) <= index < len(expected):
        assert failures[index] == expected[index]
    else:
        with pytest.raises(IndexError):
            failures[index]


def test_failures_of_two_outcomes_are_put_back_in_record_order():
    made = FailureColumns.in_order([([1, 4], _columns([1, 4], NR)), ([0, 2, 3], _columns([0, 2, 3]))])
    assert list(made) == [_result(0), _result(1, NR), _result(2), _result(3), _result(4, NR)]
    made = FailureColumns.in_order([([3], _columns([3], NR)), ([0, 5], _alike([0, 5]))])
    assert list(made) == [_alike_results([0])[0], _result(3, NR), _alike_results([5])[0]]


def test_failures_change_keys_order_and_extend_as_a_list_would():
    failures = Failures([_result(3), _result(1, path="other.csv")])
    failures.add(_columns([2, 0]))
    failures.rename_keys(str.lower)
    assert failures.keys() == ["r3", "r1", "r2", "r0"]
    shards = [Failures([_result(1, path="other.csv"), _result(3)]), Failures()]  # each in file order
    shards[1].add(_columns([0, 2]))
    failures = Failures.merged(shards, lambda location: int(location.rsplit(":", 1)[1]), Spill())
    assert [f.key for f in failures] == ["R0", "R1", "R2", "R3"]  # other.csv:3 placed by its line too
    failures.extend([_result(9)])
    failures.extend(Failures([_result(8)]))
    assert failures.keys()[-2:] == ["R9", "R8"] and len(failures) == 6


def test_failures_travel_between_processes_whole():
    failures = Failures([_result(7, NR, path="<stdin>")])
    failures.add(_columns([1, 2]))
    failures.add(_alike([4, 5]))
    back = pickle.loads(pickle.dumps(failures))
    assert back == failures and back[0].outcome is NR and back[1].location == "cases.csv:3"
    assert back[-1].outcome is NC and back[-1].values == {"day": 5, "seen": None}


def test_failures_are_a_list_of_failure_results_to_pydantic():
    """Reports, schemas and saved assessments see the list they always saw."""
    failures = Failures()
    failures.add(_columns([0, 1, 2]))
    as_list = list(failures)
    adapter, listed = TypeAdapter(Failures), TypeAdapter(list[FailureResult])
    assert adapter.validate_python(failures) is failures  # held as built, not copied
    assert adapter.dump_python(failures, mode="json") == listed.dump_python(as_list, mode="json")
    assert adapter.dump_json(failures) == listed.dump_json(as_list)
    read = adapter.validate_json(adapter.dump_json(failures))
    assert isinstance(read, Failures) and read == listed.validate_json(listed.dump_json(as_list))
    assert adapter.validate_python(as_list) == failures
    for mode in ("validation", "serialization"):
        assert adapter.json_schema(mode=mode) == listed.json_schema(mode=mode)
