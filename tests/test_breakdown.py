"""Breakdowns: a rule's results per value of a field (``breakdown:`` in the rule, ``assess --by``),
whose counts add up to the rule's on every engine, with one process or several."""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peelcheck.cli.main import cli
from peelcheck.compile.check import compile_rule
from peelcheck.compile.pack_check import check_pack, load_compiled_pack
from peelcheck.errors import Location
from peelcheck.evaluate import durable_engine
from peelcheck.evaluate.breakdown import APPLICABLE, MAX_VALUES, NON_COMPLIANT_COUNT, NOT_RECORDED_COUNT, OTHER
from peelcheck.evaluate.reference import ReferenceRule
from peelcheck.evaluate.runner import Engine, Tally, TypeEvaluation
from peelcheck.load.batch import from_records
from peelcheck.load.compose import load_pack
from peelcheck.pipeline import AssessOptions, assess
from peelcheck.report.markdown import render_markdown
from peelcheck.schema.condition_parser import parse_condition
from peelcheck.schema.outcomes import Outcome
from peelcheck.schema.records import record_validator
from peelcheck.schema.rule import Rule, RuleSpec

from .conftest import EXAMPLES, PACK_DIR
from .strategies import AS_OFS, RECORD_TYPE, records, rulesets

EXAMPLE = EXAMPLES / "west-mercia-2021"
ENGINES = [Engine.PYTHON, Engine.COLUMNAR] + ([Engine.DURABLE] if durable_engine.available() else [])
VALIDATOR = record_validator(RECORD_TYPE)
BY = ("e1", "b1", "s1")  # an enum, a flag and a text field of the random record type


def _json(*args: str) -> dict:
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), *args, "--as-of", "2022-04-01",
                                      "--format", "json"], env={"PEELCHECK_PSEUDONYM_KEY": "k"})
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def _adds_up(rule: dict) -> None:
    for breakdown in rule["breakdowns"]:
        for count in ("applicable", "compliant", "non_compliant", "not_recorded"):
            assert sum(v[count] for v in breakdown["values"]) == rule[count], (rule["id"], breakdown["field"], count)


def test_a_rule_declares_its_breakdown_and_each_value_is_counted():
    report = _json(str(EXAMPLE / "case_file.csv"), "--rule", "INV-017")
    rule = report["rules"][0]
    assert [b["field"] for b in rule["breakdowns"]] == ["crime_type"]
    values = {v["value"]: v for v in rule["breakdowns"][0]["values"]}
    # the 2021 example's crimes not attended: thefts (from vehicles and others), damage and others
    assert "theft_from_vehicle" in values and all(v["applicable"] > 0 for v in values.values())
    for v in values.values():
        assert v["compliance_rate"] == pytest.approx(v["compliant"] / v["applicable"])
        assert v["meets_threshold"] == (v["compliance_rate"] >= rule["threshold"])
    _adds_up(rule)


def test_by_breaks_every_rule_of_a_record_type_down():
    report = _json(str(EXAMPLE / "case_file.csv"), str(EXAMPLE / "workforce_member.csv"), "--by", "department",
                   "--by", "crime_type")
    fields = {r["record_type"]: {b["field"] for b in r["breakdowns"]} for r in report["rules"] if r["breakdowns"]}
    assert fields == {"case_file": {"crime_type"}, "workforce_member": {"department"}}
    assessed = [r for r in report["rules"] if r["record_type"] in fields and r["applicable"]]
    assert assessed and all(r["breakdowns"] for r in assessed)
    for rule in report["rules"]:
        _adds_up(rule)


@pytest.mark.parametrize("engine", [e.value for e in ENGINES])
def test_breakdowns_are_the_same_on_every_engine_and_with_two_processes(engine):
    files = [str(EXAMPLE / "case_file.csv"), str(EXAMPLE / "incident.csv")]
    base = _json(*files, "--by", "crime_type", "--by", "attended", "--engine", "python")
    other = _json(*files, "--by", "crime_type", "--by", "attended", "--engine", engine, "--jobs", "2")
    assert [r["breakdowns"] for r in base["rules"]] == [r["breakdowns"] for r in other["rules"]]
    assert any(r["breakdowns"] for r in base["rules"])
    for rule in other["rules"]:
        _adds_up(rule)


def test_reports_show_each_value_beside_the_total():
    pack = load_compiled_pack(PACK_DIR)
    assessment = assess(pack, [EXAMPLE / "case_file.csv"], AssessOptions(as_of=dt.date(2022, 4, 1),
                                                                        only_rules=frozenset({"INV-017"})))
    markdown = render_markdown(assessment)
    row = next(v for v in assessment.rules[0].breakdowns[0].values if v.value == "theft_from_vehicle")
    # the rule's rate with its 95% interval, as every rate is shown
    assert "By crime_type (Broad crime type of the recorded crime): all 73.1% (95%: " in markdown
    assert (f"| theft_from_vehicle | {row.compliance_rate * 100:.1f}% | {row.applicable} | {row.compliant} | "
            f"{row.non_compliant} | {row.not_recorded} |") in markdown


def test_by_a_field_no_record_type_can_be_broken_down_by_is_a_usage_error():
    for field in ("no_such_field", "case_ref", "reported_at"):  # unknown, the key, a datetime
        result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), str(EXAMPLE / "case_file.csv"),
                                          "--by", field])
        assert result.exit_code == 2 and "[bad-breakdown]" in result.output


def test_a_rule_breaking_down_by_an_unsuitable_field_fails_validation(tmp_path: Path):
    packs = tmp_path / "rules"
    shutil.copytree(PACK_DIR.parent, packs)  # the overlay and the core beside it
    rule = packs / "peel-core" / "investigating" / "INV-017.yaml"
    rule.write_text(rule.read_text().replace("breakdown: [crime_type]", "breakdown: [crime_type, reported_at, nope]"))
    _, diagnostics = check_pack(load_pack(packs / PACK_DIR.name))
    found = [(d.code, d.location.line) for d in diagnostics]
    line = next(i for i, text in enumerate(rule.read_text().splitlines(), start=1) if text.startswith("breakdown:"))
    assert found == [("bad-breakdown", line), ("bad-breakdown", line)]


# The counts per value, for random rules and records, equal the reference evaluator's outcomes
# grouped by value, on every engine, fed in one chunk or two.
@settings(max_examples=int(os.environ.get("PEELCHECK_EQUIVALENCE_EXAMPLES", "300")), deadline=None,
          derandomize=bool(os.environ.get("CI")), suppress_health_check=[HealthCheck.too_slow,
                                                                         HealthCheck.data_too_large])
@given(rules=rulesets(), rows=st.lists(records(), min_size=1, max_size=12), as_of=AS_OFS, cut=st.integers(0, 12))
def test_breakdown_counts_equal_the_reference_outcomes_grouped_by_value(rules, rows, as_of, cut):
    values = [VALIDATOR.validate_python({"ref": f"r{i}", **row}) for i, row in enumerate(rows)]
    chunks = [c for c in (values[:cut], values[cut:]) if c]
    for engine in ENGINES:
        evaluation = TypeEvaluation(RECORD_TYPE, rules, engine, as_of, BY)
        try:
            evaluation.feed(from_records(chunk, RECORD_TYPE.fields) for chunk in chunks)
        finally:
            evaluation.close()
        for rule, tally in zip(rules, evaluation.tallies):
            reference = ReferenceRule(rule, as_of)
            outcomes = [(v, reference.outcome(v)) for v in values]
            for name in BY:
                expected: dict[object, Counter[Outcome]] = {}
                for record, outcome in outcomes:
                    if outcome is not Outcome.NOT_APPLICABLE:
                        expected.setdefault(record.get(name), Counter())[outcome] += 1
                got = tally.breakdown.get(name, {})
                assert set(got) == set(expected)
                for value, counts in got.items():
                    assert counts[APPLICABLE] == sum(expected[value].values())
                    assert counts[NON_COMPLIANT_COUNT] == expected[value][Outcome.NON_COMPLIANT]
                    assert counts[NOT_RECORDED_COUNT] == expected[value][Outcome.NOT_RECORDED]
                assert sum(c[APPLICABLE] for c in got.values()) == tally.applicable


def test_a_field_with_too_many_values_is_not_broken_down_whichever_way_records_come():
    spec = RuleSpec.model_validate({"id": "GEN-001", "title": "t", "area": "a", "kind": "finding", "severity": "low",
                                    "source": {"document": "GEN", "section": "s", "quote": "q"},
                                    "record_type": "thing", "expect": {"b1": True}, "remediation": "r"})
    where = Location("<test>")
    rule, _ = compile_rule(Rule(spec, None, parse_condition({"b1": True}, where)[0], "<test>", where), RECORD_TYPE)
    assert rule is not None
    rules = [rule]
    values = [VALIDATOR.validate_python({"ref": f"r{i}", "s1": f"text {i}"}) for i in range(MAX_VALUES + 50)]
    def tally(part: list) -> Tally:
        evaluation = TypeEvaluation(RECORD_TYPE, rules, Engine.PYTHON, dt.date(2021, 3, 3), ("s1",))
        evaluation.feed([from_records(part, RECORD_TYPE.fields)])
        return pickle.loads(pickle.dumps(evaluation.tallies[0]))  # as --jobs sends it between processes
    whole = tally(values).breakdown["s1"]
    assert list(whole) == [OTHER] and whole[OTHER][APPLICABLE] == len(values)
    # two halves of 125 distinct values each: neither is too many alone, together they are
    first, second = tally(values[::2]), tally(values[1::2])
    assert len(first.breakdown["s1"]) == 125
    first.merge(second)
    assert first.breakdown["s1"] == whole
    few = tally(values[:MAX_VALUES]).breakdown["s1"]
    assert len(few) == MAX_VALUES and OTHER not in few
