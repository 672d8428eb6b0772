"""What the input files told us besides their records, as the assessment reports it; and which
rules cannot be assessed because a column their applicability needs is absent."""

from __future__ import annotations

from peelcheck.assess.model import InputFile
from peelcheck.compile.check import CompiledRule
from peelcheck.load.rows import FileQuality, RejectedRow, rows_rejected
from peelcheck.schema.conditions import All, AnyOf, Condition, Leaf, Not, Recorded, leaves, referenced_fields

_MOST_LEAVES = 14  # beyond this many tests, a field counts as needed if a 'recorded: true' test reads it


def rule_fields(rules: list[CompiledRule], applicability_only: bool = False) -> set[str]:
    """The fields the rules read (with ``applicability_only``: in their ``when`` only)."""
    return {name for rule in rules for cond in ((rule.when,) if applicability_only else (rule.when, rule.expect))
            if cond is not None for name in referenced_fields(cond)}


def input_file(label: str, record_type: str, records: int, rejected: list[RejectedRow], quality: FileQuality,
               rules: list[CompiledRule], read_as: list[str]) -> InputFile:
    used = rule_fields(rules)
    absent = [f for f in quality.absent_fields if f in used]
    return InputFile(
        path=label, record_type=record_type, records=records, rejected=rows_rejected(rejected),
        problems=len(rejected),
        repeated_rows=[f"{quality.unit} {place} repeats {quality.unit} {earlier}"
                       for place, earlier in quality.repeated_rows],
        repeated_keys=quality.repeated_keys,
        absent_fields=absent, absent_columns={f: c for f, c in quality.absent_columns.items() if f in absent},
        place_unit=quality.unit, blank_lines=quality.blank_lines, blank_rows=quality.blank_rows,
        ignored_columns=quality.ignored_columns,
        mixed_offsets=quality.mixed_offsets, read_as=quality.stated + read_as, sheets_not_read=quality.sheets_not_read)


Truth = bool | None  # None: unknown, as the evaluators read a test of a field not recorded


def _holds(cond: Condition, truth: dict[int, Truth]) -> Truth:
    """A condition's value in the evaluators' three-valued logic, from its tests' values."""
    if isinstance(cond, (All, AnyOf)):
        values = [_holds(c, truth) for c in cond.children]
        decisive = isinstance(cond, AnyOf)  # any: one true decides; all: one false decides
        if decisive in values:
            return decisive
        return None if None in values else not decisive
    if isinstance(cond, Not):
        inner = _holds(cond.child, truth)
        return None if inner is None else not inner
    return truth[id(cond)]


def _when_absent(leaf: Leaf) -> Truth:
    """A test of a field no row records: 'recorded' tests are decided; any other is unknown."""
    return (not leaf.recorded) if isinstance(leaf, Recorded) else None


def hides_records(when: Condition, name: str) -> bool:
    """Whether a column's absence makes the applicability false (not applicable, so silently out of the
    count) for a record its values could have made applicable. An unknown test hides nothing: the
    record counts as not recorded. So ``outcome_linked_to_object: {recorded: true}`` hides;
    ``victim_identified: true`` and ``left_on: {recorded: false}`` do not."""
    tests = list({id(leaf): leaf for leaf in leaves(when)}.values())
    mine = [leaf for leaf in tests if name in referenced_fields(leaf)]
    others = [leaf for leaf in tests if name not in referenced_fields(leaf)]
    if len(tests) > _MOST_LEAVES:
        return any(isinstance(leaf, Recorded) and leaf.recorded for leaf in mine)
    absent = {id(leaf): _when_absent(leaf) for leaf in mine}
    for bits in range(1 << len(others)):
        rest: dict[int, Truth] = {id(leaf): bool(bits >> i & 1) for i, leaf in enumerate(others)}
        if _holds(when, {**rest, **absent}) is not False:
            continue
        for values in range(1 << len(mine)):
            if _holds(when, {**rest, **{id(leaf): bool(values >> i & 1) for i, leaf in enumerate(mine)}}):
                return True
    return False


def unassessable(rule: CompiledRule, inputs: list[InputFile]) -> str | None:
    """Why a rule cannot be assessed: a file of its record type lacks a column its applicability needs."""
    when = rule.when
    if when is None:
        return None
    read = rule_fields([rule], applicability_only=True)
    missing = []
    for source in inputs:
        if source.record_type != rule.record_type.name or not source.records + source.rejected:
            continue  # a file of no rows: no record applies, whatever its columns
        for name in source.absent_fields:
            if name in read and hides_records(when, name):  # asked only of a column that is absent
                column = source.absent_columns.get(name, name)
                missing.append(f"column {column} absent" + (f" ({name})" if column != name else "")
                               + f" in {source.path}")
    return "; ".join(missing) or None
