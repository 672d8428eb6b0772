"""Exact repeated rows of files read with ``key_from_row`` (no key column, so a repeated row is the
only sign of a row counted twice): found alike in a CSV, a workbook sheet and a Parquet file (across
its partitions too), and each placed as its format places a row everywhere else (a CSV's line, a
sheet's row, a Parquet file's row counted from 1), as repeated keys and rejected rows are."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from click.testing import CliRunner

from peelcheck.assess.data_quality import input_file
from peelcheck.assess.model import InputFile
from peelcheck.cli.main import cli
from peelcheck.load.csv_reader import span_cuts
from peelcheck.load.csv_spans import Span, spans, surveyed
from peelcheck.load.records import RecordReader, RecordSource
from peelcheck.load.repeated_keys import RepeatedKeys
from peelcheck.load.rows import FileQuality, RecordRow
from peelcheck.report.data_quality import file_notes
from peelcheck.schema.mapping import ColumnMapping
from peelcheck.schema.records import record_validator
from peelcheck.schema.timezones import DEFAULT_TIMEZONE

from .conftest import PACK_DIR

HEADER = ["disposal_type", "given_at", "offender_meets_national_criteria"]
# the third row repeats the first exactly; the fourth differs from the first in one cell only
ROWS = [["caution", "2021-03-03T14:00:00", "true"], ["caution", "2021-06-03T14:00:00", "true"],
        ["caution", "2021-03-03T14:00:00", "true"], ["caution", "2021-03-03T14:00:00", "false"]]
MAPPING = "name: unkeyed\nrecord_type: out_of_court_disposal\nkey_from_row: true\n"


def _csv(path: Path, rows: list[list[str | None]]) -> Path:
    path.write_text("\n".join(",".join(c or "" for c in row) for row in [HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def _xlsx(path: Path, rows: list[list[str | None]]) -> Path:
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.title = "out_of_court_disposal"
    for row in [HEADER, *rows]:
        sheet.append(row)
    book.save(path)
    return path


def _parquet(path: Path, rows: list[list[str | None]], row_group_size: int | None = None) -> Path:
    table = pa.table({name: [row[i] for row in rows] for i, name in enumerate(HEADER)})
    pq.write_table(table, path, row_group_size=row_group_size)
    return path


def _input(tmp_path: Path, records: Path, *options: str) -> dict:
    mapping = tmp_path / "unkeyed.mapping.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "--as-of", "2022-04-01", "--format", "json",
                                      "--rule", "INV-009", "--mapping", str(mapping), *options, str(records)])
    assert result.exit_code in (0, 1, 3), result.stderr
    source: dict = json.loads(result.stdout)["inputs"][0]
    return source


# the data's first row is a CSV's line 2 and a sheet's row 2 (after the header), a Parquet file's row 1
@pytest.mark.parametrize(("write", "name", "repeats"), [
    (_csv, "unkeyed.csv", ["line 4 repeats line 2"]),
    (_xlsx, "unkeyed.xlsx", ["row 4 repeats row 2"]),
    (_parquet, "unkeyed.parquet", ["row 3 repeats row 1"]),
], ids=["csv", "xlsx", "parquet"])
def test_exact_repeated_rows_are_reported_for_every_format_read_by_row(tmp_path, write, name, repeats):
    source = _input(tmp_path, write(tmp_path / name, ROWS))
    assert (source["records"], source["repeated_rows"]) == (4, repeats)
    assert any(note.startswith("1 row exactly repeats an earlier row (assessed as it is)") and note.endswith(repeats[0])
               for note in file_notes(InputFile.model_validate(source)))


@pytest.mark.parametrize("reader", ["calamine", "openpyxl"])
def test_a_sheets_repeats_with_empty_cells_are_found_by_either_reader(tmp_path, reader, monkeypatch):
    """An empty cell is one whichever reader reads it (calamine gives "" inside the used range, openpyxl
    None), and a row ending in empty cells repeats one that ends where its last value is."""
    monkeypatch.setattr("peelcheck.load.xlsx_reader.READER", reader)
    gaps = [["caution", None, "true"], ["caution", "2021-03-03T14:00:00", None], ["caution", None, "true"],
            ["caution", "2021-03-03T14:00:00", None], ["caution", None, None]]
    source = _input(tmp_path, _xlsx(tmp_path / "gaps.xlsx", gaps))
    assert source["repeated_rows"] == ["row 4 repeats row 2", "row 5 repeats row 3"]


@pytest.mark.parametrize("groups", [2, None], ids=["row-groups", "blocks"])
def test_repeated_rows_of_a_parquet_file_read_in_parts_are_found_across_them(peel_pack, tmp_path, groups):
    """A cluster's partitions each read their share of the rows (row groups, or blocks of rows); a repeat
    of a row another partition read is found all the same, as one reader of the whole file finds it."""
    rows = ROWS * 700  # blocks of rows: more than one batch each
    path = _parquet(tmp_path / "many.parquet", rows, row_group_size=groups)
    spec = peel_pack.record_types["out_of_court_disposal"]
    mapping = ColumnMapping.model_validate(yaml.safe_load(MAPPING))

    def quality(shard: tuple[int, int] | None) -> FileQuality:
        reader = RecordReader(RecordSource(path, spec, mapping, shard=shard), record_validator(spec, DEFAULT_TIMEZONE))
        assert all(isinstance(r, RecordRow) for r in reader.rows())
        return reader.quality

    alone = quality(None).repeated_rows
    assert len(alone) == len(rows) - 3 and alone[:2] == [(3, 1), (5, 1)]
    assert FileQuality.merged([quality((k, 2)) for k in range(2)]).repeated_rows == alone


def test_a_rejected_row_is_still_a_row_that_can_repeat(tmp_path):
    """Without a key column, a row is a repeat whatever its cells hold, as in a CSV."""
    bad = [["bogus", "2021-03-03T14:00:00", "true"], *ROWS[:1], ["bogus", "2021-03-03T14:00:00", "true"]]
    for write, name, repeats in [(_csv, "bad.csv", ["line 4 repeats line 2"]),
                                 (_xlsx, "bad.xlsx", ["row 4 repeats row 2"]),
                                 (_parquet, "bad.parquet", ["row 3 repeats row 1"])]:
        source = _input(tmp_path, write(tmp_path / name, bad), "--skip-invalid")
        assert (source["rejected"], source["repeated_rows"]) == (2, repeats), name


def test_repeated_rows_are_placed_as_the_file_places_its_rows():
    for unit in ("line", "row"):
        quality = FileQuality(repeated_rows=[(4, 2), (7, 2)], unit=unit)
        assert input_file("f", "out_of_court_disposal", 7, [], quality, [], []).repeated_rows == \
            [f"{unit} 4 repeats {unit} 2", f"{unit} 7 repeats {unit} 2"]


def test_a_sheets_blank_rows_are_counted_and_placed_as_rows(tmp_path: Path) -> None:
    """A sheet's all-blank row between data rows is placed by its row, never called a line."""
    book = _xlsx(tmp_path / "d.xlsx", [ROWS[0], [None, None, None], ROWS[1]])
    got = _input(tmp_path, book)
    assert got["place_unit"] == "row" and got["blank_rows"]
    notes = " ".join(file_notes(InputFile.model_validate(got)))
    assert f"(rows {got['blank_rows'][0]})" in notes and "(lines" not in notes
    csv_got = _input(tmp_path, _csv(tmp_path / "d.csv", [ROWS[0], [",,"], ROWS[1]]))
    assert csv_got["place_unit"] == "line"


def _many(count: int) -> list[list[str | None]]:
    """``count`` rows, most repeating one far before (in another block of 1,000 rows, or another part of
    the file), some with empty cells, one ending in an empty cell."""
    return [["caution", None if i % 11 == 0 else f"2021-{1 + i * 7 % 12:02d}-{1 + i * 13 % 28:02d}T14:00:00",
             ["true", "false", None][i % 3]] for i in range(count)]


def _read(path: Path, peel_pack, **part) -> FileQuality:
    spec = peel_pack.record_types["out_of_court_disposal"]
    mapping = ColumnMapping.model_validate(yaml.safe_load(MAPPING))
    reader = RecordReader(RecordSource(path, spec, mapping, **part), record_validator(spec, DEFAULT_TIMEZONE))
    for _ in reader.batches():
        pass
    return reader.quality


def _byte_ranges(path: Path, parts: int) -> list[Span]:
    """The byte ranges a cluster cuts a CSV read with ``key_from_row`` into (surveyed here)."""
    planned = span_cuts(path, ColumnMapping.model_validate(yaml.safe_load(MAPPING)), parts)
    assert planned is not None, "a CSV keyed by place is cut as any other"
    cuts, header_lines = planned
    ranges = spans([surveyed(path, a, b) for a, b in zip(cuts, cuts[1:])], header_lines)
    assert ranges is not None and len(ranges) == parts
    return ranges


def test_a_csv_keyed_by_place_is_cut_in_byte_ranges_and_its_repeats_found_across_them(peel_pack, tmp_path):
    """Each range notes its own rows; the merge finds a row repeating one of another range, as one
    reader of the whole file does (a range once reported only the repeats within the first range)."""
    path = _csv(tmp_path / "many.csv", _many(3000))
    alone = _read(path, peel_pack).repeated_rows
    parts = [_read(path, peel_pack, span=span) for span in _byte_ranges(path, 3)]
    assert not any(part.cut_in_record for part in parts)
    assert FileQuality.merged(parts).repeated_rows == alone
    assert len(alone) > 2000 and any(earlier < 1000 < line for line, earlier in alone[-100:])


@pytest.mark.parametrize("count", [3000, 9000])
def test_the_rows_of_a_csv_are_held_as_text_a_chunk_at_a_time_however_long_the_file(peel_pack, tmp_path, count):
    """Noting the rows holds no more than one chunk of them as Python objects, the rest joined one text
    to a chunk (a CSV's rows were once each held as a tuple of cells, the file's length of them). Read
    as one byte range, the notes are what the reader hands the merge."""
    path = _csv(tmp_path / "many.csv", _many(count))
    [whole] = _byte_ranges(path, 1)
    noted = _read(path, peel_pack, span=whole).noted_rows
    assert noted is not None and noted.count == count
    held = len(noted.pending) + sum(len(chunk) for chunk in noted.joined if isinstance(chunk, list))
    assert held < RepeatedKeys.CHUNK
    assert len(noted.joined) == count // RepeatedKeys.CHUNK and all(isinstance(c, bytes) for c in noted.joined)


def test_the_same_rows_as_a_csv_a_sheet_and_a_parquet_file_repeat_alike(peel_pack, tmp_path):
    """One way of finding exact repeats for every format read by row: the same rows repeat the same
    earlier rows (placed by their data row: a CSV's line and a sheet's row less the header's), however
    the file is split (a CSV's interleaved shards or byte ranges, a Parquet file's row groups)."""
    rows = _many(2500)
    csv_path, book = _csv(tmp_path / "many.csv", rows), _xlsx(tmp_path / "many.xlsx", rows)
    table = _parquet(tmp_path / "many.parquet", rows, row_group_size=700)
    found = {
        "csv": _read(csv_path, peel_pack).repeated_rows,
        "csv shards": FileQuality.merged([_read(csv_path, peel_pack, shard=(k, 2)) for k in range(2)]).repeated_rows,
        "csv ranges": FileQuality.merged([_read(csv_path, peel_pack, span=s)
                                          for s in _byte_ranges(csv_path, 2)]).repeated_rows,
        "xlsx": _read(book, peel_pack).repeated_rows,
    }
    by_data_row = {name: [(line - 1, earlier - 1) for line, earlier in repeats] for name, repeats in found.items()}
    by_data_row["parquet"] = _read(table, peel_pack).repeated_rows
    by_data_row["parquet parts"] = FileQuality.merged([_read(table, peel_pack, shard=(k, 2))
                                                       for k in range(2)]).repeated_rows
    first: dict[tuple[str | None, ...], int] = {}
    expected = [(i, at) for i, row in enumerate(rows) if (at := first.setdefault(tuple(row), i)) != i]
    assert len(expected) > 1500
    assert by_data_row == dict.fromkeys(by_data_row, [(i + 1, first + 1) for i, first in expected])


@pytest.mark.parametrize("engine", ["python", "durable", "columnar"])
def test_a_csvs_repeats_are_the_same_whichever_engine_and_however_many_processes(tmp_path, engine):
    """The first of several processes looks for repeats in every block, as one process does (the
    columnar engine hands a file read with a mapping to the python loader, so it finds them alike)."""
    path = _csv(tmp_path / "many.csv", _many(3000))
    alone = _input(tmp_path, path, "--engine", engine)
    assert len(alone["repeated_rows"]) > 2000 and "line 3001 repeats line 61" in alone["repeated_rows"]
    assert _input(tmp_path, path, "--engine", engine, "--jobs", "2") == alone
