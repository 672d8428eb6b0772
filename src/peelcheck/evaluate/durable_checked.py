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

from peelcheck.compile.check import CompiledRule
from peelcheck.errors import EngineError
from peelcheck.evaluate.chunk_result import NON_COMPLIANT, NOT_RECORDED_SOMEWHERE, ChunkResult
from peelcheck.evaluate.durable_engine import DurableSession, Matches, Refused, outcome_list, plan_rulesets
from peelcheck.evaluate.reference import ReferenceRule
from peelcheck.load.batch import Batch
from peelcheck.schema.outcomes import Outcome
from peelcheck.schema.pack import RecordTypeSpec

_FAILING = {Outcome.NON_COMPLIANT: NON_COMPLIANT, Outcome.NOT_RECORDED: NOT_RECORDED_SOMEWHERE}
SPILL_NOTE = ("records holding numbers past durable-rules' exact range (integers beyond 2**53, durations "
              "beyond 2**62 microseconds) were decided by the reference evaluator")


class CheckedDurable:
    """The durable-rules sessions of one record type's rules, and the check of their answers."""

    def __init__(self, rules: list[CompiledRule], record_type: RecordTypeSpec, as_of: dt.date,
                 references: list[ReferenceRule]) -> None:
        self.rules, self.references = rules, references
        self.plan = plan_rulesets(rules, record_type, as_of)
        self.sessions: list[DurableSession] = []
        try:
            for _, ruleset in self.plan.groups:
                self.sessions.append(DurableSession(ruleset))
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        for session in self.sessions:
            session.close()

    def python_rules(self) -> dict[str, str]:
        """Rule id -> why the python engine alone evaluates it."""
        return {self.rules[i].id: why for i, why in self.plan.python.items()}

    def check(self, batch: Batch, result: ChunkResult) -> dict[int, int]:
        """Raise EngineError unless durable-rules gives the python engine's outcomes for this chunk;
        return, by rule position, how many records the reference decided instead (where any did)."""
        not_applicable, failing = result
        beside: dict[int, int] = {}
        for (positions, _), session in list(zip(self.plan.groups, self.sessions)):
            try:
                found, spilled = session.matches(batch.columns, len(batch))
            except Refused as exc:
                self._give_up(session, positions, str(exc))
                continue
            for k, codes in zip(positions, found):
                counted, codes_given = _as_result(codes)
                if spilled:
                    beside[k] = len(spilled)
                    counted, codes_given = self._with_spilled(k, batch, spilled, counted, codes_given)
                expected = [c if c & 3 == NON_COMPLIANT else c | 3 for c in failing[k]]
                if counted != not_applicable[k] or codes_given != expected:
                    durable = outcome_list(codes, len(batch))
                    for i in spilled:
                        durable[i] = self.references[k].outcome(batch.record(i))
                    raise self._disagreement(k, batch, durable)
        return beside

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
