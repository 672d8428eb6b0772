"""What every report says about itself: a self-assessment against named packs (and the force), led
by the source findings; thresholds with their basis; answers read as answers; praise as something
to sustain; remediation as the pack's suggestion; failures in the fields' words; people pseudonymised."""

from __future__ import annotations

import datetime as dt
import io
import json
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from peelcheck.assess.model import Assessment
from peelcheck.cli.main import cli
from peelcheck.cli.report_options import SALT_VARIABLE
from peelcheck.compile.pack_check import CompiledPack, load_compiled_pack
from peelcheck.pipeline import AssessOptions, Engine, assess, assess_records
from peelcheck.report.json_report import render_json
from peelcheck.report.markdown import render_markdown
from peelcheck.report.text import render_text
from peelcheck.schema.outcomes import RuleStatus

from .conftest import EXAMPLES, PACK_DIR, REPO

EXAMPLE_2021 = EXAMPLES / "west-mercia-2021"
PROFILE_2021 = EXAMPLE_2021 / "profile.yaml"
AS_OF = dt.date(2022, 4, 1)


def _files() -> list[Path]:
    return sorted(p for p in EXAMPLE_2021.glob("*.csv"))


@cache
def _pack(profile: Path | None = PROFILE_2021) -> CompiledPack:
    return load_compiled_pack(PACK_DIR, profile)


@cache
def _assessment(show_personal: bool = False, salt: bytes | None = b"test key") -> Assessment:
    options = AssessOptions(as_of=AS_OF, engine=Engine.PYTHON, show_personal=show_personal, pseudonym_salt=salt)
    return assess(_pack(), _files(), options)


def _json(assessment: Assessment) -> dict:
    return json.loads(render_json(assessment))


def _text(assessment: Assessment) -> str:
    out = io.StringIO()
    render_text(assessment, Console(file=out, width=400), max_failures=None)
    return out.getvalue()


def _rule(report: dict, rule_id: str) -> dict:
    return next(r for r in report["rules"] if r["id"] == rule_id)


# ---------------------------------------------------------------------------- what it is
def test_every_report_says_it_is_a_self_assessment_against_named_packs():
    assessment = _assessment()
    report = _json(assessment)
    assert "self-assessment" in report["notice"].lower() and "not an inspection" in report["notice"]
    assert [(p["id"], p["version"]) for p in report["packs"]] == [("peel-core", "0.2.0"), ("west-mercia", "0.2.0")]
    assert report["force"] == "West Mercia Police"
    text, markdown = _text(assessment), render_markdown(assessment)
    for rendered in (text, markdown):
        assert report["notice"] in rendered and "peel-core 0.2.0 + west-mercia 0.2.0" in rendered
    assert markdown.startswith("# Self-assessment: ")


def test_headings_name_the_force_the_pack_names():
    """Until pack.yaml carries ``force:`` (the overlays' work), a pack that has one is stood in for."""
    pack = _pack()
    forced = pack.pack.model_copy(update={"force": {"name": "Exampleshire [East] Constabulary"}})
    named = CompiledPack(pack.root, forced, pack.record_types, pack.rules, pack.findings, pack.mappings, pack.disabled)
    assessment = assess(named, [EXAMPLE_2021 / "case_file.csv"], AssessOptions(as_of=AS_OF, engine=Engine.PYTHON))
    assert assessment.force == "Exampleshire [East] Constabulary"
    assert render_markdown(assessment).startswith("# Self-assessment: Exampleshire [East] Constabulary\n")
    assert assessment.personal_data is None  # no records about people were assessed
    assert _text(assessment).startswith("Self-assessment: Exampleshire [East] Constabulary\n")


def test_reports_lead_with_findings_and_whether_the_evidence_meets_them():
    assessment = _assessment()
    report = _json(assessment)
    findings = {f["id"]: f for f in report["findings"]}
    # P21's cause of concern on investigations: its rules are not met, so the finding is not met
    coc = findings["P21-COC-01"]
    assert coc["kind"] == "cause-of-concern" and coc["status"] == "not_met" and "INV-002" in coc["rules"]
    area = next(a for a in report["areas"] if a["id"] == "investigating")
    assert area["findings"][0] == "P21-COC-01"  # causes of concern first
    for finding in report["findings"]:
        statuses = {_rule(report, r)["status"] for r in finding["rules"]}
        assert (finding["status"] == "not_met") == ("not_met" in statuses)
    text, markdown = _text(assessment), render_markdown(assessment)
    # findings come before the rule tables and before any count of rules
    assert text.index("Findings and expectations") < text.index("P21-COC-01") < text.index("Rules: ")
    assert markdown.index("P21-COC-01") < markdown.index("| status | rule |")


# ---------------------------------------------------------------------------- thresholds
def test_every_threshold_has_its_basis_and_a_profile_override_is_the_forces_choice():
    profile = REPO / "features" / "profiles" / "west-mercia-2022.yaml"
    pack = load_compiled_pack(PACK_DIR, profile)
    assessment = assess(pack, [EXAMPLE_2021 / "incident.csv"], AssessOptions(as_of=AS_OF, engine=Engine.PYTHON,
                                                                               only_rules=frozenset({"PVP-056",
                                                                                                     "LEG-007"})))
    report = _json(assessment)
    overridden = _rule(report, "PVP-056")
    assert overridden["threshold"] == 0.8 and overridden["threshold_basis"] == "force-choice"
    assert "Body-worn video cameras were being replaced" in overridden["threshold_source"]
    assert all("threshold_basis" in r and "threshold_source" in r for r in _json(_assessment())["rules"])
    assert "needs 80.0%: force's choice" in _text(assessment)
    assert "needs 80.0%: force's choice" in render_markdown(assessment)


def test_a_threshold_the_pack_calls_its_default_is_shown_as_such():
    report = _json(_assessment())
    assert _rule(report, "INV-017")["threshold_basis"] == "pack-default"  # "Pack default 100%; ..."


# ---------------------------------------------------------------------------- answers and praise
def test_a_single_self_declared_answer_reads_as_an_answer():
    assessment = _assessment()
    wrk = _rule(_json(assessment), "WRK-051")
    assert wrk["evidence"] == "self-declared" and wrk["applicable"] == 1 and wrk["self_declared_answer"] == "yes"
    inv = _rule(_json(assessment), "INV-024")
    assert inv["status"] == "not_met" and inv["self_declared_answer"] == "no"
    text = _text(assessment)
    row = next(line for line in text.splitlines() if line.lstrip().startswith("NOT MET") and " INV-024 " in line)
    assert "answered: no" in row and "0.0%" not in row and "of 1 " not in row


@pytest.mark.parametrize(("answer", "expected", "words"), [
    ({"answer": "yes", "evidence_ref": "Device report", "last_reviewed_on": "2022-01-10"}, "yes", "answered: yes"),
    ({"answer": "no", "last_reviewed_on": "2022-01-10"}, "no", "answered: no"),
    ({"answer": "partly", "evidence_ref": "Pilot", "last_reviewed_on": "2022-01-10"}, "partly", "answered: partly"),
    ({"answer": "yes", "last_reviewed_on": "2022-01-10"}, "yes-unsupported", "answered: yes, without what the rule"),
    ({"evidence_ref": "Device report", "last_reviewed_on": "2022-01-10"}, "not-recorded", "answer not recorded"),
])
def test_each_kind_of_single_answer(answer, expected, words):
    records = {"attestation": [{"question": "mobile_devices", **answer}]}
    assessment = assess_records(_pack(None), records, AssessOptions(as_of=AS_OF, only_rules=frozenset({"WRK-052"})))
    assert assessment.rules[0].self_declared_answer == expected
    assert words in _text(assessment) and "% of 1 " not in _text(assessment)


def test_a_rule_drawn_from_praise_is_never_shown_as_a_failure_of_the_source():
    assessment = _assessment()
    report = _json(assessment)
    leg = _rule(report, "LEG-007")
    assert leg["from_praise"] and leg["status"] == "not_met"
    finding = next(f for f in report["findings"] if f["id"] == "P21-F-47")
    assert finding["from_praise"]
    text, markdown = _text(assessment), render_markdown(assessment)
    assert "### LEG-007 not sustained (sustaining what the report found good)" in markdown
    assert "### LEG-007 not met" not in markdown
    row = next(line for line in text.splitlines() if " LEG-007 " in line and "finding" in line)
    assert row.lstrip().startswith("NOT SUSTAINED") and "NOT MET" not in row
    why = text[text.index("Why rules are not met"):text.index("Not sustained (")]
    assert "LEG-007" not in why and "WRK-052" not in why


# ---------------------------------------------------------------------------- remediation, reasons
def test_remediation_is_labelled_the_packs_suggestion_and_reasons_use_descriptions():
    assessment = _assessment()
    rule = next(r for r in assessment.rules if r.id == "INV-017")
    text, markdown = _text(assessment), render_markdown(assessment)
    label = f"Suggested by the pack (not the inspectorate): {rule.remediation.strip()}"
    assert label in text and label in markdown
    failure = rule.failures[0]
    assert "lines_of_enquiry_completed" in failure.reason or "supervised_effectively" in failure.reason
    assert "All main lines of enquiry were pursued" in failure.explanation or \
        "supervision of the investigation effective" in failure.explanation
    assert failure.explanation in text and failure.explanation in markdown
    assert f"| {failure.reason} |" not in markdown


# ---------------------------------------------------------------------------- people
def _person_refs() -> set[str]:
    lines = (EXAMPLE_2021 / "workforce_member.csv").read_text().splitlines()
    return {line.split(",")[0] for line in lines[1:]}


def test_people_are_pseudonymised_by_default_stably_under_one_key():
    assessment = _assessment()
    report = _json(assessment)
    assert report["personal_data"] == {"record_types": ["outstanding_suspect", "workforce_member"],
                                       "pseudonymised": True, "stable": True}
    keys = [f["key"] for r in report["rules"] if r["record_type"] == "workforce_member" for f in r["failures"]]
    assert keys and all(k.startswith("person-") and len(k) == len("person-") + 8 for k in keys)
    rendered = render_json(assessment) + render_markdown(assessment) + _text(assessment)
    assert not any(ref in rendered for ref in _person_refs())
    again = _json(assess(_pack(), _files(), AssessOptions(as_of=AS_OF, engine=Engine.PYTHON,
                                                           pseudonym_salt=b"test key")))
    assert [f["key"] for r in again["rules"] if r["record_type"] == "workforce_member" for f in r["failures"]] == keys
    # same person, same pseudonym across rules
    by_location: dict[str, set[str]] = {}
    for r in report["rules"]:
        for f in r["failures"] if r["record_type"] == "workforce_member" else []:
            by_location.setdefault(f["location"], set()).add(f["key"])
    assert all(len(names) == 1 for names in by_location.values())


def test_show_personal_gives_the_full_list():
    report = _json(_assessment(show_personal=True))
    keys = {f["key"] for r in report["rules"] if r["record_type"] == "workforce_member" for f in r["failures"]}
    assert keys and keys <= _person_refs()
    assert report["personal_data"]["pseudonymised"] is False


def test_cli_pseudonymises_unless_asked_and_a_key_makes_pseudonyms_stable():
    def keys(*extra: str, env: dict[str, str] | None = None) -> list[str]:
        result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), str(EXAMPLE_2021 / "workforce_member.csv"),
                                          "--as-of", "2022-04-01", "--format", "json", "--rule", "WRK-002", *extra],
                                    env=env)
        assert result.exit_code == 1, result.output
        return [f["key"] for f in json.loads(result.stdout)["rules"][0]["failures"]]
    assert all(k.startswith("person-") for k in keys())
    assert keys() != keys()  # a key made for each run
    assert keys(env={SALT_VARIABLE: "k"}) == keys(env={SALT_VARIABLE: "k"})
    assert set(keys("--show-personal")) <= _person_refs()


def test_praise_and_data_quality_flags_are_in_the_schema_of_every_rule():
    report = _json(_assessment())
    for rule in report["rules"]:
        assert isinstance(rule["from_praise"], bool) and isinstance(rule["data_quality"], bool)
        assert rule["evidence"] in ("records", "self-declared", "auditor-judgment")
    assert {r["status"] for r in report["rules"]} <= {s.value for s in RuleStatus}


def test_links_made_on_the_finding_count_as_links_made_on_the_rule():
    """The overlay layout links findings to rules on the finding (``rules: [...]``); stood in for here."""
    pack = _pack()
    findings = dict(pack.findings)
    findings["P21-F-47"] = findings["P21-F-47"].model_copy(update={"rules": ["LEG-004"]})
    linked = CompiledPack(pack.root, pack.pack, pack.record_types, pack.rules, findings, pack.mappings, pack.disabled)
    report = _json(assess(linked, [EXAMPLE_2021 / "stop_search.csv"], AssessOptions(as_of=AS_OF,
                                                                                    engine=Engine.PYTHON)))
    finding = next(f for f in report["findings"] if f["id"] == "P21-F-47")
    assert finding["rules"] == ["LEG-004", "LEG-007"]
    assert "P21-F-47" in _rule(report, "LEG-004")["findings"]
    assert finding["from_praise"] is False  # LEG-004 is not drawn from praise, so the finding is not only praise


def test_expectations_with_no_source_finding_lead_too():
    """A force's own local standards cite no registry finding; they are listed with the findings."""
    repo = EXAMPLES / "force-rules-repo"
    pack = load_compiled_pack(repo / "pack", repo / "profile.yaml")
    records = {"domestic_abuse_incident": [{"attended_at": "2024-01-10T22:00:00", "body_worn_video_used": False}]}
    assessment = assess_records(pack, records, AssessOptions(as_of=AS_OF, only_rules=frozenset({"VUL-003"})))
    assert assessment.findings == [] and assessment.rules[0].status is RuleStatus.NOT_MET
    text, markdown = _text(assessment), render_markdown(assessment)
    lead = "NOT MET: local standard VUL-003"
    assert lead in text and text.index(lead) < text.index("Rules: ")
    assert "needs 80.0%: force's choice" in text
    assert "| NOT MET: local standard | - |" in markdown
    assert markdown.index("| NOT MET: local standard | - |") < markdown.index("| status | rule |")
