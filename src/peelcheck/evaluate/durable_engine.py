"""The one adapter between peelcheck and durable-rules.

It follows the pattern measured exact and memory-flat in shared/notes/durable-rules.md, and
designs around each trap listed there:
- facts, not events (events are consumed by the first matching rule only);
- no background threads: actions are drained synchronously with start_action /
  complete_and_start_action, so a "message not handled" batch loses nothing;
- chunks of at most CHUNK records, retracted after each chunk, in one session: memory stays flat
  and no fact survives into the next chunk or run (the ruleset is deleted at the end);
- fact ids "0".."CHUNK-1", checked free of 32-bit hash collisions;
- every rule has ``cap`` so one action carries many matches, and matches are read by fact id
  without decoding the echoed facts;
- a rule set in which a record gets two outcomes for one rule, or a rule name we did not
  compile, is an EngineError, never a silent result.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from peelcheck.compile import durable_envelope as envelope
from peelcheck.compile import durable_json
from peelcheck.compile.check import CompiledRule
from peelcheck.compile.durable import SEEN, CompiledRuleset, compile_ruleset
from peelcheck.compile.durable_keys import with_short_keys
from peelcheck.errors import EngineError, Location
from peelcheck.evaluate.facts import facts_builder
from peelcheck.load.batch import SIZE as BATCH_SIZE
from peelcheck.schema.outcomes import Outcome
from peelcheck.schema.pack import RecordTypeSpec

try:  # durable-rules does not import on Python 3.13; callers fall back to the python engine
    import durable_rules_engine as _engine
except ImportError:  # pragma: no cover - exercised only where durable-rules is missing
    _engine = None

CHUNK = BATCH_SIZE  # a batch is one chunk
_OUTCOMES = {"C": Outcome.COMPLIANT, "N": Outcome.NON_COMPLIANT, "R": Outcome.NOT_RECORDED,
             "A": Outcome.NOT_APPLICABLE}
# Every match in a result batch, with its fact id when the echo has the shape we read ("" otherwise):
# one scan finds both, so a match in any other shape is noticed, never skipped.
_MATCH_ID = re.compile(r'\{"m":(?:\{"id":"(\d+)")?')
_RULE_NAME = re.compile(r'^\{"([^"]+)":')
_names = itertools.count()
_ID_TEXT = [str(i) for i in range(CHUNK)]
Matches = dict[str, set[str]]  # outcome code -> the ids of the facts it matched (see DurableSession.matches)
# Retraction finds a fact by its id alone (the engine parses the rest and ignores it), and an id
# not asserted is passed over: one text retracts any chunk.
_RETRACT = "[" + ",".join(f'{{"id":"{i}"}}' for i in range(CHUNK)) + "]"


def available() -> bool:
    return _engine is not None


@dataclass
class DurablePlan:
    """A record type's rules as durable-rulesets that each stay inside the engine's envelope."""

    groups: list[tuple[list[int], CompiledRuleset]]  # rule positions, and the ruleset evaluating them
    python: dict[int, str] = field(default_factory=dict)  # rule position -> why the python engine evaluates it


@dataclass
class _Fit:
    """What a rule (or a group of rules) takes of a ruleset's budgets (see durable_envelope)."""

    unnamed: str = ""
    leaves: set[str] = field(default_factory=set)  # distinct leaf tests: the engine shares equal ones
    ors: int = 0
    absent: int = 0  # $nex tests: never shared
    keys: set[str] = field(default_factory=set)
    durable_rules: int = 0

    @property
    def alpha(self) -> int:
        return len(self.leaves) + self.ors

    def __add__(self, other: _Fit) -> _Fit:
        return _Fit(other.unnamed, self.leaves | other.leaves, self.ors + other.ors, self.absent + other.absent,
                    self.keys | other.keys, self.durable_rules + other.durable_rules)

    def within_budget(self) -> bool:
        return (self.alpha <= envelope.MAX_ALPHA and self.absent <= envelope.MAX_ABSENT
                and len(self.keys) <= envelope.MAX_KEYS and self.durable_rules <= envelope.MAX_DURABLE_RULES)


def _measure(trial: CompiledRuleset) -> _Fit:
    fit = _Fit(trial.unnamed[0], keys={e.key for e in trial.encodings})
    for name, rule in trial.definition.items():
        if name != SEEN:
            leaves, ors = envelope.leaf_tests(rule["all"][0]["m"])
            fit.leaves.update(leaves)
            fit.ors += ors
            fit.absent += sum(1 for leaf in leaves if leaf.startswith('{"$nex"'))
            fit.durable_rules += 1
    return fit


def _fit(rule: CompiledRule, record_type: RecordTypeSpec, as_of: dt.date) -> _Fit | str:
    """How a rule fits in a ruleset, with the outcome no durable rule fires for ("unnamed") chosen
    to give the fewest matches (each match echoes the whole fact back): "compliant" for a rule
    that applies to every record, "not applicable" for one with a ``when``; failing those, "not
    recorded" (smaller conditions). Or why it cannot fit."""
    why = "its conditions, written for durable-rules, outgrow the engine's limits"
    for choice in ("C", "A", "R") if rule.when is None else ("A", "R"):
        try:
            trial = compile_ruleset([rule], record_type, as_of, unnamed=[choice])
        except envelope.TooComplex as exc:
            why = str(exc)
            continue
        fit = _measure(trial)
        if len(fit.keys) > envelope.MAX_KEYS:
            return f"it reads {len(fit.keys)} fields; durable-rules holds at most {envelope.MAX_KEYS} in a fact"
        if fit.within_budget() and _accepts(trial.definition):
            return fit
    return why


def plan_rulesets(rules: list[CompiledRule], record_type: RecordTypeSpec, as_of: dt.date) -> DurablePlan:
    """Pack rules into as few rulesets as the envelope allows; a rule that cannot fit even alone is
    left to the python engine, with the reason."""
    plan, fits = DurablePlan([]), {}
    for index, rule in enumerate(rules):
        fit = _fit(rule, record_type, as_of)
        if isinstance(fit, str):
            plan.python[index] = fit
        else:
            fits[index] = fit
    groups: list[list[int]] = []
    total = _Fit()
    for index, fit in fits.items():
        if not groups or not (total + fit).within_budget():
            groups.append([])
            total = _Fit()
        groups[-1].append(index)
        total = total + fit
    for positions in groups:
        plan.groups.append((positions, compile_ruleset([rules[i] for i in positions], record_type, as_of, cap=CHUNK,
                                                       unnamed=[fits[i].unnamed for i in positions])))
    return plan


def _accepts(definition: dict[str, Any]) -> bool:
    try:
        handle = _engine.create_ruleset(f"peelcheck_trial_{next(_names)}", durable_json.dumps(definition))
    except Exception:  # durable_rules_engine.error, e.g. ERR_EXPRESSION_LIMIT_EXCEEDED (113)
        return False
    _engine.delete_ruleset(handle)
    return True


class Refused(Exception):
    """durable-rules raised an error of its own on a chunk (such as 303, its alpha walk's stack of
    64 nodes): the session is unusable, and its rules are evaluated otherwise."""


def _fault(message: str) -> EngineError:
    return EngineError.single("engine-fault", message, Location("<durable-rules>"))


class DurableSession:
    """One durable-rules ruleset for one record type, for one run. Use as a context manager."""

    def __init__(self, compiled: CompiledRuleset) -> None:
        if _engine is None:
            raise _fault("durable-rules cannot be imported on this Python; use --engine python")
        self.compiled = compiled = with_short_keys(compiled)
        self.build_facts = facts_builder(compiled.encodings, CHUNK)
        self.name = f"peelcheck_{compiled.record_type}_{next(_names)}"
        self.handle = _engine.create_ruleset(self.name, durable_json.dumps(compiled.definition))

    def __enter__(self) -> DurableSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.handle is not None:
            _engine.delete_ruleset(self.handle)
            self.handle = None

    def matches(self, columns: Mapping[str, Sequence[Any]], size: int) -> tuple[list[Matches], list[int]]:
        """What durable-rules matched in a chunk of records given by column (a Batch's): per rule,
        the positions (as the fact ids, "0".."n-1") of the records with each outcome, those matching
        none of the rule's durable rules having its unnamed outcome; and the positions of records
        not sent (values outside the envelope), in none of those: the caller evaluates them otherwise.
        A fact not delivered exactly once, or a record matching two outcomes of a rule, is an EngineError."""
        if size > CHUNK:
            raise ValueError(f"at most {CHUNK} records per chunk")
        found: list[Matches] = [{code: set() for code in _OUTCOMES} for _ in self.compiled.rule_ids]
        arrived: list[str] = []
        built, spilled = self.build_facts(columns, size)
        if built:
            try:
                result = _engine.assert_facts(self.handle, durable_json.dumps(built, self.compiled.has_floats))
            except Exception as exc:  # durable_rules_engine.error (e.g. "error code: 303"); a lone surrogate
                raise Refused(str(exc)) from exc
            if result[0] not in (0, 1):  # 1: some fact matched no rule, which is expected here
                raise _fault(f"assert_facts returned status {result[0]}")
            for batch in self._drain():
                self._record(batch, found, arrived)
            _engine.retract_facts(self.handle, _RETRACT)
        sent = self._check_arrived(arrived, size, spilled)
        for index, codes in enumerate(found):
            named = set().union(*codes.values())
            if sum(map(len, codes.values())) != len(named):
                raise _fault(f"a record of a chunk got two outcomes for rule {self.compiled.rule_ids[index]}: "
                             f"{_twice(codes)}")
            if not named <= sent:
                raise _fault(f"durable-rules matched facts it was not given: {sorted(named - sent)[:5]}")
            codes[self.compiled.unnamed[index]] = set(sent - named)
        return found, spilled

    def evaluate(self, columns: Mapping[str, Sequence[Any]], size: int) -> tuple[list[list[Outcome]], list[int]]:
        """The same as one outcome per rule and record (see ``matches``)."""
        found, spilled = self.matches(columns, size)
        return [outcome_list(codes, size) for codes in found], spilled

    def _check_arrived(self, arrived: list[str], size: int, spilled: list[int]) -> frozenset[str]:
        """The ids of the facts sent, each of which must have come back exactly once through SEEN."""
        unique = set(arrived)
        if len(unique) != len(arrived):
            raise _fault(f"durable-rules delivered {len(arrived) - len(unique)} facts of a chunk twice")
        expected = _ids(size) if not spilled else _ids(size) - {str(i) for i in spilled}
        if unique != expected:
            raise _fault(f"durable-rules lost {len(expected - unique)} of {size} facts in a chunk")
        return expected

    def _drain(self) -> Iterator[str]:
        started = _engine.start_action(self.handle)
        while started:
            _state, batch, action = started
            while batch:
                yield batch
                batch = _engine.complete_and_start_action(self.handle, action)
            started = _engine.start_action(self.handle)

    def _record(self, batch: str, found: list[Matches], arrived: list[str]) -> None:
        head = _RULE_NAME.match(batch)
        name = head.group(1) if head else None
        if name is None or (name != SEEN and name not in self.compiled.names):
            raise _fault(f"unexpected result from durable-rules: {batch[:80]!r}")
        ids = _MATCH_ID.findall(batch)
        if "" in ids:  # an echo in another shape: decode it properly
            ids = [m["m"]["id"] for m in json.loads(batch)[name]]
        if name == SEEN:
            arrived.extend(ids)
            return
        index, code = self.compiled.names[name]
        found[index][code].update(ids)  # a set: a rule with an $or can match one fact twice


@functools.lru_cache(maxsize=4)
def _ids(size: int) -> frozenset[str]:
    """The fact ids of a chunk of ``size`` records."""
    return frozenset(_ID_TEXT[:size])


def outcome_list(codes: Matches, size: int) -> list[Outcome]:
    """One rule's outcome for each record of a chunk (see ``DurableSession.matches``); a record not
    sent reads as compliant (the caller decides it otherwise)."""
    outcomes = [Outcome.COMPLIANT] * size
    for code, ids in codes.items():
        for text in ids:
            outcomes[int(text)] = _OUTCOMES[code]
    return outcomes


def _twice(codes: Matches) -> str:
    """Which record matched two outcomes of a rule, and which (for the error)."""
    for first, second in itertools.combinations(codes, 2):
        for text in codes[first] & codes[second]:
            return f"record {text}: {_OUTCOMES[first].value} and {_OUTCOMES[second].value}"
    return "unknown"
