"""The columnar engine reads DuckDB's batches a few ahead, in a thread: nothing lost, reordered or swallowed."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from peelcheck.evaluate.read_ahead import ReadAhead


def _numbers(count: int, fail_at: int | None = None, seen: list[int] | None = None) -> Iterator[int]:
    for i in range(count):
        if i == fail_at:
            raise OSError(f"broken at {i}")
        if seen is not None:
            seen.append(i)
        yield i


@pytest.mark.parametrize("ahead", [1, 2, 5])
def test_every_batch_comes_once_and_in_order(ahead):
    with ReadAhead(_numbers(200), ahead) as batches:
        assert list(batches) == list(range(200))


def test_what_the_reading_raises_is_raised_after_the_batches_before_it():
    got = []
    with ReadAhead(_numbers(50, fail_at=17)) as batches, pytest.raises(OSError, match="broken at 17"):
        for item in batches:
            got.append(item)
    assert got == list(range(17))


def test_a_reader_that_stops_early_stops_the_thread_and_reads_little_more():
    seen: list[int] = []
    ahead = ReadAhead(_numbers(10_000, seen=seen), 2)
    with ahead as batches:
        for item in batches:
            if item == 3:
                break
    assert not ahead.thread.is_alive()
    assert len(seen) <= 3 + 1 + 2 + 1  # what was taken, the queue's two, and the one being put
    assert "peelcheck-read-ahead" not in {t.name for t in threading.enumerate()}
