"""Assessing a pack on every engine (durable-rules, the python engine, and the reference evaluator
counted directly), each run in a child process with a time limit, so a hang fails a test rather
than stopping the suite."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing as mp
import resource
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from peelcheck.cli.main import cli
from peelcheck.compile.pack_check import load_compiled_pack
from peelcheck.errors import PeelcheckError
from peelcheck.evaluate.reference import ReferenceRule
from peelcheck.pipeline import AssessOptions, Engine, assess_records
from peelcheck.schema.outcomes import Outcome
from peelcheck.schema.records import record_validator
from peelcheck.schema.rule import Mode

AS_OF = dt.date(2021, 3, 3)
Counts = tuple[str, int, int, int, int]  # rule id, applicable, compliant, non compliant, not recorded


def _child(fn: Callable[[], Any], queue: Any) -> None:
    start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # a forked child starts at its parent's RSS
    try:
        result: Any = ("ok", fn())
    except PeelcheckError as exc:
        result = ("error", [d.code for d in exc.diagnostics])
    except BaseException as exc:  # noqa: BLE001 - reported to the parent as a failure
        result = ("crash", f"{type(exc).__name__}: {exc}"[:300])
    queue.put((result, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - start))


def in_child(fn: Callable[[], Any], timeout: float = 60, max_rss_mib: int = 512) -> Any:
    """fn() in a forked process: its result, or a test failure on a hang, a crash or a peak RSS
    growing more than the cap above what the process started with. A PeelcheckError comes back as
    ("error", [codes])."""
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(fn, queue))
    proc.start()
    try:
        (status, value), rss_kib = queue.get(timeout=timeout)
    except Exception:  # queue.Empty: the child hangs or died without a word
        proc.kill()
        proc.join()
        pytest.fail(f"no answer within {timeout} s (exit code {proc.exitcode})")
    proc.join()
    assert rss_kib // 1024 <= max_rss_mib, f"peak RSS grew {rss_kib // 1024} MiB, over the cap of {max_rss_mib} MiB"
    assert status != "crash", value
    return value if status == "ok" else ("error", value)


def engine_counts(pack_dir: Path, records: list[dict[str, Any]], engine: Engine,
                  as_of: dt.date = AS_OF) -> tuple[list[Counts], list[str]]:
    pack = load_compiled_pack(pack_dir)
    assessment = assess_records(pack, {"thing": records}, AssessOptions(as_of=as_of, engine=engine))
    counts = [(r.id, r.applicable, r.compliant, r.non_compliant, r.not_recorded) for r in assessment.rules
              if r.question is None]
    return counts, list(getattr(assessment, "engine_notes", []))


def reference_counts(pack_dir: Path, records: list[dict[str, Any]], as_of: dt.date = AS_OF) -> list[Counts]:
    pack = load_compiled_pack(pack_dir)
    out = []
    for rule in pack.rules:
        if rule.rule.spec.mode is Mode.MANUAL:
            continue
        validator, reference = record_validator(rule.record_type), ReferenceRule(rule, as_of)
        key = rule.record_type.key
        values = [{k: v for k, v in validator.validate_python({key: f"{key}-{i}", **r}).items() if v is not None}
                  for i, r in enumerate(records, 1)]
        seen = [reference.outcome(v) for v in values]
        out.append((rule.id, len(seen) - seen.count(Outcome.NOT_APPLICABLE), seen.count(Outcome.COMPLIANT),
                    seen.count(Outcome.NON_COMPLIANT), seen.count(Outcome.NOT_RECORDED)))
    return out


def all_engines(pack_dir: Path, records: list[dict[str, Any]], timeout: float = 60,
                as_of: dt.date = AS_OF, max_rss_mib: int = 512) -> tuple[list[Counts], list[str]]:
    """The counts every engine gives (asserted equal), and durable-rules' run notes."""
    expected = in_child(lambda: reference_counts(pack_dir, records, as_of), timeout, max_rss_mib)
    durable = in_child(lambda: engine_counts(pack_dir, records, Engine.DURABLE, as_of), timeout, max_rss_mib)
    python = in_child(lambda: engine_counts(pack_dir, records, Engine.PYTHON, as_of), timeout, max_rss_mib)
    assert python[0] == expected, "python engine"
    assert durable[0] == expected, "durable-rules"
    return expected, durable[1]


def assert_csv_reported_as_the_reference(pack_dir: Path, csv: Path, records: list[dict[str, Any]],
                                         as_of: dt.date) -> None:
    """``peelcheck assess`` of ``csv`` (the CSV of ``records``) on every engine, in one process and in two,
    gives the reference evaluator's counts; each rule has compliant and late records, so a bound moved
    either way shows."""
    def report(*args: str) -> list[tuple[Any, ...]]:
        result = CliRunner().invoke(cli, ["assess", "--pack", str(pack_dir), str(csv), "--as-of", as_of.isoformat(),
                                          "--format", "json", *args])
        assert result.exit_code in (0, 1), result.output
        return [(r["id"], r["applicable"], r["compliant"], r["non_compliant"], r["not_recorded"])
                for r in json.loads(result.stdout)["rules"]]

    expected = [tuple(c) for c in reference_counts(pack_dir, records, as_of)]
    assert all(compliant and late for _, _, compliant, late, _ in expected), expected
    for engine in ("python", "durable", "columnar"):
        assert report("--engine", engine) == expected, engine
        assert report("--engine", engine, "--jobs", "2") == expected, engine
