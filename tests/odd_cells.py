"""Cell spellings the python loader reads otherwise than a canonical cell, or rejects, by field type: the
cells a fast reader (DuckDB's) must decline or read exactly as that loader does. Shared by the reader's own
tests (test_duckdb_csv) and the engines' end-to-end one (test_engines_agree_on_damaged_files)."""

from __future__ import annotations

ODD_BY_TYPE = {
    "bool": ["TRUE", "True", "False", "yes", "1", " true", "t", "y"],
    "int": ["007", "-0", "+5", " 5", "1_000", "1e3", "9" * 16, "1.0", "12345678901234567890"],
    "float": ["-0.0", "1e-09", ".5", "5.", "1.00000000000000000001", "0.1000000000000000055511151231257827",
              "nan", "inf", "123456789012345.5", "9007199254740993"],
    "string": [" padded", "tail ", "\u00a0nbsp", "mid dle", "é", "x;y", "'q'", "\u2003em"],
    "date": ["2021-02-30", "0000-01-01", "2021-3-3", "20210303", "2021-03-03T00:00:00", " 2021-03-03", "9999-12-31",
             "0001-01-01", "1582-10-10"],
    # with leading and trailing spaces, one-digit fields and year 0: where DuckDB's own parsers are looser
    "datetime": ["2021-03-28T01:30:00", "2021-10-31T01:30:00", "2021-03-28T00:59:59", "2021-10-31T02:00:00",
                 "2021-03-28T01:30:00+01:00", "2021-10-31T01:30:00Z", "2021-10-31T01:30:00+00:00",
                 "2021-03-03T12:00:00.5", "2021-03-03 12:00:00", "2021-03-03T24:00:00", "2021-03-03",
                 "2021-03-03T12:00", "0001-01-01T00:00:00", "9999-12-31T23:59:59", "2021-02-29T10:00:00",
                 "2021-03-03T12:00:60", " 021-03-03T12:00:00", "2021-03-03T12:00:0 ", "2021-3-03T12:00:00",
                 "0000-01-01T00:00:00"],
    "date_list": ["2021-03-03; 2021-03-04", "2021-03-03;", "none", "2021-02-30;2021-03-01", "2021-03-04;2021-03-03",
                  "2021-03-03;2021-03-03"],
}
