"""Repeated keys' rows found from their hashes in DuckDB's table, a part of the hashes at a time."""

from __future__ import annotations

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from peelcheck.evaluate.key_hashes import KeyHashes


@settings(max_examples=60, deadline=None)
@given(hashes=st.lists(st.integers(0, 2**64 - 1) | st.integers(0, 40), max_size=300),
       batch=st.integers(1, 50), held=st.integers(1, 120), per_part=st.integers(1, 100), most=st.integers(1, 8))
def test_the_rows_of_repeated_hashes_are_found_in_order(hashes, batch, held, per_part, most):
    found = KeyHashes()
    found.HELD, found.ROWS_PER_PART, found.MOST_PARTS = held, per_part, most
    try:
        for start in range(0, len(hashes), batch):
            found.add(pa.array(hashes[start:start + batch], pa.uint64()))
        assert found.repeated() == [i for i, h in enumerate(hashes) if hashes.count(h) > 1]
    finally:
        found.close()
