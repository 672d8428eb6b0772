"""Turning tallies into rule, area and summary results."""

from __future__ import annotations

import math

from peelcheck.assess.breakdown import breakdowns
from peelcheck.assess.identity import Pseudonyms, pseudonymise
from peelcheck.assess.model import AnswerResult, AreaResult, FindingResult, RuleResult, SourceRef, Summary
from peelcheck.assess.rubric import read_area
from peelcheck.compile.check import CompiledRule
from peelcheck.compile.pack_check import CompiledPack
from peelcheck.evaluate.failures import Failures
from peelcheck.evaluate.runner import Tally
from peelcheck.schema.answers import AnswerValue, ManualAnswer
from peelcheck.schema.framework import ThresholdBasis
from peelcheck.schema.outcomes import RuleStatus
from peelcheck.schema.rule import Evidence, Mode, RuleSpec

_ANSWERS = {True: "yes", False: "no", "yes": "yes", "no": "no", "partly": "partly"}

_EPSILON = 1e-9


def rule_status(rule: CompiledRule, tally: Tally | None, type_supplied: bool,
                answer: ManualAnswer | None = None) -> RuleStatus:
    """Met, not met or not assessed, from a rule's tally; a manual rule from its answer, if it has one."""
    spec = rule.rule.spec
    if spec.mode is Mode.MANUAL:
        if answer is None:
            return RuleStatus.MANUAL
        return RuleStatus.MET if answer.answer is AnswerValue.YES else RuleStatus.NOT_MET
    if tally is None or not type_supplied:
        return RuleStatus.NOT_ASSESSED
    if spec.count is not None:
        return RuleStatus.MET if spec.count.holds(tally.compliant) else RuleStatus.NOT_MET
    if tally.applicable == 0:
        return RuleStatus.NOT_MET if spec.evidence_required else RuleStatus.NOT_ASSESSED
    return RuleStatus.MET if tally.compliant >= spec.threshold * tally.applicable - _EPSILON else RuleStatus.NOT_MET


def shortfall(rule: CompiledRule, tally: Tally | None) -> int:
    """How many more compliant records the rule needed; for a count rule, how many more matches it
    needed (``at_least``) or how many matches too many it found (``at_most``)."""
    spec = rule.rule.spec
    if tally is None or spec.mode is Mode.MANUAL:
        return 0
    if spec.count is not None:
        if spec.count.at_most is not None:
            return max(0, tally.compliant - spec.count.at_most)
        return max(0, (spec.count.at_least or 0) - tally.compliant)
    if tally.applicable == 0 and spec.evidence_required:
        return 1
    return max(0, math.ceil(spec.threshold * tally.applicable - _EPSILON) - tally.compliant)


def threshold_basis(spec: RuleSpec) -> ThresholdBasis | None:
    """The basis the rule declares; else a pack default where the pack says so or gives no source."""
    if spec.threshold_basis is not None:
        return spec.threshold_basis
    if spec.threshold_source is None or spec.threshold_source.lower().startswith("pack default"):
        return ThresholdBasis.PACK_DEFAULT
    return None


def single_answer(spec: RuleSpec, tally: Tally | None) -> str | None:
    """The answer given, where one self-declared answer decides the rule: yes, partly or no;
    "yes-unsupported" when a yes lacks what the rule asks of it (evidence, a recent review);
    "not-recorded" when no answer is given. Explanations name every field that decided a failure,
    so an answer that is not among them was a yes."""
    if tally is None or tally.applicable != 1 or spec.count is not None or spec.evidence is not Evidence.SELF_DECLARED:
        return None
    if not tally.failures:
        return "yes"
    values = tally.failures[0].values
    if "answer" in values and values["answer"] is None:
        return "not-recorded"
    answer = _ANSWERS.get(values.get("answer", True))
    return "yes-unsupported" if answer in (None, "yes") else answer


def rule_result(pack: CompiledPack, rule: CompiledRule, tally: Tally | None, type_supplied: bool,
                disabled: str | None = None, answer: ManualAnswer | None = None,
                names: Pseudonyms | None = None, unassessable: str | None = None) -> RuleResult:
    """A rule's result; ``names`` pseudonymises the keys of records about people (None: shown in full);
    ``unassessable`` says why the rule cannot be assessed (a column its applicability needs is absent)."""
    spec = rule.rule.spec
    documents = {d.id: d for d in pack.pack.documents}
    applicable = tally.applicable if tally else 0
    count = spec.count
    target = None
    if count is not None:
        target = f"at least {count.at_least}" if count.at_least is not None else f"at most {count.at_most}"
    result = RuleResult(
        id=spec.id, title=spec.title, area=spec.area, kind=spec.kind, severity=spec.severity,
        record_type=spec.record_type,
        source=None if spec.source is None else SourceRef(
            document=spec.source.document, document_title=documents[spec.source.document].title,
            section=spec.source.section, quote=spec.source.quote, paragraph=spec.source.paragraph),
        findings=list(getattr(spec, "findings", None) or []),
        status=RuleStatus.DISABLED if disabled else RuleStatus.NOT_ASSESSABLE if unassessable
        else rule_status(rule, tally, type_supplied, answer),
        not_assessable_reason=None if disabled else unassessable,
        applicable=applicable,
        compliant=tally.compliant if tally else 0,
        non_compliant=tally.non_compliant if tally else 0,
        not_recorded=tally.not_recorded if tally else 0,
        compliance_rate=(tally.compliant / applicable) if tally and applicable else None,
        threshold=spec.threshold, threshold_basis=threshold_basis(spec), threshold_source=spec.threshold_source,
        evidence=spec.evidence, from_praise=spec.from_praise, data_quality=spec.data_quality,
        self_declared_answer=single_answer(spec, tally),
        shortfall=0 if disabled else shortfall(rule, tally), count_target=target,
        question=spec.question, disabled_reason=disabled, remediation=spec.remediation,
        breakdowns=breakdowns(rule, tally.breakdown) if tally else [], personal=rule.record_type.personal,
        failures=tally.failures if tally else Failures(),
        answer=_answer(answer),
    )
    if result.personal and names is not None:
        pseudonymise(result, names)
    return result


def _answer(answer: ManualAnswer | None) -> AnswerResult | None:
    if answer is None:
        return None
    return AnswerResult(answer=answer.answer.value, evidence=answer.evidence, who=answer.who, when=answer.when,
                        note=answer.note)


def order_key(result: RuleResult) -> tuple[int, int, str]:
    """Causes of concern and recommendations first, then by severity, then id."""
    return result.kind.rank, result.severity.rank, result.id


def area_results(pack: CompiledPack, rules: list[RuleResult],
                 findings: list[FindingResult] | None = None) -> list[AreaResult]:
    out = []
    for area in pack.pack.areas:
        mine = sorted((r for r in rules if r.area == area.id), key=order_key)
        if not mine:
            continue
        status = [r.status for r in mine]
        indicative, withheld = read_area(pack.rubric, mine)
        out.append(AreaResult(id=area.id, title=area.title, met=status.count(RuleStatus.MET),
                              not_met=status.count(RuleStatus.NOT_MET),
                              not_assessed=status.count(RuleStatus.NOT_ASSESSED),
                              manual=status.count(RuleStatus.MANUAL), disabled=status.count(RuleStatus.DISABLED),
                              not_assessable=status.count(RuleStatus.NOT_ASSESSABLE),
                              inconclusive=status.count(RuleStatus.INCONCLUSIVE),
                              waived=status.count(RuleStatus.WAIVED), rules=[r.id for r in mine],
                              findings=[f.id for f in findings or [] if f.area == area.id],
                              indicative_status=indicative, indicative_withheld=withheld))
    return out


def summary(rules: list[RuleResult], records: int, rows_rejected: int = 0, verdict: str = "point") -> Summary:
    """The run's totals; ``verdict`` is the --verdict that decided met and not met, which the reports state."""
    status = [r.status for r in rules]
    return Summary(rules=len(rules), met=status.count(RuleStatus.MET), not_met=status.count(RuleStatus.NOT_MET),
                   not_assessed=status.count(RuleStatus.NOT_ASSESSED), manual=status.count(RuleStatus.MANUAL),
                   disabled=status.count(RuleStatus.DISABLED), records=records,
                   not_assessable=status.count(RuleStatus.NOT_ASSESSABLE), rows_rejected=rows_rejected,
                   rows_read=records + rows_rejected,
                   failing_pairs=sum(len(r.failures) for r in rules),
                   inconclusive=status.count(RuleStatus.INCONCLUSIVE), waived=status.count(RuleStatus.WAIVED),
                   straddling=sum(1 for r in rules if r.interval is not None and r.interval.straddles),
                   verdict=verdict)
