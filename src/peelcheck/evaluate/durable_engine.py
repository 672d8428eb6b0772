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
  without decoding the echoed facts (``durable_run``);
- a fact not delivered exactly once, a record with two outcomes for one rule, or a rule name we
  did not compile, is an EngineError, never a silent result.
The engine runs in this process or in a child (``durable_worker``); see docs/durable-envelope.md.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from peelcheck.compile import durable_envelope as envelope
from peelcheck.compile import durable_json
from peelcheck.compile.check import CompiledRule
from peelcheck.compile.durable import SEEN, CompiledRuleset, compile_ruleset
from peelcheck.compile.durable_keys import with_short_keys
from peelcheck.errors import EngineError, Location
from peelcheck.evaluate import durable_run
from peelcheck.evaluate.durable_run import Matches as Matches  # re-exported: the session's answer
from peelcheck.evaluate.durable_run import Refused as Refused
from peelcheck.evaluate.durable_worker import DurableWorker
from peelcheck.evaluate.facts import facts_builder
from peelcheck.load.batch import SIZE as BATCH_SIZE
from peelcheck.schema.outcomes import Outcome
from peelcheck.schema.pack import RecordTypeSpec

_engine = durable_run.engine  # None where durable-rules does not import (Python 3.13)
CHUNK = BATCH_SIZE  # a batch is one chunk
_OUTCOMES = {"C": Outcome.COMPLIANT, "N": Outcome.NON_COMPLIANT, "R": Outcome.NOT_RECORDED,
             "A": Outcome.NOT_APPLICABLE}
_names = itertools.count()
Answer = tuple[str, Any]  # ("ok", matches per rule) | ("refused", why) | ("fault", what went wrong)


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


# Plans already made in this process, by the identity of their rules: a Gherkin suite assesses the same
# loaded pack hundreds of times, and planning (compiling each rule up to three times and trying it on
# the engine) cost more than its scenarios' evaluating. Each entry keeps its rules alive, so no other
# object can take their ids while it is held.
_PLANS: dict[tuple[Any, ...], tuple[list[CompiledRule], RecordTypeSpec, DurablePlan]] = {}
_MOST_PLANS = 256


def plan_rulesets(rules: list[CompiledRule], record_type: RecordTypeSpec, as_of: dt.date) -> DurablePlan:
    """Pack rules into as few rulesets as the envelope allows; a rule that cannot fit even alone is
    left to the python engine, with the reason. The plan is the caller's to change."""
    key = (tuple(map(id, rules)), id(record_type), as_of)
    if key not in _PLANS:
        if len(_PLANS) >= _MOST_PLANS:
            del _PLANS[next(iter(_PLANS))]
        _PLANS[key] = (list(rules), record_type, _planned(rules, record_type, as_of))
    plan = _PLANS[key][2]
    return DurablePlan(list(plan.groups), dict(plan.python))


def _planned(rules: list[CompiledRule], record_type: RecordTypeSpec, as_of: dt.date) -> DurablePlan:
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


def fault(message: str) -> EngineError:
    return EngineError.single("engine-fault", message, Location("<durable-rules>"))


class DurableSession:
    """One durable-rules ruleset for one record type, for one run, held in this process or in the
    child ``remote`` (see durable_worker). Use as a context manager."""

    def __init__(self, compiled: CompiledRuleset, remote: DurableWorker | None = None) -> None:
        if _engine is None:
            raise fault("durable-rules cannot be imported on this Python; use --engine python")
        self.compiled = compiled = with_short_keys(compiled)
        self.build_facts = facts_builder(compiled.encodings, CHUNK)
        self.meta = {"names": compiled.names, "rule_ids": compiled.rule_ids, "unnamed": compiled.unnamed}
        self.remote = remote
        name, definition = f"peelcheck_{compiled.record_type}_{next(_names)}", durable_json.dumps(compiled.definition)
        self.handle: int | None = (remote.call(("create", name, definition, self.meta)) if remote
                                   else _engine.create_ruleset(name, definition))

    def __enter__(self) -> DurableSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.handle is not None:
            handle, self.handle = self.handle, None
            if self.remote is not None:
                self.remote.call(("delete", handle))
            else:
                _engine.delete_ruleset(handle)

    def facts(self, columns: Mapping[str, Sequence[Any]], size: int) -> tuple[bytes, list[int]]:
        """A chunk's facts as JSON text in UTF-8 (b"" if none), and the positions of the records not sent
        (values outside the envelope): the caller evaluates them otherwise."""
        if size > CHUNK:
            raise ValueError(f"at most {CHUNK} records per chunk")
        built, spilled = self.build_facts(columns, size)
        try:
            return (durable_json.encode(built, self.compiled.has_floats) if built else b""), spilled
        except durable_json.EncodeError as exc:  # a string holding a lone surrogate
            raise Refused(f"a string it cannot be given: {exc}") from exc

    def run_here(self, facts: bytes, size: int, spilled: list[int]) -> Answer:
        """A chunk's answer from durable-rules in this process."""
        try:
            return "ok", durable_run.run_chunk(self.handle, facts, size, spilled, self.meta)  # type: ignore[arg-type]
        except Refused as exc:
            return "refused", str(exc)
        except durable_run.Fault as exc:
            return "fault", str(exc)

    def matches(self, columns: Mapping[str, Sequence[Any]], size: int) -> tuple[list[Matches], list[int]]:
        """What durable-rules gives for a chunk of records given by column (a Batch's): per rule, the
        positions (as the fact ids, "0".."n-1") of the records with each outcome; and the positions
        of the records not sent, which are in none. A fact not delivered exactly once, or a record
        matching two outcomes of a rule, is an EngineError; an error of the engine's own, Refused."""
        facts, spilled = self.facts(columns, size)
        if self.remote is None:
            answer = self.run_here(facts, size, spilled)
        else:
            answer = self.remote.call(("chunk", [(self.handle, facts, size, spilled)]))[0]
        return settle(answer), spilled

    def evaluate(self, columns: Mapping[str, Sequence[Any]], size: int) -> tuple[list[list[Outcome]], list[int]]:
        """The same as one outcome per rule and record (see ``matches``)."""
        found, spilled = self.matches(columns, size)
        return [outcome_list(codes, size) for codes in found], spilled


def settle(answer: Answer) -> list[Matches]:
    """The matches of an answer; Refused or an EngineError for the others."""
    status, value = answer
    if status == "refused":
        raise Refused(value)
    if status == "fault":
        raise fault(value)
    return value  # type: ignore[no-any-return]


def outcome_list(codes: Matches, size: int) -> list[Outcome]:
    """One rule's outcome for each record of a chunk (see ``DurableSession.matches``); a record not
    sent reads as compliant (the caller decides it otherwise)."""
    outcomes = [Outcome.COMPLIANT] * size
    for code, ids in codes.items():
        for text in ids:
            outcomes[int(text)] = _OUTCOMES[code]
    return outcomes
