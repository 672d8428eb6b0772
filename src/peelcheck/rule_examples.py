"""Running every rule's worked examples (``validate --examples``), as ``semgrep --test`` runs a rule's
test cases: an automated rule needs a passing and a failing example, and each must come out as it says.

Each example is assessed by the whole pipeline, as a record file would be, so this sits beside
``pipeline`` rather than in one of the stages it runs."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from peelcheck.compile.check import CompiledRule, compile_rule
from peelcheck.compile.pack_check import CompiledPack
from peelcheck.errors import Diagnostic, Location
from peelcheck.evaluate.runner import Engine
from peelcheck.load.yaml_positions import load_yaml_file
from peelcheck.pipeline import AssessOptions, assess_records
from peelcheck.positions import locate
from peelcheck.schema.rule import DEFAULT_AS_OF, Example, Mode

CHANGED_HINT = ("an example is judged on the rule as its file writes it: the thresholds, windows and scope that "
                "an overlay or a profile sets do not apply to it")


def pack_for_examples(pack: CompiledPack, rule: CompiledRule) -> CompiledPack:
    """``pack`` with ``rule`` as its own file writes it, and assessed: a worked example says what the rule
    its author wrote makes of a record, so no layer above the file (an overlay's or a profile's threshold,
    window or scope) changes what the example means. The core's examples are judged on the core's rule, an
    overlay's or a profile's own rules' examples on those rules as written."""
    in_scope = {rule_id: why for rule_id, why in pack.disabled.items() if rule_id != rule.id}
    written = rule.rule.as_written
    if written is None:
        return pack if len(in_scope) == len(pack.disabled) else dataclasses.replace(pack, disabled=in_scope)
    spec = rule.rule.spec.model_copy(update={"threshold": written.spec.threshold})
    original, _ = compile_rule(dataclasses.replace(rule.rule, spec=spec, when=written.when, expect=written.expect),
                               rule.record_type)
    if original is None:  # cannot be: the file's own conditions compiled before a layer changed them
        original = rule
    return dataclasses.replace(pack, disabled=in_scope,
                               rules=[original if r.id == rule.id else r for r in pack.rules])


def _outcome_of(pack: CompiledPack, rule: CompiledRule, example: Example) -> str:
    records = [example.record] if example.record is not None else list(example.records or [])
    options = AssessOptions(as_of=example.as_of or DEFAULT_AS_OF, engine=Engine.PYTHON,
                            only_rules=frozenset({rule.id}))
    result = next(r for r in assess_records(pack_for_examples(pack, rule), {rule.record_type.name: records}, options,
                                            label=f"{rule.id}-{example.name}").rules if r.id == rule.id)
    if example.status is not None:
        return result.status.value
    counts = {"compliant": result.compliant, "non_compliant": result.non_compliant,
              "not_recorded": result.not_recorded, "not_applicable": len(records) - result.applicable}
    return next(name for name, count in counts.items() if count)


def check_rule_examples(pack: CompiledPack, rule: CompiledRule) -> list[Diagnostic]:
    spec = rule.rule.spec
    if spec.mode is not Mode.AUTOMATED:
        return []
    document: Any = load_yaml_file(Path(rule.rule.path))
    start = Location(rule.rule.path, 1, 1)
    out = []
    for wanted, word in ((any(e.passes for e in spec.examples), "passing"),
                         (any(e.fails for e in spec.examples), "failing")):
        if not wanted:
            out.append(Diagnostic("missing-example", f"{rule.id} has no {word} example",
                                  locate(document, ("examples",), start),
                                  hint="add one record the rule passes and one it fails, with the outcome each gets"))
    # where a layer changed the rule, say that its change is not what judged the example
    changed = rule.rule.as_written is not None or rule.id in pack.disabled
    hint = CHANGED_HINT if changed else None
    for i, example in enumerate(spec.examples):
        claimed = example.status.value if example.status is not None else example.outcome.value  # type: ignore[union-attr]
        found = _outcome_of(pack, rule, example)
        if found != claimed:
            out.append(Diagnostic("wrong-example-outcome", f"{rule.id} example {example.name!r} claims {claimed}, "
                                  f"the rule gives {found}", locate(document, ("examples", i), start), hint=hint))
    return out


def check_examples(pack: CompiledPack) -> list[Diagnostic]:
    return [d for rule in pack.rules for d in check_rule_examples(pack, rule)]
