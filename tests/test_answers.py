"""Manual rules answered in an answers file (assess --answers), and the evidence kind of each rule."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from peelcheck.cli.main import cli
from peelcheck.errors import UsageError
from peelcheck.exitcodes import ExitCode
from peelcheck.load.answers import load_answers
from peelcheck.pipeline import AssessOptions, Engine, assess_records
from peelcheck.schema.outcomes import RuleStatus
from peelcheck.schema.rule import Evidence, RuleSpec

from .conftest import EXAMPLES, PACK_DIR

MANUAL = "INV-020"


def _modes(pack):
    return {r.id: r.rule.spec.mode for r in pack.rules}


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(body)
    return path


def _status(pack, answers) -> tuple[RuleStatus, object]:
    options = AssessOptions(as_of=dt.date(2022, 4, 1), engine=Engine.PYTHON, only_rules=frozenset({MANUAL}),
                            answers=answers)
    result = assess_records(pack, {}, options).rules[0]
    return result.status, result.answer


@pytest.mark.parametrize(("answer", "status"), [("yes", RuleStatus.MET), ('"no"', RuleStatus.NOT_MET),
                                                ("no", RuleStatus.NOT_MET), ("partly", RuleStatus.NOT_MET)])
def test_an_answered_manual_rule_is_met_only_on_yes_and_shows_the_answer(peel_pack, tmp_path, answer, status):
    path = _write(tmp_path, f"answers:\n  - rule: {MANUAL}\n    answer: {answer}\n    evidence: Dip sample Q1\n"
                            "    who: Lead auditor\n    when: 2022-03-25\n")
    got, shown = _status(peel_pack, load_answers(path, _modes(peel_pack)))
    assert got is status
    assert shown is not None and shown.evidence == "Dip sample Q1" and shown.who == "Lead auditor"
    assert shown.when == dt.date(2022, 3, 25) and shown.answer in ("yes", "no", "partly")


def test_an_unanswered_manual_rule_stays_manual(peel_pack):
    assert _status(peel_pack, {}) == (RuleStatus.MANUAL, None)


def test_bad_answers_are_all_reported_with_their_lines(peel_pack, tmp_path):
    path = _write(tmp_path, "answers:\n"
                            "  - {rule: INV-999, answer: yes, evidence: e, who: w, when: 2022-01-01}\n"
                            "  - {rule: INV-001, answer: yes, evidence: e, who: w, when: 2022-01-01}\n"
                            f"  - {{rule: {MANUAL}, answer: yes, evidence: e, who: w, when: 2022-01-01}}\n"
                            f"  - {{rule: {MANUAL}, answer: no, evidence: e, who: w, when: 2022-01-01}}\n")
    with pytest.raises(UsageError) as caught:
        load_answers(path, _modes(peel_pack))
    found = [(d.code, d.location.line) for d in caught.value.diagnostics]
    assert found == [("unknown-rule", 2), ("not-manual", 3), ("repeated-answer", 5)]


def test_a_bad_answer_and_missing_evidence_are_errors(peel_pack, tmp_path):
    path = _write(tmp_path, f"answers:\n  - {{rule: {MANUAL}, answer: maybe, who: w, when: 2022-01-01}}\n")
    with pytest.raises(UsageError) as caught:
        load_answers(path, _modes(peel_pack))
    found = sorted((d.code, d.location.line) for d in caught.value.diagnostics)
    assert found == [("invalid-value", 2), ("missing-key", 2)]


def test_cli_answers_option_and_bad_file_exit_2(tmp_path):
    files = sorted(str(p) for p in (EXAMPLES / "west-mercia-2021").glob("*.csv"))
    good = ["assess", "--pack", str(PACK_DIR), *files, "--as-of", "2022-04-01", "--rule", "INV-020",
            "--answers", str(EXAMPLES / "west-mercia-2021" / "answers.yaml"), "--format", "json"]
    result = CliRunner().invoke(cli, good)
    assert result.exit_code == ExitCode.GAPS, result.output
    rule = next(r for r in json.loads(result.stdout)["rules"] if r["id"] == "INV-020")
    assert rule["status"] == "not_met" and rule["answer"]["answer"] == "no" and rule["answer"]["when"] == "2022-03-25"
    bad = _write(tmp_path, "answers: [{rule: INV-001, answer: yes, evidence: e, who: w, when: 2022-01-01}]\n")
    result = CliRunner().invoke(cli, [*good[:-4], "--answers", str(bad)])
    assert result.exit_code == ExitCode.ERROR and "not-manual" in result.stderr


BASE = {"id": "INV-900", "title": "t", "area": "investigating", "kind": "finding", "severity": "low",
        "source": {"document": "P21", "section": "s", "quote": "q"}, "remediation": "r"}


@pytest.mark.parametrize(("extra", "kind"), [
    ({"record_type": "case_file", "expect": {"x": True}}, Evidence.RECORDS),
    ({"record_type": "attestation", "expect": {"x": True}}, Evidence.SELF_DECLARED),
    ({"record_type": "attestation", "mode": "manual", "question": "q?"}, Evidence.AUDITOR_JUDGMENT),
    ({"record_type": "case_file", "expect": {"x": True}, "evidence": "auditor-judgment"}, Evidence.AUDITOR_JUDGMENT),
])
def test_evidence_kind_is_derived_unless_given(extra, kind):
    assert RuleSpec.model_validate({**BASE, **extra}).evidence is kind


def test_the_pack_marks_praise_and_data_quality(peel_pack):
    spec = {r.id: r.rule.spec for r in peel_pack.rules}
    assert spec["WRK-052"].from_praise and spec["LEG-007"].from_praise and not spec["INV-001"].from_praise
    assert spec["LEG-019"].data_quality and not spec["LEG-003"].data_quality
    assert spec["PVP-051"].evidence is Evidence.SELF_DECLARED and spec["INV-020"].evidence is Evidence.AUDITOR_JUDGMENT


def test_shape_and_rule_problems_are_reported_in_one_run(peel_pack, tmp_path):
    # before: the bad value and the missing key alone, the rules only once those were fixed
    path = _write(tmp_path, "answers:\n"
                            "  - {rule: INV-999, answer: yes, evidence: e, who: w, when: 2022-01-01}\n"
                            f"  - {{rule: {MANUAL}, answer: maybe, evidence: e, who: w, when: 2022-01-01}}\n"
                            "  - {rule: INV-001, answer: yes, evidence: e, when: 2022-01-01}\n"
                            f"  - {{rule: {MANUAL}, answer: no, evidence: e, who: w, when: 2022-01-01}}\n"
                            "  - {rule: not-an-id, answer: no, evidence: e, who: w, when: 2022-01-01}\n")
    with pytest.raises(UsageError) as caught:
        load_answers(path, _modes(peel_pack))
    found = [(d.code, d.location.line) for d in caught.value.diagnostics]
    assert sorted(found) == sorted([("unknown-rule", 2), ("invalid-value", 3), ("missing-key", 4),
                                    ("not-manual", 4), ("repeated-answer", 5), ("invalid-value", 6)])
    assert [line for _, line in found] == sorted(line for _, line in found)
    assert all(d.location.path == str(path) and d.location.column for d in caught.value.diagnostics)
