"""Failure messages a policy lead can read: what was expected, what the engine found, and why."""

from __future__ import annotations

from typing import Any

from peelcheck.assess.model import RuleResult
from peelcheck.errors import Diagnostic
from peelcheck.evaluate.failure_result import FailureResult
from peelcheck.schema.outcomes import Outcome
from peelcheck.schema.values import plain

MAX_SHOWN = 10

OUTCOME_WORDS = {
    Outcome.COMPLIANT: "passes (compliant)",
    Outcome.NON_COMPLIANT: "fails (non-compliant)",
    Outcome.NOT_RECORDED: "is not recorded (the evidence the rule needs is missing)",
    Outcome.NOT_APPLICABLE: "is not applicable (the rule does not apply to it)",
}


def percent(share: float | None) -> str:
    return "none (no record applies)" if share is None else f"{share * 100:.4g}%"


def _value(value: Any) -> str:
    return "not recorded" if value is None else str(plain(value))


def describe_failure(failure: FailureResult) -> str:
    """``SYN-2 at scenario:case_file:2 fails: expected ...; values: a=1, b=not recorded``."""
    what = "could not tell whether the rule applies" if failure.part == "when" else OUTCOME_WORDS[failure.outcome]
    values = ", ".join(f"{name}={_value(v)}" for name, v in failure.values.items())
    text = f"{failure.key} ({failure.location}) {what}: {failure.reason}"
    return f"{text}; values: {values}" if values else text


def describe_counts(result: RuleResult) -> str:
    return (f"{result.applicable} applicable, {result.compliant} compliant, {result.non_compliant} "
            f"non-compliant and {result.not_recorded} not recorded")


def _target(result: RuleResult) -> str:
    if result.count_target is not None:
        return f"it counted {result.compliant} matching records; it needs {result.count_target}"
    needs = f"; {result.shortfall} more compliant needed" if result.shortfall else ""
    rate, threshold = percent(result.compliance_rate), percent(result.threshold)
    return f"compliance rate {rate} against a threshold of {threshold}{needs}"


def describe_result(result: RuleResult) -> str:
    """Everything the engine found for one rule, with its failing records and their reasons."""
    lines = [f'{result.id} "{result.title}" is {result.status.value.replace("_", " ")}',
             f"  records: {describe_counts(result)}",
             f"  {_target(result)}"]
    if result.disabled_reason:
        lines.append(f"  {result.disabled_reason}")
    if result.failures:
        lines.append("  failing records:")
        lines.extend(f"    - {describe_failure(f)}" for f in result.failures[:MAX_SHOWN])
        if len(result.failures) > MAX_SHOWN:
            lines.append(f"    ... and {len(result.failures) - MAX_SHOWN} more")
    return "\n".join(lines)


def describe_diagnostics(diagnostics: list[Diagnostic]) -> str:
    return "\n".join(f"  {d}" for d in diagnostics)
