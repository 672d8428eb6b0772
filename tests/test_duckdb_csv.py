"""DuckDB reading a CSV file itself (the columnar engine's fast path) against the python loader.

The guarantee: for any file, the columnar engine's result (counts, failures with their keys,
lines, reasons and values, rejected rows, the file's notes) is the python engine's on the python
loader's records, or the fast path declines and the python loader reads the file. Cells are
generated in awkward forms (spellings, spaces, British Summer Time changeover hours, offsets,
days that do not exist, blanks) beside canonical ones, with random rules.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.abc
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from peelcheck.evaluate import columnar_csv_query, key_hashes
from peelcheck.evaluate.columnar import arrow_columns, gathered_batches
from peelcheck.evaluate.columnar_csv import evaluate_csv_file
from peelcheck.evaluate.columnar_csv_query import keeps_order
from peelcheck.evaluate.parallel import ShardResult, evaluate_shard
from peelcheck.evaluate.runner import Engine
from peelcheck.load import duckdb_cells, duckdb_csv
from peelcheck.load.batch import Batch, from_records
from peelcheck.load.csv_spans import Span
from peelcheck.load.records import RecordReader, RecordSource
from peelcheck.schema.pack import RecordTypeSpec
from peelcheck.schema.records import record_validator

from .odd_cells import ODD_BY_TYPE
from .strategies import AS_OFS, RECORD_TYPE, VALUES, datetimes, rulesets

# Each example writes a file and reads it both ways (0.1 s): 200 keep CI under ten minutes; the odd-cell
# test below puts every awkward cell through alone. PEELCHECK_READER_EXAMPLES=5000 for a longer search.
EXAMPLES = int(os.environ.get("PEELCHECK_READER_EXAMPLES", "200"))
FIELDS = {name: spec for name, spec in RECORD_TYPE.fields.items() if name != "u1"}  # a duration: pydantic's
SPEC = RECORD_TYPE.model_copy(update={"fields": {**RECORD_TYPE.fields, "l1": RECORD_TYPE.fields["l1"].model_copy(
    update={"blank_cell": "empty_list"})}})


def _canonical(name: str, value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return ";".join(d.isoformat() for d in value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


ODD = {name: ODD_BY_TYPE.get(spec.type.value, ["A", " a", "d", "b "])  # the enum e1's values are a, b and c
       for name, spec in FIELDS.items() if name != RECORD_TYPE.key}


@st.composite
def cells(draw: st.DrawFn, name: str, odd_share: int) -> str:
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return ""
    if kind == 1 and odd_share:
        return draw(st.sampled_from([" ", "  ", "\t"]))
    if kind < 2 + odd_share:
        return draw(st.sampled_from(ODD[name]))
    if name == "s1":  # text a CSV holds unquoted (a quote, comma or line break would send the file to Python)
        return draw(st.text(st.characters(blacklist_characters=',"\r\n\x00', blacklist_categories=["Cs"]),
                            max_size=6))
    if name == "f1":
        return draw(st.builds(lambda x, places: f"{x:.{places}f}", st.floats(-1e6, 1e6), st.integers(0, 17)))
    if name in ("t1", "t2"):  # around the BST changeovers of 2021 and the strategies' boundaries, whole seconds
        moments = st.one_of(datetimes, st.builds(lambda d, h, s: dt.datetime.combine(d, dt.time(h, 30, s)),
                                                 st.sampled_from([dt.date(2021, 3, 28), dt.date(2021, 10, 31)]),
                                                 st.integers(0, 3), st.integers(0, 59)))
        return draw(moments).replace(microsecond=0).isoformat()
    if name in ("i1", "i2"):
        return str(draw(st.one_of(st.integers(-3, 3), st.integers(-(10**15) + 1, 10**15 - 1))))
    return _canonical(name, draw(VALUES[name]))


@st.composite
def csv_files(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    """A header (a random selection of the fields, key first) and rows of cells; most files clean."""
    names = ["ref", *draw(st.lists(st.sampled_from(list(FIELDS)[1:]), unique=True, max_size=len(FIELDS) - 1))]
    odd_share = draw(st.sampled_from([0, 0, 0, 1, 3]))  # how often a cell is in an odd form
    size = draw(st.integers(0, 14))
    keys = draw(st.lists(st.sampled_from(["r1", "r2", "r3", "r4", "r5", "r6", "r7"]), min_size=size, max_size=size)) \
        if draw(st.booleans()) else [f"r{i}" for i in range(size)]
    rows = [[key, *(draw(cells(name, odd_share)) for name in names[1:])] for key in keys]
    if rows and len(names) > 1 and draw(st.booleans()):  # one odd cell in a file: the fast path must see it
        row, column = draw(st.integers(0, len(rows) - 1)), draw(st.integers(1, len(names) - 1))
        rows[row][column] = draw(st.sampled_from([*ODD[names[column]], " ", "\t"]))
    return names, rows


def _write(path: Path, header: list[str], rows: list[list[str]], blank_line: bool) -> None:
    lines = [",".join(header), *(",".join(row) for row in rows)]
    if blank_line and rows:
        lines.insert(len(lines) // 2 + 1, "")
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))


def _sql_values(source: RecordSource) -> list[dict[str, Any]] | None:
    """Every row's values as the fast path's SQL converts them (the engines' encodings), or None where it
    declines the file (no plan, a cell not canonical, rows not one per line)."""
    csv_plan = duckdb_csv.plan(source)
    if csv_plan is None:
        return None
    connection = duckdb.connect()
    try:
        reader = connection.sql(duckdb_csv.scan_sql(csv_plan), params=duckdb_csv.scan_params(csv_plan))
        parts = [pa.Table.from_batches([raw]) for raw in reader.to_arrow_reader(1000)]
        if not parts:
            return [] if csv_plan.rows == 0 else None
        raw = pa.concat_tables(parts)
        connection.register("raw", raw.append_column("__pos", pa.array(range(raw.num_rows), pa.int64())))
        typed = connection.sql(f"{duckdb_cells.typed_select(csv_plan, 'raw')} ORDER BY __pos").to_arrow_table()
    except duckdb.Error:
        return None
    finally:
        connection.close()
    if raw.num_rows != csv_plan.rows or not all(typed.column("__ok").to_pylist()):
        return None
    names = [n for n in typed.column_names if not n.startswith("__") and not re.fullmatch("c[0-9]+", n)]
    return typed.select(names).to_pylist()


def _loader_values(source: RecordSource) -> list[dict[str, Any]] | None:
    """The same from the python loader's batches (``columnar.arrow_columns``), or None if it rejects a row."""
    reader = RecordReader(source, record_validator(source.record_type, source.zone))
    rows: list[dict[str, Any]] = []
    kinds = {name: spec.type for name, spec in source.record_type.fields.items()}
    for item in reader.batches():
        if not isinstance(item, Batch):
            return None
        rows += pa.table(arrow_columns(item, kinds)).drop_columns(["__pos"]).to_pylist()
    return rows


def _plain(result: ShardResult) -> dict[str, Any]:
    """Everything of a result a report shows, as plain data."""
    return {"records": result.records,
            "tallies": [(t.rule.id, t.applicable, t.compliant, t.non_compliant, t.not_recorded,
                         [dataclasses.astuple(f) for f in t.failures]) for t in result.tallies],
            "rejected": [str(r) for r in result.rejected],
            # what a python shard saw of times, for the merge (DuckDB reads only naive ones): not the report's
            "quality": {k: v for k, v in dataclasses.asdict(result.quality).items() if k != "time_notes"}
            # a shard's keys, for the merge: what it would say of them (DuckDB's first shard keeps the keys whose
            # hash repeats, the python loader's every key)
            | {"noted_keys": None if result.quality.noted_keys is None else result.quality.noted_keys.described()}}


def _both(path: Path, spec: RecordTypeSpec, rules: list[Any], as_of: dt.date,
          shard: tuple[int, int] | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    source = RecordSource(path, spec, shard=shard)
    return (_plain(evaluate_shard(source, rules, Engine.COLUMNAR, as_of)),
            _plain(evaluate_shard(source, rules, Engine.PYTHON, as_of)))


@settings(max_examples=EXAMPLES, deadline=None, derandomize=bool(os.environ.get("CI")),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(csv=csv_files(), rules=rulesets(), as_of=AS_OFS, empty_list=st.booleans(), blank_line=st.integers(0, 9))
def test_duckdb_reader_gives_the_python_loaders_result(tmp_path, csv, rules, as_of, empty_list, blank_line):
    header, rows = csv
    path = tmp_path / "thing.csv"
    _write(path, header, rows, blank_line == 0)
    spec = SPEC if empty_list else RECORD_TYPE
    source = RecordSource(path, spec)
    sql_values = _sql_values(source)
    if sql_values is not None:  # cell by cell, every row: DuckDB's conversion is the python loader's
        assert sql_values == _loader_values(source)
    fast = evaluate_csv_file(source, rules, as_of)
    event(f"fast path taken: {fast is not None}")
    assert (fast is None) == (sql_values is None)
    columnar = evaluate_shard(source, rules, Engine.COLUMNAR, as_of) if fast is None else \
        ShardResult(fast.records, fast.tallies, [], fast.quality)
    assert _plain(columnar) == _plain(evaluate_shard(source, rules, Engine.PYTHON, as_of))


def _clean_rows(count: int) -> list[list[str]]:
    start = dt.datetime(2021, 3, 27, 23, 0)
    return [[f"r{i % 1500}", "true" if i % 3 else "false", str(i % 7 - 3), f"{i / 7:.3f}", f"text {i}", "abc"[i % 3],
             (start + dt.timedelta(minutes=7 * i)).isoformat(),
             ";".join(f"2021-03-{d:02d}" for d in range(1, i % 4 + 1))] for i in range(count)]


HEADER = ["ref", "b1", "i1", "f1", "s1", "e1", "t1", "l1"]


@pytest.mark.parametrize(("shard", "batch"), [(None, 700), ((0, 2), 700), ((1, 2), 700), ((2, 3), 700),
                                             ((1, 3), 500)])
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rules=rulesets())
def test_fast_path_is_taken_on_a_clean_file_and_agrees_shard_by_shard(tmp_path, monkeypatch, shard, batch, rules):
    """2,500 clean rows (repeated keys, BST changeover hours, blank lists): DuckDB reads the file, and the
    result is the python loader's, for the whole file and for each partition --jobs and --cluster use;
    DuckDB hands rows back 700 at a time, so rows are placed across several batches (500 for the second
    of three partitions: its last batch holds only the file's last row, another partition's). The
    keys' hashes go into DuckDB's table 2,000 at a time or so, so repeats are found across inserts, and
    are sought among a ninth of the hashes at a time."""
    monkeypatch.setattr(columnar_csv_query, "ROWS_PER_BATCH", batch)
    monkeypatch.setattr(key_hashes.KeyHashes, "HELD", 2000)
    monkeypatch.setattr(key_hashes.KeyHashes, "ROWS_PER_PART", 300)  # repeats sought in 9 parts
    path = tmp_path / "thing.csv"
    _write(path, HEADER, _clean_rows(2500), blank_line=False)
    assert evaluate_csv_file(RecordSource(path, RECORD_TYPE, shard=shard), rules, dt.date(2021, 3, 3)) is not None
    columnar, python = _both(path, RECORD_TYPE, rules, dt.date(2021, 3, 3), shard)
    assert columnar == python
    if shard in (None, (0, 2)):  # r0 at line 1502, first at line 2 ... (a shard's: for the merge)
        assert columnar["quality"]["repeated_keys" if shard is None else "noted_keys"]


class _Lookups(importlib.abc.MetaPathFinder):
    """Records every module an import looks for that is not yet loaded (a failed import is looked
    for again each time: on every entry of sys.path)."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> None:
        self.names.append(fullname)


@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rules=rulesets())
def test_counting_looks_for_no_module(tmp_path, monkeypatch, rules):
    """Counting a file's batches imports nothing: a Python number handed to pyarrow.compute made it
    look for dateutil (not a dependency) on every call, hundreds of searches of sys.path a file."""
    monkeypatch.setattr(columnar_csv_query, "ROWS_PER_BATCH", 500)
    path = tmp_path / "thing.csv"
    _write(path, HEADER, _clean_rows(3000), blank_line=False)
    assert evaluate_csv_file(RecordSource(path, RECORD_TYPE), rules, dt.date(2021, 3, 3)) is not None  # imports made
    lookups = _Lookups()
    with monkeypatch.context() as patched:
        patched.setattr(sys, "meta_path", [lookups, *sys.meta_path])
        assert evaluate_csv_file(RecordSource(path, RECORD_TYPE), rules, dt.date(2021, 3, 3)) is not None
    assert lookups.names == []


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rules=rulesets())
def test_rows_keep_their_places_when_duckdb_reads_the_file_on_several_threads(tmp_path, monkeypatch, rules):
    """Reads of 4 KB on four threads (so the file's parts are parsed side by side) and batches of 1,000
    rows: a row's place in DuckDB's answer is still its line (counts, failures' lines, repeated keys
    are the python loader's)."""
    from peelcheck.evaluate.columnar import database

    monkeypatch.setattr(duckdb_csv, "_BUFFER", 4096)
    monkeypatch.setattr(columnar_csv_query, "ROWS_PER_BATCH", 1000)
    path = tmp_path / "thing.csv"
    _write(path, HEADER, _clean_rows(20_000), blank_line=False)
    [(threads,)] = database().execute("SELECT current_setting('threads')").fetchall()
    database().execute("SET threads = 4")
    try:
        assert evaluate_csv_file(RecordSource(path, RECORD_TYPE), rules, dt.date(2021, 3, 3)) is not None
        columnar, python = _both(path, RECORD_TYPE, rules, dt.date(2021, 3, 3))
    finally:
        database().execute(f"SET threads = {threads}")
    assert columnar == python


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00", "1969-12-31T00:00:00", "1969-12-31T23:59:59",
                                    "1970-01-01T00:00:00", "1600-02-29T12:00:00", "9999-12-31T23:59:59"])
def test_a_datetimes_day_is_its_date_before_1970_too(tmp_path, moment):
    """The day number DuckDB gives a datetime (for comparisons with dates) is the python loader's,
    before 1970 (where dividing its microseconds must round down) as after."""
    path = tmp_path / "thing.csv"
    _write(path, ["ref", "t1"], [["r1", moment], ["r2", "2021-03-03T00:00:00"]], blank_line=False)
    values = _sql_values(RecordSource(path, RECORD_TYPE))
    assert values is not None
    assert values == _loader_values(RecordSource(path, RECORD_TYPE))
    assert values[0]["t1__day"] == dt.datetime.fromisoformat(moment).toordinal()


@pytest.mark.parametrize("shard", [(0, 2), (1, 2), (2, 3)])
@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rules=rulesets())
def test_every_partition_declines_a_file_with_a_blank_line(tmp_path, shard, rules):
    """A blank line (which DuckDB skips, so rows after it would be placed a line early): each partition
    declines the file, not only the one that reads the rows after it; results are still the python ones."""
    path = tmp_path / "thing.csv"
    _write(path, HEADER, _clean_rows(2500), blank_line=True)
    assert evaluate_csv_file(RecordSource(path, RECORD_TYPE, shard=shard), rules, dt.date(2021, 3, 3)) is None
    columnar, python = _both(path, RECORD_TYPE, rules, dt.date(2021, 3, 3), shard)
    assert columnar == python


@pytest.mark.parametrize(("cell", "column", "taken"), [("+2", 2, [True, False]), (" r5", 0, [False, False]),
                                                       ("r5 ", 0, [False, False])])
@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rules=rulesets())
def test_a_partition_is_read_by_duckdb_when_its_own_rows_are_clean(tmp_path, cell, column, taken, rules):
    """An odd cell in the second partition's rows: the first is still read by DuckDB (unless the cell is a key,
    which the first partition notes for repeats in every row, stripped), the second by the python loader;
    each partition's result is the python loader's."""
    rows = _clean_rows(2500)
    rows[1500][column] = cell  # the second block of 1,000 rows: partition 1 of 2
    path = tmp_path / "thing.csv"
    _write(path, HEADER, rows, blank_line=False)
    for shard in (0, 1):
        source = RecordSource(path, RECORD_TYPE, shard=(shard, 2))
        assert (evaluate_csv_file(source, rules, dt.date(2021, 3, 3)) is not None) == taken[shard]
        columnar, python = _both(path, RECORD_TYPE, rules, dt.date(2021, 3, 3), (shard, 2))
        assert columnar == python


@pytest.mark.parametrize("shard", [(0, 2), (1, 2)])
@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rules=rulesets())
def test_every_partition_declines_a_file_the_python_loader_reads_as_cp1252(tmp_path, shard, rules):
    """The encoding is the whole file's, told from its start (a byte UTF-8 never writes, in the second
    partition's rows): the first partition, clean UTF-8 on its own, must not be read by DuckDB as UTF-8,
    or its 'é' would be the python loader's 'Ã©' in every other partition and engine."""
    rows = _clean_rows(2500)
    rows[10][4] = "caf\u00e9"  # partition 0's rows: UTF-8 on their own
    for row in rows[:1000]:  # shorter, so that partition 1's first rows are in the sample the encoding is told from
        row[7] = ""
    path = tmp_path / "thing.csv"
    _write(path, HEADER, rows, blank_line=False)
    path.write_bytes(path.read_bytes().replace(b"text 1001,", b"text \xe91001,"))  # cp1252's e acute: partition 1
    assert evaluate_csv_file(RecordSource(path, RECORD_TYPE, shard=shard), rules, dt.date(2021, 3, 3)) is None
    columnar, python = _both(path, RECORD_TYPE, rules, dt.date(2021, 3, 3), shard)
    assert columnar == python


@pytest.mark.parametrize("damage", ["blank line", "quoted cell", "crlf", "bom", "bad cell", "semicolons",
                                    "short row", "blank row", "not utf-8"])
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rules=rulesets())
def test_fast_path_declines_what_it_cannot_be_sure_of(tmp_path, damage, rules):
    """Each file the fast path must not read: it declines, and the columnar engine's result is still the python one."""
    rows = _clean_rows(30)
    header = list(HEADER)
    if damage == "quoted cell":
        rows[3][4] = '"a, b"'
    elif damage == "bad cell":
        rows[20][6] = "2021-03-28T01:30:00+01:00"
    elif damage == "semicolons":
        header = [h.replace("l1", "l1;x;y") for h in header]
    elif damage == "short row":
        rows[5] = rows[5][:-1]
    elif damage == "blank row":
        rows[7] = [""] * len(header)
    path = tmp_path / "thing.csv"
    _write(path, header, rows, blank_line=damage == "blank line")
    if damage == "crlf":
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    if damage == "bom":
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    if damage == "not utf-8":  # an encoded surrogate, deep in the file: DuckDB must refuse it as Python does
        path.write_bytes(path.read_bytes().replace(b"text 25", b"text \xed\xa0\x80"))
    assert evaluate_csv_file(RecordSource(path, RECORD_TYPE), rules, dt.date(2021, 3, 3)) is None
    if damage not in ("semicolons", "not utf-8"):  # an unknown column, a decoding error: raised alike by both
        columnar, python = _both(path, RECORD_TYPE, rules, dt.date(2021, 3, 3))
        assert columnar == python


@pytest.mark.parametrize("damage", ["short row", "not utf-8", "extra empty cells", "extra empty cell, last row"])
@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rules=rulesets())
def test_fast_path_declines_what_duckdb_finds_deep_in_a_file(tmp_path, monkeypatch, damage, rules):
    """A short row, a row ending in extra empty cells (which DuckDB reads as if they were not there) or
    text that is not UTF-8 at line 15,002 of 20,001, past DuckDB's first batches (where its error reaches
    Python through Arrow's reader, not as a DuckDB error): the fast path declines, and the python loader
    reports the row (or raises the decoding error) as it does for every engine."""
    monkeypatch.setattr(columnar_csv_query, "ROWS_PER_BATCH", 700)
    rows = _clean_rows(20_000)
    if damage == "short row":
        rows[15_000] = rows[15_000][:-1]
    elif damage.startswith("extra empty cell"):
        place = -1 if damage.endswith("last row") else 15_000
        rows[place] = [*rows[place], *([""] if place == -1 else ["", ""])]
    path = tmp_path / "thing.csv"
    _write(path, HEADER, rows, blank_line=False)
    if damage == "not utf-8":
        path.write_bytes(path.read_bytes().replace(b"text 15000", b"text \xed\xa0\x80"))
    assert evaluate_csv_file(RecordSource(path, RECORD_TYPE), rules, dt.date(2021, 3, 3)) is None
    if damage != "not utf-8":
        columnar, python = _both(path, RECORD_TYPE, rules, dt.date(2021, 3, 3))
        assert columnar == python
        assert columnar["rejected"]


ODD_CELLS = sorted({(name, cell) for name, values in ODD.items() for cell in [*values, " ", "\t"]})


@pytest.mark.parametrize(("name", "cell"), ODD_CELLS)
def test_each_odd_cell_alone_in_a_clean_file(tmp_path, name, cell):
    """Every odd form, alone among canonical cells: the fast path converts it as the python loader
    does, or declines the file (and then it must be one the python loader reads otherwise)."""
    header = ["ref", "b1", "i1", "f1", "s1", "e1", "d1", "t1", "l1", name] if name not in HEADER else list(HEADER)
    header = list(dict.fromkeys(header))
    clean = {"ref": "r", "b1": "true", "b2": "false", "i1": "5", "i2": "-3", "f1": "2.5", "s1": "x", "e1": "a",
             "d1": "2021-03-03", "d2": "2021-03-04", "t1": "2021-03-28T00:30:00", "t2": "2021-03-28T02:30:00",
             "l1": "2021-03-03;2021-03-05"}
    rows = [[f"r{i}" if h == "ref" else clean[h] for h in header] for i in range(4)]
    rows[2][header.index(name)] = cell
    path = tmp_path / "thing.csv"
    _write(path, header, rows, blank_line=False)
    for spec in (RECORD_TYPE, SPEC):
        source = RecordSource(path, spec)
        sql_values = _sql_values(source)
        if sql_values is not None:
            assert sql_values == _loader_values(source)


def test_memory_limit_option_limits_duckdb_and_changes_no_report(monkeypatch):
    from click.testing import CliRunner

    from peelcheck.cli.main import cli
    from peelcheck.evaluate.columnar import DEFAULT_MEMORY_LIMIT, MEMORY_LIMIT_ENV, database, set_memory_limit

    from .conftest import EXAMPLES, PACK_DIR

    files = sorted(str(p) for p in (EXAMPLES / "self-assessment").iterdir())
    monkeypatch.delenv(MEMORY_LIMIT_ENV, raising=False)

    def report(*extra: str) -> dict[str, Any]:
        result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), *files, "--as-of", "2022-04-01",
                                          "--format", "json", *extra])
        assert result.exit_code in (0, 1), result.output
        return {k: v for k, v in json.loads(result.stdout).items() if k != "engine"}

    try:
        limited = report("--engine", "columnar", "--memory-limit", "64MB")
        [(setting,)] = database().execute("SELECT current_setting('memory_limit')").fetchall()
        assert setting.startswith("61.0 MiB") or setting.startswith("64.0 MB"), setting
        assert limited == report("--engine", "python")
        bad = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), *files, "--memory-limit", "lots"])
        assert bad.exit_code == 2
    finally:
        set_memory_limit(DEFAULT_MEMORY_LIMIT)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rules=rulesets())
def test_batches_from_the_python_loader_are_joined_for_duckdb_each_record_kept_in_place(tmp_path, rules):
    """A file the fast path declines (a '+2' the python loader reads as 2) reaches DuckDB in batches of
    1,000 records joined into one of 2,600: counts, failures and their lines are the python engine's."""
    rows = _clean_rows(2600)
    rows[1234][2] = "+2"
    path = tmp_path / "thing.csv"
    _write(path, HEADER, rows, blank_line=False)
    assert evaluate_csv_file(RecordSource(path, RECORD_TYPE), rules, dt.date(2021, 3, 3)) is None
    columnar, python = _both(path, RECORD_TYPE, rules, dt.date(2021, 3, 3))
    assert columnar == python


def test_joined_batches_keep_each_records_values_key_and_place():
    batches = [from_records([{"ref": f"{k}.{i}"} for i in range(k + 1)], ["ref"]) for k in range(4)]
    joined = list(gathered_batches(iter(batches), rows=3))
    assert [len(b) for b in joined] == [3, 3, 4]
    assert joined[0].columns["ref"] == ["0.0", "1.0", "1.1"]
    assert joined[0].keys == ["0", "0", "1"]  # from_records keys a record by its place in its batch
    assert [joined[0].place(i) for i in range(3)] == ["<records>[0]", "<records>[0]", "<records>[1]"]
    assert str(joined[0].where(2)) == "<records>[1]"


def _rule(spec: RecordTypeSpec, index: int, when: dict[str, Any] | None, expect: dict[str, Any]) -> Any:
    from peelcheck.compile.check import compile_rule
    from peelcheck.errors import Location
    from peelcheck.schema.condition_parser import parse_condition
    from peelcheck.schema.rule import Rule, RuleSpec

    rule = RuleSpec.model_validate({
        "id": f"ORD-{index:03d}", "title": "order", "area": "order", "kind": "finding", "severity": "low",
        "source": {"document": "ORD", "section": "s", "quote": "q"}, "record_type": spec.name,
        "when": when, "expect": expect, "remediation": "r"})
    where = Location("<test>")
    parsed = [parse_condition(c, where)[0] if c is not None else None for c in (when, expect)]
    compiled, problems = compile_rule(Rule(rule, parsed[0], parsed[1], "<test>", where), spec)
    assert compiled is not None, problems
    return compiled


KINDS = ["burglary", "theft", "robbery", "arson", "fraud", "assault", "stalking", "damage"]


def test_rows_keep_their_places_beside_an_enum_and_a_rule_of_many_values(tmp_path, monkeypatch):
    """DuckDB makes an IN list of five or more values a join, and a join does not keep the file's order:
    with an enum of eight values (as the benchmark's crime types) most failures were reported at
    other rows' lines. Every failure is at its own row's line, as the python engine says, on four
    threads reading 4 KB at a time."""
    from peelcheck.evaluate.columnar import database

    spec = RECORD_TYPE.model_copy(update={"fields": {**RECORD_TYPE.fields, "e1": RECORD_TYPE.fields["e1"].model_copy(
        update={"values": KINDS})}})
    rules = [_rule(spec, 1, {"e1": {"in": KINDS[:6]}}, {"b1": True}),
             _rule(spec, 2, None, {"e1": {"not_in": KINDS[2:]}})]
    monkeypatch.setattr(duckdb_csv, "_BUFFER", 4096)
    monkeypatch.setattr(columnar_csv_query, "ROWS_PER_BATCH", 1000)
    path = tmp_path / "thing.csv"
    rows = [[f"r{i}", "true" if i % 3 else "false", KINDS[i * 7 % 8]] for i in range(20_000)]
    _write(path, ["ref", "b1", "e1"], rows, blank_line=False)
    [(threads,)] = database().execute("SELECT current_setting('threads')").fetchall()
    database().execute("SET threads = 4")
    try:
        fast = evaluate_csv_file(RecordSource(path, spec), rules, dt.date(2021, 3, 3))
        columnar, python = _both(path, spec, rules, dt.date(2021, 3, 3))
    finally:
        database().execute(f"SET threads = {threads}")
    assert fast is not None
    failures = [f for tally in fast.tallies for f in tally.failures]
    assert len(failures) > 10_000
    assert all(f.location.endswith(f":{int(f.key[1:]) + 2}") for f in failures)  # r0 is on line 2
    assert columnar == python


def test_a_plan_that_might_reorder_rows_is_declined(tmp_path):
    """Only scans, projections, filters and streaming windows keep rows in the order read."""
    from peelcheck.evaluate.columnar import database

    path = tmp_path / "n.csv"
    path.write_text("n\n" + "".join(f"{i}\n" for i in range(10)))
    scan, params = "read_csv(?, header = true, columns = {'n': 'BIGINT'})", [str(path)]
    connection = database().cursor()
    try:
        assert keeps_order(connection, f"SELECT n * 2 AS x, row_number() OVER () FROM {scan} WHERE n > 3", params)
        assert not keeps_order(connection, f"SELECT * FROM {scan} a JOIN range(10) b ON a.n = b.range", params)
        assert not keeps_order(connection, f"SELECT n % 3, count(*) FROM {scan} GROUP BY 1", params)
        assert not keeps_order(connection, f"SELECT n FROM {scan} ORDER BY n DESC", params)
    finally:
        connection.close()


def test_a_file_or_range_under_the_smallest_size_is_left_to_the_python_loader(tmp_path, monkeypatch):
    """DuckDB plans its query in some 30 ms whatever the file: a smaller file (or byte range) is the python
    loader's, which reads it sooner, to the same result."""
    path = tmp_path / "thing.csv"
    _write(path, HEADER, _clean_rows(30), blank_line=False)
    size = path.stat().st_size
    monkeypatch.setattr(duckdb_csv, "SMALLEST", size + 1)
    assert duckdb_csv.plan(RecordSource(path, RECORD_TYPE)) is None
    monkeypatch.setattr(duckdb_csv, "SMALLEST", size)
    assert duckdb_csv.plan(RecordSource(path, RECORD_TYPE)) is not None
    start = path.read_bytes().index(b"\n") + 1  # a range of all but the header: fewer bytes
    assert duckdb_csv.plan(RecordSource(path, RECORD_TYPE, span=Span(start, 1, None, size))) is None
