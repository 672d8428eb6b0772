"""Fuzzing whole packs and record files through the CLI (issue 10, "Done when"), with a fixed budget.

Random rules (sometimes broken: unknown fields, literals of the wrong type, nesting past the limit,
windows past the calendar) and random records, past durable-rules' limits too. For each pack:
`validate` answers without a traceback; a pack it accepts assesses on every engine (durable-rules,
the python engine, the reference evaluator counted directly) with the same counts for every rule,
within a time limit and a memory cap, and `assess` through the CLI exits 0, 1 or 2 with no
traceback on stderr.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from peelcheck.cli.main import cli
from peelcheck.evaluate import durable_engine

from .engine_runs import all_engines
from .pack_factory import rule_spec, write_pack
from .strategies import AS_OFS, edge_conditions, edge_records

FUZZ_EXAMPLES = int(os.environ.get("PEELCHECK_FUZZ_EXAMPLES", "45"))  # 45 keep CI under ten minutes
MEMORY_CAP_MIB = 512  # peak RSS growth of one assessment run (the test process forks it)

pytestmark = pytest.mark.skipif(not durable_engine.available(), reason="durable-rules does not import here")

breakage = st.sampled_from([
    {"nope": 1},  # unknown field
    {"i1": "text"},  # a literal of the wrong type
    {"d1": {"within": {"days": 1e300, "after": "d2"}}},  # a window past the calendar
    {"f1": {"at_most": float("inf")}},
    {"b1": {"in": []}},
])


@st.composite
def packs(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Up to five rules; one pack in four has one rule broken on purpose."""
    rules = []
    for i in range(draw(st.integers(1, 5))):
        when = draw(st.one_of(st.none(), edge_conditions))
        rules.append(rule_spec(i, _plain(draw(edge_conditions)), _plain(when) if when is not None else None))
    if draw(st.integers(0, 3)) == 0:
        victim = rules[draw(st.integers(0, len(rules) - 1))]
        if draw(st.booleans()):
            victim["expect"] = {"all": [victim["expect"], draw(breakage)]}
        else:
            for _ in range(33):  # deeper than the limit
                victim["expect"] = {"not": victim["expect"]}
    return rules


def _plain(value: Any) -> Any:
    """A condition as YAML can hold it (durations as seconds; the rest as they are)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value.total_seconds() if isinstance(value, dt.timedelta) else value


def _record_json(record: dict[str, Any]) -> dict[str, Any]:
    def one(v: Any) -> Any:
        if isinstance(v, (dt.date, dt.datetime)):
            return v.isoformat()
        if isinstance(v, dt.timedelta):
            return v.total_seconds() if abs(v.days) < 10**8 else f"{'-' if v.days < 0 else ''}P{abs(v.days)}D"
        if isinstance(v, list):
            return [one(x) for x in v]
        return v
    return {k: one(v) for k, v in record.items()}


def _no_traceback(result: Any) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.stderr[-500:])


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=bool(os.environ.get("CI")),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(rules=packs(), rows=st.lists(edge_records(), min_size=1, max_size=6), as_of=AS_OFS)
def test_every_accepted_pack_assesses_alike_on_every_engine(rules, rows, as_of):
    with tempfile.TemporaryDirectory() as tmp:
        pack = write_pack(Path(tmp) / "pack", rules)
        checked = CliRunner().invoke(cli, ["validate", str(pack), "--format", "json"])
        _no_traceback(checked)
        verdict = json.loads(checked.stdout)
        event("accepted" if verdict["ok"] else f"refused: {verdict['diagnostics'][0]['code']}")
        if not verdict["ok"]:
            assert checked.exit_code == 1  # problems found (2 is misuse)
            return
        records = [_record_json(row) for row in rows]
        all_engines(pack, records, timeout=120, as_of=as_of, max_rss_mib=MEMORY_CAP_MIB)
        data = Path(tmp) / "records.json"
        data.write_text(json.dumps({"record_type": "thing", "records": [
            {"ref": f"r{i}", **row} for i, row in enumerate(records)]}))
        for engine in ("durable", "python"):
            result = CliRunner().invoke(cli, ["assess", "--pack", str(pack), str(data), "--engine", engine,
                                              "--as-of", as_of.isoformat(), "--format", "json"])
            _no_traceback(result)
