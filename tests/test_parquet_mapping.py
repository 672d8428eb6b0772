"""A column mapping applied to a Parquet file reads it as it reads the same records exported as CSV:
the same report on every engine (and on a cluster), the same rows rejected at their rows, and a draft
from ``mapping suggest`` checks and assesses. JSON, JSON Lines and YAML files still refuse one."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from peelcheck.cli.main import cli
from peelcheck.compile.pack_check import load_compiled_pack

from .conftest import EXAMPLES, PACK_DIR

AS_OF = ["--as-of", "2022-04-01"]
KEY = {"PEELCHECK_PSEUDONYM_KEY": "same key, same pseudonyms"}

# the export renames these columns; the others keep the field's name (a mapping reads them as the field)
RENAMED = {"case_ref": "Crime Ref", "crime_type": "Crime Type", "serious": "Serious", "reported_at": "Reported",
           "attended_at": "Attended At", "victim_update_dates": "Update Dates",
           "last_victim_update_on": "Last Update", "suspect_age": "Suspect Age"}
MAPPING = """\
name: warehouse
record_type: case_file
columns:
  Crime Ref: case_ref
  Offence Type: crime_type    # the old export's spelling: this one holds the new
  Crime Type: crime_type
  Serious: serious
  Reported: reported_at
  Attended At: attended_at
  Update Dates: victim_update_dates
  Last Update: last_victim_update_on
  Suspect Age: suspect_age
values:
  crime_type: {CODES}
  serious: {"Y": true, "N": false}
formats:
  reported_at: "%d/%m/%Y %H:%M"
  last_victim_update_on: "%d/%m/%Y"   # the CSV's text; a typed Parquet date takes no format
constants:
  body_worn_video_used: false
ignore: [Notes]
"""
ARROW = {"bool": pa.bool_(), "int": pa.int64(), "float": pa.float64(), "datetime": pa.timestamp("us"),
         "date": pa.date32(), "date_list": pa.list_(pa.date32())}


def _code(value: str) -> str:
    return value.upper().replace("_", " ")


def mapping_file(path: Path) -> Path:
    fields = load_compiled_pack(PACK_DIR).record_types["case_file"].fields
    codes = {_code(v): v for v in fields["crime_type"].values or ()}
    path.write_text(MAPPING.replace("{CODES}", json.dumps(codes)))
    return path


def _text(field: str, cell: str) -> str:
    """The export's text for a cell of the worked example (the CSV export, and the Parquet's text columns)."""
    if not cell:
        return cell
    if field == "crime_type":
        return _code(cell)
    if field == "serious":
        return "Y" if cell == "true" else "N"
    if field == "reported_at":
        return dt.datetime.fromisoformat(cell).strftime("%d/%m/%Y %H:%M")
    if field == "last_victim_update_on":
        return dt.date.fromisoformat(cell).strftime("%d/%m/%Y")
    return cell


def _typed(kind: str, cell: str) -> object:
    if not cell:
        return None
    if kind == "date_list":
        return [dt.date.fromisoformat(d) for d in cell.split(";")]
    read = {"bool": lambda c: c == "true", "int": int, "float": float, "datetime": dt.datetime.fromisoformat,
            "date": dt.date.fromisoformat}.get(kind)
    return cell if read is None else read(cell)


def exports(folder: Path, rows: int | None = None, row_group_size: int = 500) -> tuple[Path, Path]:
    """The worked example's case files as a warehouse exports them, as CSV (all text) and as Parquet
    (codes, yes/no letters and UK dates as text, as the CSV has them; the rest typed)."""
    fields = load_compiled_pack(PACK_DIR).record_types["case_file"].fields
    with (EXAMPLES / "west-mercia-2021" / "case_file.csv").open(newline="") as handle:
        header, *body = list(csv.reader(handle))
    body = body[:rows]
    kept = [i for i, name in enumerate(header) if name != "body_worn_video_used"]  # a constant in the mapping
    names = [RENAMED.get(header[i], header[i]) for i in kept] + ["Notes"]
    text_rows = [[_text(header[i], row[i]) for i in kept] + [f"note {n}"] for n, row in enumerate(body)]
    exported = folder / "export.case_file.csv"
    with exported.open("w", newline="") as handle:
        csv.writer(handle).writerows([names, *text_rows])
    columns = {}
    for i in kept:
        field, cells = header[i], [row[i] for row in body]
        kind = fields[field].type.value
        if field in ("crime_type", "serious", "reported_at", "case_ref") or kind not in ARROW:
            columns[RENAMED.get(field, field)] = pa.array([_text(field, c) or None for c in cells], pa.string())
        else:
            columns[RENAMED.get(field, field)] = pa.array([_typed(kind, c) for c in cells], ARROW[kind])
    columns["Notes"] = pa.array([row[-1] for row in text_rows], pa.string())
    parquet = folder / "export.case_file.parquet"
    pq.write_table(pa.table(columns), parquet, row_group_size=row_group_size)
    return exported, parquet


def assess(*args: str, code: tuple[int, ...] = (1,)) -> str:
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), *AS_OF, "--format", "json", *args], env=KEY)
    assert result.exit_code in code, result.output
    return result.stdout


def as_csv(report: str, parquet: Path, exported: Path) -> dict:
    """A Parquet run's report with its file's places written as the CSV's (row N is line N + 1)."""
    text = re.sub(re.escape(json.dumps(str(parquet))[1:-1]) + r"\[row (\d+)\]",
                  lambda m: f"{json.dumps(str(exported))[1:-1]}:{int(m[1]) + 1}", report)
    read = json.loads(text.replace(json.dumps(str(parquet))[1:-1], json.dumps(str(exported))[1:-1]))
    for source in read["inputs"]:
        assert source["place_unit"] == "row"  # a Parquet file's places are rows, a CSV's lines
        source["place_unit"] = "line"
    return read


@pytest.mark.parametrize("engine", ["durable", "python", "columnar"])
def test_a_mapped_parquet_export_gives_the_mapped_csv_report(tmp_path, engine):
    exported, parquet = exports(tmp_path)
    mapping = str(mapping_file(tmp_path / "warehouse.yaml"))
    from_csv = json.loads(assess(str(exported), "--mapping", mapping, "--engine", engine))
    from_parquet = as_csv(assess(str(parquet), "--mapping", mapping, "--engine", engine), parquet, exported)
    assert from_parquet == from_csv
    assert from_csv["summary"]["records"] == 130 and any(rule["failures"] for rule in from_csv["rules"])
    [read] = from_parquet["inputs"]
    assert read["read_as"][0] == "mapping warehouse" and read["ignored_columns"] == ["Notes"]


@pytest.mark.parametrize("engine", ["durable", "python", "columnar"])
def test_bad_cells_of_a_mapped_parquet_file_are_rejected_at_their_rows_as_the_csvs_lines(tmp_path, engine):
    exported, parquet = exports(tmp_path, rows=6)
    table = pq.read_table(parquet)
    serious, reported = table["Serious"].to_pylist(), table["Reported"].to_pylist()
    serious[1], reported[3] = "Maybe", "2021-03-09 06:20"  # not in the value map; not in the declared format
    table = table.set_column(table.schema.get_field_index("Serious"), "Serious", pa.array(serious))
    table = table.set_column(table.schema.get_field_index("Reported"), "Reported", pa.array(reported))
    pq.write_table(table, parquet)
    with exported.open(newline="") as handle:
        header, *rows = list(csv.reader(handle))
    rows[1][header.index("Serious")], rows[3][header.index("Reported")] = serious[1], reported[3]
    with exported.open("w", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    mapping = str(mapping_file(tmp_path / "warehouse.yaml"))
    report = assess(str(parquet), "--mapping", mapping, "--engine", engine, "--skip-invalid", code=(1, 3))
    rejected = [(r["location"], r["field"], r["value"]) for r in json.loads(report)["rejected_rows"]]
    assert rejected == [(f"{parquet}[row 2]", "serious", "Maybe"), (f"{parquet}[row 4]", "reported_at",
                                                                     "2021-03-09 06:20")]
    from_csv = json.loads(assess(str(exported), "--mapping", mapping, "--engine", engine, "--skip-invalid",
                                 code=(1, 3)))
    assert as_csv(report, parquet, exported) == from_csv


def test_a_mapped_parquet_file_on_a_cluster_gives_the_one_process_report(tmp_path):
    """Partitions by row groups (three of 50 rows for two workers), each reading its own through the
    mapping; keys and rows placed as the whole file places them."""
    _, parquet = exports(tmp_path, row_group_size=50)
    mapping = str(mapping_file(tmp_path / "warehouse.yaml"))
    args = [str(parquet), "--mapping", mapping, "--engine", "columnar"]
    assert assess(*args, "--cluster", "local:2") == assess(*args)


@pytest.mark.parametrize("fmt", ["json", "jsonl", "yaml"])
def test_a_mapping_is_still_refused_for_a_file_naming_its_own_fields(tmp_path, fmt):
    path = tmp_path / f"a.case_file.{fmt}"
    path.write_text({"json": '[{"case_ref": "A"}]', "jsonl": '{"case_ref": "A"}\n',
                     "yaml": "records:\n  - {case_ref: A}\n"}[fmt])
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "--mapping",
                                      str(mapping_file(tmp_path / "warehouse.yaml")), str(path)])
    assert result.exit_code == 2
    assert [line.split(": ")[0] for line in result.stderr.splitlines() if "[mapping-not-applicable]" in line] == [
        str(path)]


def test_suggest_then_check_then_assess_a_parquet_export(tmp_path):
    """A warehouse's disposals, as it exports them: the draft maps its columns, codes and UK dates, checks
    clean, and assesses every row; its typed columns need nothing."""
    parquet = tmp_path / "disposals.parquet"
    given = ["12/03/2021 10:10", "05/06/2021 17:45", "16/05/2021 15:40"]
    pq.write_table(pa.table({
        "Disposal Ref": ["D1", "D2", "D3"], "Disposal Type": ["Caution", "Community Resolution", "Caution"],
        "Victim Identified": ["Y", "N", "Y"], "Given At": given,
        "Victim Views Sought At": pa.array([dt.datetime(2021, 3, 10, 10, 10), None, dt.datetime(2021, 5, 14)],
                                           pa.timestamp("us")),
        "Offender Meets National Criteria": [True, True, False], "Officer Notes": ["", "x", "y"]}), parquet)
    runner = CliRunner()
    suggested = runner.invoke(cli, ["mapping", "suggest", "--pack", str(PACK_DIR), "--type", "out_of_court_disposal",
                                    str(parquet)])
    assert suggested.exit_code == 0, suggested.output
    draft = tmp_path / "draft.yaml"
    draft.write_text(suggested.stdout)
    assert "?" not in suggested.stdout.split("\n", 1)[1].split("# Fields")[0]  # nothing left to guess
    checked = runner.invoke(cli, ["mapping", "check", "--pack", str(PACK_DIR), str(draft)])
    assert checked.exit_code == 0, checked.output
    report = json.loads(assess(str(parquet), "--mapping", str(draft), code=(0, 1)))
    [read] = report["inputs"]
    assert (read["records"], read["rejected"], read["ignored_columns"]) == (3, 0, ["Officer Notes"])
    assert read["read_as"][0] == "mapping disposals"
