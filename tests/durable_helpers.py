"""Running rules through durable-rules alone (no python engine beside it), for tests that compare engines."""

from __future__ import annotations

import datetime as dt
from typing import Any

from peelcheck.compile.check import CompiledRule
from peelcheck.evaluate.durable_engine import DurablePlan, DurableSession, plan_rulesets
from peelcheck.load.batch import from_records
from peelcheck.schema.outcomes import Outcome
from peelcheck.schema.pack import RecordTypeSpec


def durable_outcomes(rules: list[CompiledRule], record_type: RecordTypeSpec, as_of: dt.date,
                     records: list[dict[str, Any]]) -> tuple[list[list[Outcome | None] | None], DurablePlan]:
    """Per rule, durable-rules' outcome for each record: None for a record it was not given (a value
    outside its envelope); the whole list None for a rule left to the python engine."""
    plan = plan_rulesets(rules, record_type, as_of)
    found: list[list[Outcome | None] | None] = [None] * len(rules)
    batch = from_records(records, record_type.fields)
    for positions, ruleset in plan.groups:
        with DurableSession(ruleset) as session:
            outcomes, spilled = session.evaluate(batch.columns, len(batch))
        for k, outcome in zip(positions, outcomes):
            found[k] = [None if i in spilled else o for i, o in enumerate(outcome)]
    return found, plan


def first_session(rules: list[CompiledRule], record_type: RecordTypeSpec, as_of: dt.date) -> DurableSession:
    plan = plan_rulesets(rules, record_type, as_of)
    assert len(plan.groups) == 1 and not plan.python, plan.python
    return DurableSession(plan.groups[0][1])
