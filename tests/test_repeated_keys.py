"""Repeated keys are found by the key's value as the reader reads it (an int key's ``7``, ``007`` and ``+7``
are one key), on every input path and engine, and reported with the key as written on both lines."""

from __future__ import annotations

import datetime as dt
import json
import pickle
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peelcheck.compile.pack_check import CompiledPack, load_compiled_pack
from peelcheck.errors import Location
from peelcheck.evaluate.columnar_csv import evaluate_csv_file
from peelcheck.evaluate.runner import Engine
from peelcheck.load.key_cells import KeyCells
from peelcheck.load.records import RecordSource
from peelcheck.load.repeated_keys import RepeatedKeys
from peelcheck.load.rows import FileQuality, RecordRow, RowValidator
from peelcheck.load.shaping import RowShaper
from peelcheck.pipeline import AssessOptions, assess
from peelcheck.schema.mapping import ColumnMapping
from peelcheck.schema.pack import RecordTypeSpec
from peelcheck.schema.records import record_validator

from .pack_factory import rule_spec, write_pack


def expected(noted: list[tuple[str, str]], unit: str = "line", first_at: int = 1) -> list[str]:
    """What RepeatedKeys says of (key, written) pairs noted at places first_at, first_at + 1 ...: the
    definition, by the compared key, each repeat named as written and its first as written there."""
    firsts: dict[str, int] = {}
    said = []
    for i, (key, written) in enumerate(noted):
        first = firsts.setdefault(key, i)
        if first != i:
            theirs = noted[first][1]
            said.append(f"{written!r} at {unit} {first_at + i} (first at {unit} {first_at + first}"
                        + (")" if theirs == written else f" as {theirs!r})"))
    return said


# a key as compared, and how it was written (often as compared): "7" written "007" or " 7"
_NOTED = st.lists(st.tuples(st.sampled_from("78a\x00"), st.sampled_from(["", "0", " ", "+"])).map(
    lambda pair: (pair[0], pair[0] if pair[1] == "" else pair[1] + pair[0])), max_size=40)


@settings(max_examples=300, deadline=None)
@given(noted=_NOTED, chunk=st.integers(1, 9), parts=st.integers(1, 4), in_turn=st.booleans(), sent=st.booleans())
def test_repeats_are_found_by_the_key_and_told_as_written(noted: list[tuple[str, str]], chunk: int, parts: int,
                                                          in_turn: bool, sent: bool):
    """One reader of the whole file, and the readers of its partitions (byte ranges one after another, or
    blocks of rows in turn) put together, pickled as a cluster's workers send them or not."""
    whole, partitions = RepeatedKeys(), [RepeatedKeys(packed=True) for _ in range(parts)]
    for reader in (whole, *partitions):
        reader.CHUNK = chunk
    for at in range(0, len(noted), 3):  # notes of three, as a CSV's chunks of rows
        some = noted[at:at + 3]
        whole.note_many([key for key, _ in some], range(1 + at, 1 + at + len(some)), [w for _, w in some])
    for i, (key, written) in enumerate(noted):
        partitions[i % parts if in_turn else i * parts // len(noted)].note(key, 1 + i, written)
    if sent:
        partitions = [pickle.loads(pickle.dumps(part)) for part in partitions]
    assert whole.described() == expected(noted)
    assert RepeatedKeys.combined(partitions).described() == expected(noted)


def test_keys_written_as_compared_keep_no_second_copy():
    """A clean export's keys are written as they are compared: only their text is held."""
    keys = RepeatedKeys()
    keys.CHUNK = 2
    keys.note_many(["1", "2", "3"], range(2, 5), ["1", "2", "3"])
    keys.note("4", 5)
    keys.note("4", 6, "004")
    keys.note_many(["5", "6"], range(7, 9))
    keys.noted()  # joins the pending keys
    assert keys.written == [None, "4\x00004", None]
    assert keys.described() == ["'004' at line 6 (first at line 5 as '4')"]


# --- a key cell read as its record is keyed --------------------------------------------------------------------

def spec_keyed_by(kind: str, **extra: Any) -> RecordTypeSpec:
    """A record type ``thing`` whose key ``ref`` is of type ``kind``, with a flag beside it."""
    return RecordTypeSpec.model_validate({
        "name": "thing", "title": "t", "description": "t", "key": "ref",
        "fields": {"ref": {"type": kind, "required": True, "description": "key", **extra},
                   "b1": {"type": "bool", "description": "a flag"}}})


# per key type: cells written as their key, and others its records are keyed by too, or rejected for
_WRITTEN = {
    "int": ["7", "007", "+7", " 7", "7.0", "7_0", "-0", "0", "-7", "1e1", "seven", "7\x007"],
    "string": ["A", " A", "A ", "\x1cA", "A\x1f", "\xa0A", "\u2003A", "a", "seven"],
    "enum": ["red", "RED", " red", "Blue", "blue", " BLUE ", "green"],
    "date": ["2021-01-01", "2021-1-1", " 2021-01-01", "2021-02-30", "01/01/2021", "20210101", "SEVEN"],
    "datetime": ["2021-01-01T10:00:00", "2021-01-01 10:00:00", "2021-01-01T10:00", "2021-01-01T09:00:00Z",
                 "2021-01-01T10:00:00+01:00", "2021-03-28T01:30:00", "01/01/2021", "2021-01-01"],
    "float": ["7", "7.0", "07", "+7", "7e0", "-0", "0.0", "nan", "inf"],
    "bool": ["True", "true", "False", "1", "yes", " no", "Seven", "2"],
    "duration": ["PT1H", "3600", "01:00:00", "P1D", "x"],
}
_EXTRA = {"enum": {"values": ["red", "Blue"]}}
_MAPPINGS = {"none": None,
             "values": {"values": {"ref": {"seven": "7", "Seven": True, "SEVEN": "2021-01-01"}}},
             "format": {"formats": {"ref": "%d/%m/%Y"}}}


@pytest.mark.parametrize("mapping", sorted(_MAPPINGS))
@pytest.mark.parametrize("kind", sorted(_WRITTEN))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_a_key_cell_is_read_as_the_row_path_keys_its_record(kind: str, mapping: str, data: st.DataObject):
    """KeyCells against RowShaper and pydantic, which read the rows: a valid row's key is what they name
    its record by, whether the chunk's cells are each written as their key or not."""
    if mapping == "format" and kind not in ("date", "datetime"):
        return
    cell = st.one_of(st.sampled_from(_WRITTEN[kind]), st.text(st.sampled_from("07+- .:TAa\x1c\xa0"), max_size=4))
    cells = data.draw(st.lists(cell, min_size=1, max_size=3))
    spec = spec_keyed_by(kind, **_EXTRA.get(kind, {}))
    mapped = None if _MAPPINGS[mapping] is None else ColumnMapping.model_validate(
        {"name": "m", "record_type": "thing", **_MAPPINGS[mapping]})  # type: ignore[arg-type]
    shaper = RowShaper(spec, ["ref"], mapped, RowValidator(spec, record_validator(spec)),
                       lambda line, _column: Location("t.csv", line))
    read = KeyCells(spec, mapped)
    keys = read.keys(cells)
    for i, cell in enumerate(cells):
        row = shaper.convert([cell], 2)
        key = cell if keys is None else keys[i]
        if isinstance(row, RecordRow):
            assert key == row.key
        assert key == read.key(cell)  # a rejected row's key: compared as written (without spaces around)


# --- every input path and engine -------------------------------------------------------------------------------

AS_OF = dt.date(2022, 4, 1)


@pytest.fixture(scope="module")
def pack_keyed_by(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], CompiledPack]:
    """A pack of one rule over ``thing`` records, keyed by a field of the given type (made once each)."""
    made: dict[str, CompiledPack] = {}

    def pack(kind: str) -> CompiledPack:
        if kind not in made:
            spec = spec_keyed_by(kind, **_EXTRA.get(kind, {}))
            root = write_pack(tmp_path_factory.mktemp(kind), [rule_spec(0, expect={"b1": True})],
                              json.loads(spec.model_dump_json(exclude_none=True)))
            made[kind] = load_compiled_pack(root)
        return made[kind]
    return pack


def repeats(pack: CompiledPack, path: Path, engine: Engine = Engine.PYTHON, jobs: int = 1,
            cluster: str | None = None) -> list[str]:
    """The file's repeated keys as the assessment reports them."""
    options = AssessOptions(as_of=AS_OF, engine=engine, jobs=jobs, cluster=cluster)
    [source] = assess(pack, [path], options).inputs
    return source.repeated_keys


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="")
    return path


def many_rows(path: Path, keys: dict[int, str]) -> Path:
    """A CSV of 3,000 rows (three blocks of 1,000: --jobs 2 gives shard 0 the first and third), keyed
    100002, 100003 ... by line, but for the key cells given by line."""
    rows = "".join(f"{keys.get(line, 100_000 + line)},true\n" for line in range(2, 3002))
    return write(path, "ref,b1\n" + rows)


ENGINES = [Engine.PYTHON, Engine.DURABLE, Engine.COLUMNAR]
SEVENS = ["'007' at line 3 (first at line 2 as '7')", "'+7' at line 4 (first at line 2 as '7')",
          "' 7' at line 5 (first at line 2 as '7')"]


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("quoted", [False, True], ids=["by-column", "row-by-row"])
def test_an_int_key_written_three_ways_in_a_csv_is_one_key_repeated(pack_keyed_by, tmp_path: Path, engine: Engine,
                                                                     jobs: int, quoted: bool):
    """``007``, ``+7`` and `` 7`` are all read as 7: repeats of line 2's key. A chunk with no quote is
    split column by column (its keys noted so); a quote sends it through the csv module row by row."""
    first = '"7"' if quoted else "7"
    path = write(tmp_path / "thing.csv", f"ref,b1\n{first},true\n007,true\n+7,false\n 7,true\n8,true\n")
    assert repeats(pack_keyed_by("int"), path, engine, jobs) == SEVENS


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("engine", ENGINES)
def test_an_int_key_repeated_in_another_shards_block_is_found(pack_keyed_by, tmp_path: Path, engine: Engine,
                                                              jobs: int):
    """Line 1502 is in the second block of 1,000 rows (the second shard's, with --jobs 2), line 2502 in
    the third: the first shard notes every block's keys, as they are read."""
    path = many_rows(tmp_path / "thing.csv", {2: "7", 1502: "0007", 2502: "+7", 2600: "-0", 2601: "0"})
    assert repeats(pack_keyed_by("int"), path, engine, jobs) == [
        "'0007' at line 1502 (first at line 2 as '7')", "'+7' at line 2502 (first at line 2 as '7')",
        "'0' at line 2601 (first at line 2600 as '-0')"]


@pytest.mark.parametrize("engine", ENGINES)
def test_text_keys_are_compared_as_pydantic_reads_them(pack_keyed_by, tmp_path: Path, engine: Engine):
    """Spaces around a text key are dropped (so `` A`` repeats ``A``; \\x1c, which str.strip drops but pydantic
    keeps, made another key: it is a character that does not show, an error, test_key_characters); an enum
    key is read in any case where one value matches."""
    text = write(tmp_path / "thing.csv", 'ref,b1\nA,true\n A,true\n"A ",true\n')
    assert repeats(pack_keyed_by("string"), text, engine) == [
        "' A' at line 3 (first at line 2 as 'A')", "'A ' at line 4 (first at line 2 as 'A')"]
    enum = write(tmp_path / "thing.csv", "ref,b1\nred,true\nRED,true\n Red,false\nBlue,true\n")
    assert repeats(pack_keyed_by("enum"), enum, engine) == [
        "'RED' at line 3 (first at line 2 as 'red')", "' Red' at line 4 (first at line 2 as 'red')"]



def test_records_read_whole_are_keyed_by_value_and_told_as_written(pack_keyed_by, tmp_path: Path):
    """JSON Lines, JSON and YAML already compared keys by value; each repeat now names the key as the
    file wrote it on both lines."""
    pack = pack_keyed_by("int")
    jsonl = write(tmp_path / "a.thing.jsonl", '{"ref": 7}\n{"ref": "007"}\n{"ref": " +7"}\n{"ref": 7.0}\n')
    assert repeats(pack, jsonl) == ["'007' at line 2 (first at line 1 as '7')",
                                    "' +7' at line 3 (first at line 1 as '7')", "'7' at line 4 (first at line 1)"]
    document = write(tmp_path / "b.thing.json", '[{"ref": "007"}, {"ref": 7}]')
    assert repeats(pack, document) == ["'7' at record 2 (first at record 1 as '007')"]
    yaml_file = write(tmp_path / "c.yaml", "record_type: thing\nrecords:\n  - {ref: 7}\n  - {ref: '+7'}\n")
    assert repeats(pack, yaml_file) == ["'+7' at line 4 (first at line 3 as '7')"]


@pytest.mark.parametrize("reader", ["calamine", "openpyxl"])
def test_a_sheets_number_7_and_text_007_are_one_key_told_as_written(pack_keyed_by, tmp_path: Path, monkeypatch,
                                                                    reader: str):
    """A numeric cell 7 (calamine gives 7.0, openpyxl 7) and text cells "007" and "+7" are all key 7."""
    from openpyxl import Workbook

    from peelcheck.load import xlsx_reader
    monkeypatch.setattr(xlsx_reader, "READER", reader)
    book = Workbook()
    sheet = book.active
    sheet.title = "thing"
    for row in (["ref", "b1"], [7, True], ["007", True], [8, False], ["+7", False]):
        sheet.append(row)
    book.save(tmp_path / "a.thing.xlsx")
    assert repeats(pack_keyed_by("int"), tmp_path / "a.thing.xlsx") == [
        "'007' at row 3 (first at row 2 as '7')", "'+7' at row 5 (first at row 2 as '7')"]


def test_parquet_keys_are_keyed_by_value_and_told_as_written(pack_keyed_by, tmp_path: Path):
    """An int column holds each key one way; a text key's spaces around are dropped on reading."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"ref": pa.array([7, 8, 7], pa.int64())}), tmp_path / "a.thing.parquet")
    assert repeats(pack_keyed_by("int"), tmp_path / "a.thing.parquet") == ["'7' at row 3 (first at row 1)"]
    pq.write_table(pa.table({"ref": ["A", "B", " A"]}), tmp_path / "b.thing.parquet")
    assert repeats(pack_keyed_by("string"), tmp_path / "b.thing.parquet") == [
        "' A' at row 3 (first at row 1 as 'A')"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_duckdb_compares_an_int_key_by_its_value(pack_keyed_by, tmp_path: Path, jobs: int):
    """Cells DuckDB reads itself (each canonical in shape: ``007`` and ``-0`` are, ``+7`` is not): it hashes
    each row's key's value, not its text, and says what the python loader says."""
    pack = pack_keyed_by("int")
    path = many_rows(tmp_path / "thing.csv", {2: "7", 3: "007", 1502: "0007", 2600: "-0", 2601: "0"})
    said = ["'007' at line 3 (first at line 2 as '7')", "'0007' at line 1502 (first at line 2 as '7')",
            "'0' at line 2601 (first at line 2600 as '-0')"]
    source = RecordSource(path, pack.record_types["thing"])
    shards = [replace(source, shard=(k, jobs)) for k in range(jobs)] if jobs > 1 else [source]
    read = [evaluate_csv_file(shard, pack.rules, AS_OF) for shard in shards]
    assert None not in read  # DuckDB read the file (or each shard of it)
    # the first shard notes every row's key; which rows are records the merge tells (every shard rejects its own)
    assert FileQuality.merged([r.quality for r in read]).repeated_keys == said  # type: ignore[union-attr]
    assert repeats(pack, path, Engine.COLUMNAR, jobs) == said == repeats(pack, path)


# --- rejected rows are no records: not repeats, and repeated by none ------------------------------------------


@settings(max_examples=200, deadline=None)
@given(noted=_NOTED, rejected=st.sets(st.integers(1, 40)), chunk=st.integers(1, 9), parts=st.integers(1, 3))
def test_keys_at_rejected_places_repeat_nothing_and_are_repeated_by_nothing(noted: list[tuple[str, str]],
                                                                          rejected: set[int], chunk: int,
                                                                          parts: int):
    """What is said of the file is what is said of its records alone, at their own places."""
    whole, partitions = RepeatedKeys(), [RepeatedKeys(packed=True) for _ in range(parts)]
    for reader in (whole, *partitions):
        reader.CHUNK = chunk
    for i, (key, written) in enumerate(noted):
        whole.note(key, 1 + i, written)
        partitions[i % parts].note(key, 1 + i, written)
    records = [(1 + i, pair) for i, pair in enumerate(noted) if 1 + i not in rejected]
    said, firsts = [], {}
    for place, (key, written) in records:
        first = firsts.setdefault(key, (place, written))
        if first[0] != place:
            said.append(f"{written!r} at line {place} (first at line {first[0]}"
                        + (")" if first[1] == written else f" as {first[1]!r})"))
    assert whole.described(rejected) == said
    assert RepeatedKeys.combined(partitions).described(rejected) == said


def rows_with_rejects(path: Path, cells: dict[int, str]) -> Path:
    """A CSV of 3,000 rows keyed 100002, 100003 ... by line (three blocks of 1,000: --jobs 2 gives shard 0
    the first and third), but for the rows given by line (``key,b1``; ``b1`` maybe: a rejected row)."""
    rows = "".join(f"{cells.get(line, f'{100_000 + line},true')}\n" for line in range(2, 3002))
    return write(path, "ref,b1\n" + rows)


def repeats_and_rejected(pack: CompiledPack, path: Path, engine: Engine, jobs: int,
                         cluster: str | None = None) -> tuple[list[str], list[str]]:
    options = AssessOptions(as_of=AS_OF, engine=engine, jobs=jobs, cluster=cluster, skip_invalid=True)
    assessment = assess(pack, [path], options)
    return assessment.inputs[0].repeated_keys, sorted({r.location for r in assessment.rejected_rows})


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("engine", ENGINES)
def test_a_rejected_csv_row_is_not_a_repeat_nor_the_first_of_one(pack_keyed_by, tmp_path: Path, engine: Engine,
                                                                 jobs: int):
    """A CSV noted every row's key cell, rejected rows' too (other formats note records only): so under
    --skip-invalid a rejected row was reported once as rejected and again as a repeat of a record's key (or
    a record as a repeat of it); two rejected rows with blank keys were a repeated key ''. Line 1502 is in
    the second block (the second shard's, with --jobs 2: the first shard notes its keys unread)."""
    path = rows_with_rejects(tmp_path / "thing.csv", {
        2: "7,true", 1502: "7,maybe",  # a record, then a rejected row of its key
        1600: "8,maybe", 2502: "08,true",  # a rejected row, then a record of its key
        10: "5,maybe", 11: "05,maybe", 20: ",true", 21: ",false",  # rejected rows alone
        2600: "9,true", 2601: "9,maybe", 2602: "009,true"})  # a repeat of the first record, not the rejected
    found, rejected = repeats_and_rejected(pack_keyed_by("int"), path, engine, jobs)
    assert rejected == [f"{path}:{line}" for line in sorted([10, 11, 1502, 1600, 20, 21, 2601], key=str)]
    assert found == ["'009' at line 2602 (first at line 2600 as '9')"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_duckdbs_first_shard_leaves_out_the_rows_another_shard_rejects(pack_keyed_by, tmp_path: Path, jobs: int):
    """The first shard reads every key cell with DuckDB (canonical), while the second shard's rows with a
    bad cell are read, and rejected, by the python loader: the merge knows which keys were no records."""
    pack = pack_keyed_by("int")
    path = rows_with_rejects(tmp_path / "thing.csv", {2: "7,true", 1502: "7,maybe", 1600: "8,maybe",
                                                      2502: "8,true", 2600: "9,true", 2601: "9,true"})
    source = RecordSource(path, pack.record_types["thing"])
    if jobs > 1:  # DuckDB read the first shard, and not the second
        assert evaluate_csv_file(replace(source, shard=(0, 2)), pack.rules, AS_OF) is not None
        assert evaluate_csv_file(replace(source, shard=(1, 2)), pack.rules, AS_OF) is None
    found, rejected = repeats_and_rejected(pack, path, Engine.COLUMNAR, jobs)
    assert rejected == [f"{path}:1502", f"{path}:1600"]
    assert found == ["'9' at line 2601 (first at line 2600)"]
