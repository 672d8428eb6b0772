"""Then steps over the worked examples written inside the rule files (``examples:``).

A rules repository can check every rule's examples from one scenario, with no Python:
``Then every rule's examples give their stated outcomes``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pytest_bdd import then

from peelcheck.bdd.messages import describe_result
from peelcheck.bdd.state import RECORDS_LABEL, ScenarioState
from peelcheck.compile.check import CompiledRule
from peelcheck.pipeline import assess_records
from peelcheck.rule_examples import pack_for_examples
from peelcheck.schema.rule import Example, Mode


def _example_problem(state: ScenarioState, rule: CompiledRule, example: Example) -> str | None:
    records: list[dict[str, Any]] = [example.record] if example.record is not None else list(example.records or [])
    options = state.options()
    if example.as_of is not None:
        options.as_of = example.as_of
    assessment = assess_records(pack_for_examples(state.pack(), rule), {rule.record_type.name: records}, options,
                                label=RECORDS_LABEL)
    result = next(r for r in assessment.rules if r.id == rule.id)
    if example.status is not None:
        if result.status is example.status:
            return None
        return f"{rule.id} example {example.name!r}: expected {example.status.value}\n{describe_result(result)}"
    found = {"compliant": result.compliant, "non_compliant": result.non_compliant,
             "not_recorded": result.not_recorded, "not_applicable": len(records) - result.applicable}
    assert example.outcome is not None
    if found[example.outcome.value] == 1:
        return None
    return f"{rule.id} example {example.name!r}: expected {example.outcome.value}\n{describe_result(result)}"


def _own_rules(state: ScenarioState) -> list[CompiledRule]:
    """The rules written in the pack's own folder: those of a pack it extends are checked where they are
    written (an overlay's assessment date need not suit the core's examples)."""
    pack = state.pack()
    root = pack.root.resolve()
    return [r for r in pack.rules if Path(r.rule.path).resolve().is_relative_to(root)]


@then("every rule's examples give their stated outcomes")
def _examples_hold(peelcheck_scenario: ScenarioState) -> None:
    """Then every rule's examples give their stated outcomes -- each ``examples:`` entry, through the engine."""
    state = peelcheck_scenario
    problems = [p for rule in _own_rules(state) for example in rule.rule.spec.examples
                if (p := _example_problem(state, rule, example)) is not None]
    if problems:
        state.fail(f"{len(problems)} worked example(s) disagree with their rules:\n" + "\n".join(problems))


@then("every rule has a passing and a failing example")
def _examples_both_ways(peelcheck_scenario: ScenarioState) -> None:
    """Then every rule has a passing and a failing example -- manual rules excepted."""
    rules = [r for r in _own_rules(peelcheck_scenario) if r.rule.spec.mode is Mode.AUTOMATED]
    missing = [f"{r.id} has no {'passing' if not any(e.passes for e in r.rule.spec.examples) else 'failing'} example"
               for r in rules if not (any(e.passes for e in r.rule.spec.examples)
                                      and any(e.fails for e in r.rule.spec.examples))]
    if missing:
        peelcheck_scenario.fail("every rule needs at least one passing and one failing example:\n  "
                                + "\n  ".join(missing))
