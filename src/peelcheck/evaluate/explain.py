"""Why a record failed a rule: the clauses that decided it and the values they saw."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from itertools import repeat
from operator import and_, is_, rshift
from typing import Any, NamedTuple

from peelcheck.compile.check import CompiledRule
from peelcheck.evaluate.failure_columns import FailureColumns, Names, Texts, Zipped
from peelcheck.evaluate.failure_result import failure
from peelcheck.evaluate.reference import Record, Test, Truth, compile_test
from peelcheck.load.batch import Batch
from peelcheck.schema.conditions import All, AnyOf, Condition, leaves, referenced_fields
from peelcheck.schema.outcomes import OUTCOME, PART, Outcome
from peelcheck.schema.values import plain
from peelcheck.schema.wording import describe, in_words


class Reason(NamedTuple):
    """The deciding clauses in words, and each field they read with its value (None: not recorded)."""

    part: str  # "when" (applicability could not be decided) or "expect"
    clauses: tuple[str, ...]
    values: dict[str, Any]

    @property
    def text(self) -> str:
        return "; ".join(self.clauses)


class _Node(NamedTuple):
    """A condition node with what explaining it needs."""

    cond: Condition
    test: Test
    fields: tuple[str, ...]
    words: str
    said: str  # the same in the fields' descriptions, for people


class _Plan(NamedTuple):
    """How one outcome of one part of the rule is explained."""

    cond: Condition | None
    target: Truth  # the truth value of ``cond`` that gave the outcome
    single: _Node | None  # the one part that decides it whatever the record, if there is one
    words: _Words | None  # its words, where they do not depend on the record either


class _Words(NamedTuple):
    clauses: tuple[str, ...]
    text: str  # the clauses joined, as a finding's reason shows them
    said: str  # the same with each field's description for its name (a report's explanation)


_EVERY_RECORD = _Words(("applies to every record",), "applies to every record", "applies to every record")
_TARGETS: dict[Outcome, Truth] = {Outcome.NON_COMPLIANT: False, Outcome.NOT_RECORDED: None}


class RuleExplainer:
    """Explains one rule's failures. A large audit has hundreds of thousands of them, repeating
    the same few clauses, so everything that does not depend on the record is worked out once."""

    def __init__(self, rule: CompiledRule, as_of: dt.date) -> None:
        self.rule, self.as_of = rule, as_of
        self.names = {name: spec.description for name, spec in rule.record_type.fields.items()}
        self._nodes: dict[int, _Node] = {}  # by id() of a condition the rule holds, so ids stay unique
        self._plans: dict[tuple[str, Outcome], _Plan] = {}
        self._clauses: dict[tuple[tuple[int, ...], Truth, tuple[str, ...]], _Words] = {}
        self.fields = tuple(dict.fromkeys(name for cond in (rule.when, rule.expect) if cond is not None
                                          for name in referenced_fields(cond)))  # what explaining reads

    def __call__(self, record: Record, outcome: Outcome,
                 part: str | None = None) -> tuple[str, str, str, dict[str, Any]]:
        """(part, reason, values) for an outcome of ``record``, which needs only the fields the rule reads.
        The values are the record's own (dates as dates): reports write them out as they render.

        ``part`` is which part failed ("when": its applicability is not recorded) where the
        evaluator knows; otherwise it is worked out. The reason names fields; the explanation
        says them in their descriptions' words."""
        part, words, values = self._explain(record, outcome, part)
        return part, words.text, words.said, values

    def at(self, columns: Mapping[str, Sequence[Any]], i: int, outcome: Outcome,
           part: str) -> tuple[str, str, str, dict[str, Any]]:
        """The same for record ``i`` of a batch's columns; no record is built where one test decides."""
        plan = self._plan(part, outcome)
        if plan.single is None:
            return self({n: v for n in self.fields if (v := columns[n][i]) is not None}, outcome, part)
        values = {name: columns[name][i] for name in plan.single.fields}
        words = self._words_for(plan, [plan.single], values)
        return part, words.text, words.said, values

    def many(self, columns: Mapping[str, Sequence[Any]], positions: list[int], outcome: Outcome,
             part: str) -> tuple[Texts, Texts, Names, Sequence[tuple[Any, ...]]] | None:
        """The same for many records of a batch that failed alike: (reasons, explanations, names, rows),
        a failure's values being its names paired with its row; each text (and the names) given once
        where it does not depend on the record; None where each needs explaining alone."""
        plan = self._plan(part, outcome)
        if plan.single is None:
            return self._alike(columns, positions, outcome, part)
        names = plan.single.fields
        seen = [list(map(columns[name].__getitem__, positions)) for name in names]
        rows = Zipped(seen, len(positions))  # kept as columns: no tuple per failure
        if plan.words is not None:
            return plan.words.text, plan.words.said, names, rows
        # not recorded: the words name the fields missing, made once for each set of them
        missing = list(zip(*[list(map(is_, column, repeat(None))) for column in seen]))
        said = {gaps: self._words_for(plan, [plan.single], {n: None if gap else n for n, gap in zip(names, gaps)})
                for gaps in set(missing)}
        words = list(map(said.__getitem__, missing))
        return [w.text for w in words], [w.said for w in words], names, rows

    def _alike(self, columns: Mapping[str, Sequence[Any]], positions: list[int], outcome: Outcome,
               part: str) -> tuple[Texts, Texts, Names, list[tuple[Any, ...]]] | None:
        """Records explained once for each set of values of the fields the rule reads (few sets, where
        those are flags), or None (a list among them, or nearly every record its own set)."""
        rows = list(zip(*[list(map(columns[name].__getitem__, positions)) for name in self.fields]))
        distinct: dict[tuple[Any, ...], tuple[_Words, tuple[str, ...], tuple[Any, ...]]] = {}
        try:
            distinct = dict.fromkeys(rows)  # type: ignore[assignment]
        except TypeError:  # unhashable: a list of dates
            return None
        if len(distinct) * 2 > len(rows):
            return None
        for row in distinct:
            _, words, values = self._explain({n: v for n, v in zip(self.fields, row) if v is not None}, outcome, part)
            distinct[row] = words, tuple(values), tuple(values.values())
        explained = list(map(distinct.__getitem__, rows))
        return ([words.text for words, _, _ in explained], [words.said for words, _, _ in explained],
                [names for _, names, _ in explained], [seen for _, _, seen in explained])

    def reason(self, record: Record, outcome: Outcome, part: str | None = None) -> Reason:
        part, words, values = self._explain(record, outcome, part)
        return Reason(part, words.clauses, plain(values))

    def _explain(self, record: Record, outcome: Outcome, part: str | None) -> tuple[str, _Words, dict[str, Any]]:
        if part is None:
            when = self.rule.when
            undecided = outcome is Outcome.NOT_RECORDED and when is not None
            part = "when" if undecided and self._node(when).test(record) is None else "expect"  # type: ignore[arg-type]
        plan = self._plan(part, outcome)
        if plan.cond is None:
            parts: list[_Node] = []
        elif plan.single is not None:
            parts = [plan.single]
        else:
            parts = self._deciding(plan.cond, record, plan.target)
        values = {name: record.get(name) for name in dict.fromkeys(n for p in parts for n in p.fields)}
        return part, self._words_for(plan, parts, values), values

    def _words_for(self, plan: _Plan, parts: list[_Node], values: dict[str, Any]) -> _Words:
        """The deciding parts in words, made once for each set of parts (and of missing fields)."""
        if plan.words is not None:  # the same whatever the record
            return plan.words
        missing = tuple(n for n, v in values.items() if v is None) if plan.target is None else ()
        key = (tuple([id(p.cond) for p in parts]), plan.target, missing)
        return self._clauses.get(key) or self._words(key, parts, plan.target, missing)

    def _node(self, cond: Condition) -> _Node:
        node = self._nodes.get(id(cond))
        if node is None:
            node = self._nodes[id(cond)] = _Node(cond, compile_test(cond, self.as_of), tuple(referenced_fields(cond)),
                                                 describe(cond), in_words(cond, self.names))
        return node

    def _plan(self, part: str, outcome: Outcome) -> _Plan:
        plan = self._plans.get((part, outcome))
        if plan is not None:
            return plan
        rule = self.rule
        if part == "when":
            cond, target = rule.when, None
        else:
            cond = rule.expect if rule.expect is not None else rule.when
            target = _TARGETS.get(outcome, True)
        single, words = None, None
        if cond is None:
            words = _EVERY_RECORD
        elif not isinstance(cond, (All, AnyOf)) or self._names_alternatives(cond, target):
            single = self._node(cond)
            if target is not None:  # not recorded names the missing fields, which vary
                words = self._words(((id(cond),), target, ()), [single], target, ())
        plan = self._plans[(part, outcome)] = _Plan(cond, target, single, words)
        return plan

    @staticmethod
    def _names_alternatives(cond: Condition, target: Truth) -> bool:
        return isinstance(cond, AnyOf) and target is False and len(cond.children) > 1

    def _deciding(self, cond: Condition, record: Record, target: Truth) -> list[_Node]:
        """The smallest parts of ``cond`` that give it the truth value ``target``."""
        if self._names_alternatives(cond, target):
            return [self._node(cond)]  # every alternative failed: named together, not as if each were required
        if isinstance(cond, (All, AnyOf)):
            matching = [c for c in cond.children if self._node(c).test(record) is target]
            return [leaf for c in matching for leaf in self._deciding(c, record, target)] or [self._node(cond)]
        return [self._node(cond)]  # a test, or a "not" named whole: "expected not (...)" reads true

    def _words(self, key: tuple[tuple[int, ...], Truth, tuple[str, ...]], parts: list[_Node], target: Truth,
               missing: tuple[str, ...]) -> _Words:
        if target is False:
            clauses = tuple(f"expected {p.words}" for p in parts)
            said = [f"expected: {p.said}" for p in parts]
        elif target is None:
            clauses = tuple(f"{p.words} (not recorded: {', '.join(n for n in p.fields if n in missing)})"
                            for p in parts)
            said = [f"{p.said} (not recorded: {'; '.join(self._said(n) for n in p.fields if n in missing)})"
                    for p in parts]
        else:
            clauses = tuple(p.words for p in parts)
            said = [p.said for p in parts]
        words = self._clauses[key] = _Words(clauses, "; ".join(clauses), "; ".join(said))
        return words

    def _said(self, name: str) -> str:
        return self.names.get(name, name).strip().rstrip(".")


def explained(explainer: RuleExplainer, batch: Batch, codes: list[int]) -> FailureColumns:
    """One rule's failing records in a batch (``codes``: position * 4 + kind), explained straight from its
    columns: records that failed alike are explained together where one explanation fits them all, and
    kept field by field."""
    kinds = set(map(and_, codes, repeat(3)))
    made = []
    for kind in kinds:
        positions = list(map(rshift, codes if len(kinds) == 1 else [c for c in codes if c & 3 == kind], repeat(2)))
        outcome = OUTCOME[kind]
        found = explainer.many(batch.columns, positions, outcome, PART[kind])  # type: ignore[arg-type]
        if found is None:
            return explained_one_by_one(explainer, batch, codes)
        keys = list(map(batch.keys.__getitem__, positions))
        made.append((positions, FailureColumns.found(keys, batch.lines_of(positions), outcome, PART[kind],  # type: ignore[arg-type]
                                                      *found)))
    # kinds apart: put back in the order of the records
    return made[0][1] if len(made) == 1 else FailureColumns.in_order(made)


def explained_one_by_one(explainer: RuleExplainer, batch: Batch, codes: list[int]) -> FailureColumns:
    """The same, each record explained alone (where records failed in ways no one explanation fits)."""
    at, keys, place, columns = explainer.at, batch.keys, batch.place, batch.columns
    made = []
    for code in codes:
        i, kind = code >> 2, code & 3
        outcome = OUTCOME[kind]
        made.append(failure(keys[i], place(i), outcome, *at(columns, i, outcome, PART[kind])))  # type: ignore[arg-type]
    return FailureColumns.from_results(made)


def explain(rule: CompiledRule, record: Record, outcome: Outcome, as_of: dt.date, part: str | None = None) -> Reason:
    """The reason for a non-compliant or not-recorded outcome (or, for other outcomes, the test)."""
    return RuleExplainer(rule, as_of).reason(record, outcome, part)


__all__ = ["Reason", "RuleExplainer", "explain", "explained", "explained_one_by_one", "leaves"]
