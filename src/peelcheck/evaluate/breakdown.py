"""A rule's results broken down by the values of a field (crime type, department, ...).

The engines count the records a rule does not apply to and list its failing records by position;
a breakdown also needs to know *which* records it applies to. Those are found by running
``not when`` as an ``expect`` through the python engine: it fails exactly the records ``when`` is
true or unknown for. (Rules mostly apply to a minority of records, so listing those is the short
list.) That costs one generated loop per chunk for all the rules broken down, whatever the engine,
and each rule's count is checked against the engine's own, so a breakdown can never disagree with
its total.

Record waivers take a failing record out of its rule's figures after evaluation (assess/waivers.py),
when all that is left of it is its failure, which keeps only the fields its rule reads, not the
value it was broken down by. So the breakdown is told beforehand which records are waived for
which rule, and leaves out those that fail, as the waivers then do from the totals; one that
passes stays in, as it does in the totals (a waiver matching no failure takes nothing out).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from peelcheck.compile.check import CompiledRule, breakdown_problem
from peelcheck.errors import EngineError, Location
from peelcheck.evaluate.chunk_result import ChunkResult
from peelcheck.evaluate.generated import generate
from peelcheck.load.batch import Batch
from peelcheck.schema.conditions import Not
from peelcheck.schema.outcomes import NON_COMPLIANT

MAX_VALUES = 200  # distinct values a field may have to be broken down (a text field could have one per record)
APPLICABLE, NON_COMPLIANT_COUNT, NOT_RECORDED_COUNT = range(3)  # a value's counts, in this order


class _Other:
    """Every value of a field with more than MAX_VALUES of them (a sentinel no record value can equal)."""

    def __repr__(self) -> str:
        return "OTHER"

    def __reduce__(self) -> str:
        return "OTHER"  # unpickles as this module's one instance (--jobs sends tallies between processes)


OTHER = _Other()
# field -> value (None: not recorded) -> [applicable, non-compliant, not recorded]
Table = dict[str, dict[Any, list[int]]]
# rule id -> the keys of the records waived for it (assess --waivers)
Waived = Mapping[str, Collection[str]]


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
            slot = _slot(table, value)
            for k, n in enumerate(counts):
                slot[k] += n


class Breakdowns:
    """Counts the outcomes of a record type's rules per value of their breakdown fields, chunk by chunk.

    One generated loop lists, for every rule broken down that has a ``when``, the records it
    applies to; a rule without one applies to every record, whose values are counted once per
    chunk and field."""

    def __init__(self, rules: list[CompiledRule], by: Sequence[str], as_of: dt.date,
                 waived: Waived | None = None) -> None:
        self.rules = rules
        self.fields = [breakdown_fields(rule, by) for rule in rules]
        self.active = [i for i, fields in enumerate(self.fields) if fields]
        waived = waived or {}
        self._waived = {i: frozenset(waived[rules[i].id]) for i in self.active if waived.get(rules[i].id)}
        conditional = [i for i in self.active if rules[i].when is not None]
        self._position = {i: k for k, i in enumerate(conditional)}  # rule index -> its place in the loop
        # expect "not when": it fails exactly where "when" is true or unknown, where the rule applies
        applicability = [CompiledRule(rule.rule, rule.record_type, None, Not(rule.when))
                         for rule in (rules[i] for i in conditional) if rule.when is not None]
        self._applicable = generate(applicability, as_of)[1] if applicability else None

    def count(self, batch: Batch, chunk: ChunkResult, tables: list[Table]) -> None:
        """Count a chunk's results (``chunk``, as the engine gave them) into each rule's table."""
        if not self.active:
            return
        not_applicable, failing = chunk
        size = len(batch)
        applies = self._applicable(batch.columns, size)[1] if self._applicable is not None else []
        everyone: dict[str, Counter[Any]] = {}  # per field, for the rules that apply to every record
        for i in self.active:
            k = self._position.get(i)
            positions = [code >> 2 for code in applies[k]] if k is not None else None
            found = size if positions is None else len(positions)
            if found != size - not_applicable[i]:
                rule = self.rules[i]
                raise EngineError.single(
                    "engine-disagreement", f"rule {rule.id}: the engine found it applies to "
                    f"{size - not_applicable[i]} records of a chunk, the breakdown {found}", Location(rule.rule.path))
            codes, taken_out = _unwaived(failing[i], batch.keys, self._waived.get(i))
            for name in self.fields[i]:
                column = batch.columns.get(name) or [None] * size
                if positions is not None:
                    applicable = Counter(map(column.__getitem__, positions))
                else:
                    applicable = everyone.get(name) or everyone.setdefault(name, Counter(column))
                if taken_out:  # a new counter: the one of everyone is shared by the rules without a when
                    applicable = applicable - Counter(map(column.__getitem__, taken_out))
                _count(tables[i].setdefault(name, {}), column, applicable, codes)


def _unwaived(codes: list[int], keys: Sequence[str], waived: frozenset[str] | None) -> tuple[list[int], list[int]]:
    """A rule's failing codes less those of waived records, and the waived records' positions."""
    if not waived or not codes:
        return codes, []
    out = [code >> 2 for code in codes if keys[code >> 2] in waived]
    if not out:
        return codes, []
    return [code for code in codes if keys[code >> 2] not in waived], out


def _count(values: dict[Any, list[int]], column: Sequence[Any], applicable: Counter[Any], codes: list[int]) -> None:
    """Add a chunk's counts of one rule and field: tallied per distinct value (a few), not per record."""
    value_at = column.__getitem__
    failing = [code >> 2 for code in codes if code & 3 == NON_COMPLIANT]
    unknown = [code >> 2 for code in codes if code & 3 != NON_COMPLIANT]
    for kind, counts in ((APPLICABLE, applicable), (NON_COMPLIANT_COUNT, Counter(map(value_at, failing))),
                         (NOT_RECORDED_COUNT, Counter(map(value_at, unknown)))):
        for value, n in counts.items():
            _slot(values, value)[kind] += n


def _slot(values: dict[Any, list[int]], value: Any) -> list[int]:
    """The counts of ``value``; past MAX_VALUES distinct values the field is not broken down at all
    (everything is counted as OTHER), so the result does not depend on the order records come in."""
    if OTHER in values:
        return values[OTHER]
    slot = values.get(value)
    if slot is None:
        if value is not OTHER and len(values) < MAX_VALUES:
            slot = values[value] = [0, 0, 0]
        else:
            slot = [sum(counts) for counts in zip([0, 0, 0], *values.values())]
            values.clear()
            values[OTHER] = slot
    return slot


__all__ = ["OTHER", "Breakdowns", "Table", "Waived", "breakdown_fields", "merge_tables"]
