"""A rule's breakdown tables (counted during evaluation) as report rows, value by value."""

from __future__ import annotations

from typing import Any

from peelcheck.assess.model import Breakdown, BreakdownValue
from peelcheck.compile.check import CompiledRule
from peelcheck.errors import EngineError, Location
from peelcheck.evaluate.breakdown import APPLICABLE, NON_COMPLIANT_COUNT, NOT_RECORDED_COUNT, OTHER, Table
from peelcheck.evaluate.runner import Tally

_EPSILON = 1e-9


def breakdowns(rule: CompiledRule, table: Table) -> list[Breakdown]:
    fields = rule.record_type.fields
    return [Breakdown(field=name, description=fields[name].description,
                      values=[_row(rule, value, counts) for value, counts in _ordered(rule, name, values)])
            for name, values in table.items()]


def check_adds_up(tally: Tally) -> None:
    """Stop the run where a rule's breakdown rows do not add up to its figures: the breakdowns leave
    waived records out as they count, the waivers take them out of the totals afterwards, and two
    readings of one waivers file must not give a report that contradicts itself."""
    totals = tally.applicable, tally.non_compliant, tally.not_recorded
    for name, values in tally.breakdown.items():
        rows = tuple(sum(counts[k] for counts in values.values())
                     for k in (APPLICABLE, NON_COMPLIANT_COUNT, NOT_RECORDED_COUNT))
        if rows != totals:
            raise EngineError.single(
                "engine-disagreement", f"rule {tally.rule.id}: its breakdown by {name} counts {rows} records "
                f"(applicable, non-compliant, not recorded), the rule {totals}", Location(tally.rule.rule.path))


def _ordered(rule: CompiledRule, name: str, values: dict[Any, list[int]]) -> list[tuple[Any, list[int]]]:
    """Enum values in the record type's order, true before false, text alphabetically; then not
    recorded, then the values past the cap."""
    declared = rule.record_type.fields[name].values or []
    rank = {v: i for i, v in enumerate(declared)}

    def key(item: tuple[Any, list[int]]) -> tuple[int, int, str]:
        value = item[0]
        if value is OTHER:
            return 3, 0, ""
        if value is None:
            return 2, 0, ""
        if isinstance(value, bool):
            return 0, 0 if value else 1, ""
        return 1, rank.get(value, len(rank)), str(value)
    return sorted(values.items(), key=key)


def _row(rule: CompiledRule, value: Any, counts: list[int]) -> BreakdownValue:
    applicable = counts[APPLICABLE]
    non_compliant, not_recorded = counts[NON_COMPLIANT_COUNT], counts[NOT_RECORDED_COUNT]
    compliant = applicable - non_compliant - not_recorded
    spec = rule.rule.spec
    meets = None
    if applicable and spec.count is None:
        meets = compliant >= spec.threshold * applicable - _EPSILON
    return BreakdownValue(value=None if value is OTHER else value, other_values=value is OTHER,
                          applicable=applicable, compliant=compliant, non_compliant=non_compliant,
                          not_recorded=not_recorded, compliance_rate=compliant / applicable if applicable else None,
                          meets_threshold=meets)
