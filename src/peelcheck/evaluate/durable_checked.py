"""durable-rules' answers, held to the python engine's on every outcome of every record.

The python engine evaluates each chunk anyway (it is three times quicker than durable-rules);
durable-rules must then agree with it rule by rule: the same count of records the rule does not
apply to, and the same failing records with the same outcome. A compliant record is what is left
once both are equal, so a wrong "compliant" from durable-rules is caught here, as a wrong failure
is, and stops the run with an EngineError naming the rule and the record. Two records swapping
"compliant" and "not applicable" would go unseen, and change nothing the report shows.

Records durable-rules cannot be given exactly (see ``compile.durable_envelope``) are decided by
the reference evaluator instead, and counted; rules it cannot hold are left to the python engine.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peelcheck.compile.check import CompiledRule
from peelcheck.errors import EngineError
from peelcheck.evaluate import durable_worker
from peelcheck.evaluate.chunk_result import ChunkResult
from peelcheck.evaluate.durable_engine import (
    Answer,
    DurableSession,
    Matches,
    Refused,
    outcome_list,
    plan_rulesets,
    settle,
)
from peelcheck.evaluate.reference import ReferenceRule
from peelcheck.load.batch import Batch
from peelcheck.schema.outcomes import NON_COMPLIANT, NOT_RECORDED_SOMEWHERE, Outcome
from peelcheck.schema.pack import RecordTypeSpec

_FAILING = {Outcome.NON_COMPLIANT: NON_COMPLIANT, Outcome.NOT_RECORDED: NOT_RECORDED_SOMEWHERE}
SPILL_NOTE = ("records holding numbers past durable-rules' exact range (integers beyond 2**53, durations "
              "beyond 2**62 microseconds) were decided by the reference evaluator")


@dataclass
class _Sent:
    """A chunk whose facts went to durable-rules, awaiting the answers (see CheckedDurable.check)."""

    batch: Batch
    result: ChunkResult
    sessions: list[tuple[list[int], DurableSession, list[int]]]  # rule positions, session, records not sent
    answers: list[Answer] | None = None  # the answers, where already known
    ticket: int | None = None  # or where to collect them


class CheckedDurable:
    """The durable-rules sessions of one record type's rules, and the check of their answers.

    durable-rules runs in a child process where it can (see durable_worker): a chunk's facts are
    sent, and its answers compared with the python engine's when the next chunk is checked, or at
    ``finish``, which the caller must reach before it uses any result."""

    def __init__(self, rules: list[CompiledRule], record_type: RecordTypeSpec, as_of: dt.date,
                 references: list[ReferenceRule]) -> None:
        self.rules, self.references = rules, references
        self.plan = plan_rulesets(rules, record_type, as_of)
        self.sessions: list[DurableSession] = []
        self.remote = _child() if self.plan.groups else None
        self._waiting: _Sent | None = None
        try:
            for _, ruleset in self.plan.groups:
                self.sessions.append(DurableSession(ruleset, self.remote))
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        self._waiting = None
        for session in self.sessions:
            session.close()

    def python_rules(self) -> dict[str, str]:
        """Rule id -> why the python engine alone evaluates it."""
        return {self.rules[i].id: why for i, why in self.plan.python.items()}

    def check(self, batch: Batch, result: ChunkResult) -> dict[int, int]:
        """Send this chunk's facts to durable-rules, and raise EngineError unless the previous chunk's
        answers are the python engine's outcomes; return, by rule position, how many records of this
        chunk the reference decides instead (where any does)."""
        sent, beside = self._send(batch, result)
        waiting, self._waiting = self._waiting, sent
        if waiting is not None:
            self._compare(waiting)
        return beside

    def finish(self) -> None:
        """Compare the last chunk sent (every chunk is compared once this returns)."""
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            self._compare(waiting)

    def _send(self, batch: Batch, result: ChunkResult) -> tuple[_Sent, dict[int, int]]:
        """Send a chunk's facts; the batch is kept as it is (batches are never refilled), the python
        engine's result copied (it is small, and an engine may reuse its lists)."""
        copied = (list(result[0]), [list(codes) for codes in result[1]])
        sent, beside, work = _Sent(batch, copied, []), dict[int, int](), []
        for (positions, _), session in list(zip(self.plan.groups, self.sessions)):
            try:
                facts, spilled = session.facts(batch.columns, len(batch))
            except Refused as exc:
                self._give_up(session, positions, str(exc))
                continue
            sent.sessions.append((positions, session, spilled))
            work.append((session, facts, spilled))
            beside.update((k, len(spilled)) for k in positions if spilled)
        if self.remote is None:
            sent.answers = [session.run_here(facts, len(batch), spilled) for session, facts, spilled in work]
        else:
            sent.ticket = self.remote.submit(("chunk", [(s.handle, f, len(batch), sp) for s, f, sp in work]))
        return sent, beside

    def _compare(self, sent: _Sent) -> None:
        answers = sent.answers if sent.answers is not None else self.remote.answer(sent.ticket)  # type: ignore[union-attr, arg-type]
        not_applicable, failing = sent.result
        for (positions, session, spilled), answer in zip(sent.sessions, answers):
            if session not in self.sessions:  # given up since this chunk was sent
                continue
            try:
                found = settle(answer)
            except Refused as exc:
                self._give_up(session, positions, str(exc))
                continue
            for k, codes in zip(positions, found):
                counted, codes_given = _as_result(codes)
                if spilled:
                    counted, codes_given = self._with_spilled(k, sent.batch, spilled, counted, codes_given)
                expected = [c if c & 3 == NON_COMPLIANT else c | 3 for c in failing[k]]
                if counted != not_applicable[k] or codes_given != expected:
                    durable = outcome_list(codes, len(sent.batch))
                    for i in spilled:
                        durable[i] = self.references[k].outcome(sent.batch.record(i))
                    raise self._disagreement(k, sent.batch, durable)

    def _with_spilled(self, k: int, batch: Batch, spilled: list[int], counted: int,
                      codes: list[int]) -> tuple[int, list[int]]:
        """A rule's chunk result with the records durable-rules was not given decided by the reference."""
        decided = [(i, self.references[k].outcome(batch.record(i))) for i in spilled]
        more = [i << 2 | _FAILING[outcome] for i, outcome in decided if outcome in _FAILING]
        counted += sum(1 for _, outcome in decided if outcome is Outcome.NOT_APPLICABLE)
        return counted, sorted(codes + more)

    def _give_up(self, session: DurableSession, positions: list[int], why: str) -> None:
        """Leave a refused session's rules to the python engine for the rest of the run (its answers
        so far were checked against the python engine's, so the rules' results are whole)."""
        session.close()
        index = self.sessions.index(session)
        del self.sessions[index], self.plan.groups[index]
        for k in positions:
            self.plan.python[k] = f"durable-rules refused its record type's facts ({why})"

    def _disagreement(self, k: int, batch: Batch, durable: list[Outcome]) -> EngineError:
        rule, reference = self.rules[k], self.references[k]
        for i, given in enumerate(durable):
            truth = reference.outcome(batch.record(i))
            if given is not truth:
                return EngineError.single(
                    "engine-disagreement", f"durable-rules gave {given.value} for rule {rule.id} on record "
                    f"{batch.keys[i]}, the reference evaluator {truth.value}", batch.where(i))
        return EngineError.single("engine-disagreement", f"the python engine disagrees with durable-rules and the "
                                  f"reference evaluator on rule {rule.id} in this chunk", batch.where(0))


def _child() -> durable_worker.DurableWorker | None:
    """The child process durable-rules runs in, or None: here (PEELCHECK_DURABLE_PROCESS=0, or no child can start)."""
    if not durable_worker.enabled():
        return None
    try:
        return durable_worker.worker()
    except (OSError, EngineError):  # no child could start and answer: durable-rules runs here
        return None


def _as_result(codes: Matches) -> tuple[int, list[int]]:
    """One rule's outcomes in a chunk as a chunk result: how many records the rule does not apply
    to, and the failing records' codes (durable-rules does not tell which part of a rule was not
    recorded: NOT_RECORDED_SOMEWHERE)."""
    failing = sorted([int(i) << 2 for i in codes["N"]] + [int(i) << 2 | NOT_RECORDED_SOMEWHERE for i in codes["R"]])
    return len(codes["A"]), failing


def python_engine_rules(rules: list[CompiledRule], as_of: dt.date) -> dict[str, str]:
    """Rule id -> why `assess` will evaluate it with the python engine rather than durable-rules
    (said by `validate`, before any run). Manual rules are not evaluated and are left out."""
    by_type: dict[str, list[CompiledRule]] = {}
    for rule in rules:
        if rule.expect is not None or rule.when is not None or rule.rule.spec.count is not None:
            by_type.setdefault(rule.record_type.name, []).append(rule)
    said: dict[str, str] = {}
    for group in by_type.values():
        plan = plan_rulesets(group, group[0].record_type, as_of)
        said.update({group[i].id: why for i, why in plan.python.items()})
    return said
