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
from peelcheck.evaluate.chunk_result import NON_COMPLIANT, ChunkResult, from_outcomes
from peelcheck.evaluate.durable_engine import DurableSession, Refused, plan_rulesets
from peelcheck.evaluate.reference import ReferenceRule
from peelcheck.load.batch import Batch
from peelcheck.schema.outcomes import Outcome
from peelcheck.schema.pack import RecordTypeSpec

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
                outcomes, spilled = session.evaluate(batch.columns, len(batch))
            except Refused as exc:
                self._give_up(session, positions, str(exc))
                continue
            for k, durable in zip(positions, outcomes):
                for i in spilled:
                    durable[i] = self.references[k].outcome(batch.record(i))
                if spilled:
                    beside[k] = len(spilled)
                counted, codes = from_outcomes([durable])
                expected = [c if c & 3 == NON_COMPLIANT else c | 3 for c in failing[k]]
                if counted[0] != not_applicable[k] or codes[0] != expected:
                    raise self._disagreement(k, batch, durable)
        return beside

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
