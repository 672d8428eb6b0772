"""A CSV cut into byte ranges (a cluster's partitions): each range read alone, its lines numbered
as the whole file's, the results merged, must give one reader's result; a cut that falls inside a
quoted cell holding line breaks must be seen, never read as the start of a record."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from peelcheck.errors import RecordError
from peelcheck.evaluate.columnar_csv import evaluate_csv_file
from peelcheck.evaluate.parallel import ShardResult, evaluate_shard, merge_shards
from peelcheck.evaluate.runner import Engine
from peelcheck.load.csv_reader import span_cuts
from peelcheck.load.csv_spans import Span, spans, surveyed
from peelcheck.load.records import RecordSource

from .strategies import AS_OFS, RECORD_TYPE, rulesets

EXAMPLES = int(os.environ.get("PEELCHECK_SPAN_EXAMPLES", "120"))  # 5,000 for a longer search
AS_OF = dt.date(2021, 3, 4)
NAMES = ["ref", "b1", "i1", "s1", "d1", "t1", "l1"]
TEXTS = ["", "plain", "a, b", 'said "no"', "two\nlines", "three\r\nlines\nhere", "é", " ", "\n"]


@st.composite
def rows(draw: st.DrawFn) -> list[list[str]]:
    """Rows of a file: most rows canonical (DuckDB reads a range of them), some odd (the python loader reads
    that range): quoted cells with line breaks, bad values, offsets, blank lines and rows, ragged rows."""
    keys = st.sampled_from(["r1", "r2", "r3"]) if draw(st.booleans()) else st.builds("k{}".format, st.integers(0, 99))
    plain = st.tuples(keys, st.sampled_from(["true", "false", ""]), st.sampled_from(["1", "-2", ""]),
                      st.sampled_from(["plain", "é", ""]), st.sampled_from(["2021-03-01", ""]),
                      st.sampled_from(["2021-03-03T10:00:00", ""]), st.sampled_from(["2021-03-01;2021-03-02", ""]))
    odd = st.tuples(keys, st.sampled_from(["true", "false", "", "maybe"]), st.sampled_from(["1", "-2", "", "x"]),
                    st.sampled_from(TEXTS), st.sampled_from(["2021-03-01", "", "2021-02-30"]),
                    st.sampled_from(["2021-03-03T10:00:00", "", "2021-03-03T10:00:00+01:00"]),
                    st.sampled_from(["2021-03-01;2021-03-02", "", "none"]))
    share = draw(st.sampled_from([0, 3, 10]))  # odd rows in every hundred
    made = [list(draw(odd if draw(st.integers(0, 99)) < share else plain)) for _ in range(draw(st.integers(0, 40)))]
    for i in draw(st.lists(st.integers(0, max(0, len(made) - 1)), max_size=2)) if made else []:
        made[i] = draw(st.sampled_from([[], [""] * len(NAMES), ["short", "row"],  # blank line or row, ragged
                                        ["", *made[i][1:]], [*made[i], ""]]))  # blank key, an extra empty cell
    return made


def _write(path: Path, body: list[list[str]], newline: str, bom: bool) -> None:
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator=newline).writerows([NAMES, *body])
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.getvalue().encode("utf-8"))


def _ranges(source: RecordSource, parts: int) -> list[Span] | None:
    """The byte ranges a cluster cuts the file into (the surveys run here rather than on workers)."""
    planned = span_cuts(source.path, None, parts)
    if planned is None:
        return None
    cuts, header_lines = planned
    return spans([surveyed(source.path, a, b) for a, b in zip(cuts, cuts[1:])], header_lines)


def _plain(result: ShardResult) -> dict[str, Any]:
    return {"records": result.records, "rejected": [str(r) for r in result.rejected],
            "tallies": [(t.rule.id, t.applicable, t.compliant, t.non_compliant, t.not_recorded,
                         [dataclasses.astuple(f) for f in t.failures]) for t in result.tallies],
            "quality": {k: v for k, v in dataclasses.asdict(result.quality).items() if k != "noted_keys"}}


def _by_ranges(source: RecordSource, ranges: list[Span], rules: list[Any], as_of: dt.date,
               engine: Engine = Engine.PYTHON, joined: bool = True) -> ShardResult | None:
    """The ranges' results merged (their failures ``joined`` one range after another, as --jobs and the cluster
    join ranges, or merged line by line, as shards are), or None where a range said its last record ran on past
    it (or failed)."""
    results = []
    for span in ranges:
        try:
            result = evaluate_shard(dataclasses.replace(source, span=span), rules, engine, as_of)
        except RecordError:
            return None
        if result.quality.cut_in_record:
            return None
        results.append(result)
    return merge_shards(results, ranges=joined)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=bool(os.environ.get("CI")),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(body=rows(), rules=rulesets(), as_of=AS_OFS, parts=st.integers(2, 6),
       newline=st.sampled_from(["\n", "\n", "\r\n"]), bom=st.sampled_from([False, False, True]),
       engine=st.sampled_from([Engine.PYTHON, Engine.COLUMNAR]), joined=st.booleans())
def test_ranges_read_alone_and_merged_give_one_readers_result(tmp_path, body, rules, as_of, parts, newline, bom,
                                                               engine, joined):
    """For the columnar engine, DuckDB reads each range it can (no quote, canonical cells) through
    duckdb_spans and the python loader the others, in one file."""
    path = tmp_path / "thing.csv"
    _write(path, body, newline, bom)
    source = RecordSource(path, RECORD_TYPE)
    ranges = _ranges(source, parts)
    assert ranges is not None  # UTF-8, lines ending "\n" or "\r\n": always cut
    data = path.read_bytes()
    for span in ranges[1:]:  # each range starts a line, numbered as the whole file numbers it
        assert data[span.start - 1:span.start] == b"\n" and data[:span.start].count(b"\n") == span.lines_before
    whole = _plain(evaluate_shard(source, rules, Engine.PYTHON, as_of))
    merged = _by_ranges(source, ranges, rules, as_of, engine, joined)
    read_by_duckdb = [evaluate_csv_file(dataclasses.replace(source, span=span), rules, as_of) is not None
                      for span in ranges] if engine is Engine.COLUMNAR else []
    event(f"ranges: {len(ranges)}; cut inside a record: {merged is None}; DuckDB read {sum(read_by_duckdb)} of them")
    if merged is None:  # a cut fell inside a quoted cell: only allowed where the file has one with a line break
        assert any(("\n" in cell or "\r" in cell) for row in body for cell in row)
        return
    assert _plain(merged) == whole


def _quoted_lines_across_the_middle(path: Path) -> None:
    body = [[f"k{i}", "true", "1", "x" if i != 20 else "line\n" * 400, "", "", ""] for i in range(40)]
    _write(path, body, "\n", False)


def test_a_cut_inside_a_quoted_cell_is_seen_by_the_range_before(tmp_path):
    path = tmp_path / "thing.csv"
    _quoted_lines_across_the_middle(path)
    source = RecordSource(path, RECORD_TYPE)
    ranges = _ranges(source, 2)
    assert ranges is not None and len(ranges) == 2
    first = evaluate_shard(dataclasses.replace(source, span=ranges[0]), [], Engine.PYTHON, AS_OF)
    assert first.quality.cut_in_record
    assert first.records == 21  # its own records, the last one whole: read on past its range to finish the cell


def test_a_range_reads_none_of_the_bytes_before_it_past_the_headers_block(tmp_path):
    """A partition reads the header (a block of the file's start) and then its own bytes: the bytes of the
    ranges before it are never decoded."""
    path = tmp_path / "thing.csv"
    _write(path, [[f"k{i}", "true", "1", "x", "", "", ""] for i in range(30_000)], "\n", True)  # a BOM: UTF-8 said
    source = RecordSource(path, RECORD_TYPE)
    ranges = _ranges(source, 3)
    assert ranges is not None and len(ranges) == 3
    data = path.read_bytes()
    poisoned = tmp_path / "poisoned.csv"  # past the header's block, the first two ranges' rows made undecodable
    after = data.index(b"\n", 200_000) + 1
    poisoned.write_bytes(data[:after] + b"\xff" * (ranges[2].start - after - 1) + b"\n" + data[ranges[2].start:])
    last = evaluate_shard(RecordSource(poisoned, RECORD_TYPE, span=ranges[2]), [], Engine.PYTHON, AS_OF)
    assert last.records == 30_001 - ranges[2].lines_before and not last.rejected


def test_times_naive_in_one_part_and_with_offsets_in_another_are_mixed_in_the_file(tmp_path):
    """Each part of a file (a ``--jobs`` shard, a byte range) sees one form of time; the file mixes them
    (the merge once took the parts' own findings, and found none)."""
    path = tmp_path / "thing.csv"
    moment = ["2021-03-03T10:00:00", "2021-03-03T10:00:00+01:00"]
    text = ["x" * 40, ""]  # the first 1,000 rows longer: the byte ranges' cut falls among them
    _write(path, [[f"k{i}", "", "", text[i >= 1000], "", moment[i >= 1000], ""] for i in range(2000)], "\n", False)
    source = RecordSource(path, RECORD_TYPE)
    assert evaluate_shard(source, [], Engine.PYTHON, AS_OF).quality.mixed_offsets == ["t1"]
    shards = [evaluate_shard(dataclasses.replace(source, shard=(k, 2)), [], Engine.PYTHON, AS_OF) for k in (0, 1)]
    assert [shard.quality.mixed_offsets for shard in shards] == [[], []]
    assert merge_shards(shards).quality.mixed_offsets == ["t1"]
    ranges = _ranges(source, 2)
    assert ranges is not None and len(ranges) == 2
    merged = _by_ranges(source, ranges, [], AS_OF)
    assert merged is not None and merged.quality.mixed_offsets == ["t1"]
    # the columnar engine: DuckDB reads the first range (naive times only), the python loader the second
    assert evaluate_csv_file(dataclasses.replace(source, span=ranges[0]), [], AS_OF) is not None
    assert evaluate_csv_file(dataclasses.replace(source, span=ranges[1]), [], AS_OF) is None
    merged = _by_ranges(source, ranges, [], AS_OF, Engine.COLUMNAR)
    assert merged is not None and merged.quality.mixed_offsets == ["t1"]
    # and its --jobs shards: DuckDB reads the first (naive times only), the python loader the second
    assert evaluate_csv_file(dataclasses.replace(source, shard=(0, 2)), [], AS_OF) is not None
    assert evaluate_csv_file(dataclasses.replace(source, shard=(1, 2)), [], AS_OF) is None
    shards = [evaluate_shard(dataclasses.replace(source, shard=(k, 2)), [], Engine.COLUMNAR, AS_OF) for k in (0, 1)]
    assert merge_shards(shards).quality.mixed_offsets == ["t1"]


@pytest.mark.parametrize("damage", ["blank row", "blank key"])
def test_a_range_with_a_blank_key_is_read_by_the_python_loader(tmp_path, damage):
    """A blank row or key in a range DuckDB otherwise reads: the range goes to the python loader, which
    notes the blank row (or rejects the row) as for the whole file (its blank key, noted before the
    range was declined, once broke the order test of its keys, which run in order here)."""
    path = tmp_path / "thing.csv"
    body = [[f"k{i:05d}", "true", "1", "plain", "2021-03-01", "2021-03-03T10:00:00", ""] for i in range(2000)]
    body[1500] = [""] * len(NAMES) if damage == "blank row" else ["", *body[1500][1:]]
    _write(path, body, "\n", False)
    source = RecordSource(path, RECORD_TYPE)
    ranges = _ranges(source, 2)
    assert ranges is not None and len(ranges) == 2 and ranges[1].lines_before < 1500
    assert evaluate_csv_file(dataclasses.replace(source, span=ranges[1]), [], AS_OF) is None
    merged = _by_ranges(source, ranges, [], AS_OF, Engine.COLUMNAR)
    assert merged is not None
    assert _plain(merged) == _plain(evaluate_shard(source, [], Engine.PYTHON, AS_OF))


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rules=rulesets())
def test_a_range_of_clean_utf_8_in_a_file_read_as_cp1252_is_not_read_by_duckdb(tmp_path, rules):
    """The encoding is the whole file's, told from its first 64 KiB: a byte UTF-8 never writes in the second
    range (within them) makes the file cp1252, and the first range, clean UTF-8 alone, must not be read by
    DuckDB as UTF-8: its 'é' is the python loader's 'Ã©' (once, --jobs 2 read it as 'é', and the file's
    "encoding cp1252 (detected)" was lost from the report)."""
    path = tmp_path / "thing.csv"
    _write(path, [[f"k{i}", "true", "1", "caf\u00e9" if i == 3 else "plain", "2021-03-01", "2021-03-03T10:00:00",
                   ""] for i in range(1200)], "\n", False)
    source = RecordSource(path, RECORD_TYPE)
    ranges = _ranges(source, 2)
    assert ranges is not None and len(ranges) == 2
    data = path.read_bytes()
    at = data.index(b"plain", ranges[1].start)
    assert at < 60_000  # inside the sample the encoding is told from
    path.write_bytes(data[:at] + b"pla\xe9n" + data[at + 5:])  # cp1252's e acute, the same length: ranges stand
    assert evaluate_csv_file(dataclasses.replace(source, span=ranges[0]), rules, AS_OF) is None
    merged = _by_ranges(source, ranges, rules, AS_OF, Engine.COLUMNAR)
    assert merged is not None
    whole = evaluate_shard(source, rules, Engine.PYTHON, AS_OF)
    assert merged.quality.stated == whole.quality.stated == ["encoding cp1252 (detected)"]
    assert _plain(merged) == _plain(whole)
