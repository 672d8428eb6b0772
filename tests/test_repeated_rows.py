"""Exact repeated rows of files read with ``key_from_row`` (no key column, so a repeated row is the
only sign of a row counted twice), each placed as its format places a row everywhere else (a CSV's
line, a sheet's row, a Parquet file's row counted from 1), as repeated keys and rejected rows are."""

from __future__ import annotations

from peelcheck.assess.data_quality import input_file
from peelcheck.load.rows import FileQuality


def test_repeated_rows_are_placed_as_the_file_places_its_rows():
    for unit in ("line", "row"):
        quality = FileQuality(repeated_rows=[(4, 2), (7, 2)], unit=unit)
        assert input_file("f", "out_of_court_disposal", 7, [], quality, [], []).repeated_rows == \
            [f"{unit} 4 repeats {unit} 2", f"{unit} 7 repeats {unit} 2"]
