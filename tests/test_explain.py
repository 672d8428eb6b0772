"""A failure's reason names the clauses that decided it, in the shape the rule gives them."""

from __future__ import annotations

import datetime as dt
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peelcheck.evaluate.explain import RuleExplainer, explain
from peelcheck.evaluate.reference import ReferenceRule
from peelcheck.load.batch import from_records
from peelcheck.schema.outcomes import Outcome
from peelcheck.schema.records import record_validator

from .strategies import AS_OFS, RECORD_TYPE, records, rulesets

AS_OF = dt.date(2022, 4, 1)
VALIDATOR = record_validator(RECORD_TYPE)


def _rule(pack, rule_id):
    return next(r for r in pack.rules if r.id == rule_id)


def test_failed_alternatives_are_named_together(peel_pack):
    record = {"self_defined_ethnicity": "other_arab", "officer_defined_ethnicity": "asian"}
    reason = explain(_rule(peel_pack, "LEG-018"), record, Outcome.NON_COMPLIANT, AS_OF)
    assert reason.part == "expect"
    assert len(reason.clauses) == 1 and reason.text.startswith("expected any of (all of (self_defined_ethnicity")
    assert reason.values == record


def test_only_the_failing_parts_of_all_are_named(peel_pack):
    record = {"domestic_abuse": True, "victim_withdrew_support": True, "dvpn_considered": False}
    reason = explain(_rule(peel_pack, "PVP-001"), record, Outcome.NON_COMPLIANT, AS_OF)
    assert "dvpn_considered" in reason.text and "domestic_abuse" not in reason.text
    assert reason.values["dvpn_considered"] is False


def test_not_recorded_names_the_missing_field(peel_pack):
    record = {"victim_withdrew_support": True, "dvpn_considered": True}
    reason = explain(_rule(peel_pack, "PVP-001"), record, Outcome.NOT_RECORDED, AS_OF)
    assert reason.part == "when" and "(not recorded: domestic_abuse)" in reason.text
    assert reason.values["domestic_abuse"] is None


def test_a_failed_not_is_named_whole(peel_pack):
    # SOC-058 applies to active groups mapped more than 90 days ago: "not (mapped within 90 days)"
    rule = _rule(peel_pack, "SOC-058")
    explainer = RuleExplainer(rule, dt.date(2018, 3, 1))
    part, text, _, values = explainer({"active": True}, Outcome.NOT_RECORDED)
    assert part == "when"
    assert text.startswith("not (mapped_on") and text.endswith("(not recorded: mapped_on)")
    assert values == {"mapped_on": None}


def test_explainer_and_explain_agree(peel_pack):
    rule = _rule(peel_pack, "PVP-001")
    record = {"domestic_abuse": True, "victim_withdrew_support": True, "dvpn_considered": False}
    reason = explain(rule, record, Outcome.NON_COMPLIANT, AS_OF)
    part, text, _, values = RuleExplainer(rule, AS_OF)(record, Outcome.NON_COMPLIANT)
    assert (part, text, values) == (reason.part, reason.text, reason.values)


def test_failure_values_stay_typed_until_written_out():
    from pydantic import TypeAdapter

    from peelcheck.evaluate.failure_result import FailureResult

    values = {"arrived_at": dt.datetime(2024, 3, 3, 14, 0, 5), "updates": [dt.date(2024, 3, 4)],
              "waited": dt.timedelta(hours=1, seconds=30), "attended": None}
    found = FailureResult("INC-1", "incident.csv:2", Outcome.NON_COMPLIANT, "expect", "expected ...", "expected: ...",
                          values)
    assert found.values["arrived_at"] == dt.datetime(2024, 3, 3, 14, 0, 5)  # comparable, not text
    written = TypeAdapter(FailureResult).dump_python(found, mode="json")["values"]
    assert written == {"arrived_at": "2024-03-03T14:00:05", "updates": ["2024-03-04"], "waited": 3630.0,
                       "attended": None}


@settings(max_examples=300, deadline=None, derandomize=bool(os.environ.get("CI")),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(rules=rulesets(), rows=st.lists(records(), min_size=1, max_size=6), as_of=AS_OFS)
def test_explaining_from_columns_equals_explaining_the_record(rules, rows, as_of):
    """The python engine explains straight from a batch's columns; that shortcut says exactly what
    explaining the record says, whichever part failed, with or without being told the part."""
    values = [VALIDATOR.validate_python({"ref": f"r{i}", **row}) for i, row in enumerate(rows)]
    batch = from_records(values, RECORD_TYPE.fields)
    for rule in rules:
        reference, explainer = ReferenceRule(rule, as_of), RuleExplainer(rule, as_of)
        for i, record in enumerate(values):
            outcome = reference.outcome(record)
            if outcome not in (Outcome.NON_COMPLIANT, Outcome.NOT_RECORDED):
                continue
            part = "when" if reference.when is not None and reference.when(record) is None else "expect"
            expected = explainer(record, outcome)
            assert expected[0] == part
            assert explainer.at(batch.columns, i, outcome, part) == expected
            assert RuleExplainer(rule, as_of)(record, outcome, part) == expected


def test_the_explanation_says_fields_in_their_descriptions(peel_pack):
    """Reports show a failure in the record type's words; the reason keeps field names for tools."""
    rule = _rule(peel_pack, "PVP-001")
    record = {"domestic_abuse": True, "victim_withdrew_support": True, "dvpn_considered": False}
    _, reason, explanation, values = RuleExplainer(rule, AS_OF)(record, Outcome.NON_COMPLIANT)
    description = rule.record_type.fields["dvpn_considered"].description.rstrip(".")
    assert "dvpn_considered" in reason and "dvpn_considered" in values
    assert description in explanation and "dvpn_considered" not in explanation


def test_a_missing_field_is_named_by_its_description(peel_pack):
    rule = _rule(peel_pack, "SOC-058")
    _, _, explanation, _ = RuleExplainer(rule, dt.date(2018, 3, 1))({"active": True}, Outcome.NOT_RECORDED)
    description = rule.record_type.fields["mapped_on"].description.rstrip(".")
    assert explanation.endswith(f"(not recorded: {description})") and "mapped_on" not in explanation


@settings(max_examples=300, deadline=None, derandomize=bool(os.environ.get("CI")),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(rules=rulesets(), rows=st.lists(records(), min_size=1, max_size=4), copies=st.integers(1, 4), as_of=AS_OFS)
def test_failures_explained_together_equal_each_explained_alone(rules, rows, copies, as_of):
    """The python engine explains a batch's failures of one rule together, once for each distinct
    explanation; each failure must come out as explaining it alone would make it, in record order."""
    from peelcheck.evaluate.runner import Engine, TypeEvaluation

    values = [VALIDATOR.validate_python({"ref": f"r{i}", **row}) for i, row in enumerate(rows * copies)]
    batch = from_records(values, RECORD_TYPE.fields)
    together, alone = (TypeEvaluation(RECORD_TYPE, rules, Engine.PYTHON, as_of) for _ in range(2))
    _, failing = together._generated(batch)
    for index, codes in enumerate(failing):
        if codes:
            together._fail(index, batch, codes)
            alone._fail_one_by_one(index, batch, codes)
    assert [t.failures for t in together.tallies] == [t.failures for t in alone.tallies]
