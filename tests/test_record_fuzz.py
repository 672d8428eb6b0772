"""Whatever a record file holds, reading and assessing it gives an assessment or located errors, never a crash.

A fixed budget of generated files per format (YAML, JSON, JSON Lines, CSV), each assessed with the python engine:
the result is an Assessment or a PeelcheckError whose every diagnostic names the file; any other exception (a
traceback for the user, exit 4) fails the test. FUZZ_EXAMPLES=600 explores further (600 each ran clean).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peelcheck.errors import PeelcheckError
from peelcheck.evaluate.runner import Engine
from peelcheck.pipeline import AssessOptions, assess

FIELDS = ["case_ref", "serious", "domestic_abuse", "victim_withdrew_support", "dvpn_considered", "attended_at",
          "victim_update_dates", "outcome_code", "crime_type"]
CELL_TEXT = st.text(alphabet=st.sampled_from(list("aZ09 -:;.,\"'\n\r\t\\[]{}&*!|<>%@\x00\x1b\u202eé")), max_size=12)
CELLS = st.one_of(CELL_TEXT, st.sampled_from(["", "true", "false", "none", "2021-02-30", "2021-03-03T14:00:00",
                                                "2021-01-01;2021-02-01", "1" * 120, "NaN", "-0", "1e999"]))
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), CELLS)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(CELLS, inner, max_size=3),
                      max_leaves=8)
RECORDS = st.lists(st.dictionaries(st.sampled_from(FIELDS) | CELL_TEXT, VALUES, max_size=5), max_size=4)
OPTIONS = AssessOptions(as_of=dt.date(2022, 4, 1), engine=Engine.PYTHON,
                        only_rules=frozenset({"PVP-001", "INV-004"}), record_type="case_file")
BUDGET = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")), deadline=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture])


def _assess_or_located_errors(pack, path: Path) -> None:
    try:
        assess(pack, [path], OPTIONS)
    except PeelcheckError as error:
        assert error.diagnostics and all(d.location.path.startswith(str(path)) for d in error.diagnostics), error


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


@BUDGET
@given(records=RECORDS, wrapped=st.booleans(), garble=st.binary(max_size=8))
def test_yaml_and_json_documents(peel_pack, tmp_path: Path, records, wrapped: bool, garble: bytes):
    document = {"record_type": "case_file", "records": records} if wrapped else records
    _assess_or_located_errors(peel_pack, _write(tmp_path, "f.yaml", yaml.safe_dump(document).encode() + garble))
    _assess_or_located_errors(peel_pack, _write(tmp_path, "f.json", json.dumps(document).encode() + garble))


@BUDGET
@given(records=RECORDS, garble=st.binary(max_size=8))
def test_json_lines(peel_pack, tmp_path: Path, records, garble: bytes):
    text = "\n".join(json.dumps(r) for r in records).encode() + garble
    _assess_or_located_errors(peel_pack, _write(tmp_path, "f.jsonl", text))


@BUDGET
@given(header=st.lists(st.sampled_from(FIELDS) | CELL_TEXT, min_size=1, max_size=5),
       rows=st.lists(st.lists(CELLS, max_size=6), max_size=5), garble=st.binary(max_size=8))
def test_csv(peel_pack, tmp_path: Path, header, rows, garble: bytes):
    def line(cells: list[str]) -> str:
        return ",".join('"' + c.replace('"', '""') + '"' if any(x in c for x in ',"\n\r') else c for c in cells)
    text = "\n".join(line(r) for r in [header, *rows]).encode() + garble
    _assess_or_located_errors(peel_pack, _write(tmp_path, "f.csv", text))
