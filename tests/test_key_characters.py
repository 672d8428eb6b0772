"""A key holding a character that does not show (a byte-order mark where two exports were joined, a NUL, a
zero-width space...) is an error at its cell, ``invisible-character-in-key``, the same on every reader and
engine: it looked like another record's key but named a record of its own, so the repeat went unreported."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from peelcheck.cli.main import cli
from peelcheck.compile.pack_check import load_compiled_pack
from peelcheck.evaluate.columnar_csv import evaluate_csv_file
from peelcheck.exitcodes import ExitCode
from peelcheck.load.records import RecordSource
from peelcheck.schema.key_text import UNSEEN_CLASS_RE2, shows_all

from .pack_factory import rule_spec, write_pack
from .test_repeated_keys import AS_OF, spec_keyed_by
from .workbooks import workbook

CODE = "invisible-character-in-key"
KEY = "WM21-CF-{:05d}"
READERS = ["calamine", "openpyxl"]


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pack of one rule over ``thing`` records (a text key ``ref``, a flag ``b1`` the rule expects true)."""
    spec = spec_keyed_by("string")
    return write_pack(tmp_path_factory.mktemp("pack"), [rule_spec(0, expect={"b1": True})],
                      json.loads(spec.model_dump_json(exclude_none=True)))


def assess(pack: Path, path: Path | str, *extra: str, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(cli, ["assess", "--pack", str(pack), "--as-of", AS_OF.isoformat(), "--format", "json",
                                    *extra, str(path)], input=stdin)


def errors(result: Result) -> list[tuple[str, str]]:
    """(place, code) of each problem on stderr."""
    return re.findall(r"^(.*?): error: .*\[([a-z-]+)\]$", result.stderr, flags=re.M)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="")
    return path


# --- which characters ---------------------------------------------------------------------------------------------

NAMED = ["\x00", "\x01", "\t", "\x1c", "\x1f", "\x7f", "\x80", "\x85", "\x9f", "\xad", "\u200b", "\u200c", "\u200d",
         "\u200e", "\u202e", "\u2060", "\u2066", "\ufe0f", "\ufeff", "\U000e0041"]
SHOWN = ["A", "-", " ", "\xa0", "\u2003", "\u3000", "\xe9", "\u0301", "\u0600", "\U0001f600", "\ufffd"]


def test_controls_and_default_ignorable_characters_are_unseen_and_shown_ones_are_not():
    """Every control character of Unicode (C0, DEL, C1), the soft hyphen, zero-width spaces and joiners, the word
    joiner, bidirectional marks, variation selectors, the byte-order mark and tags; never a letter, an accent
    (it shows on its letter), a space of any width (a lookalike, but one that shows), or an emoji."""
    controls = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cc"]
    assert not any(shows_all(c) or shows_all(f"A{c}B") for c in controls + NAMED)
    assert all(shows_all(c) and shows_all(f"A{c}B") for c in SHOWN)


def test_duckdb_finds_the_same_characters():
    """The class DuckDB searches a text key with (RE2's escapes) holds what Python's does, end to end of each range."""
    import duckdb

    ends = [0, 0x1F, 0x7F, 0x9F, 0xAD, 0x200B, 0x200F, 0x2060, 0x206F, 0xFEFF, 0x1D173, 0x1D17A, 0xE0000, 0xE0FFF]
    edges = sorted({end + step for end in ends for step in (-1, 0, 1)} - {-1})
    texts = [f"A{chr(c)}B" for c in edges]
    search = f"SELECT regexp_matches(?, '[{UNSEEN_CLASS_RE2}]')"
    found = [duckdb.execute(search, [text]).fetchone()[0] for text in texts]
    assert found == [not shows_all(text) for text in texts]


# --- CSV: every engine, --jobs, byte ranges, standard input -------------------------------------------------------

# line -> key cell, each looking like the key of the record at an earlier line (a byte-order mark, a zero-width
# space, a word joiner, a C0 and a C1 control, a soft hyphen); line 1502 is in the second block of 1,000 rows
# (the second shard's, with --jobs 2), the others in the first or third
HIDDEN = {3: "\ufeff" + KEY.format(2), 1502: KEY.format(10).replace("-", "\u200b-", 1), 2502: KEY.format(20) + "\u2060",
          2600: "\x1f" + KEY.format(30), 2700: KEY.format(40).replace("-", "\xad-", 1),
          2800: KEY.format(50).replace("-", "\x85-", 1)}
ESCAPED = {3: r"'\ufeffWM21-CF-00002'", 1502: r"'WM21\u200b-CF-00010'", 2502: r"'WM21-CF-00020\u2060'",
           2600: r"'\x1fWM21-CF-00030'", 2700: r"'WM21\xad-CF-00040'", 2800: r"'WM21\x85-CF-00050'"}


def keyed_rows(path: Path, keys: dict[int, str]) -> Path:
    """A CSV of 3,000 rows, line n keyed WM21-CF-n, but for the key cells given by line."""
    rows = "".join(f"{keys.get(line, KEY.format(line))},true\n" for line in range(2, 3002))
    return write(path, "ref,b1\n" + rows)


def assert_rejected_at_their_lines(result: Result, path: Path | str, lines: dict[int, str]) -> None:
    assert result.exit_code == ExitCode.ERROR, result.stderr
    assert errors(result) == [(f"{path}:{line}", CODE) for line in sorted(lines)]
    for line, shown in lines.items():  # field and value named, the value escaped
        assert re.search(f"^{re.escape(str(path))}:{line}: error: ref: .*\\(value {re.escape(shown)}\\)", result.stderr,
                         flags=re.M)


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("engine", ["python", "durable", "columnar"])
def test_a_csv_key_holding_a_character_that_does_not_show_is_an_error_at_its_line(pack, tmp_path, engine, jobs):
    path = keyed_rows(tmp_path / "thing.csv", HIDDEN)
    result = assess(pack, path, "--engine", engine, "--jobs", jobs)
    assert_rejected_at_their_lines(result, path, ESCAPED)


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("engine", ["python", "columnar"])
def test_skip_invalid_sets_the_rows_aside_as_any_bad_row(pack, tmp_path, engine, jobs):
    """The results cover the other records, and are incomplete (exit 3); no key is said to repeat: each row that
    looked like a repeat is no record."""
    path = keyed_rows(tmp_path / "thing.csv", HIDDEN)
    result = assess(pack, path, "--engine", engine, "--jobs", jobs, "--skip-invalid")
    assert result.exit_code == ExitCode.INCOMPLETE, result.stderr
    report = json.loads(result.stdout)
    assert [(r["location"], r["field"], r["code"]) for r in report["rejected_rows"]] == [
        (f"{path}:{n}", "ref", CODE) for n in HIDDEN]
    assert report["rejected_rows"][0]["value"] == HIDDEN[3]
    assert report["inputs"][0]["records"] == 3000 - len(HIDDEN) and report["inputs"][0]["repeated_keys"] == []


@pytest.mark.parametrize("engine", ["python", "columnar"])
def test_nul_del_and_c1_controls_in_a_key_are_errors(pack, tmp_path, engine):
    """A NUL (which also keeps DuckDB from the file), DEL, and a C1 control in a quoted cell read row by row."""
    path = write(tmp_path / "thing.csv", f'ref,b1\n{KEY.format(1)},true\n{KEY.format(1)}\x00,true\n'
                                         f'\x7f{KEY.format(1)},true\n"{KEY.format(1)}\x9b",true\n')
    result = assess(pack, path, "--engine", engine)
    assert_rejected_at_their_lines(result, path, {3: r"'WM21-CF-00001\x00'", 4: r"'\x7fWM21-CF-00001'",
                                                  5: r"'WM21-CF-00001\x9b'"})


def test_spaces_around_a_key_are_dropped_not_counted(pack, tmp_path):
    """A tab or a next-line control (C1's NEL) at a key's ends is dropped on reading, as spaces are: the key is
    the same, and its repeat is reported; inside a key, a tab is an error."""
    path = write(tmp_path / "thing.csv", 'ref,b1\nA,true\n"A\t",true\n\x85A,true\n"A\tB",true\n')
    result = assess(pack, path, "--engine", "python", "--skip-invalid")
    report = json.loads(result.stdout)
    assert [r["location"] for r in report["rejected_rows"]] == [f"{path}:5"]
    assert report["inputs"][0]["repeated_keys"] == ["'A\\t' at line 3 (first at line 2 as 'A')",
                                                    "'\\x85A' at line 4 (first at line 2 as 'A')"]


def test_duckdb_declines_the_file_and_reads_it_clean(pack, tmp_path):
    """The columnar engine's DuckDB reader took a text key as any text: it now leaves such a file to the python
    loader (which rejects the row), whole or each of --jobs 2's shards (line 1502 is the second's; the first
    notes every row's key), and still reads a clean one."""
    compiled = load_compiled_pack(pack)
    clean = RecordSource(keyed_rows(tmp_path / "clean.thing.csv", {}), compiled.record_types["thing"])
    hidden = replace(clean, path=keyed_rows(tmp_path / "hidden.thing.csv", {1502: KEY.format(20) + "\u2060"}))
    for source in (clean, replace(clean, shard=(0, 2)), replace(clean, shard=(1, 2))):
        assert evaluate_csv_file(source, compiled.rules, AS_OF) is not None
    for source in (hidden, replace(hidden, shard=(0, 2)), replace(hidden, shard=(1, 2))):
        assert evaluate_csv_file(source, compiled.rules, AS_OF) is None


@pytest.mark.parametrize("engine", ["python", "columnar"])
def test_a_csv_cut_into_byte_ranges_rejects_the_rows(pack, tmp_path, engine):
    """--cluster cuts a CSV into byte ranges, each read by DuckDB (columnar) or the python loader."""
    path = keyed_rows(tmp_path / "thing.csv", HIDDEN)
    result = assess(pack, path, "--engine", engine, "--cluster", "local:2")
    assert_rejected_at_their_lines(result, path, ESCAPED)


def test_standard_input(pack):
    text = f"ref,b1\n{KEY.format(1)},true\n\ufeff{KEY.format(1)},true\n"
    result = assess(pack, "-", "--type", "thing", stdin=text.encode())
    assert_rejected_at_their_lines(result, "<stdin>", {3: r"'\ufeffWM21-CF-00001'"})


# --- workbooks, Parquet, JSON, JSON Lines, YAML --------------------------------------------------------------------

@pytest.mark.parametrize("reader", READERS)
def test_a_sheets_key_cell_is_an_error_at_its_cell(pack, tmp_path, monkeypatch, reader):
    """Text cells holding a byte-order mark, a zero-width joiner, a soft hyphen, DEL or a C1 control (XML holds
    no C0 control but tab and line ends; Excel writes one as ``_x0001_``, which only calamine reads as \\x01)."""
    monkeypatch.setattr("peelcheck.load.xlsx_reader.READER", reader)
    key = KEY.format(1)
    keys = [key, "\ufeff" + key, key + "\u200d", key.replace("-", "\xad", 1), "\x7f" + key, KEY.format(2),
            KEY.format(2) + "\x9b"]
    path = workbook(tmp_path / "a.thing.xlsx", [["b1", "ref"], *([True, k] for k in keys)])
    result = assess(pack, path)
    assert result.exit_code == ExitCode.ERROR, result.stderr
    assert errors(result) == [(f"{path}[thing]!B{row}", CODE) for row in (3, 4, 5, 6, 8)]
    for shown in (r"'\ufeffWM21-CF-00001'", r"'WM21-CF-00001\u200d'", r"'WM21\xadCF-00001'", r"'\x7fWM21-CF-00001'",
                  r"'WM21-CF-00002\x9b'"):
        assert f"(value {shown})" in result.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_parquet_key_is_an_error_at_its_row(pack, tmp_path, jobs):
    import pyarrow as pa
    import pyarrow.parquet as pq

    key = KEY.format(1)
    keys = [key, "\ufeff" + key, key + "\x00", KEY.format(2), "\u2060" + KEY.format(2)]
    path = tmp_path / "a.thing.parquet"
    pq.write_table(pa.table({"ref": keys, "b1": [True] * len(keys)}), path, row_group_size=2)
    result = assess(pack, path, "--jobs", jobs)
    assert result.exit_code == ExitCode.ERROR, result.stderr
    assert errors(result) == [(f"{path}[row {row}]", CODE) for row in (2, 3, 5)]
    assert r"(value '\ufeffWM21-CF-00001')" in result.stderr and r"(value 'WM21-CF-00001\x00')" in result.stderr


def _records_file(kind: str, folder: Path) -> tuple[Path, list[str]]:
    """A JSON, JSON Lines or YAML file of four records (the second and fourth keys hiding a character), and
    where each of those is placed."""
    key = KEY.format(1)
    keys = [key, "\ufeff" + key, KEY.format(2), KEY.format(2) + "\u200b"]
    if kind == "jsonl":
        path = write(folder / "a.thing.jsonl", "".join(json.dumps({"ref": k, "b1": True}) + "\n" for k in keys))
        return path, [f"{path}:2", f"{path}:4"]
    if kind == "json":
        records = ",\n".join(json.dumps({"ref": k, "b1": True}) for k in keys)
        path = write(folder / "a.json", f'{{"record_type": "thing", "records": [\n{records}\n]}}')
        return path, [f"{path}:3:1", f"{path}:5:1"]
    lines = "".join(f"  - {{ref: {json.dumps(k)}, b1: true}}\n" for k in keys)  # YAML's escapes are JSON's
    path = write(folder / "a.yaml", "record_type: thing\nrecords:\n" + lines)
    return path, [f"{path}:4:5", f"{path}:6:5"]


@pytest.mark.parametrize("kind", ["json", "jsonl", "yaml"])
def test_a_records_key_is_an_error_at_its_record(pack, tmp_path, kind):
    path, places = _records_file(kind, tmp_path)
    result = assess(pack, path)
    assert result.exit_code == ExitCode.ERROR, result.stderr
    assert errors(result) == [(place, CODE) for place in places]
    assert r"(value '\ufeffWM21-CF-00001')" in result.stderr and r"(value 'WM21-CF-00002\u200b')" in result.stderr


def test_other_text_fields_may_hold_them(tmp_path):
    """Only keys are checked: a name or a note may hold a soft hyphen or a zero-width joiner."""
    spec = spec_keyed_by("string")
    spec.fields["note"] = spec.fields["ref"].model_copy(update={"required": False})
    root = write_pack(tmp_path / "pack", [rule_spec(0, expect={"b1": True})],
                      json.loads(spec.model_dump_json(exclude_none=True)))
    path = write(tmp_path / "thing.csv", "ref,b1,note\nA,true,co\xadoperate\nB,true,\ufeffsaid\u200d\n")
    for engine in ("python", "columnar"):
        result = assess(root, path, "--engine", engine)
        assert result.exit_code == ExitCode.OK, result.stderr


def test_keys_made_from_a_files_name_write_its_unseen_characters_out(tmp_path):
    """A file read with ``key_from_row`` keys its records by its name and line: a name holding a zero-width space
    would have made every row's key an error; the character is written out instead."""
    from .conftest import PACK_DIR

    mapping = write(tmp_path / "unkeyed.mapping.yaml", "name: unkeyed\nrecord_type: out_of_court_disposal\n"
                                                       "key_from_row: true\n")
    path = write(tmp_path / "calls\u200b.csv", "disposal_type,given_at,offender_meets_national_criteria\n"
                                               "caution,2021-03-03T14:00:00,false\n")
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "--as-of", "2022-04-01", "--format", "json",
                                      "--rule", "INV-009", "--mapping", str(mapping), str(path)])
    assert result.exit_code in (ExitCode.OK, ExitCode.GAPS), result.stderr
    [rule] = json.loads(result.stdout)["rules"]
    assert [failure["key"] for failure in rule["failures"]] == ["calls\\u200b:2"]
