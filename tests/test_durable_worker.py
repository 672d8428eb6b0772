"""durable-rules in a child process (evaluate.durable_worker): the same answers as in this process,
checked one chunk later; a child that dies or cannot start is never a silent result."""

from __future__ import annotations

import datetime as dt
import os
import signal

import pytest

from peelcheck.errors import EngineError
from peelcheck.evaluate import durable_engine, durable_worker
from peelcheck.evaluate.durable_checked import CheckedDurable
from peelcheck.evaluate.generated import generate
from peelcheck.evaluate.reference import ReferenceRule
from peelcheck.load.batch import from_records

from .strategies import RECORD_TYPE
from .test_compile_helpers import make_rule

pytestmark = pytest.mark.skipif(not durable_engine.available(), reason="durable-rules does not import here")
AS_OF = dt.date(2021, 3, 3)
RULES = [make_rule({"b1": True}, when={"i1": {"at_least": 1}}), make_rule({"i1": {"at_most": 5}}, index=1)]


def _chunks(count: int):
    for c in range(count):
        records = [{"ref": f"{c}-{i}", "b1": (i + c) % 3 == 0, "i1": (i * 7 + c) % 9 - 1 if i % 5 else None}
                   for i in range(durable_engine.CHUNK)]
        batch = from_records(records, RECORD_TYPE.fields)
        yield batch, generate(RULES, AS_OF)[1](batch.columns, len(batch))


def _checked() -> CheckedDurable:
    return CheckedDurable(RULES, RECORD_TYPE, AS_OF, [ReferenceRule(r, AS_OF) for r in RULES])


def test_chunks_checked_in_the_child_agree_and_a_wrong_answer_is_caught_one_chunk_later(monkeypatch):
    monkeypatch.setenv("PEELCHECK_DURABLE_PROCESS", "1")
    checked = _checked()
    try:
        assert checked.remote is not None and checked.remote.process.poll() is None
        chunks = list(_chunks(3))
        for batch, result in chunks:
            checked.check(batch, result)
        checked.finish()
        (batch, (not_applicable, failing)), (second, result) = chunks[0], chunks[1]
        checked.check(batch, (not_applicable, [failing[0][1:], failing[1]]))  # sent: answered at the next check
        with pytest.raises(EngineError) as caught:
            checked.check(second, result)
        assert caught.value.diagnostics[0].code == "engine-disagreement"
    finally:
        checked.close()


def test_a_child_that_dies_stops_the_run(monkeypatch):
    monkeypatch.setenv("PEELCHECK_DURABLE_PROCESS", "1")
    monkeypatch.setattr(durable_worker, "_worker", None)  # a child of this test's own
    checked = _checked()
    (batch, result), = _chunks(1)
    checked.check(batch, result)
    os.kill(checked.remote.process.pid, signal.SIGKILL)
    checked.remote.process.wait()
    with pytest.raises(EngineError) as caught:
        checked.finish()
    assert caught.value.diagnostics[0].code == "engine-fault"
    checked._waiting = None


def test_durable_rules_runs_here_when_no_child_can_start(monkeypatch):
    monkeypatch.setenv("PEELCHECK_DURABLE_PROCESS", "1")
    monkeypatch.setattr(durable_worker, "_worker", None)
    monkeypatch.setattr(durable_worker.sys, "executable", "/nonexistent/python")
    checked = _checked()
    try:
        assert checked.remote is None
        for batch, result in _chunks(2):
            checked.check(batch, result)
        checked.finish()
    finally:
        checked.close()
