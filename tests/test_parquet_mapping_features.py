"""Each feature of a column mapping on a Parquet file: typed cells taken as without a mapping, text cells
read as a CSV's; renames, two spellings, ignored, unknown and absent columns, constants, key_from_row,
repeated keys, value maps over codes, formats, date_only and the timezone; bad cells located by row."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from click.testing import CliRunner

from peelcheck.cli.main import cli
from peelcheck.errors import RecordError
from peelcheck.load.records import RecordReader, RecordSource
from peelcheck.load.rows import RecordRow, RejectedRow
from peelcheck.schema.mapping import ColumnMapping
from peelcheck.schema.pack import RecordTypeSpec
from peelcheck.schema.records import record_validator
from peelcheck.schema.timezones import DEFAULT_TIMEZONE

from .conftest import PACK_DIR

OOCD = "out_of_court_disposal"


def write(path: Path, columns: dict[str, Any], row_group_size: int | None = None) -> Path:
    pq.write_table(pa.table(columns), path, row_group_size=row_group_size)
    return path


def read(spec: RecordTypeSpec, path: Path, mapping: dict[str, Any] | None,
         shard: tuple[int, int] | None = None) -> tuple[list[RecordRow | RejectedRow], RecordReader]:
    """The file's rows, read through ``mapping`` (a mapping file's content) as ``assess`` reads them."""
    chosen = None if mapping is None else ColumnMapping.model_validate({"name": "m", "record_type": spec.name,
                                                                          **mapping})
    zone = (chosen.timezone if chosen else None) or DEFAULT_TIMEZONE
    reader = RecordReader(RecordSource(path, spec, chosen, shard=shard, zone=zone), record_validator(spec, zone))
    return list(reader.rows()), reader


def values(rows: list[RecordRow | RejectedRow]) -> list[dict[str, Any]]:
    assert all(isinstance(r, RecordRow) for r in rows), rows
    return [r.values for r in rows if isinstance(r, RecordRow)]


def problems(rows: list[RecordRow | RejectedRow]) -> list[tuple[str, str | None, Any]]:
    return [(str(r.location), r.field, r.value) for r in rows if isinstance(r, RejectedRow)]


def codes(error: pytest.ExceptionInfo[RecordError]) -> list[tuple[str, str]]:
    return [(d.code, str(d.location)) for d in error.value.diagnostics]


@pytest.fixture
def oocd(peel_pack) -> RecordTypeSpec:
    return peel_pack.record_types[OOCD]


def test_typed_cells_are_taken_as_without_a_mapping_and_text_cells_as_a_csvs(oocd, tmp_path):
    """A naive timestamp stays the force's wall-clock time, one with a zone is converted to the mapping's
    timezone (as the unmapped reader converts it to the pack's); ``formats:`` reads text cells only."""
    sought = [dt.datetime(2021, 6, 1, 9, 30, tzinfo=dt.UTC), None]
    typed = {"given_at": pa.array([dt.datetime(2021, 6, 1, 10), dt.datetime(2021, 6, 2, 11)], pa.timestamp("us")),
             "victim_views_sought_at": pa.array(sought, pa.timestamp("us", tz="UTC")),
             "offender_meets_national_criteria": [True, None]}
    plain = write(tmp_path / "plain.parquet", {"disposal_ref": ["D1", "D2"], "disposal_type": ["caution"] * 2,
                                               "victim_identified": [True, False], **typed})
    mapped = write(tmp_path / "mapped.parquet", {"Ref": ["D1", " D2 "], "Kind": ["Caution", "CAUTION"],
                                                 "Victim": ["Y", "n"], **typed})
    mapping = {"columns": {"Ref": "disposal_ref", "Kind": "disposal_type", "Victim": "victim_identified"},
               "values": {"victim_identified": {"Y": True, "N": False}}, "formats": {"given_at": "%d/%m/%Y %H:%M"}}
    expected = values(read(oocd, plain, None)[0])
    assert values(read(oocd, mapped, mapping)[0]) == expected
    assert expected[0]["victim_views_sought_at"] == dt.datetime(2021, 6, 1, 10, 30)  # BST
    in_utc = values(read(oocd, mapped, {**mapping, "timezone": "UTC"})[0])
    assert in_utc[0]["victim_views_sought_at"] == dt.datetime(2021, 6, 1, 9, 30)
    assert in_utc[0]["given_at"] == dt.datetime(2021, 6, 1, 10)  # naive: already the force's own time


def test_a_typed_date_takes_no_format_and_a_text_date_is_read_by_it(peel_pack, tmp_path):
    spec = peel_pack.record_types["case_file"]
    dates = write(tmp_path / "a.parquet", {"Ref": ["C1"], "Updated": pa.array([dt.date(2021, 3, 5)], pa.date32())})
    texts = write(tmp_path / "b.parquet", {"Ref": ["C1", "C2"], "Updated": ["05/03/2021", "2021-03-05"]})
    mapping = {"columns": {"Ref": "case_ref", "Updated": "last_victim_update_on"},
               "formats": {"last_victim_update_on": "%d/%m/%Y"}}
    assert values(read(spec, dates, mapping)[0])[0]["last_victim_update_on"] == dt.date(2021, 3, 5)
    rows = read(spec, texts, mapping)[0]
    assert rows[0].values["last_victim_update_on"] == dt.date(2021, 3, 5)  # type: ignore[union-attr]
    assert problems(rows) == [(f"{texts}[row 2]", "last_victim_update_on", "2021-03-05")]


def test_a_value_map_reads_integer_codes_and_a_code_it_lacks_is_rejected_at_its_row(oocd, tmp_path):
    path = write(tmp_path / "codes.parquet", {"Ref": ["D1", "D2", "D3"], "Kind": [1, 3, 9], "Victim": [1, 0, 1]})
    mapping = {"columns": {"Ref": "disposal_ref", "Kind": "disposal_type", "Victim": "victim_identified"},
               "values": {"disposal_type": {"1": "caution", "3": "community_resolution"},
                          "victim_identified": {"1": True, "0": False}}}
    rows, _ = read(oocd, path, mapping)
    assert [r.values for r in rows if isinstance(r, RecordRow)] == [
        {"disposal_ref": "D1", "disposal_type": "caution", "victim_identified": True},
        {"disposal_ref": "D2", "disposal_type": "community_resolution", "victim_identified": False}]
    assert problems(rows) == [(f"{path}[row 3]", "disposal_type", "9")]


def test_a_column_the_mapping_cannot_read_into_its_field_is_an_error_before_any_row(oocd, tmp_path):
    """An integer in a datetime field is never read as a day count; without a value map an integer code
    column in an enum field is refused as without a mapping; a date alone needs date_only."""
    path = write(tmp_path / "x.parquet", {"Ref": ["D1"], "Kind": [1], "Given": [44256],
                                          "Sought": pa.array([dt.date(2021, 3, 1)], pa.date32())})
    mapping = {"columns": {"Ref": "disposal_ref", "Kind": "disposal_type", "Given": "given_at",
                           "Sought": "victim_views_sought_at"}}
    with pytest.raises(RecordError) as error:
        read(oocd, path, mapping)
    assert codes(error) == [("parquet-type", str(path))] * 3
    assert [d.message.split("'")[1] for d in error.value.diagnostics] == ["Kind", "Given", "Sought"]
    allowed = {**mapping, "values": {"disposal_type": {"1": "caution"}},
               "date_only": {"victim_views_sought_at": "end_of_day"}}
    with pytest.raises(RecordError) as error:
        read(oocd, path, allowed)
    assert codes(error) == [("parquet-type", str(path))] and "'Given'" in error.value.diagnostics[0].message
    del allowed["columns"]["Given"]
    allowed["ignore"] = ["Given"]
    [row] = values(read(oocd, path, allowed)[0])
    assert row["victim_views_sought_at"] == dt.datetime(2021, 3, 1, 23, 59, 59)


def test_renames_two_spellings_ignored_unknown_and_absent_columns(oocd, tmp_path):
    mapping = {"columns": {"Ref": "disposal_ref", "Disposal Type": "disposal_type",
                           "Type of Disposal": "disposal_type", "Crime": "crime_ref"}, "ignore": ["Notes"]}
    newer = write(tmp_path / "new.parquet", {"Ref": ["D1"], "Type of Disposal": ["caution"], "Notes": ["x"]})
    rows, reader = read(oocd, newer, mapping)
    assert values(rows) == [{"disposal_ref": "D1", "disposal_type": "caution"}]
    assert reader.quality.ignored_columns == ["Notes"] and reader.quality.absent_columns["crime_ref"] == "Crime"
    both = write(tmp_path / "both.parquet", {"Ref": ["D1"], "Type of Disposal": ["caution"],
                                             "Disposal Type": ["caution"]})
    with pytest.raises(RecordError) as error:
        read(oocd, both, mapping)
    assert codes(error) == [("mapped-twice", str(both))]
    stray = write(tmp_path / "stray.parquet", {"Ref": ["D1"], "Disposal Type": ["caution"], "Stray": [1]})
    with pytest.raises(RecordError) as error:
        read(oocd, stray, mapping)
    assert codes(error) == [("unknown-column", str(stray))]
    assert read(oocd, stray, {**mapping, "ignore_unknown_columns": True})[1].quality.ignored_columns == ["Stray"]


def test_constants_fill_every_row_and_may_not_meet_a_column(oocd, tmp_path):
    path = write(tmp_path / "c.parquet", {"Ref": ["D1", "D2"], "disposal_type": ["caution"] * 2})
    mapping = {"columns": {"Ref": "disposal_ref"}, "constants": {"victim_identified": False}}
    assert [r["victim_identified"] for r in values(read(oocd, path, mapping)[0])] == [False, False]
    with pytest.raises(RecordError) as error:
        read(oocd, path, {**mapping, "constants": {"disposal_type": "caution"}})
    assert [c for c, _ in codes(error)] == ["constant-and-column"]


def test_key_from_row_and_repeated_keys_are_placed_by_row(oocd, tmp_path):
    unkeyed = write(tmp_path / "unkeyed.parquet", {"Kind": ["caution", "bogus", "caution"]})
    rows, _ = read(oocd, unkeyed, {"columns": {"Kind": "disposal_type"}, "key_from_row": True})
    assert [r.key for r in rows if isinstance(r, RecordRow)] == ["unkeyed:1", "unkeyed:3"]
    assert problems(rows) == [(f"{unkeyed}[row 2]", "disposal_type", "bogus")]
    keyed = write(tmp_path / "keyed.parquet", {"Ref": ["A", "B", "A"], "Kind": ["caution"] * 3})
    _, reader = read(oocd, keyed, {"columns": {"Ref": "disposal_ref", "Kind": "disposal_type"}})
    assert reader.quality.repeated_keys == ["'A' at row 3 (first at row 1)"]


@pytest.mark.parametrize("groups", [2, 1000], ids=["row-groups", "blocks"])
def test_partitions_of_a_mapped_file_read_its_rows_between_them(oocd, tmp_path, groups):
    """A cluster's partitions (its row groups, or blocks of rows) each read their own rows through the
    mapping, placed and keyed by their rows in the whole file."""
    count = 2500
    path = write(tmp_path / "many.parquet", {"Kind": ["caution"] * count, "Given": ["01/03/2021 10:00"] * count},
                 row_group_size=groups if groups < count else None)
    mapping = {"columns": {"Kind": "disposal_type", "Given": "given_at"}, "key_from_row": True,
               "formats": {"given_at": "%d/%m/%Y %H:%M"}}
    whole = read(oocd, path, mapping)[0]
    parts = [read(oocd, path, mapping, shard=(k, 2))[0] for k in range(2)]
    assert all(parts) and sorted(r.key for part in parts for r in part) == sorted(r.key for r in whole)
    assert {r.key: str(r.location) for part in parts for r in part} == {r.key: str(r.location) for r in whole}


def test_date_list_cells_typed_and_as_text(tmp_path):
    spec = RecordTypeSpec.model_validate({
        "name": "thing", "title": "t", "description": "t", "key": "ref",
        "fields": {"ref": {"type": "string", "required": True, "description": "key"},
                   "seen": {"type": "date_list", "description": "d", "blank_cell": "empty_list"},
                   "told": {"type": "date_list", "description": "d", "blank_cell": "empty_list"}}})
    listed = pa.array([[dt.date(2021, 1, 5), dt.date(2021, 2, 1)], None, []], pa.list_(pa.date32()))
    path = write(tmp_path / "l.parquet", {"Ref": ["A", "B", "C"], "Seen": listed,
                                          "Told": ["05/01/2021;01/02/2021", None, "none"]})
    rows = values(read(spec, path, {"columns": {"Ref": "ref", "Seen": "seen", "Told": "told"},
                                    "formats": {"told": "%d/%m/%Y"}})[0])
    dates = [dt.date(2021, 1, 5), dt.date(2021, 2, 1)]
    # a blank text cell is a recorded empty list where the field says so, as in CSV; a list column's
    # null is not (Parquet writes no dates as [])
    assert rows == [{"ref": "A", "seen": dates, "told": dates}, {"ref": "B", "told": []},
                    {"ref": "C", "seen": [], "told": []}]


def test_a_text_datetime_column_mixing_offsets_and_naive_times_is_noted(oocd, tmp_path):
    path = write(tmp_path / "t.parquet", {"Ref": ["D1", "D2"], "Kind": ["caution"] * 2,
                                          "Given": ["2021-03-01T10:00:00", "2021-03-01T10:00:00+01:00"]})
    _, reader = read(oocd, path, {"columns": {"Ref": "disposal_ref", "Kind": "disposal_type", "Given": "given_at"}})
    assert reader.quality.mixed_offsets == ["given_at"]


def test_a_mapped_parquet_file_on_standard_input_is_located_as_stdin(tmp_path):
    path = write(tmp_path / "in.parquet", {"Ref": ["D1", "D2"], "Kind": ["caution", "Caution!"]})
    mapping = tmp_path / "m.yaml"
    mapping.write_text(yaml.safe_dump({"name": "m", "record_type": OOCD,
                                       "columns": {"Ref": "disposal_ref", "Kind": "disposal_type"}}))
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "--as-of", "2022-04-01", "--format", "json",
                                      "--skip-invalid", "--mapping", str(mapping), "-"], input=path.read_bytes())
    report = json.loads(result.stdout)
    assert [(r["location"], r["field"]) for r in report["rejected_rows"]] == [("<stdin>[row 2]", "disposal_type")]
    assert report["inputs"][0]["records"] == 1


def test_a_mappings_settings_for_text_and_workbooks_leave_a_parquet_read_as_it_is(oocd, tmp_path):
    """A mapping's encoding, delimiter and sheet are for text files and workbooks: a Parquet file has
    none, and is read the same with them."""
    path = write(tmp_path / "p.parquet", {"Ref": ["D1"], "Kind": ["caution"]})
    mapping = {"columns": {"Ref": "disposal_ref", "Kind": "disposal_type"}}
    plain = values(read(oocd, path, mapping)[0])
    assert values(read(oocd, path, {**mapping, "encoding": "cp1252", "delimiter": ";", "sheet": "X"})[0]) == plain


def test_an_integer_reference_column_reads_into_a_text_key_as_its_digits(oocd, tmp_path):
    """A warehouse writes references as integers; the same export as CSV would read 12345 as "12345"."""
    path = write(tmp_path / "ints.parquet", {"Ref": pa.array([12345, 7, None, 7], pa.int64()),
                                              "Kind": ["caution"] * 4})
    rows, reader = read(oocd, path, {"columns": {"Ref": "disposal_ref", "Kind": "disposal_type"}})
    assert [r.values["disposal_ref"] for r in rows if isinstance(r, RecordRow)] == ["12345", "7", "7"]
    assert [(location, field) for location, field, _ in problems(rows)] == [(f"{path}[row 3]", "disposal_ref")]
    assert reader.repeated_keys.described() and "'7'" in reader.repeated_keys.described()[0]
