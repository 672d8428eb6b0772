"""A force's own time windows (``windows:`` in a profile or an overlay's pack.yaml): every engine runs the
changed window, reports say it is the force's, the pack's worked examples keep the pack's window, and
every mistake is a located diagnostic at the profile's line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from peelcheck.cli.main import cli
from peelcheck.compile.pack_check import check_pack, load_compiled_pack, load_with_profile
from peelcheck.evaluate.runner import Engine
from peelcheck.load.compose import load_pack
from peelcheck.pipeline import AssessOptions, assess_records
from peelcheck.rule_examples import check_rule_examples

from .conftest import PACK_DIR

HEAD = "id: test-force\ntitle: Test\npack: west-mercia\n"
SCHOOLS = ("windows:\n  PVP-003:\n    field: school_notified_at\n    by: \"08:30\"\n"
           "    reason: Schools in the force area open at 08:30\n")
# Attended on Monday 4 October 2021 at 10:00; the school told on the Tuesday at these times.
TOLD = {"CF-1": "08:15", "CF-2": "08:45", "CF-3": "09:30", "CF-4": "08:30"}


def profile(tmp_path: Path, body: str, name: str = "profile.yaml") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + body)
    return path


def overlay(tmp_path: Path, body: str) -> Path:
    """A force's overlay of the core pack whose pack.yaml ends with ``body``."""
    folder = tmp_path / "overlay"
    folder.mkdir()
    (folder / "pack.yaml").write_text("id: test-force\ntitle: Test\nversion: 1.0.0\nextends: [{pack: peel-core}]\n"
                                      + body)
    return folder


def case_files(tmp_path: Path) -> Path:
    path = tmp_path / "case_file.csv"
    rows = [f"{ref},true,true,2021-10-04T10:00:00,true,2021-10-05T{at}:00" for ref, at in TOLD.items()]
    path.write_text("case_ref,domestic_abuse,children_present,attended_at,school_notified,school_notified_at\n"
                    + "\n".join(rows) + "\n")
    return path


def pvp003(*args: str) -> dict:
    """PVP-003's result in the JSON report of ``peelcheck assess`` with ``args``."""
    result = CliRunner().invoke(cli, ["assess", "--rule", "PVP-003", "--as-of", "2022-04-01", "--format", "json",
                                      *args])
    assert result.exit_code in (0, 1), result.output
    return next(r for r in json.loads(result.stdout)["rules"] if r["id"] == "PVP-003")


def counts(rule: dict) -> tuple[int, int, list[str]]:
    return rule["compliant"], rule["non_compliant"], sorted(f["key"] for f in rule["failures"])


@pytest.mark.parametrize("engine", ["python", "durable", "columnar"])
def test_a_profiles_by_is_run_by_every_engine(tmp_path: Path, engine: str):
    records = str(case_files(tmp_path))
    forced = pvp003("--pack", str(PACK_DIR), "--profile", str(profile(tmp_path, SCHOOLS)), "--engine", engine, records)
    assert counts(forced) == (2, 2, ["CF-2", "CF-3"])  # told at 08:45 fails under the force's 08:30
    pack = pvp003("--pack", str(PACK_DIR), "--engine", engine, records)
    assert counts(pack) == (3, 1, ["CF-3"])  # and passes under the pack's 09:00


def test_the_report_says_the_window_is_the_forces_and_what_the_packs_was(tmp_path: Path):
    rule = pvp003("--pack", str(PACK_DIR), "--profile", str(profile(tmp_path, SCHOOLS)), "--engine", "python",
                  str(case_files(tmp_path)))
    assert rule["threshold_basis"] == "force-choice"
    source = rule["threshold_source"]
    assert source.startswith("profile test-force: school_notified_at within 1 working day after attended_at, "
                             "by 08:30: Schools in the force area open at 08:30")
    assert source.endswith("(pack: by 09:00)")


@pytest.mark.parametrize("engine", ["python", "durable", "columnar"])
def test_a_profiles_null_by_takes_the_packs_away(tmp_path: Path, engine: str):
    whole_day = profile(tmp_path, "windows:\n  PVP-003:\n    field: school_notified_at\n    by: null\n"
                                  "    reason: Our schools take notices all day\n")
    rule = pvp003("--pack", str(PACK_DIR), "--profile", str(whole_day), "--engine", engine,
                  str(case_files(tmp_path)))
    assert counts(rule) == (4, 0, [])  # told at 09:30 on the next working day is now in time
    assert rule["threshold_source"].endswith("(pack: by 09:00)")
    assert "by 08:30" not in rule["threshold_source"] and ", by " not in rule["threshold_source"].split("(pack")[0]


def test_a_threshold_and_a_window_of_one_rule_both_keep_their_reasons(tmp_path: Path):
    body = SCHOOLS + "thresholds:\n  PVP-003: {threshold: 0.9, reason: our own rate}\n"
    spec = load_compiled_pack(PACK_DIR, profile(tmp_path, body)).rule("PVP-003").rule.spec  # type: ignore[union-attr]
    assert spec.threshold == 0.9
    assert spec.threshold_source is not None
    assert "our own rate" in spec.threshold_source and "(pack: by 09:00)" in spec.threshold_source


def test_the_packs_worked_examples_keep_the_packs_window(tmp_path: Path):
    # notified-at-nine-the-next-working-day is compliant under 09:00, not under the force's 08:30
    pack = load_compiled_pack(PACK_DIR, profile(tmp_path, SCHOOLS))
    assert check_rule_examples(pack, pack.rule("PVP-003")) == []  # type: ignore[arg-type]


def _reviewed(pack_profile: Path | None, reviewed: dt.date) -> str:
    """LEG-005's status for a stop and search monitoring answer last reviewed on ``reviewed``."""
    pack = load_compiled_pack(PACK_DIR, pack_profile)
    record = {"attestation_ref": "A-1", "question": "stop_search_data_monitoring", "answer": "yes",
              "evidence_ref": "Board data pack", "last_reviewed_on": reviewed, "owner": "Stop and search lead"}
    options = AssessOptions(as_of=dt.date(2022, 4, 1), engine=Engine.PYTHON, only_rules=frozenset({"LEG-005"}))
    result = assess_records(pack, {"attestation": [record]}, options)
    return next(r for r in result.rules if r.id == "LEG-005").status.value


def test_a_yearly_window_becomes_six_months(tmp_path: Path):
    six = profile(tmp_path, "windows:\n  LEG-005:\n    field: last_reviewed_on\n    months: 6\n"
                            "    reason: Our standard reviews the data every six months\n")
    eight_months_ago = dt.date(2021, 8, 1)
    assert _reviewed(None, eight_months_ago) == "met"
    assert _reviewed(six, eight_months_ago) == "not_met"
    assert _reviewed(six, dt.date(2021, 10, 1)) == "met"  # six months to the day: both ends count
    spec = load_compiled_pack(PACK_DIR, six).rule("LEG-005").rule.spec  # type: ignore[union-attr]
    assert spec.threshold_source is not None and spec.threshold_source.endswith("(pack: 1 year)")
    assert "last_reviewed_on within 6 months before the assessment date" in spec.threshold_source


def test_an_overlays_pack_yaml_changes_a_core_window(tmp_path: Path):
    folder = overlay(tmp_path, SCHOOLS)
    rule = pvp003("--pack", str(folder), "--engine", "python", str(case_files(tmp_path)))
    assert counts(rule) == (2, 2, ["CF-2", "CF-3"])
    assert rule["threshold_source"].startswith("pack test-force: school_notified_at within 1 working day")


def test_a_profiles_threshold_keeps_the_overlays_window_and_its_reason(tmp_path: Path):
    folder = overlay(tmp_path, SCHOOLS)
    rates = tmp_path / "profile.yaml"
    rates.write_text("id: test-force\ntitle: Test\npack: test-force\n"
                     "thresholds:\n  PVP-003: {threshold: 0.9, reason: our own rate}\n")
    spec = load_compiled_pack(folder, rates).rule("PVP-003").rule.spec  # type: ignore[union-attr]
    assert spec.threshold == 0.9
    assert spec.threshold_source is not None
    window, rate = spec.threshold_source.split("; ")
    assert window.startswith("pack test-force: school_notified_at within 1 working day") and "08:30" in window
    assert rate == "profile test-force: our own rate (pack: 1)"


def _codes(path: Path) -> list[tuple[str, str, int | None]]:
    _, diagnostics = check_pack(load_with_profile(PACK_DIR, path))
    return sorted((d.code, Path(d.location.path).name, d.location.line) for d in diagnostics)


@pytest.mark.parametrize(("body", "expected"), [
    ("windows:\n  PVP-999: {field: school_notified_at, by: \"08:30\", reason: a typo}\n", ("unknown-rule", 5)),
    ("windows:\n  PVP-003:\n    field: reported_at\n    by: \"08:30\"\n    reason: no window there\n",
     ("no-window", 6)),
    ("windows:\n  PVP-003:\n    field: school_notify_at\n    by: \"08:30\"\n    reason: misspelt\n",
     ("unknown-field", 6)),
    ("windows:\n  PVP-003:\n    field: school_notified_at\n    by: \"8:30\"\n    reason: no leading zero\n",
     ("bad-condition", 7)),
    ("windows:\n  PVP-003:\n    field: school_notified_at\n    hours: 12\n    reason: hours and a by\n",
     ("bad-condition", 7)),
    ("windows:\n  MOS-004:\n    field: supervisor_reviewed_on\n    working_days: 10\n    by: \"17:00\"\n"
     "    reason: a date has no time of day\n", ("type-mismatch", 8)),
    ("windows:\n  PVP-003:\n    field: school_notified_at\n    by: \"08:30\"\n", ("missing-key", 6)),
    ("windows:\n  PVP-003:\n    - {field: school_notified_at, by: \"08:30\", reason: schools open}\n"
     "    - {field: school_notified_at, by: \"08:45\", reason: or later}\n", ("window-twice", 7)),
], ids=["unknown-rule", "no-window", "unknown-field", "bad-by", "by-kept-on-hours", "by-on-a-date",
        "missing-reason", "twice"])
def test_a_bad_window_is_located_at_the_profile(tmp_path: Path, body: str, expected: tuple[str, int]):
    code, line = expected
    assert _codes(profile(tmp_path, body)) == [(code, "profile.yaml", line)]


def test_a_bad_window_in_an_overlay_is_located_at_its_pack_yaml(tmp_path: Path):
    folder = overlay(tmp_path, "windows:\n  PVP-003: {field: reported_at, by: \"08:30\", reason: no window}\n")
    _, diagnostics = check_pack(load_pack(folder))
    assert [(d.code, Path(d.location.path).name, d.location.line) for d in diagnostics] == [
        ("no-window", "pack.yaml", 6)]


def test_validate_with_a_window_profile_passes_the_packs_examples(tmp_path: Path):
    result = CliRunner().invoke(cli, ["validate", str(PACK_DIR), "--profile", str(profile(tmp_path, SCHOOLS)),
                                      "--examples", "--quiet"])
    assert result.exit_code == 0, result.output
