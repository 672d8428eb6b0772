"""Parquet record files: read typed, on every engine, with the same assessment as the same rows in CSV;
a column of the wrong Parquet type, an unknown column or one named twice is a located error; bad rows
are located by row."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from peelcheck.cli.main import cli
from peelcheck.compile.pack_check import load_compiled_pack

from .conftest import EXAMPLES, PACK_DIR

AS_OF = ["--as-of", "2022-04-01"]


def run(*args: str):
    return CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), *AS_OF, *args])


def _typed(value: str, kind: str):
    if value == "":
        return None
    if kind == "bool":
        return value == "true"
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "date":
        return dt.date.fromisoformat(value)
    if kind == "datetime":
        return dt.datetime.fromisoformat(value)
    if kind == "date_list":
        return [dt.date.fromisoformat(d) for d in value.split(";")]
    return value


ARROW = {"bool": pa.bool_(), "int": pa.int64(), "float": pa.float64(), "string": pa.string(), "enum": pa.string(),
         "date": pa.date32(), "datetime": pa.timestamp("us"), "duration": pa.duration("us"),
         "date_list": pa.list_(pa.date32())}


def csv_as_parquet(source: Path, target: Path, record_type: str, row_group_size: int = 500,
                   text: pa.DataType | None = None) -> Path:
    """The worked example's CSV written as Parquet with each column typed from the record type (``text``:
    the Arrow type of its text columns, where not ``string``)."""
    fields = load_compiled_pack(PACK_DIR).record_types[record_type].fields
    with source.open(newline="") as handle:
        header, *rows = list(csv.reader(handle))
    types = {**ARROW, "string": text or ARROW["string"], "enum": text or ARROW["enum"]}
    columns = {name: pa.array([_typed(row[i], fields[name].type.value) for row in rows], types[fields[name].type.value])
               for i, name in enumerate(header)}
    pq.write_table(pa.table(columns), target, row_group_size=row_group_size)
    return target


@pytest.mark.parametrize("engine", ["durable", "python", "columnar"])
def test_parquet_gives_the_csv_assessment(tmp_path, engine):
    source = EXAMPLES / "west-mercia-2021" / "case_file.csv"
    parquet = csv_as_parquet(source, tmp_path / "case_file.parquet", "case_file")
    from_csv = json.loads(run(str(source), "--format", "json", "--engine", engine).stdout)
    from_parquet = json.loads(run(str(parquet), "--format", "json", "--engine", engine).stdout)
    assert from_parquet["summary"] == from_csv["summary"]
    for mine, theirs in zip(from_parquet["rules"], from_csv["rules"]):
        located = [(f["location"].rsplit(":", 1)[1], f["key"], f["reason"], f["values"]) for f in theirs["failures"]]
        # a CSV line is the Parquet row plus one (the header)
        assert [(str(int(f["location"].rsplit(" ", 1)[1][:-1]) + 1), f["key"], f["reason"], f["values"])
                for f in mine["failures"]] == located
        mine.pop("failures"), theirs.pop("failures")
        assert mine == theirs


@pytest.mark.parametrize("engine", ["durable", "python", "columnar"])
@pytest.mark.parametrize("text", [pa.large_string(), pa.string_view()], ids=["large_string", "string_view"])
def test_text_columns_of_any_arrow_string_type_read_as_text(tmp_path, engine, text):
    # pyarrow writes the Arrow type beside the Parquet schema: a string_view column was refused as parquet-type
    source = EXAMPLES / "west-mercia-2021" / "case_file.csv"
    parquet = csv_as_parquet(source, tmp_path / "case_file.parquet", "case_file", text=text)
    assert pq.read_schema(parquet).field("case_ref").type == text
    from_csv = json.loads(run(str(source), "--format", "json", "--engine", engine).stdout)
    result = run(str(parquet), "--format", "json", "--engine", engine)
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["summary"] == from_csv["summary"]


def test_mistyped_parquet_column_is_a_located_error(tmp_path):
    path = tmp_path / "case_file.parquet"
    pq.write_table(pa.table({"case_ref": ["A1"], "domestic_abuse": ["yes"]}), path)
    result = run(str(path))
    assert result.exit_code == 2
    assert "[parquet-type]" in result.stderr and "domestic_abuse" in result.stderr and str(path) in result.stderr


def test_unknown_parquet_column_is_a_located_error(tmp_path):
    path = tmp_path / "case_file.parquet"
    pq.write_table(pa.table({"case_ref": ["A1"], "domestic_abuse_typo": [True]}), path)
    result = run(str(path))
    assert result.exit_code == 2 and "[unknown-column]" in result.stderr


@pytest.mark.parametrize("engine", ["durable", "python", "columnar"])
def test_parquet_column_named_twice_is_a_located_error(tmp_path, engine):
    path = tmp_path / "case_file.parquet"
    table = pa.Table.from_arrays([pa.array(["A1"]), pa.array([True]), pa.array([False])],
                                 names=["case_ref", "domestic_abuse", "domestic_abuse"])
    pq.write_table(table, path)
    result = run(str(path), "--engine", engine)
    assert result.exit_code == 2
    [line] = [line for line in result.stderr.splitlines() if "[duplicate-column]" in line]
    assert line.startswith(f"{path}:") and "domestic_abuse" in line


def test_bad_parquet_row_is_located_by_row(tmp_path):
    path = tmp_path / "case_file.parquet"
    pq.write_table(pa.table({"case_ref": ["A1", None, "A3"], "domestic_abuse": [True, True, False]}), path)
    result = run(str(path), "--skip-invalid", "--format", "json")
    report = json.loads(result.stdout)
    assert [r["location"] for r in report["rejected_rows"]] == [f"{path}[row 2]"]
    assert report["inputs"][0]["records"] == 2


def test_not_a_parquet_file_is_a_located_error(tmp_path):
    path = tmp_path / "case_file.parquet"
    path.write_text("case_ref\nA1\n")
    result = run(str(path))
    assert result.exit_code == 2 and "[unreadable-file]" in result.stderr


@pytest.mark.parametrize("engine", ["durable", "python", "columnar"])
def test_jobs_split_a_parquet_file_by_row_groups_and_give_the_one_process_report(tmp_path, engine, monkeypatch):
    """--jobs split only CSVs; a Parquet file (20 row groups of 7 rows here) now goes to N processes too."""
    from peelcheck import pipeline

    parquet = csv_as_parquet(EXAMPLES / "west-mercia-2021" / "case_file.csv", tmp_path / "case_file.parquet",
                             "case_file", row_group_size=7)
    split: list[int] = []  # the processes each file was given to (the real evaluation runs, in them)
    evaluate_in_parallel = pipeline.evaluate_in_parallel

    def noted(source, rules, engine, as_of, jobs, *args, **kwargs):
        split.append(jobs)
        return evaluate_in_parallel(source, rules, engine, as_of, jobs, *args, **kwargs)

    monkeypatch.setattr(pipeline, "evaluate_in_parallel", noted)
    one = run(str(parquet), "--format", "json", "--engine", engine)
    two = run(str(parquet), "--format", "json", "--engine", engine, "--jobs", "2")
    assert one.exit_code == two.exit_code == 1 and split == [2]
    assert json.loads(two.stdout) == json.loads(one.stdout)
