"""Record files that would inflate counts, lose values or exhaust memory: each is refused or reported, with where."""

from __future__ import annotations

import datetime as dt
import os
import pickle
import resource
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peelcheck.errors import Location, RecordError, UsageError
from peelcheck.evaluate.runner import Engine
from peelcheck.load.records import RecordReader, RecordRow, RecordSource
from peelcheck.pipeline import AssessOptions, assess
from peelcheck.schema.records import record_validator

from .conftest import EXAMPLES

CASES = EXAMPLES / "self-assessment" / "case_file.csv"


def options(*rules: str, engine: Engine = Engine.PYTHON, jobs: int = 1) -> AssessOptions:
    return AssessOptions(as_of=dt.date(2022, 4, 1), engine=engine, only_rules=frozenset(rules) or None, jobs=jobs)


def codes(error: pytest.ExceptionInfo) -> list[str]:
    return [d.code for d in error.value.diagnostics]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --- one file counted twice -------------------------------------------------------------------------------------

def test_the_same_file_given_twice_is_refused_however_it_is_named(peel_pack, tmp_path: Path):
    copy = write(tmp_path, "case_file.csv", CASES.read_text())
    (tmp_path / "x").mkdir()
    os.symlink(copy, tmp_path / "link.case_file.csv")
    for again in (copy, tmp_path / "x" / ".." / "case_file.csv", tmp_path / "link.case_file.csv"):
        with pytest.raises(UsageError) as error:
            assess(peel_pack, [copy, again], options("PVP-001"))
        assert codes(error) == ["file-given-twice"] and error.value.diagnostics[0].location.path == str(again)


# --- repeated keys ---------------------------------------------------------------------------------------------

REPEATS = "case_ref,crime_type\nA,theft\nB,theft\nA,theft\nC,theft\nA,burglary\n"


@pytest.mark.parametrize("jobs", [1, 2])
def test_repeated_keys_in_a_csv_are_reported_with_each_place(peel_pack, tmp_path: Path, jobs: int):
    path = write(tmp_path, "case_file.csv", REPEATS)
    [source] = assess(peel_pack, [path], options("PVP-001", jobs=jobs)).inputs
    assert source.records == 5  # assessed as they are, and said
    assert source.repeated_keys == ["'A' at line 4 (first at line 2)", "'A' at line 6 (first at line 2)"]


def test_repeated_keys_in_yaml_and_json_lines_are_reported(peel_pack, tmp_path: Path):
    yaml_file = write(tmp_path, "a.yaml", "record_type: case_file\nrecords:\n  - {case_ref: A}\n  - {case_ref: B}\n"
                      "  - {case_ref: A}\n")
    jsonl = write(tmp_path, "b.case_file.jsonl", '{"case_ref": "A"}\n{"case_ref": "A"}\n')
    yaml_input, jsonl_input = assess(peel_pack, [yaml_file, jsonl], options("PVP-001")).inputs
    assert yaml_input.repeated_keys == ["'A' at line 5 (first at line 3)"]
    assert jsonl_input.repeated_keys == ["'A' at line 2 (first at line 1)"]


# --- values that would be lost --------------------------------------------------------------------------------

def test_a_column_named_twice_is_a_located_error(peel_pack, tmp_path: Path):
    path = write(tmp_path, "case_file.csv", "case_ref,serious,serious\nA,true,false\n")
    with pytest.raises(RecordError) as error:
        assess(peel_pack, [path], options("PVP-001"))
    assert codes(error) == ["duplicate-column"] and error.value.diagnostics[0].location.line == 1


def test_a_mapping_sending_two_present_columns_to_one_field_is_a_located_error(peel_pack, tmp_path: Path):
    mapping = peel_pack.mappings["police_uk_stop_search"]
    both = mapping.model_copy(update={"columns": {**mapping.columns, "Kind": mapping.columns["Type"]}})
    header = ",".join([*mapping.columns, "Kind", *mapping.ignore])
    path = write(tmp_path, "stops.csv", header + "\n")
    reader = RecordReader(RecordSource(path, peel_pack.record_types[mapping.record_type], both),
                          record_validator(peel_pack.record_types[mapping.record_type]))
    with pytest.raises(RecordError) as error:
        list(reader.batches())
    assert codes(error) == ["mapped-twice"] and "Type and Kind" in error.value.diagnostics[0].message


def test_a_json_key_written_twice_is_an_error_not_the_last_value(peel_pack, tmp_path: Path):
    document = write(tmp_path, "a.case_file.json", '[{"case_ref": "A", "serious": true, "serious": false}]')
    with pytest.raises(RecordError) as error:
        assess(peel_pack, [document], options("PVP-001"))
    assert codes(error) == ["bad-json"] and "'serious'" in error.value.diagnostics[0].message
    lines = write(tmp_path, "b.case_file.jsonl", '{"case_ref": "B"}\n{"case_ref": "A", "case_ref": "C"}\n')
    with pytest.raises(RecordError) as error:
        assess(peel_pack, [lines], options("PVP-001"))
    assert [(d.code, d.location.line) for d in error.value.diagnostics] == [("bad-record", 2)]


@pytest.mark.parametrize("engine", [Engine.PYTHON, Engine.DURABLE])
@pytest.mark.parametrize("odd", [False, True])  # all rows canonical (whole columns), or one odd row (row by row)
def test_a_blank_date_list_cell_is_not_recorded_rather_than_an_empty_list(peel_pack, tmp_path: Path, engine, odd):
    extra = "C,2021-06-01,yes,2021-05-30T10:00:00\n" if odd else ""  # 'yes': pydantic's spelling, read row by row
    # B's report time: INV-004 measures the first update from it
    path = write(tmp_path, "case_file.csv", "case_ref,victim_update_dates,serious,reported_at\nA,,,\n"
                 f"B,2021-06-01;2021-06-10,true,2021-05-30T10:00:00\n{extra}")
    [rule] = assess(peel_pack, [path], options("INV-004", engine=engine)).rules
    assert (rule.not_recorded, rule.non_compliant) == (1, 0)
    none = write(tmp_path, "case_file.csv", "case_ref,victim_update_dates\nA,none\n")  # a recorded empty list
    [rule] = assess(peel_pack, [none], options("INV-004", engine=engine)).rules
    assert (rule.not_recorded, rule.non_compliant) == (0, 1)


@pytest.mark.parametrize("blank_cell", ["not_recorded", "empty_list"])
def test_a_blank_date_list_cell_read_row_by_row_follows_the_field(peel_pack, tmp_path: Path, blank_cell: str):
    """'yes' sends the row through the mapping/pydantic path (RowShaper), not the canonical fast paths."""
    from peelcheck.load.rows import RowValidator
    from peelcheck.load.shaping import RowShaper
    spec = peel_pack.record_types["case_file"]
    field = spec.fields["victim_update_dates"].model_copy(update={"blank_cell": blank_cell})
    spec = spec.model_copy(update={"fields": {**spec.fields, "victim_update_dates": field}})
    fields = ["case_ref", "victim_update_dates", "serious"]
    shaper = RowShaper(spec, fields, None, RowValidator(spec, record_validator(spec)),
                       lambda line, _column: Location("t.csv", line))
    blank, none = shaper.convert(["A", "", "yes"], 2), shaper.convert(["B", " None ", "yes"], 3)
    assert isinstance(blank, RecordRow) and isinstance(none, RecordRow)
    assert blank.values.get("victim_update_dates") == ([] if blank_cell == "empty_list" else None)
    assert none.values["victim_update_dates"] == []


def test_repeated_keys_in_a_workbook_are_placed_by_sheet_row(peel_pack, tmp_path: Path):
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.title = "case_file"
    for row in (["case_ref", "serious"], ["A", True], ["B", False], ["A", True]):
        sheet.append(row)
    path = tmp_path / "cases.case_file.xlsx"
    book.save(path)
    [source] = assess(peel_pack, [path], options("PVP-001")).inputs
    assert source.repeated_keys == ["'A' at row 4 (first at row 2)"]


# --- resource exhaustion ------------------------------------------------------------------------------------------

LAUGHS = "record_type: case_file\nrecords:\n  - case_ref: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"  - case_ref: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi"))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_a_yaml_alias_bomb_is_refused_at_its_place_without_filling_memory(peel_pack, tmp_path: Path):
    path = write(tmp_path, "bomb.yaml", LAUGHS)
    assert len(LAUGHS) < 600
    before = _peak_mb()
    with pytest.raises(RecordError) as error:
        assess(peel_pack, [path], options("PVP-001"))
    assert codes(error) == ["yaml-syntax"] and error.value.diagnostics[0].location.line is not None
    assert _peak_mb() - before < 100


def test_a_rule_file_alias_bomb_and_deep_nesting_are_validate_errors(tmp_path: Path):
    from peelcheck.load.compose import load_pack
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "area").mkdir()
    write(pack / "area", "BOMB-001.yaml", LAUGHS.replace("record_type: case_file\nrecords:\n", "id: BOMB-001\nx:\n"))
    write(pack / "area", "DEEP-001.yaml", "id: DEEP-001\nwhen: " + "{not: " * 300 + "{a: 1}" + "}" * 300 + "\n")
    problems = {Path(d.location.path).name: d.code for d in load_pack(pack).diagnostics if d.location.line}
    assert problems == {"BOMB-001.yaml": "yaml-syntax", "DEEP-001.yaml": "yaml-syntax"}


@pytest.mark.parametrize("name, text", [
    ("a.case_file.json", '[{"case_ref": "A", "outcome_code": 1' + "0" * 5000 + "}]"),
    ("a.case_file.jsonl", '{"case_ref": "A", "outcome_code": 1' + "0" * 5000 + "}\n"),
    ("a.yaml", "record_type: case_file\nrecords:\n  - {case_ref: A, outcome_code: 1" + "0" * 5000 + "}\n"),
    ("deep.case_file.json", "[" * 100_000 + "]" * 100_000),  # nesting: "nested too deeply to read"
])
def test_an_outsize_number_or_nesting_is_a_located_error(peel_pack, tmp_path: Path, name: str, text: str):
    path = write(tmp_path, name, text)
    with pytest.raises(RecordError) as error:
        assess(peel_pack, [path], options("PVP-001"))
    assert error.value.diagnostics[0].location.path == str(path)


def test_an_outsize_csv_cell_or_line_is_a_located_error_read_no_further_than_the_limit(peel_pack, tmp_path: Path):
    from peelcheck.load import input_guards
    cell = write(tmp_path, "case_file.csv", "case_ref,crime_type\nA,theft\nB," + "x" * 200_000 + "\n")
    with pytest.raises(RecordError) as error:
        assess(peel_pack, [cell], options("PVP-001"))
    assert [(d.code, d.location.line) for d in error.value.diagnostics] == [("bad-csv", 3)]
    line = write(tmp_path, "case_file.csv", "case_ref,crime_type\nA,theft\nB,x\n" + "C" * 20_000_000)
    before = _peak_mb()
    with pytest.raises(RecordError) as error:
        assess(peel_pack, [line], options("PVP-001"))
    assert [(d.code, d.location.line) for d in error.value.diagnostics] == [("line-too-long", 4)]
    assert input_guards.MAX_LINE_CHARS < 20_000_000 and _peak_mb() - before < 200


def test_a_yaml_file_past_the_size_limit_is_refused_before_it_is_read(peel_pack, tmp_path: Path, monkeypatch):
    from peelcheck.errors import PackError
    from peelcheck.load import yaml_positions, yaml_stream
    monkeypatch.setattr(yaml_stream, "MAX_RECORD_FILE_BYTES", 1000)
    monkeypatch.setattr(yaml_positions, "MAX_YAML_BYTES", 1000)
    path = write(tmp_path, "a.yaml", "record_type: case_file\nrecords:\n" + "  - {case_ref: A}\n" * 100)
    with pytest.raises(RecordError) as error:
        assess(peel_pack, [path], options("PVP-001"))
    assert codes(error) == ["file-too-large"]
    with pytest.raises(PackError) as error:  # a pack file
        yaml_positions.load_yaml_file(path)
    assert codes(error) == ["file-too-large"]


def test_a_yaml_record_file_is_read_record_by_record(peel_pack, tmp_path: Path):
    """Peak memory follows one record, not the file: 40,000 records (about 8 MB) cost far less than the
    whole-document load did (about 85 bytes of memory per byte of YAML)."""
    record = "  - {case_ref: CF-%d, serious: true, crime_type: theft, reported_at: 2021-03-03T14:00:00}\n"
    path = write(tmp_path, "big.yaml", "record_type: case_file\nrecords:\n" + "".join(record % i
                                                                                      for i in range(40_000)))
    before = _peak_mb()
    [source] = assess(peel_pack, [path], options("PVP-001")).inputs
    assert source.records == 40_000 and source.repeated_keys == []
    assert _peak_mb() - before < 150, f"{_peak_mb() - before:.0f} MB"


def test_a_record_type_may_say_a_blank_date_list_cell_is_an_empty_list():
    """For exports that write "no updates" as a blank (peer-bench does): every reading path agrees."""
    from peelcheck.load.fast_cells import converter, row_converter
    from peelcheck.load.fast_columns import column_converter
    from peelcheck.schema.pack import FieldSpec, RecordTypeSpec
    spec = RecordTypeSpec.model_validate({
        "name": "t", "title": "t", "description": "t", "key": "ref", "fields": {
            "ref": {"type": "string", "required": True, "description": "key"},
            "dates": {"type": "date_list", "description": "d", "blank_cell": "empty_list"}}})
    assert converter(spec.fields["dates"])("") == []
    assert column_converter(spec.fields["dates"])(["", "2021-01-01"]) == [[], [dt.date(2021, 1, 1)]]
    assert row_converter(["ref", "dates"], spec)(["A", ""]) == {"ref": "A", "dates": []}
    with pytest.raises(ValueError):
        FieldSpec.model_validate({"type": "date", "description": "d", "blank_cell": "empty_list"})


def test_a_field_named_like_an_engines_own_column_is_refused():
    """The columnar engine derives ``<field>__day`` from each datetime: a field of that name would be
    read in its place, so a record type may not name a field with a double underscore."""
    from pydantic import ValidationError

    from peelcheck.schema.pack import RecordTypeSpec
    with pytest.raises(ValidationError, match="attended_at__day"):
        RecordTypeSpec.model_validate({
            "name": "t", "title": "t", "description": "t", "key": "ref", "fields": {
                "ref": {"type": "string", "required": True, "description": "key"},
                "attended_at": {"type": "datetime", "description": "when"},
                "attended_at__day": {"type": "int", "description": "a day number of the force's own"}}})


@pytest.mark.parametrize("chunk", [1, 7, 20_000])  # keys joined one at a time, seven at a time, or kept in Python
def test_repeated_keys_are_exact_however_the_keys_are_gathered(monkeypatch, chunk: int):
    from peelcheck.load.repeated_keys import RepeatedKeys
    monkeypatch.setattr(RepeatedKeys, "CHUNK", chunk)
    keys = RepeatedKeys()
    for line, key in enumerate([f"K{i}" for i in range(500)] + ["K7", "K499", "K7"], start=2):
        keys.note(key, line)
    keys.note_many(["\ud800", "K\u00e9", "\ud800", "K7", "k7 "], range(600, 605))  # a lone surrogate (JSON)
    keys.note_many(["K\u00e9", "K\x00", "K", "K\x00"], range(700, 704))  # NUL: what keys are joined by
    assert keys.described() == ["'K7' at line 502 (first at line 9)", "'K499' at line 503 (first at line 501)",
                                "'K7' at line 504 (first at line 9)", "'\\ud800' at line 602 (first at line 600)",
                                "'K7' at line 603 (first at line 9)", "'Ké' at line 700 (first at line 601)",
                                "'K\\x00' at line 703 (first at line 701)"]
    unique = RepeatedKeys()
    unique.note_many([f"K{i}" for i in range(50)], range(50))
    assert unique.described() == []


@settings(max_examples=300, deadline=None)
@given(keys=st.lists(st.text(st.sampled_from("ab\u00e9\ud800\x00"), max_size=3), max_size=40), chunk=st.integers(1, 9),
       order=st.sampled_from(["as drawn", "sorted", "sorted in fours"]), slots=st.sampled_from([2, 1 << 23]),
       part=st.integers(1, 5), weak_hash=st.booleans())
def test_repeated_keys_are_each_record_whose_key_came_before(keys: list[str], chunk: int, order: str, slots: int,
                                                            part: int, weak_hash: bool):
    """Against the definition, however the keys come: sorted keys have their repeats side by side (or
    none), keys sorted only within each note have them across notes; NUL is what keys are joined by.
    Keys in no order are looked at by hash: with a table of two slots every key is flagged, and with
    a hash of the key's length different keys share hashes, and still only equal keys are repeats."""
    from peelcheck.load import repeated_keys
    if order == "sorted":
        keys = sorted(keys)
    elif order == "sorted in fours":
        keys = [key for at in range(0, len(keys), 4) for key in sorted(keys[at:at + 4])]
    saved = repeated_keys._SLOTS, repeated_keys._PART
    repeated_keys._SLOTS, repeated_keys._PART = slots, part
    if weak_hash:
        repeated_keys.hash = len  # type: ignore[attr-defined]
    try:
        noted = repeated_keys.RepeatedKeys()
        noted.CHUNK = chunk
        for at in range(0, len(keys), 4):  # notes of four, numbered by line from 10
            noted.note_many(keys[at:at + 4], range(10 + at, 10 + at + len(keys[at:at + 4])))
        said = noted.described()
    finally:
        repeated_keys._SLOTS, repeated_keys._PART = saved
        vars(repeated_keys).pop("hash", None)
    assert said == [f"{key!r} at line {10 + i} (first at line {10 + keys.index(key)})"
                    for i, key in enumerate(keys) if keys.index(key) != i]


def test_repeated_keys_in_a_json_document_are_placed_by_record_number(peel_pack, tmp_path: Path):
    path = write(tmp_path, "a.case_file.json", '[{"case_ref": "A"}, {"case_ref": "B"}, {"case_ref": "A"}]')
    [source] = assess(peel_pack, [path], options("PVP-001")).inputs
    assert source.repeated_keys == ["'A' at record 3 (first at record 1)"]


def test_json_document_records_are_placed_at_their_line(peel_pack, tmp_path: Path):
    path = write(tmp_path, "a.case_file.json", '{"record_type": "case_file",\n "records": [\n  {"case_ref": "A"},\n'
                 '  {"case_ref": "B", "serious": "maybe"},\n  {"case_ref": "C", "x": 1, "x": 2}\n]}\n')
    with pytest.raises(RecordError) as error:
        assess(peel_pack, [path], options("PVP-001"))
    assert [(d.code, d.location.line, d.location.column) for d in error.value.diagnostics] == [("bad-json", 5, 3)]
    path.write_text('[{"case_ref": "A"},\n {"case_ref": "B", "serious": "maybe"}]')
    with pytest.raises(RecordError) as error:
        assess(peel_pack, [path], options("PVP-001"))
    assert [(d.code, str(d.location)) for d in error.value.diagnostics] == [("bad-record", f"{path}:2:2")]


@settings(max_examples=200, deadline=None)
@given(keys=st.lists(st.text(st.sampled_from("ab\u00e9\x00"), max_size=2), max_size=60), parts=st.integers(1, 4),
       block=st.integers(1, 7), chunk=st.integers(1, 9), in_turn=st.booleans(), ordered=st.booleans(),
       sent=st.booleans(), packed=st.booleans())
def test_keys_noted_by_a_files_partitions_combine_into_the_whole_files_repeats(
        keys: list[str], parts: int, block: int, chunk: int, in_turn: bool, ordered: bool, sent: bool, packed: bool):
    """A file on a cluster: each partition notes the keys of its own blocks of rows (a Parquet file's
    row groups, taken in turn) or of one stretch of them (a CSV's byte range); put together, they say
    what one reader of the whole file says, row for row, keys in order or not."""
    from peelcheck.load.repeated_keys import RepeatedKeys

    keys = sorted(keys) if ordered else keys
    whole, noted = RepeatedKeys("row"), [RepeatedKeys("row", packed) for _ in range(parts)]
    for reader in (whole, *noted):
        reader.CHUNK = chunk
    for row, key in enumerate(keys, start=1):
        whole.note(key, row)
        noted[(row - 1) // block % parts if in_turn else (row - 1) * parts // len(keys)].note(key, row)
    if sent:  # as a cluster's workers send them (their text compressed)
        noted = [pickle.loads(pickle.dumps(part)) for part in noted]
    assert RepeatedKeys.combined(noted).described() == whole.described()


def test_an_empty_chunk_of_keys_leaves_no_mark_on_the_parts_combined():
    """A partition may note a chunk of no rows (DuckDB can hand back an empty batch): combining the parts
    compares each part's first and last places, which an empty run would not have."""
    from peelcheck.load.repeated_keys import RepeatedKeys

    first, second = RepeatedKeys(), RepeatedKeys()
    first.note_many([], range(5, 5))
    first.note("x", 1)
    second.note("x", 2)
    second.note_many([], range(9, 9))
    assert RepeatedKeys.combined([first, second]).described() == ["'x' at line 2 (first at line 1)"]
