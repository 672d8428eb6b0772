"""Checks of the benchmark's own pieces (no timings): run with ``.venv/bin/pytest bench``.

- every worked example of bench/pack, through every engine (as tests/test_rule_examples.py does
  for the PEEL pack);
- the record type has exactly the CSV's 16 columns;
- peelcheck_peer.py agrees with peer-bench's csv loop (rules_csv.py, the reference of run.py) on a
  small seeded CSV, for every engine: every count and the digest of the failing case_refs;
- on that CSV, every engine's failures are the same records at the same lines, each at its own
  row's line (the peers' check compares keys only: a columnar engine that misplaced every failure
  passed it);
- columnar_floor.py runs on that CSV.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from peelcheck.compile.pack_check import load_compiled_pack
from peelcheck.pipeline import AssessOptions, Engine, assess, assess_records
from peelcheck.schema.pack import FieldType

HERE = Path(__file__).resolve().parent
PEERBENCH_DIR = Path(os.environ.get("PEERBENCH_DIR", HERE.parent.parent / "shared" / "peer-bench"))
PACK = load_compiled_pack(HERE / "pack")
CASES = [(rule, example) for rule in PACK.rules for example in rule.rule.spec.examples]
CSV_COLUMNS = [
    "case_ref", "crime_type", "serious", "domestic_abuse", "victim_withdrew_support",
    "dvpn_considered", "investigation_plan", "supervised_effectively",
    "victim_needs_assessment", "recorded_at", "dash_submitted_at", "attended_at",
    "caution_given_at", "victim_views_recorded_at", "victim_update_dates", "outcome_code",
]


@pytest.mark.parametrize("engine", [Engine.DURABLE, Engine.PYTHON, Engine.COLUMNAR], ids=lambda e: e.value)
@pytest.mark.parametrize(("rule", "example"), CASES, ids=[f"{r.id}-{e.name}" for r, e in CASES])
def test_example(rule, example, engine):
    records = [example.record] if example.record is not None else list(example.records or [])
    options = AssessOptions(as_of=example.as_of or dt.date(2026, 11, 22), engine=engine)
    assessment = assess_records(PACK, {rule.record_type.name: records}, options, label=f"{rule.id}-{example.name}")
    assert assessment.engine == engine.value
    result = next(r for r in assessment.rules if r.id == rule.id)
    if example.status is not None:
        assert result.status is example.status
        return
    counts = {"compliant": result.compliant, "non_compliant": result.non_compliant,
              "not_recorded": result.not_recorded, "not_applicable": len(records) - result.applicable}
    assert counts[example.outcome.value] == 1, (example.outcome.value, counts)


def test_every_rule_has_passing_and_failing_examples():
    assert [r.id for r in PACK.rules] == [f"BEN-{i:02d}" for i in range(1, 11)]
    for rule in PACK.rules:
        assert any(e.passes for e in rule.rule.spec.examples), rule.id
        assert any(e.fails for e in rule.rule.spec.examples), rule.id


def test_record_type_is_the_csv():
    fields = PACK.record_types["bench_case"].fields
    assert list(fields) == CSV_COLUMNS
    assert fields["victim_update_dates"].type is FieldType.DATE_LIST
    assert fields["outcome_code"].type is FieldType.INT
    assert all(fields[c].type is FieldType.DATETIME for c in CSV_COLUMNS if c.endswith("_at"))


def _last_json(argv: list[str]) -> dict:
    done = subprocess.run(argv, capture_output=True, text=True, check=True, cwd=PEERBENCH_DIR)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def small_csv(tmp_path_factory) -> Path:
    if not (PEERBENCH_DIR / "gen_cases.py").is_file():
        pytest.skip(f"peer-bench not found at {PEERBENCH_DIR}")
    path = tmp_path_factory.mktemp("peerbench") / "cases-20000.csv"
    subprocess.run([sys.executable, str(PEERBENCH_DIR / "gen_cases.py"), "-n", "20000", "-o", str(path)], check=True)
    return path


@pytest.mark.parametrize("engine", ["durable", "python", "columnar"])
def test_agrees_with_the_csv_loop(small_csv, engine):
    want = _last_json([sys.executable, str(PEERBENCH_DIR / "rules_csv.py"), str(small_csv), "--digest"])
    got = _last_json([sys.executable, str(HERE / "peelcheck_peer.py"), str(small_csv), "--digest",
                      "--engine", engine])
    assert got["rows"] == want["rows"] == 20000
    assert got["rules"] == want["rules"]
    assert (got["r10_rate"], got["r10_pass"]) == (want["r10_rate"], want["r10_pass"])


def test_columnar_floor_times_the_engines_own_query_on_the_file(small_csv):
    """bench/columnar_floor.py runs on peer-bench's file (figures only; no time is asserted)."""
    done = subprocess.run([sys.executable, str(HERE / "columnar_floor.py"), str(small_csv), "--reps", "1"],
                          capture_output=True, text=True, check=True)
    lines = done.stdout.splitlines()
    assert [line.split()[0] for line in lines[2:5]] == ["peer,", "peelcheck", "..."]
    assert "columnar floor (imports + query)" in lines[-1]


def test_every_engine_puts_each_failure_at_its_own_line(small_csv):
    """gen_cases.py writes case CR<n> on line n + 2: each failure's location must be its record's line,
    and each engine's failures (key, line, reason, values) the python engine's."""
    def failures(engine: Engine) -> list[tuple[str, str, str, str, object]]:
        options = AssessOptions(as_of=dt.date(2026, 11, 22), engine=engine, record_type="bench_case")
        found = assess(PACK, [small_csv], options)
        assert found.engine == engine.value
        return [(r.id, f.key, f.location, f.reason, f.values) for r in found.rules for f in r.failures]

    python = failures(Engine.PYTHON)
    assert len(python) > 5_000
    assert all(location.endswith(f":{int(key[2:]) + 2}") for _, key, location, _, _ in python)
    for engine in (Engine.COLUMNAR, Engine.DURABLE):
        assert failures(engine) == python, engine
