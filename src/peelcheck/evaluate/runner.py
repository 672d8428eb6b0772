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
from itertools import chain, repeat
from operator import and_

from peelcheck.compile.check import CompiledRule
from peelcheck.errors import EngineError
from peelcheck.evaluate import failure_spill
from peelcheck.evaluate.breakdown import Breakdowns, Table, Waived, merge_tables
from peelcheck.evaluate.chunk_result import ChunkResult
from peelcheck.evaluate.columnar import ColumnarEvaluator, gathered_batches
from peelcheck.evaluate.durable_checked import SPILL_NOTE, CheckedDurable
from peelcheck.evaluate.explain import RuleExplainer, explained, explained_one_by_one
from peelcheck.evaluate.failure_spill import run_spill
from peelcheck.evaluate.failures import Failures
from peelcheck.evaluate.generated import generate
from peelcheck.evaluate.reference import ReferenceRule
from peelcheck.load.batch import Batch
from peelcheck.schema.outcomes import NON_COMPLIANT, NOT_RECORDED_SOMEWHERE, OUTCOME
from peelcheck.schema.pack import RecordTypeSpec


class Engine(str, Enum):
    DURABLE = "durable"
    PYTHON = "python"
    COLUMNAR = "columnar"


def held_by_default(engine: Engine) -> int | None:
    """How many failures a run on ``engine`` keeps in memory unless ``PEELCHECK_HELD_FAILURES`` says
    (None: failure_spill.HELD)."""
    return failure_spill.HELD_BESIDE_DUCKDB if engine is Engine.COLUMNAR else None


@dataclass
class Tally:
    """Outcome counts of one rule, and its failures."""

    rule: CompiledRule
    applicable: int = 0
    compliant: int = 0
    non_compliant: int = 0
    not_recorded: int = 0
    failures: Failures = field(default_factory=Failures)
    breakdown: Table = field(default_factory=dict)  # field -> value -> counts (see evaluate.breakdown)
    beside_durable: int = 0  # records durable-rules could not be given exactly (see durable_checked)

    def merge(self, other: Tally) -> None:
        """Add another process's tally of the same rule (its failures after this one's)."""
        self.applicable += other.applicable
        self.compliant += other.compliant
        self.non_compliant += other.non_compliant
        self.not_recorded += other.not_recorded
        self.beside_durable += other.beside_durable
        self.failures.extend(other.failures)
        merge_tables(self.breakdown, other.breakdown)

    def add(self, records: int, not_applicable: int, non_compliant: int, not_recorded: int) -> None:
        """Count a chunk (its failures are added one by one, with their reasons)."""
        applicable = records - not_applicable
        self.applicable += applicable
        self.compliant += applicable - non_compliant - not_recorded
        self.non_compliant += non_compliant
        self.not_recorded += not_recorded


ChunkEvaluator = Callable[[Batch], ChunkResult]
_YOUNG = 100_000  # containers made between young collections while a run lasts (Python's default: 700)


@contextmanager
def long_lived_results() -> Iterator[Callable[[], None]]:
    """Keeps the failures found so far out of the cyclic GC's full collections while a run lasts.

    Hundreds of thousands of failures live until the report is written; each full collection
    would walk them all again (a fifth of the run at a million records). ``settle`` moves what
    exists now to the permanent generation; everything is handed back when the run ends. If
    the embedding application froze objects itself, its choice is left alone.

    Young collections are put off too: each would walk the chunk being read (lists of thousands
    of cells), about two per chunk; ``settle`` restarts the count, so one runs only where a chunk
    makes more than ``_YOUNG`` containers. Cycles made meanwhile are collected after the run.
    """
    if gc.get_freeze_count():
        yield lambda: None
        return
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], _YOUNG), *thresholds[1:])
    try:
        yield gc.freeze
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


class TypeEvaluation:
    """Evaluates every automated rule of one record type over a stream of its records."""

    def __init__(self, record_type: RecordTypeSpec, rules: list[CompiledRule], engine: Engine,
                 as_of: dt.date, by: tuple[str, ...] = (), waived: Waived | None = None) -> None:
        """``by``: fields to break every rule down by, where its record type has them; ``waived``: the
        records waived for each rule, which its breakdown leaves out where they fail."""
        self.record_type, self.rules, self.engine, self.as_of = record_type, rules, engine, as_of
        self.tallies = [Tally(rule) for rule in rules]
        self.spill = run_spill(held_by_default(engine))  # failures past what the run should hold in memory wait on disk
        self.breakdowns = Breakdowns(rules, by, as_of, waived)  # --by and the rules' own breakdown fields
        self._tables = [t.breakdown for t in self.tallies]
        self.references = [ReferenceRule(rule, as_of) for rule in rules]
        self.explainers = [RuleExplainer(rule, as_of) for rule in rules]
        self.records = 0
        self._held: list[Batch] = []  # the columnar engine's records kept back from a query (``feed``'s hold)
        self._session: CheckedDurable | None = None
        generated = generate(rules, as_of)[1]
        self._generated: ChunkEvaluator = lambda batch: generated(batch.columns, len(batch))
        self.columnar: ColumnarEvaluator | None = None
        if engine is Engine.COLUMNAR and rules:
            self.columnar = ColumnarEvaluator(rules, record_type, as_of)
            self._generated = self.columnar
        if engine is Engine.DURABLE and rules:
            self._session = CheckedDurable(rules, record_type, as_of, self.references)

    def counts_in_sql(self) -> bool:
        """Whether the columnar engine counts every rule of a file DuckDB reads in the query itself: no
        breakdown, and every rule held in SQL (else the file's records are counted batch by batch)."""
        return not self.breakdowns.active and (self.columnar is None or not self.columnar.in_python)

    def notes(self) -> list[str]:
        """What the run should say about how it evaluated: rules or records durable-rules did not take."""
        if self._session is None:
            return []
        said = [f"rule {rule_id}: evaluated by the python engine: {why}"
                for rule_id, why in self._session.python_rules().items()]
        for tally in self.tallies:
            if tally.beside_durable:
                said.append(f"rule {tally.rule.id}: {tally.beside_durable} {SPILL_NOTE}")
        return said

    def absorb(self, records: int, tallies: list[Tally]) -> None:
        """Add what another process evaluated (same rules, same order) to this evaluation, after the records
        fed before it (their failures come first)."""
        self.flush()
        self.records += records
        for mine, theirs in zip(self.tallies, tallies):
            mine.merge(theirs)

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
        if self.columnar is not None:
            self.columnar.close()

    def feed(self, batches: Iterable[Batch], progress: Callable[[int], None] | None = None,
             hold: bool = False) -> None:
        """Evaluate ``batches``. With the columnar engine, the loader's batches are joined for one DuckDB
        query per GATHERED_ROWS records (a query costs ~13 ms); ``hold``: the last records, short of that,
        are kept back to be joined with the next file's, until ``flush``: many small files, few queries."""
        arriving = self._arrived(batches, progress)
        if self.columnar is not None:
            held, self._held = self._held, []
            arriving = gathered_batches(chain(held, arriving), held=self._held if hold else None)
        with long_lived_results() as settle:
            self._feed(arriving, settle)

    def flush(self) -> None:
        """Evaluate the records ``feed`` kept back."""
        if self._held:
            self.feed([])

    def _arrived(self, batches: Iterable[Batch], progress: Callable[[int], None] | None) -> Iterator[Batch]:
        """The batches, counted (and told to ``progress``) as they arrive: a file's records are its own
        even where they are evaluated beside the next file's."""
        for batch in batches:
            self.records += len(batch)
            if progress is not None:
                progress(len(batch))
            yield batch

    def _feed(self, batches: Iterable[Batch], settle: Callable[[], None]) -> None:
        session, evaluate = self._session, self._generated
        for batch in batches:
            settle()
            if not self.rules:
                continue
            not_applicable, failing = chunk = evaluate(batch)
            if session is not None:  # every outcome durable-rules gives is held to the python engine's
                for index, spilled in session.check(batch, chunk).items():
                    self.tallies[index].beside_durable += spilled
            self.breakdowns.count(batch, chunk, self._tables)
            for index, (skipped, codes) in enumerate(zip(not_applicable, failing)):
                self.count(index, len(batch), skipped, codes, batch, checked=session is not None)
        if session is not None:  # durable-rules' answers may lag a chunk behind (see durable_checked)
            session.finish()

    def count(self, index: int, records: int, skipped: int, codes: list[int], batch: Batch,
              checked: bool = False) -> None:
        """One rule's results over ``records`` records: how many it does not apply to, and its failing
        records' codes (position in ``batch`` * 4 + kind), each explained (``checked``: and held to the
        reference evaluator first, as durable-rules' are)."""
        non_compliant = list(map(and_, codes, repeat(3))).count(NON_COMPLIANT)
        self.tallies[index].add(records, skipped, non_compliant, len(codes) - non_compliant)
        if codes:
            (self._fail_checked if checked else self._fail)(index, batch, codes)

    def _fail(self, index: int, batch: Batch, codes: list[int]) -> None:
        self.tallies[index].failures.add(self.spill.keep(explained(self.explainers[index], batch, codes)))

    def _fail_one_by_one(self, index: int, batch: Batch, codes: list[int]) -> None:
        self.tallies[index].failures.add(self.spill.keep(explained_one_by_one(self.explainers[index], batch, codes)))

    def _fail_checked(self, index: int, batch: Batch, codes: list[int]) -> None:
        """The same for durable-rules' findings, each checked against the reference evaluator first."""
        rule, reference, fields = self.tallies[index].rule, self.references[index], self.explainers[index].fields
        for code in codes:
            i, outcome = code >> 2, OUTCOME[code & 3]
            said = reference.outcome(batch.record(i, fields))
            if said is not outcome:
                raise EngineError.single(
                    "engine-disagreement", f"durable-rules gave {outcome.value} for rule {rule.id} on record "
                    f"{batch.keys[i]}, the reference evaluator {said.value}", batch.where(i))
        # durable-rules does not say which part was not recorded: those are explained one by one
        unsure = any(code & 3 == NOT_RECORDED_SOMEWHERE for code in codes)
        (self._fail_one_by_one if unsure else self._fail)(index, batch, codes)

