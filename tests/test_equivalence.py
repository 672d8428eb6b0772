"""The oracle: durable-rules, the generated python engine and the reference evaluator give the same
outcome for every (rule, record) pair, on random rules in the rule language and random records."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peelcheck.evaluate import durable_engine
from peelcheck.evaluate.generated import generate
from peelcheck.evaluate.reference import ReferenceRule
from peelcheck.load.batch import from_records
from peelcheck.schema.outcomes import Outcome
from peelcheck.schema.records import record_validator

from .strategies import AS_OFS, RECORD_TYPE, records, rulesets

EXAMPLES = int(os.environ.get("PEELCHECK_EQUIVALENCE_EXAMPLES", "2000"))
VALIDATOR = record_validator(RECORD_TYPE)

pytestmark = pytest.mark.skipif(not durable_engine.available(), reason="durable-rules does not import here")


# CI runs a fixed sequence (a landing must not depend on luck); elsewhere each run explores anew.
@settings(max_examples=EXAMPLES, deadline=None, derandomize=bool(os.environ.get("CI")),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(rules=rulesets(), rows=st.lists(records(), min_size=1, max_size=12), as_of=AS_OFS)
def test_durable_engine_agrees_with_reference(rules, rows, as_of):
    values = [VALIDATOR.validate_python({"ref": f"r{i}", **row}) for i, row in enumerate(rows)]
    with durable_engine.DurableSession(durable_engine.fitting_ruleset(rules, RECORD_TYPE, as_of)) as session:
        durable = session.evaluate(values)
    batch = from_records(values, RECORD_TYPE.fields)
    generated, failing = generate(rules, as_of)[1](batch.columns, len(batch))
    for rule, from_durable, from_generated in zip(rules, durable, generated):
        reference = ReferenceRule(rule, as_of)
        expected = [reference.outcome(v) for v in values]
        assert from_durable == expected, ("durable", rule.rule.spec.when, rule.rule.spec.expect, values)
        assert from_generated == expected, ("generated", rule.rule.spec.when, rule.rule.spec.expect, values)
    for from_generated, failed in zip(generated, failing):
        assert [~i if i < 0 else i for i in failed] == [
            i for i, o in enumerate(from_generated) if o in (Outcome.NON_COMPLIANT, Outcome.NOT_RECORDED)]
