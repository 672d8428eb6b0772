"""Every rule's worked examples, run through both evaluators; test ids read <RULE-ID>-<case>."""

from __future__ import annotations

import pytest

from peelcheck.compile.pack_check import load_compiled_pack
from peelcheck.pipeline import AssessOptions, Engine, assess_records
from peelcheck.schema.rule import DEFAULT_AS_OF, Mode

from .conftest import PACK_DIR

PACK = load_compiled_pack(PACK_DIR)
CASES = [(rule, example) for rule in PACK.rules for example in rule.rule.spec.examples]


@pytest.mark.parametrize("engine", list(Engine), ids=lambda e: e.value)
@pytest.mark.parametrize(("rule", "example"), CASES, ids=[f"{r.id}-{e.name}" for r, e in CASES])
def test_example(rule, example, engine):
    records = [example.record] if example.record is not None else list(example.records or [])
    options = AssessOptions(as_of=example.as_of or DEFAULT_AS_OF, engine=engine, only_rules=frozenset({rule.id}))
    assessment = assess_records(PACK, {rule.record_type.name: records}, options, label=f"{rule.id}-{example.name}")
    result = next(r for r in assessment.rules if r.id == rule.id)
    if example.status is not None:
        assert result.status is example.status, f"{rule.id} {example.name}: {result.status.value}, failures: " \
            f"{[f.reason for f in result.failures]}"
        return
    counts = {"compliant": result.compliant, "non_compliant": result.non_compliant,
              "not_recorded": result.not_recorded,
              "not_applicable": len(records) - result.applicable}
    assert counts[example.outcome.value] == 1, f"{rule.id} {example.name}: expected {example.outcome.value}, " \
        f"got {counts}; reasons: {[f.reason for f in result.failures]}"


@pytest.mark.parametrize("rule", [r for r in PACK.rules if r.rule.spec.mode is Mode.AUTOMATED], ids=lambda r: r.id)
def test_rule_has_passing_and_failing_examples(rule):
    examples = rule.rule.spec.examples
    assert any(e.passes for e in examples), f"{rule.id} has no passing example"
    assert any(e.fails for e in examples), f"{rule.id} has no failing example"
