"""Streaming records through an evaluator, chunk by chunk, into per-rule tallies.

Memory stays bounded by the chunk size plus the failures kept for the report; nothing about a
record survives its chunk except its failures (key, location, reason).
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Enum
from itertools import islice
from typing import Any

from peelcheck.compile.check import CompiledRule
from peelcheck.errors import EngineError
from peelcheck.evaluate import durable_engine
from peelcheck.evaluate.explain import explain
from peelcheck.evaluate.failures import FailureResult, failure
from peelcheck.evaluate.generated import generate
from peelcheck.evaluate.reference import ReferenceRule
from peelcheck.load.records import RecordRow
from peelcheck.schema.outcomes import Outcome
from peelcheck.schema.pack import RecordTypeSpec


class Engine(str, Enum):
    DURABLE = "durable"
    PYTHON = "python"


@dataclass
class Tally:
    """Outcome counts of one rule, and its failures."""

    rule: CompiledRule
    applicable: int = 0
    compliant: int = 0
    non_compliant: int = 0
    not_recorded: int = 0
    failures: list[FailureResult] = field(default_factory=list)

    def merge(self, other: Tally) -> None:
        """Add another process's tally of the same rule (its failures after this one's)."""
        self.applicable += other.applicable
        self.compliant += other.compliant
        self.non_compliant += other.non_compliant
        self.not_recorded += other.not_recorded
        self.failures.extend(other.failures)

    def add_all(self, outcomes: list[Outcome]) -> None:
        """Count a chunk's outcomes (its failures are added one by one, with their reasons)."""
        compliant, non_compliant = outcomes.count(Outcome.COMPLIANT), outcomes.count(Outcome.NON_COMPLIANT)
        not_recorded = outcomes.count(Outcome.NOT_RECORDED)
        self.compliant += compliant
        self.non_compliant += non_compliant
        self.not_recorded += not_recorded
        self.applicable += compliant + non_compliant + not_recorded


ChunkEvaluator = Callable[[list[dict[str, Any]]], list[list[Outcome]]]


@contextmanager
def _long_lived_results() -> Iterator[Callable[[], None]]:
    """Keeps the failures found so far out of the cyclic GC's full collections while a run lasts.

    Hundreds of thousands of failures live until the report is written; each full collection
    would walk them all again (a fifth of the run at a million records). ``settle`` moves what
    exists now to the permanent generation; everything is handed back when the run ends. If
    the embedding application froze objects itself, its choice is left alone.
    """
    if gc.get_freeze_count():
        yield lambda: None
        return
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()


def _chunks(rows: Iterable[RecordRow], size: int) -> Iterator[list[RecordRow]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


class TypeEvaluation:
    """Evaluates every automated rule of one record type over a stream of its records."""

    def __init__(self, record_type: RecordTypeSpec, rules: list[CompiledRule], engine: Engine,
                 as_of: dt.date) -> None:
        self.record_type, self.rules, self.engine, self.as_of = record_type, rules, engine, as_of
        self.tallies = [Tally(rule) for rule in rules]
        self.references = [ReferenceRule(rule, as_of) for rule in rules]
        self.records = 0
        self._session: durable_engine.DurableSession | None = None
        self._generated: ChunkEvaluator = generate(rules, as_of)[1]
        if engine is Engine.DURABLE and rules:
            self._session = durable_engine.DurableSession(durable_engine.fitting_ruleset(rules, record_type, as_of))

    def absorb(self, records: int, tallies: list[Tally]) -> None:
        """Add what another process evaluated (same rules, same order) to this evaluation."""
        self.records += records
        for mine, theirs in zip(self.tallies, tallies):
            mine.merge(theirs)

    def close(self) -> None:
        if self._session is not None:
            self._session.close()

    def feed(self, rows: Iterable[RecordRow], progress: Callable[[int], None] | None = None) -> None:
        with _long_lived_results() as settle:
            self._feed(rows, progress, settle)

    def _feed(self, rows: Iterable[RecordRow], progress: Callable[[int], None] | None,
              settle: Callable[[], None]) -> None:
        evaluate: ChunkEvaluator = self._session.evaluate if self._session else self._generated
        for chunk in _chunks(rows, durable_engine.CHUNK):
            settle()
            self.records += len(chunk)
            if progress is not None:
                progress(len(chunk))
            if not self.rules:
                continue
            values = [row.values for row in chunk]
            for tally, reference, outcomes in zip(self.tallies, self.references, evaluate(values)):
                tally.add_all(outcomes)
                if tally.non_compliant + tally.not_recorded == len(tally.failures):
                    continue  # nothing failed in this chunk
                for i, outcome in enumerate(outcomes):
                    if outcome is Outcome.NON_COMPLIANT or outcome is Outcome.NOT_RECORDED:
                        self._fail(tally, reference, chunk[i], outcome)

    def _fail(self, tally: Tally, reference: ReferenceRule, row: RecordRow, outcome: Outcome) -> None:
        if self._session is not None and reference.outcome(row.values) is not outcome:
            raise EngineError.single(
                "engine-disagreement", f"durable-rules gave {outcome.value} for rule {tally.rule.id} on record "
                f"{row.key}, the reference evaluator {reference.outcome(row.values).value}", row.location)
        reason = explain(tally.rule, row.values, outcome, self.as_of)
        tally.failures.append(failure(row.key, str(row.location), outcome, reason.part, reason.text, reason.values))
