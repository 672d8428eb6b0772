"""CSV files are read a chunk at a time and, where every cell is canonical, column by column. Whatever
the path, each row must come out as pydantic validates it alone, named by the line csv counts."""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

import pytest

from peelcheck.load.records import RecordReader, RecordRow, RecordSource, RejectedRow
from peelcheck.schema.pack import RecordTypeSpec
from peelcheck.schema.records import record_validator

from .strategies import RECORD_TYPE

# every type but duration (which always goes to pydantic), so clean chunks take the columnar path
COLUMNAR_TYPE = RecordTypeSpec.model_validate(
    {**RECORD_TYPE.model_dump(), "fields": {n: f.model_dump() for n, f in RECORD_TYPE.fields.items() if n != "u1"}})


def _cell(rng: random.Random, kind: str) -> str:
    if rng.random() < 0.2:
        return ""
    day = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(400))
    return {
        "bool": rng.choice(["true", "false"]), "int": str(rng.randrange(-50, 50)), "float": f"{rng.random():.3f}",
        "string": rng.choice(["x", "a b", "é"]), "enum": rng.choice("abc"), "date": day.isoformat(),
        "datetime": dt.datetime.combine(day, dt.time(rng.randrange(24), rng.randrange(60))).isoformat(),
        "date_list": ";".join(sorted((day + dt.timedelta(days=k * 9)).isoformat() for k in range(rng.randrange(1, 4)))),
    }[kind]


def _write(path: Path, rows: int, odd: dict[int, tuple[str, str]]) -> list[str]:
    """A CSV of ``rows`` records; ``odd`` puts a given cell into given rows (by index)."""
    rng = random.Random(rows)
    names = list(COLUMNAR_TYPE.fields)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(names)
        for i in range(rows):
            row = {n: _cell(rng, f.type.value) for n, f in COLUMNAR_TYPE.fields.items()}
            row["ref"] = f"R{i}"
            if i in odd:
                row[odd[i][0]] = odd[i][1]
            writer.writerow([row[n] for n in names])
    return names


def _one_by_one(path: Path) -> list[tuple[int, object]]:
    """The oracle: each row validated alone by pydantic, at the line it starts on (csv's own line count
    is the line it ends on: the one after the previous row's)."""
    validator, out = record_validator(COLUMNAR_TYPE), []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        names = next(reader)
        start = reader.line_num + 1
        for row in reader:
            raw = {n: v for n, v in zip(names, row) if v != ""}
            if row[names.index("l1")]:
                raw["l1"] = row[names.index("l1")].split(";")
            try:
                out.append((start, validator.validate_python(raw)))
            except Exception:
                out.append((start, "rejected"))
            start = reader.line_num + 1
    return out


@pytest.mark.parametrize("odd", [
    {},
    {1500: ("s1", "two\nlines"), 1501: ("s1", "three\r\nmore\nlines")},  # quoted line breaks shift later lines
    {10: ("b1", "yes"), 2400: ("t1", "2021-02-30T10:00:00")},  # bad rows: rejected, their chunks row by row
    {999: ("t1", "2021-03-03 10:00:00"), 1000: ("i1", " 7")},  # pydantic's spellings at a chunk's edges
], ids=["clean", "line-breaks", "bad-rows", "other-spellings"])
def test_chunked_reading_equals_pydantic_row_by_row(tmp_path, odd):
    path = tmp_path / "thing.csv"
    _write(path, 2500, odd)
    got = list(RecordReader(RecordSource(path, COLUMNAR_TYPE), record_validator(COLUMNAR_TYPE)).rows())
    expected = _one_by_one(path)
    assert len(got) == len(expected) == 2500
    for item, (line, values) in zip(got, expected):
        assert item.location.line == line
        if values == "rejected":
            assert isinstance(item, RejectedRow)
        else:
            assert isinstance(item, RecordRow)
            assert item.values == {k: v for k, v in values.items() if v is not None}  # type: ignore[union-attr]
            assert item.key == values["ref"]  # type: ignore[index]


def test_shards_split_chunks_and_keep_their_lines(tmp_path):
    path = tmp_path / "thing.csv"
    _write(path, 2500, {1500: ("s1", "two\nlines")})
    whole = [r.location.line for r in RecordReader(RecordSource(path, COLUMNAR_TYPE),
                                                   record_validator(COLUMNAR_TYPE)).rows()]
    parts = [[r.location.line for r in RecordReader(RecordSource(path, COLUMNAR_TYPE, shard=(k, 2)),
                                                    record_validator(COLUMNAR_TYPE)).rows()] for k in range(2)]
    assert len(parts[0]) == 1500 and len(parts[1]) == 1000  # blocks 0 and 2, and block 1
    assert sorted(parts[0] + parts[1]) == whole
