"""A rule's results broken down by the values of a field (crime type, department, ...).

The engines count the records a rule does not apply to and list its failing records by position;
a breakdown also needs to know *which* records it does not apply to. Those are found by running
the rule's ``when`` as an ``expect`` through the python engine: its non-compliant positions are
the records ``when`` is false for. That costs one generated loop per breakdown rule whatever the
engine, and its count is checked against the engine's own, chunk by chunk, so the breakdown can
never disagree with the total.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from peelcheck.compile.check import CompiledRule, breakdown_problem
from peelcheck.errors import EngineError, Location
from peelcheck.evaluate.chunk_result import NON_COMPLIANT, ChunkResult
from peelcheck.evaluate.generated import generate
from peelcheck.load.batch import Batch

MAX_VALUES = 200  # distinct values kept per field (a text field could hold one per record); more go to OTHER
RECORDS, NOT_APPLICABLE, NON_COMPLIANT_COUNT, NOT_RECORDED_COUNT = range(4)


class _Other:
    """The bucket of values past MAX_VALUES (a sentinel no record value can equal)."""

    def __repr__(self) -> str:
        return "OTHER"

    def __reduce__(self) -> str:
        return "OTHER"  # unpickles as this module's one instance (--jobs sends tallies between processes)


OTHER = _Other()
# field -> value (None: not recorded) -> [records, not applicable, non-compliant, not recorded]
Table = dict[str, dict[Any, list[int]]]


def breakdown_fields(rule: CompiledRule, by: Sequence[str]) -> tuple[str, ...]:
    """The rule's own breakdown fields, then those of ``by`` its record type can be broken down by."""
    own = list(rule.rule.spec.breakdown)
    extra = [f for f in by if f not in own and breakdown_problem(f, rule.record_type) is None]
    return tuple(own + extra)


def merge_tables(mine: Table, theirs: Table) -> None:
    """Add another process's counts of the same rule."""
    for name, values in theirs.items():
        table = mine.setdefault(name, {})
        for value, counts in values.items():
            slot = table.setdefault(value, [0, 0, 0, 0])
            for k, n in enumerate(counts):
                slot[k] += n


def _applicability(rule: CompiledRule, as_of: dt.date) -> Callable[[Batch], list[int]] | None:
    """Positions of a batch's records the rule does not apply to (None: it applies to every record)."""
    if rule.when is None:
        return None
    inverted = CompiledRule(rule.rule, rule.record_type, None, rule.when)
    evaluate = generate([inverted], as_of)[1]

    def positions(batch: Batch) -> list[int]:
        return [code >> 2 for code in evaluate(batch.columns, len(batch))[1][0] if code & 3 == NON_COMPLIANT]
    return positions


class BreakdownCounter:
    """Counts one rule's outcomes per value of its breakdown fields, chunk by chunk."""

    def __init__(self, rule: CompiledRule, fields: tuple[str, ...], as_of: dt.date) -> None:
        self.rule, self.fields = rule, fields
        self._not_applicable = _applicability(rule, as_of)

    def count(self, batch: Batch, not_applicable: int, codes: list[int], table: Table) -> None:
        skipped = self._not_applicable(batch) if self._not_applicable is not None else []
        if len(skipped) != not_applicable:
            raise EngineError.single(
                "engine-disagreement", f"rule {self.rule.id}: the engine found {not_applicable} records it does "
                f"not apply to in a chunk, the breakdown {len(skipped)}", Location(self.rule.rule.path))
        for name in self.fields:
            column = batch.columns.get(name) or [None] * len(batch)
            values = table.setdefault(name, {})
            for value, n in Counter(column).items():
                _slot(values, value)[RECORDS] += n
            for i in skipped:
                _slot(values, column[i])[NOT_APPLICABLE] += 1
            for code in codes:
                kind = NON_COMPLIANT_COUNT if code & 3 == NON_COMPLIANT else NOT_RECORDED_COUNT
                _slot(values, column[code >> 2])[kind] += 1


def _slot(values: dict[Any, list[int]], value: Any) -> list[int]:
    slot = values.get(value)
    if slot is None:
        if len(values) >= MAX_VALUES and value is not None:
            value = OTHER
        slot = values.setdefault(value, [0, 0, 0, 0])
    return slot


def counters(rules: list[CompiledRule], by: Sequence[str], as_of: dt.date) -> list[BreakdownCounter | None]:
    """One counter per rule that has breakdown fields (None for the others)."""
    out: list[BreakdownCounter | None] = []
    for rule in rules:
        fields = breakdown_fields(rule, by)
        out.append(BreakdownCounter(rule, fields, as_of) if fields else None)
    return out


def chunk_counts(chunk: ChunkResult, batch: Batch, tables: list[Table],
                 breakdowns: list[BreakdownCounter | None]) -> None:
    """Count a chunk's results into each rule's breakdown table."""
    not_applicable, failing = chunk
    for index, counter in enumerate(breakdowns):
        if counter is not None:
            counter.count(batch, not_applicable[index], failing[index], tables[index])


__all__ = ["OTHER", "BreakdownCounter", "Table", "breakdown_fields", "chunk_counts", "counters", "merge_tables"]
