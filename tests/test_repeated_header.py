"""A data row that repeats the header (two exports joined: ``cat a.csv b.csv > all.csv``) is a rejected row of
its own, ``repeated-header``, at its line, the same on every engine, --jobs and --cluster: where every column
read was text, it was read as a record keyed by the key column's name."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import Result

from peelcheck.compile.pack_check import load_compiled_pack
from peelcheck.evaluate.columnar_csv import evaluate_csv_file
from peelcheck.exitcodes import ExitCode
from peelcheck.load.records import RecordSource

from .pack_factory import rule_spec, write_pack
from .test_key_characters import assess, errors, write
from .test_repeated_keys import AS_OF
from .workbooks import workbook

CODE = "repeated-header"
HEADER = "ref,name,note"
# a record type whose columns in the files are all text; its typed fields are optional and have no column
THING = {"name": "thing", "title": "t", "description": "t", "key": "ref",
         "fields": {"ref": {"type": "string", "required": True, "description": "key"},
                    "name": {"type": "string", "required": True, "description": "a name"},
                    "note": {"type": "string", "description": "a note"},
                    "b1": {"type": "bool", "description": "a flag"},
                    "opened": {"type": "date", "description": "a day"}}}
# the header again at line 4, in the second block of 1,000 rows (the second shard's with --jobs 2) and near the end
AGAIN = (4, 1502, 2990)


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_pack(tmp_path_factory.mktemp("pack"), [rule_spec(0, expect={"name": {"recorded": True}})], THING)


def joined(path: Path, again: tuple[int, ...] = AGAIN, header: str = HEADER, rows: int = 3000,
           repeat: str | None = None) -> Path:
    """A CSV of ``rows`` rows (line n: key R<n>), the header written again (or ``repeat``) at the lines given."""
    lines = [repeat or header if n in again else f"R{n:05d},name {n},note {n}" for n in range(2, rows + 2)]
    return write(path, header + "\n" + "\n".join(lines) + "\n")


def assert_rejected(result: Result, places: list[str]) -> None:
    assert result.exit_code == ExitCode.ERROR, result.stderr
    assert errors(result) == [(place, CODE) for place in places]


def assert_set_aside(result: Result, places: list[str], records: int) -> None:
    """Rejected rows, counted and listed with their code; the rest assessed; no key repeated (the header rows,
    each keyed 'ref', are no records)."""
    assert result.exit_code == ExitCode.INCOMPLETE, result.stderr
    report = json.loads(result.stdout)
    assert [(r["location"], r["code"]) for r in report["rejected_rows"]] == [(place, CODE) for place in places]
    [read] = report["inputs"]
    assert (read["records"], read["rejected"], read["repeated_keys"]) == (records, len(places), [])


# --- CSV: every engine, --jobs, byte ranges, standard input -------------------------------------------------------

@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("engine", ["python", "durable", "columnar"])
def test_a_repeated_header_is_an_error_at_its_line(pack, tmp_path, engine, jobs):
    path = joined(tmp_path / "thing.csv")
    assert_rejected(assess(pack, path, "--engine", engine, "--jobs", jobs), [f"{path}:{n}" for n in AGAIN])


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("engine", ["python", "durable", "columnar"])
def test_skip_invalid_sets_the_repeated_headers_aside(pack, tmp_path, engine, jobs):
    path = joined(tmp_path / "thing.csv")
    result = assess(pack, path, "--engine", engine, "--jobs", jobs, "--skip-invalid")
    assert_set_aside(result, [f"{path}:{n}" for n in AGAIN], 3000 - len(AGAIN))


@pytest.mark.parametrize("engine", ["python", "columnar"])
def test_a_csv_cut_into_byte_ranges_rejects_the_row(pack, tmp_path, engine):
    """--cluster cuts the file into byte ranges, each read by DuckDB (columnar) or the python loader."""
    path = joined(tmp_path / "thing.csv")
    assert_rejected(assess(pack, path, "--engine", engine, "--cluster", "local:2"), [f"{path}:{n}" for n in AGAIN])


def test_duckdb_declines_the_file_and_still_reads_a_clean_one(pack, tmp_path):
    """The columnar engine's DuckDB reader took the repeated header as a record: it now leaves a file holding one
    to the python loader, whole or each of --jobs 2's shards (line 1502 is the second's; the first notes every
    row's key)."""
    compiled = load_compiled_pack(pack)
    clean = RecordSource(joined(tmp_path / "clean.thing.csv", ()), compiled.record_types["thing"])
    again = replace(clean, path=joined(tmp_path / "again.thing.csv", (1502,)))
    for source in (clean, replace(clean, shard=(0, 2)), replace(clean, shard=(1, 2))):
        assert evaluate_csv_file(source, compiled.rules, AS_OF) is not None
    for source in (again, replace(again, shard=(0, 2)), replace(again, shard=(1, 2))):
        assert evaluate_csv_file(source, compiled.rules, AS_OF) is None


@pytest.mark.parametrize("engine", ["python", "columnar"])
def test_spaces_and_a_byte_order_mark_around_the_names_are_dropped_as_the_headers_are(pack, tmp_path, engine):
    """The second export's header after its byte-order mark, or with spaces around its names, or quoted, is the
    header again; a row holding the names in another order, or one of them changed, is a record."""
    path = write(tmp_path / "thing.csv", f"{HEADER}\nR1,Ann,\n\ufeff{HEADER}\nR2,Bob,\n ref , name,note \n"
                                         'R3,Cy,\n"ref","name","note"\nname,ref,note\nref,name,note2\n')
    result = assess(pack, path, "--engine", engine, "--skip-invalid")
    assert_set_aside(result, [f"{path}:{n}" for n in (3, 5, 7)], 5)


@pytest.mark.parametrize("engine", ["python", "columnar"])
def test_the_header_as_the_file_writes_it_whatever_a_mapping_renames(pack, tmp_path, engine):
    """A mapping renames the export's columns (and ignores a typed one): the repeated header is the export's, not
    the field names; a row of field names is a record like any other."""
    mapping = write(tmp_path / "export.mapping.yaml", "name: export\nrecord_type: thing\ncolumns:\n  Case Ref: ref\n"
                                                      "  Name: name\nignore: [Created]\n")
    header = "Case Ref,Name,Created"
    path = write(tmp_path / "export.csv", f"{header}\nR1,Ann,2021-01-01\n{header}\nR2,Bob,2021-01-02\n"
                                          "ref,name,created\n")
    result = assess(pack, path, "--engine", engine, "--mapping", str(mapping), "--skip-invalid")
    assert_set_aside(result, [f"{path}:3"], 3)


def test_a_file_keyed_by_its_rows(pack, tmp_path):
    """A file with no key column (``key_from_row``), whose header's first name is looked at first: its header
    again is rejected as well, not a record of its own."""
    mapping = write(tmp_path / "rows.mapping.yaml", "name: rows\nrecord_type: thing\nkey_from_row: true\n")
    path = write(tmp_path / "calls.csv", "name,note\nAnn,x\nname,note\nBob,y\nname,note\n")
    result = assess(pack, path, "--mapping", str(mapping), "--skip-invalid")
    assert_set_aside(result, [f"{path}:3", f"{path}:5"], 2)


def test_typed_columns_name_the_problem_too(tmp_path):
    """Where a column is typed (an int key, a yes/no), the header again failed as a bad record at a cell; it is
    now named for what it is, once, at its line."""
    spec = {**THING, "fields": {**THING["fields"], "ref": {"type": "int", "required": True, "description": "key"}}}
    root = write_pack(tmp_path / "pack", [rule_spec(0, expect={"name": {"recorded": True}})], spec)
    path = write(tmp_path / "thing.csv", "ref,name,b1\n1,Ann,true\nref,name,b1\n2,Bob,false\n")
    for engine in ("python", "columnar"):
        assert_rejected(assess(root, path, "--engine", engine), [f"{path}:3"])


def test_standard_input(pack):
    text = f"{HEADER}\nR1,Ann,\n{HEADER}\nR2,Bob,\n"
    assert_rejected(assess(pack, "-", "--type", "thing", stdin=text.encode()), ["<stdin>:3"])


# --- workbooks ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("reader", ["calamine", "openpyxl"])
def test_a_sheets_header_repeated_is_an_error_at_its_row(pack, tmp_path, monkeypatch, reader):
    """Two exports pasted one under the other in a sheet: the second's header row (a name with a space after it
    too), by either reader, with and without --skip-invalid."""
    monkeypatch.setattr("peelcheck.load.xlsx_reader.READER", reader)
    header = ["ref", "name", "note"]
    path = workbook(tmp_path / "a.thing.xlsx", [header, ["R1", "Ann", None], ["R2", "Bob", "x"], header,
                                                ["R3", "Cy", None], ["ref ", "name", "note"], ["R4", "Di", None]])
    places = [f"{path}[thing]!A{row}" for row in (4, 6)]
    assert_rejected(assess(pack, path), places)
    assert_set_aside(assess(pack, path, "--skip-invalid"), places, 4)
