"""`validate` refuses, with a located error and a stable code, every pack `assess` could not run
(issue 10 section 2); and a pack at the limits validates and assesses alike on every engine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from peelcheck.cli.main import cli
from peelcheck.evaluate import durable_engine

from .engine_runs import all_engines
from .pack_factory import rule_spec, write_pack

DEPTH = 32  # schema.conditions.MAX_DEPTH, written out so the test reads alone


def validate(pack: Path) -> tuple[int, list[dict]]:
    result = CliRunner().invoke(cli, ["validate", str(pack), "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, json.loads(result.stdout)["diagnostics"]


def located(diagnostics: list[dict], code: str, pack: Path) -> dict:
    found = [d for d in diagnostics if d["code"] == code]
    assert found, diagnostics
    assert Path(found[0]["path"]).parent.parent == pack and found[0]["line"] and found[0]["column"], found[0]
    return found[0]


def nested(key: str, depth: int) -> dict:
    cond: dict = {"b1": True}
    for _ in range(depth):
        cond = {key: cond} if key == "not" else {key: [cond, {"i1": 1}]}
    return cond


@pytest.mark.parametrize("key", ["not", "all", "any"])
@pytest.mark.parametrize("depth", [DEPTH + 1, 100, 120])
def test_conditions_nested_too_deep_are_a_located_validate_error(tmp_path, key, depth):
    pack = write_pack(tmp_path, [rule_spec(0, nested(key, depth))])
    code, diagnostics = validate(pack)
    assert code == 1
    assert located(diagnostics, "condition-too-deep", pack)["line"] >= 10  # at the nested key, not the file


@pytest.mark.skipif(not durable_engine.available(), reason="durable-rules does not import here")
@pytest.mark.parametrize("key", ["not", "all", "any"])
def test_conditions_at_the_depth_limit_assess_on_every_engine(tmp_path, key):
    pack = write_pack(tmp_path, [rule_spec(0, nested(key, DEPTH - 1), when=nested("not", DEPTH - 1))])
    assert validate(pack) == (0, [])
    all_engines(pack, [{"b1": True, "i1": 1}, {"b1": False}, {}, {"i1": 2}], timeout=120)


@pytest.mark.parametrize("amount", [".nan", ".inf", "-.inf", "1.0e+300", "3652059"])
def test_within_windows_that_are_not_finite_or_longer_than_the_calendar_are_refused(tmp_path, amount):
    rule = yaml.safe_dump(rule_spec(0, {"d1": {"within": {"days": 1, "before": "assessment_date"}}}), sort_keys=False)
    pack = write_pack(tmp_path, [rule.replace("days: 1", f"days: {amount}")])
    code, diagnostics = validate(pack)
    assert code == 1 and diagnostics and diagnostics[0]["code"] in ("bad-condition", "window-too-long")
    located(diagnostics, diagnostics[0]["code"], pack)


@pytest.mark.skipif(not durable_engine.available(), reason="durable-rules does not import here")
def test_the_longest_window_allowed_assesses_on_every_engine(tmp_path):
    import datetime as dt
    pack = write_pack(tmp_path, [rule_spec(0, {"d1": {"within": {"days": 3652058, "before": "assessment_date"}}}),
                                 rule_spec(1, {"t1": {"within": {"days": 3652058, "after": "t2"}}})])
    assert validate(pack) == (0, [])
    all_engines(pack, [{"d1": dt.date(1, 1, 1)}, {"d1": dt.date(9999, 12, 31)},
                       {"t1": dt.datetime(9999, 12, 31, 23), "t2": dt.datetime(1, 1, 1)}])


@pytest.mark.parametrize("literal", [".nan", ".inf"])
def test_float_literals_that_are_not_finite_are_refused(tmp_path, literal):
    text = f"{yaml.safe_dump(rule_spec(0), sort_keys=False)}expect:\n  f1: {{at_most: {literal}}}\n"
    pack = write_pack(tmp_path, [text])
    code, diagnostics = validate(pack)
    assert code == 1
    located(diagnostics, "not-finite", pack)


@pytest.mark.parametrize("date", ["2022-02-30", "0000-01-01", "2021-13-01", "2022-01-01 25:00:00"])
def test_impossible_unquoted_dates_in_a_rule_file_are_located_errors(tmp_path, date):
    text = f"{yaml.safe_dump(rule_spec(0), sort_keys=False)}expect:\n  d1: {{at_most: {date}}}\n"
    pack = write_pack(tmp_path, [text])
    code, diagnostics = validate(pack)
    assert code == 1
    found = located(diagnostics, "yaml-syntax", pack)
    assert found["line"] == text.splitlines().index(f"  d1: {{at_most: {date}}}") + 1


def test_impossible_date_through_assess_is_an_error_with_words_not_a_silent_exit(tmp_path):
    pack = write_pack(tmp_path, [f"{yaml.safe_dump(rule_spec(0), sort_keys=False)}expect:\n  d1: 2022-02-30\n"])
    records = tmp_path / "thing.csv"
    records.write_text("ref,d1\na,2022-01-01\n")
    result = CliRunner().invoke(cli, ["assess", "--pack", str(pack), str(records)])
    assert result.exit_code == 2 and "GEN-001.yaml:" in result.stderr and "[yaml-syntax]" in result.stderr


@pytest.mark.parametrize("key", ["expect", "when", "count"])
def test_a_condition_on_a_manual_rule_is_refused(tmp_path, key):
    value = {"at_least": 1} if key == "count" else {"b1": True}
    pack = write_pack(tmp_path, [rule_spec(0, mode="manual", question="Is it so?", **{key: value})])
    code, diagnostics = validate(pack)
    assert code == 1
    assert located(diagnostics, "manual-rule-condition", pack)["line"] == \
        (pack / "generated/GEN-001.yaml").read_text().splitlines().index(f"{key}:") + 1


@pytest.mark.skipif(not durable_engine.available(), reason="durable-rules does not import here")
def test_validate_says_before_any_run_which_rules_the_python_engine_will_evaluate(tmp_path):
    fields = {f"n{i}": {"type": "int", "description": "n"} for i in range(260)}
    kind = {"name": "thing", "title": "t", "description": "d", "key": "ref",
            "fields": {"ref": {"type": "string", "required": True, "description": "k"}, **fields}}
    pack = write_pack(tmp_path, [rule_spec(0, {"all": [{name: {"at_least": 0}} for name in fields]}),
                                 rule_spec(1, {"n0": 1})], kind)
    result = CliRunner().invoke(cli, ["validate", str(pack), "--format", "json"])
    assert result.exit_code == 0
    notes = json.loads(result.stdout)["notes"]
    assert len(notes) == 1 and notes[0].startswith("rule GEN-001: assess evaluates it with the python engine")
