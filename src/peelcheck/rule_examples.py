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


def pack_for_examples(pack: CompiledPack, rule: CompiledRule) -> CompiledPack:
    """``pack`` with ``rule`` as its pack wrote it: a rule's worked examples are its pack's, so a force's own
    windows (``windows:`` in a profile or an overlay) do not judge them, as its own thresholds do not decide
    a record's outcome."""
    written = rule.rule.as_written
    if written is None:
        return pack
    original, _ = compile_rule(dataclasses.replace(rule.rule, when=written.when, expect=written.expect),
                               rule.record_type)
    if original is None:  # the pack's own conditions compiled before the force changed them
        return pack
    return dataclasses.replace(pack, rules=[original if r.id == rule.id else r for r in pack.rules])


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
    for i, example in enumerate(spec.examples):
        claimed = example.status.value if example.status is not None else example.outcome.value  # type: ignore[union-attr]
        found = _outcome_of(pack, rule, example)
        if found != claimed:
            out.append(Diagnostic("wrong-example-outcome", f"{rule.id} example {example.name!r} claims {claimed}, "
                                  f"the rule gives {found}", locate(document, ("examples", i), start)))
    return out


def check_examples(pack: CompiledPack) -> list[Diagnostic]:
    return [d for rule in pack.rules for d in check_rule_examples(pack, rule)]
