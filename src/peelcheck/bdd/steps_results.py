"""Then steps: what the engine must have found, checked on the structured assessment.

Every failure says what the scenario expected, what the engine found (counts, rate, threshold)
and why: the failing records with the clause that decided each and the values it saw.
"""

from __future__ import annotations

from pytest_bdd import parsers, then

from peelcheck.bdd.messages import OUTCOME_WORDS, describe_counts, describe_failure, describe_result, percent
from peelcheck.bdd.phrases import NUMBER, RECORD, RULE, RULE_ID, RULE_OR_ID, key_of, split_list
from peelcheck.bdd.state import RECORDS_LABEL, ScenarioState
from peelcheck.schema.outcomes import Outcome, RuleStatus

STATUS_WORDS = {"met": RuleStatus.MET, "not met": RuleStatus.NOT_MET, "not assessed": RuleStatus.NOT_ASSESSED,
                "manual": RuleStatus.MANUAL, "disabled": RuleStatus.DISABLED}
RECORD_VERBS = {"passes": Outcome.COMPLIANT, "fails": Outcome.NON_COMPLIANT,
                "is not applicable to": Outcome.NOT_APPLICABLE, "is not recorded for": Outcome.NOT_RECORDED}
RECORD_STATUS = {"met": Outcome.COMPLIANT, "not met": Outcome.NON_COMPLIANT,
                 "not applicable": Outcome.NOT_APPLICABLE, "not recorded": Outcome.NOT_RECORDED}


@then(parsers.re(rf"{RULE} is (?P<status>met|not met|not assessed|manual|disabled)"))
def _status(peelcheck_scenario: ScenarioState, rule: str | None, alias: str | None, status: str) -> None:
    """Then rule PVP-001 is met -- or: is not met, is not assessed (no record applies), is manual, is disabled."""
    result = peelcheck_scenario.result(peelcheck_scenario.rule_id(rule, alias))
    if result.status is not STATUS_WORDS[status]:
        peelcheck_scenario.fail(f"expected {result.id} to be {status}, but the engine found:\n"
                                f"{describe_result(result)}")


@then(parsers.re(rf"{RULE} has (?P<applicable>{NUMBER}) applicable, (?P<compliant>{NUMBER}) compliant, "
                 rf"(?P<non_compliant>{NUMBER}) non-compliant and (?P<not_recorded>{NUMBER}) not recorded records?"))
def _counts(peelcheck_scenario: ScenarioState, rule: str | None, alias: str | None, applicable: str,
            compliant: str, non_compliant: str, not_recorded: str) -> None:
    """Then rule PVP-001 has 3 applicable, 1 compliant, 1 non-compliant and 1 not recorded records."""
    result = peelcheck_scenario.result(peelcheck_scenario.rule_id(rule, alias))
    found = (result.applicable, result.compliant, result.non_compliant, result.not_recorded)
    wanted = (int(applicable), int(compliant), int(non_compliant), int(not_recorded))
    if found != wanted:
        peelcheck_scenario.fail(f"expected {result.id} to have {applicable} applicable, {compliant} compliant, "
                                f"{non_compliant} non-compliant and {not_recorded} not recorded records; the "
                                f"engine found {describe_counts(result)}:\n{describe_result(result)}")


@then(parsers.re(rf"the compliance rate of {RULE_OR_ID} is (?P<rate>\d+(?:\.\d+)?)%"))
def _rate(peelcheck_scenario: ScenarioState, rule: str | None, alias: str | None, rate: str) -> None:
    """Then the compliance rate of RES-010 is 50% -- to the precision written (66.7% matches 2 of 3)."""
    result = peelcheck_scenario.result(peelcheck_scenario.rule_id(rule, alias))
    decimals = len(rate.split(".")[1]) if "." in rate else 0
    tolerance = 0.5 * 10 ** -decimals + 1e-9
    if result.compliance_rate is None or abs(result.compliance_rate * 100 - float(rate)) > tolerance:
        peelcheck_scenario.fail(f"expected the compliance rate of {result.id} to be {rate}%, but it is "
                                f"{percent(result.compliance_rate)}:\n{describe_result(result)}")


@then(parsers.re(rf"{RULE} has no compliance rate"))
def _no_rate(peelcheck_scenario: ScenarioState, rule: str | None, alias: str | None) -> None:
    """Then rule PVP-001 has no compliance rate -- no record applies."""
    result = peelcheck_scenario.result(peelcheck_scenario.rule_id(rule, alias))
    if result.compliance_rate is not None:
        peelcheck_scenario.fail(f"expected no record to apply to {result.id}, but {result.applicable} do:\n"
                                f"{describe_result(result)}")


@then(parsers.re(rf"{RULE} needs (?P<more>{NUMBER}) more compliant records?"))
def _shortfall(peelcheck_scenario: ScenarioState, rule: str | None, alias: str | None, more: str) -> None:
    """Then rule PVP-056 needs 1 more compliant record -- the shortfall against the threshold."""
    result = peelcheck_scenario.result(peelcheck_scenario.rule_id(rule, alias))
    if result.shortfall != int(more):
        peelcheck_scenario.fail(f"expected {result.id} to need {more} more compliant records; it needs "
                                f"{result.shortfall}:\n{describe_result(result)}")


def _check_outcome(state: ScenarioState, rule_id: str, key: str, wanted: Outcome, said: str) -> None:
    found, failure = state.outcome(rule_id, key)
    if found is not wanted:
        why = f"\n  why: {describe_failure(failure)}" if failure else ""
        state.fail(f"expected: record {key} {said} {rule_id}\nfound: record {key} {OUTCOME_WORDS[found]}{why}\n"
                   f"{describe_result(state.result(rule_id))}")


@then(parsers.re(rf"{RECORD} (?P<verb>passes|fails|is not applicable to|is not recorded for) {RULE}"))
def _record_outcome(peelcheck_scenario: ScenarioState, key: str | None, qkey: str | None, verb: str,
                    rule: str | None, alias: str | None) -> None:
    """Then record SYN-1 fails rule PVP-001 -- or: passes, is not applicable to, is not recorded for."""
    state = peelcheck_scenario
    _check_outcome(state, state.rule_id(rule, alias), state.key(key_of(key, qkey)), RECORD_VERBS[verb], verb)


@then(parsers.re(rf"{RULE} is (?P<outcome>met|not met|not applicable|not recorded) for {RECORD}"))
def _outcome_for_record(peelcheck_scenario: ScenarioState, rule: str | None, alias: str | None, outcome: str,
                        key: str | None, qkey: str | None) -> None:
    """Then the caution rule is not met for that record -- met / not met / not applicable / not recorded."""
    state = peelcheck_scenario
    _check_outcome(state, state.rule_id(rule, alias), state.key(key_of(key, qkey)), RECORD_STATUS[outcome],
                   f"has {outcome} for")


@then(parsers.re(rf"{RECORD} (?P<verb>fails|is not recorded for) {RULE} because of (?:its )?(?P<fields>.+)"))
def _failure_fields(peelcheck_scenario: ScenarioState, key: str | None, qkey: str | None, verb: str,
                    rule: str | None, alias: str | None, fields: str) -> None:
    """Then record SYN-2 fails rule INV-001 because of its victim_views_recorded_at -- the deciding fields."""
    state = peelcheck_scenario
    rule_id, record_key = state.rule_id(rule, alias), state.key(key_of(key, qkey))
    _check_outcome(state, rule_id, record_key, RECORD_VERBS[verb], verb)
    _, failure = state.outcome(rule_id, record_key)
    assert failure is not None
    wanted = split_list(fields)
    if verb == "fails":
        missing = [f for f in wanted if f not in failure.values]
    else:
        missing = [f for f in wanted if f not in failure.values or failure.values[f] is not None]
    if missing:
        state.fail(f"expected record {record_key} to {verb.replace('fails', 'fail')} {rule_id} because of "
                   f"{', '.join(wanted)}; the engine's reason names {', '.join(failure.values) or 'no field'}"
                   f" (not {', '.join(missing)}):\n  {describe_failure(failure)}")


@then(parsers.re(rf"{RULE} lists (?:no records|records? (?P<keys>.+))"))
def _lists(peelcheck_scenario: ScenarioState, rule: str | None, alias: str | None, keys: str | None) -> None:
    """Then rule PVP-001 lists records SYN-2, SYN-3 -- exactly the records that failed it (or: lists no records)."""
    result = peelcheck_scenario.result(peelcheck_scenario.rule_id(rule, alias))
    wanted = split_list(keys) if keys else []
    found = [f.key for f in result.failures]
    if sorted(found) != sorted(wanted):
        peelcheck_scenario.fail(f"expected {result.id} to list {', '.join(wanted) or 'no records'}; it lists "
                                f"{', '.join(found) or 'no records'}:\n{describe_result(result)}")


@then(parsers.re(rf"the rules not met are (?P<ids>{RULE_ID}(?:(?:,| and) {RULE_ID})*)"))
def _not_met(peelcheck_scenario: ScenarioState, ids: str) -> None:
    """Then the rules not met are INV-001 and PVP-001 -- exactly these, across the whole pack."""
    assessment = peelcheck_scenario.result_set()
    found = [r for r in assessment.rules if r.status is RuleStatus.NOT_MET]
    if sorted(r.id for r in found) != sorted(split_list(ids)):
        detail = "\n".join(describe_result(r) for r in found)
        peelcheck_scenario.fail(f"expected the rules not met to be {ids}; they are "
                                f"{', '.join(r.id for r in found) or 'none'}:\n{detail}")


@then("every rule assessed is met")
def _all_met(peelcheck_scenario: ScenarioState) -> None:
    """Then every rule assessed is met -- no rule of the pack is not met."""
    found = [r for r in peelcheck_scenario.result_set().rules if r.status is RuleStatus.NOT_MET]
    if found:
        detail = "\n".join(describe_result(r) for r in found)
        peelcheck_scenario.fail(f"expected every rule assessed to be met; not met:\n{detail}")


@then("the records are rejected")
def _rejected(peelcheck_scenario: ScenarioState) -> None:
    """Then the records are rejected -- the engine refused them as invalid (nothing was assessed)."""
    state = peelcheck_scenario
    if state.assessment is None and state.error is None:
        state.run()
    if state.error is None:
        state.fail("expected the engine to reject the records, but it accepted them all")


@then(parsers.re(rf"{RECORD} is rejected because of (?:its )?(?P<field>[a-z][a-z0-9_]*)"))
def _record_rejected(peelcheck_scenario: ScenarioState, key: str | None, qkey: str | None, field: str) -> None:
    """Then record SYN-9 is rejected because of its outcome_code -- the row and field the engine named."""
    state = peelcheck_scenario
    _rejected(state)
    record_key = state.key(key_of(key, qkey))
    rows: dict[tuple[str, int | None], str] = {}
    for record_type, records in state.records.items():
        key_field = state.record_type(record_type).key
        for i, record in enumerate(records, start=1):
            rows[(f"{RECORDS_LABEL}:{record_type}", i)] = str(record.get(key_field))
    diagnostics = state.error.diagnostics if state.error else []
    named = [d for d in diagnostics if rows.get((d.location.path, d.location.line)) == record_key
             and d.message.startswith(f"{field}:")]
    if not named:
        shown = "\n".join(f"  {d}" for d in diagnostics)
        state.fail(f"expected the engine to reject record {record_key} because of {field}; it said:\n{shown}")
