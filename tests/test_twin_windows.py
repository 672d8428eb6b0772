"""A force's deadline moves its "not yet due" twin: the as-of window on the deadline's reference, of the
same length. Every engine judges the moved twin; a window that may have been meant to follow and stays
is a warning (the pack still loads and runs); a force's own window on the twin's field always wins."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from peelcheck.cli.main import cli
from peelcheck.compile.pack_check import check_pack, load_compiled_pack, load_with_profile
from peelcheck.errors import Diagnostic, Location
from peelcheck.evaluate.runner import Engine
from peelcheck.load.twin_windows import _in_units_of
from peelcheck.pipeline import AssessOptions, assess_records
from peelcheck.schema.condition_parser import parse_window
from peelcheck.schema.conditions import Within, leaves

from .conftest import PACK_DIR
from .sarif_schema import assert_valid_sarif

AS_OF = dt.date(2022, 4, 1)
HEAD = "id: test-force\ntitle: Test\npack: west-mercia\nwindows:\n"
FOUR_WEEKS = "  MOS-004:\n    field: supervisor_reviewed_on\n    days: 28\n    reason: Our standard is four weeks\n"


def profile(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "profile.yaml"
    path.write_text(HEAD + body)
    return path


def windows(pack_profile: Path | None, rule_id: str) -> list[tuple[str, float, str, str]]:
    """The rule's windows once the profile applied: (field, amount, unit, reference), in order."""
    rule = load_compiled_pack(PACK_DIR, pack_profile).rule(rule_id).rule  # type: ignore[union-attr]
    return [(w.field, w.amount, w.unit, w.ref) for cond in (rule.when, rule.expect) if cond is not None
            for w in dict.fromkeys(leaves(cond)) if isinstance(w, Within)]


def warnings(pack_profile: Path) -> list[Diagnostic]:
    compiled, diagnostics = check_pack(load_with_profile(PACK_DIR, pack_profile))
    assert compiled is not None, "\n".join(map(str, diagnostics))  # warnings never stop the pack
    assert compiled.warnings == diagnostics
    return diagnostics


def visit(days_ago: int, reviewed_after: int | None = None) -> dict[str, object]:
    visited = AS_OF - dt.timedelta(days=days_ago)
    record: dict[str, object] = {"offender_ref": "RSO-1", "visited_on": visited}
    if reviewed_after is not None:
        record["supervisor_reviewed_on"] = visited + dt.timedelta(days=reviewed_after)
    return record


def mos004(pack_profile: Path | None, records: list[dict[str, object]], engine: Engine) -> tuple[int, int, int, int]:
    """MOS-004's (applicable, compliant, non-compliant, not recorded) for these visits."""
    pack = load_compiled_pack(PACK_DIR, pack_profile)
    options = AssessOptions(as_of=AS_OF, engine=engine, only_rules=frozenset({"MOS-004"}))
    rule = next(r for r in assess_records(pack, {"sex_offender_visit": records}, options).rules if r.id == "MOS-004")
    return rule.applicable, rule.compliant, rule.non_compliant, rule.not_recorded


@pytest.mark.parametrize("engine", [Engine.PYTHON, Engine.DURABLE, Engine.COLUMNAR])
def test_a_visit_not_yet_due_under_the_forces_four_weeks_is_left_out_by_every_engine(tmp_path: Path, engine: Engine):
    # visited 20 days ago, not reviewed: due under the pack's 14 days, not yet under the force's 28
    young, old, late = visit(20), visit(30), visit(40, reviewed_after=25)
    assert mos004(None, [young, old, late], engine) == (3, 0, 1, 2)
    assert mos004(profile(tmp_path, FOUR_WEEKS), [young, old, late], engine) == (2, 1, 0, 1)


def test_the_twin_moves_and_the_report_says_so(tmp_path: Path):
    forced = profile(tmp_path, FOUR_WEEKS)
    assert windows(None, "MOS-004") == [("visited_on", 14, "days", "assessment_date"),
                                        ("supervisor_reviewed_on", 14, "days", "visited_on")]
    assert windows(forced, "MOS-004") == [("visited_on", 28, "days", "assessment_date"),
                                          ("supervisor_reviewed_on", 28, "days", "visited_on")]
    source = load_compiled_pack(PACK_DIR, forced).rule("MOS-004").rule.spec.threshold_source  # type: ignore[union-attr]
    assert source is not None and source.endswith(
        "(pack: 14 days); not yet due, moved with it: visited_on within 28 days before the assessment date "
        "(pack: 14 days)")
    assert warnings(forced) == []


@pytest.mark.parametrize(("rule_id", "body", "expected"), [
    ("SOC-052", "    field: mapped_on\n    days: 42\n", [  # the quarter is the rule's scope, not a twin: it stays
        ("identified_on", 3, "months", "assessment_date"), ("identified_on", 42, "days", "assessment_date"),
        ("mapped_on", 42, "days", "identified_on")]),
    ("SOC-062", "    field: lro_competence_assessed_on\n    days: 56\n", [
        ("lro_appointed_on", 56, "days", "assessment_date"),
        ("lro_competence_assessed_on", 56, "days", "lro_appointed_on")]),
    ("INV-016", "    field: victim_told_not_investigated_at\n    working_days: 3\n", [
        ("decision_not_to_investigate_at", 3, "working_days", "assessment_date"),
        ("victim_told_not_investigated_at", 3, "working_days", "decision_not_to_investigate_at")]),
    ("INV-027", "    field: victim_told_not_investigated_at\n    working_days: 2\n", [
        ("decision_not_to_investigate_at", 2, "working_days", "assessment_date"),
        ("victim_told_not_investigated_at", 2, "working_days", "decision_not_to_investigate_at")]),
    # lengths compare as lengths: 24 hours is 1 day, and the twin keeps its unit where it can
    ("PVP-052", "    field: dash_submitted_at\n    hours: 48\n", [
        ("dash_submitted_at", 48, "hours", "attended_at"), ("attended_at", 2, "days", "assessment_date")]),
    ("MOS-004", "    field: supervisor_reviewed_on\n    hours: 72\n", [
        ("visited_on", 3, "days", "assessment_date"), ("supervisor_reviewed_on", 72, "hours", "visited_on")]),
    ("ARM-054", "    field: last_reviewed_on\n    months: 6\n", [
        ("last_reviewed_on", 6, "months", "assessment_date")]),
    ("PVP-003", "    field: school_notified_at\n    working_days: 2\n", [
        ("school_notified_at", 2, "working_days", "attended_at"),
        ("attended_at", 2, "working_days", "assessment_date")]),
])
def test_each_deadline_with_a_twin_moves_it(tmp_path: Path, rule_id: str, body: str, expected: list):
    forced = profile(tmp_path, f"  {rule_id}:\n{body}    reason: Our own standard\n")
    assert sorted(windows(forced, rule_id)) == sorted(expected)
    assert warnings(forced) == []


def test_two_deadlines_move_their_own_twins(tmp_path: Path):
    # INV-009: 1 working day (anyone) and 5 (not entitled to enhanced rights), each with its not-yet-due twin
    forced = profile(tmp_path, "  INV-009:\n    field: victim_informed_after_at\n    working_days: 3\n"
                               "    reason: Our own standard\n")
    assert windows(None, "INV-009").count(("given_at", 5, "working_days", "assessment_date")) == 1
    moved = windows(forced, "INV-009")
    assert {w for w in moved if w[0] == "given_at"} == {("given_at", 3, "working_days", "assessment_date")}
    assert all(amount == 3 for _, amount, _, _ in moved)


def test_a_new_by_alone_moves_nothing(tmp_path: Path):
    forced = profile(tmp_path, "  PVP-003:\n    field: school_notified_at\n    by: \"08:30\"\n    reason: Schools\n")
    assert ("attended_at", 1, "working_days", "assessment_date") in windows(forced, "PVP-003")
    assert warnings(forced) == []


@pytest.mark.parametrize("order", ["deadline first", "twin first"])
def test_the_forces_own_window_on_the_twins_field_wins_in_either_order(tmp_path: Path, order: str):
    deadline = "  - field: supervisor_reviewed_on\n    days: 28\n    reason: Four weeks\n"
    own = "  - field: visited_on\n    days: 21\n    reason: Three weeks\n"
    forced = profile(tmp_path, "  MOS-004:\n" + (deadline + own if order == "deadline first" else own + deadline))
    assert windows(forced, "MOS-004") == [("visited_on", 21, "days", "assessment_date"),
                                          ("supervisor_reviewed_on", 28, "days", "visited_on")]
    assert warnings(forced) == []


def test_an_overlays_own_window_on_the_twins_field_wins_over_a_profiles_deadline(tmp_path: Path):
    folder = tmp_path / "overlay"
    folder.mkdir()
    (folder / "pack.yaml").write_text(
        "id: test-force\ntitle: Test\nversion: 1.0.0\nextends: [{pack: peel-core}]\nwindows:\n"
        "  MOS-004:\n    field: visited_on\n    days: 14\n    reason: We keep the pack's fortnight as not yet due\n")
    forced = tmp_path / "profile.yaml"
    forced.write_text("id: test-profile\ntitle: Test\npack: test-force\nwindows:\n" + FOUR_WEEKS)
    rule = load_compiled_pack(folder, forced).rule("MOS-004").rule  # type: ignore[union-attr]
    assert [(w.field, w.amount) for w in dict.fromkeys(leaves(rule.when)) if isinstance(w, Within)] == \
        [("visited_on", 14)]  # the overlay set it: the profile's deadline does not move it


@pytest.mark.parametrize(("rule_id", "body", "kept"), [
    # an alternative branch on another field, of the old length: maybe meant to follow, not a twin
    ("MOS-006", "    field: supervisor_reviewed_on\n    days: 56\n", "identified_on within 28 days before"),
    ("ARM-053", "    field: last_reviewed_on\n    months: 3\n", "approved_on within 6 months before"),
    ("SOC-060", "    field: scpo_considered_on\n    months: 6\n", "identified_on within 1 year before"),
    # a new length in hours that is no whole number of days: the assessment date has no time of day
    ("PVP-052", "    field: dash_submitted_at\n    hours: 36\n", "attended_at within 1 day before"),
    ("MOS-004", "    field: supervisor_reviewed_on\n    hours: 30\n", "visited_on within 14 days before"),
])
def test_a_window_that_may_have_been_meant_to_follow_stays_with_a_warning(tmp_path: Path, rule_id: str, body: str,
                                                                        kept: str):
    forced = profile(tmp_path, f"  {rule_id}:\n{body}    reason: Our own standard\n")
    [warning] = warnings(forced)
    assert (warning.code, warning.severity, warning.location.path, warning.location.line) == \
        ("twin-window-kept", "warning", str(forced), 6)
    assert warning.message.startswith(f"{rule_id}: profile test-force changes the window on ")
    assert f"'{kept} the assessment date' stays as the pack wrote it" in warning.message
    field = kept.split()[0]
    assert warning.hint is not None and f"give {rule_id} a window on {field} too" in warning.hint
    source = load_compiled_pack(PACK_DIR, forced).rule(rule_id).rule.spec.threshold_source  # type: ignore[union-attr]
    assert source is not None and source.endswith(f"; kept as the pack wrote it: {kept} the assessment date")
    silenced = profile(tmp_path, f"  {rule_id}:\n  - field: {field}\n    days: 7\n    reason: Ours\n"
                                 f"  -{body[3:]}    reason: Our own standard\n")
    assert warnings(silenced) == []  # the force said what that window is: nothing left to warn of


def validate(*args: str):
    return CliRunner().invoke(cli, ["validate", str(PACK_DIR), *args])


def test_validate_says_a_warning_and_passes(tmp_path: Path):
    forced = profile(tmp_path, "  MOS-006:\n    field: supervisor_reviewed_on\n    days: 56\n    reason: Ours\n")
    result = validate("--profile", str(forced))
    assert result.exit_code == 0, result.output
    assert f"{forced}:6:5: warning: MOS-006: profile test-force changes" in result.stdout
    assert result.stdout.rstrip().endswith(", 1 warning(s)")
    report = json.loads(validate("--profile", str(forced), "--format", "json").stdout)
    assert report["ok"] is True and [d["code"] for d in report["diagnostics"]] == ["twin-window-kept"]
    junit = validate("--profile", str(forced), "--format", "junit").stdout
    assert 'tests="2" failures="0"' in junit and "<system-out>" in junit and "twin-window-kept" in junit


def test_a_warning_beside_an_error_still_fails(tmp_path: Path):
    forced = profile(tmp_path, "  MOS-006:\n    field: supervisor_reviewed_on\n    days: 56\n    reason: Ours\n"
                               "  ZZZ-999:\n    field: x\n    days: 1\n    reason: Ours\n")
    result = validate("--profile", str(forced))
    assert result.exit_code == 1
    assert result.stdout.rstrip().endswith(": 1 problem(s), 1 warning(s)")
    junit = validate("--profile", str(forced), "--format", "junit").stdout
    assert 'tests="2" failures="1"' in junit and "pack is valid" not in junit


def test_assess_runs_a_pack_with_a_warning_and_says_it_on_stderr(tmp_path: Path):
    forced = profile(tmp_path, "  MOS-006:\n    field: supervisor_reviewed_on\n    days: 56\n    reason: Ours\n")
    records = tmp_path / "sex_offender_visit.csv"
    records.write_text("visit_ref,offender_ref,visited_on\nV-1,RSO-1,2022-03-20\n")
    args = ["assess", "--pack", str(PACK_DIR), "--profile", str(forced), "--rule", "MOS-004", "--as-of", "2022-04-01",
            "--format", "json", "--type", "sex_offender_visit", str(records)]
    said = CliRunner().invoke(cli, args)
    assert said.exit_code in (0, 1), said.output
    assert "warning: MOS-006" in said.stderr and "[twin-window-kept]" in said.stderr
    assert json.loads(said.stdout)["rules"][0]["id"] == "MOS-004"
    quiet = CliRunner().invoke(cli, [*args, "--quiet"])
    assert quiet.exit_code == said.exit_code and "twin-window-kept" not in quiet.stderr
    # the report keeps it, quiet or not: a pipeline reading the JSON sees what the run went past
    [warning] = json.loads(quiet.stdout)["warnings"]
    assert {k: warning[k] for k in ("about", "code", "path", "line", "column")} == \
        {"about": "pack", "code": "twin-window-kept", "path": str(forced), "line": 6, "column": 5}
    assert warning["message"].startswith("MOS-006: profile test-force changes") and warning["hint"]
    said_so = f"Warning about the pack (twin-window-kept), at {forced}:6:5: MOS-006: profile test-force changes"
    for fmt in ("text", "md", "html"):
        shown = CliRunner().invoke(cli, [*args[:-5], "--format", fmt, *args[-3:], "--quiet"]).stdout
        assert said_so in " ".join(shown.split()), fmt  # the text report wraps its lines
    # where CI tools look: a SARIF notification at the profile's line, a JUnit case that passes
    sarif = json.loads(CliRunner().invoke(cli, [*args[:-5], "--format", "sarif", *args[-3:], "-q"]).stdout)
    assert_valid_sarif(sarif)
    [notice] = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert (notice["level"], notice["descriptor"]["id"]) == ("warning", "twin-window-kept")
    assert notice["locations"][0]["physicalLocation"]["region"] == {"startLine": 6, "startColumn": 5}
    junit = CliRunner().invoke(cli, [*args[:-5], "--format", "junit", *args[-3:], "-q"]).stdout
    suite = junit[junit.index('<testsuite name="Warnings the run went past"'):]
    assert 'tests="1" failures="0"' in suite and "<system-out>" in suite and "[twin-window-kept]" in suite


@pytest.mark.parametrize(("new", "twin", "expected"), [
    ({"hours": 48}, {"days": 1}, {"days": 2}),
    ({"hours": 36}, {"days": 1}, None),  # no whole number of days: the assessment date has no time of day
    ({"days": 1.5}, {"days": 1}, None),
    ({"years": 2}, {"months": 6}, {"months": 24}),
    ({"months": 18}, {"years": 1}, {"months": 18}),  # no whole number of years: in the new window's unit
    ({"working_days": 3}, {"days": 1}, {"working_days": 3}),
    ({"months": 1}, {"days": 28}, {"months": 1}),
])
def test_a_moved_twin_keeps_its_unit_where_the_new_length_is_a_whole_number_of_it(new: dict, twin: dict,
                                                                                expected: dict | None):
    deadline, _ = parse_window("reviewed_on", {**new, "after": "visited_on"}, Location("x"))
    as_of, _ = parse_window("visited_on", {**twin, "before": "assessment_date"}, Location("x"))
    assert deadline is not None and as_of is not None
    assert _in_units_of(deadline, as_of) == expected


@pytest.mark.parametrize("engine", [Engine.PYTHON, Engine.DURABLE, Engine.COLUMNAR])
def test_a_dash_not_yet_due_under_the_forces_48_hours_is_within_time_on_every_engine(tmp_path: Path,
                                                                                   engine: Engine):
    forced = profile(tmp_path, "  PVP-052:\n    field: dash_submitted_at\n    hours: 48\n    reason: Ours\n")
    # attended late two days before the assessment date, no DASH yet: due under 24 hours, not under 48
    record = {"domestic_abuse": True, "attended": True, "attended_at": dt.datetime(2022, 3, 30, 23, 30),
              "dash_completed": False}
    counts = {}
    for name, chosen in (("pack", None), ("force", forced)):
        pack = load_compiled_pack(PACK_DIR, chosen)
        options = AssessOptions(as_of=AS_OF, engine=engine, only_rules=frozenset({"PVP-052"}))
        rule = next(r for r in assess_records(pack, {"case_file": [record]}, options).rules if r.id == "PVP-052")
        counts[name] = (rule.compliant, rule.non_compliant)
    assert counts == {"pack": (0, 1), "force": (1, 0)}


def _errors(pack_profile: Path) -> list[Diagnostic]:
    compiled, diagnostics = check_pack(load_with_profile(PACK_DIR, pack_profile))
    assert compiled is None
    return [d for d in diagnostics if d.severity == "error"]


INV009 = "  INV-009:\n    field: victim_informed_after_at\n"


def test_was_names_one_of_a_fields_windows_and_only_it_and_its_twin_change(tmp_path: Path):
    forced = profile(tmp_path, INV009 + "    was: {working_days: 5}\n    working_days: 10\n    reason: Ours\n")
    assert sorted(set(windows(forced, "INV-009"))) == [
        ("given_at", 1, "working_days", "assessment_date"), ("given_at", 10, "working_days", "assessment_date"),
        ("victim_informed_after_at", 1, "working_days", "given_at"),
        ("victim_informed_after_at", 10, "working_days", "given_at")]
    assert warnings(forced) == []
    source = load_compiled_pack(PACK_DIR, forced).rule("INV-009").rule.spec.threshold_source  # type: ignore[union-attr]
    assert source is not None and "victim_informed_after_at within 10 working days after given_at: Ours " \
        "(pack: 5 working days); not yet due, moved with it: given_at within 10 working days" in source


def test_one_length_for_windows_of_different_lengths_is_a_warning_naming_was(tmp_path: Path):
    forced = profile(tmp_path, INV009 + "    working_days: 3\n    reason: Ours\n")
    [warning] = warnings(forced)
    assert (warning.code, warning.severity, warning.location.line) == ("windows-merged", "warning", 6)
    assert "(1 working day, 5 working days)" in warning.message
    assert warning.hint is not None and "was: {working_days: 5}" in warning.hint


def test_two_entries_on_one_field_each_name_the_packs_window_never_the_others_result(tmp_path: Path):
    # 1 -> 5 and 5 -> 10 at once: the first's new 5 is not taken for the second's 'was', in either order
    one = "  - field: victim_informed_after_at\n    was: {working_days: 1}\n    working_days: 5\n    reason: Ours A\n"
    five = "  - field: victim_informed_after_at\n    was: {working_days: 5}\n    working_days: 10\n    reason: Ours B\n"
    for body in (one + five, five + one):
        forced = profile(tmp_path, "  INV-009:\n" + body)
        lengths = sorted({amount for field, amount, _, _ in windows(forced, "INV-009")
                          if field == "victim_informed_after_at"})
        assert lengths == [5, 10]
        assert warnings(forced) == []


@pytest.mark.parametrize(("body", "code", "line"), [
    (INV009 + "    was: {working_days: 2}\n    working_days: 3\n    reason: Ours\n", "no-window", 7),
    ("  PVP-052:\n  - field: dash_submitted_at\n    was: {days: 1}\n    days: 2\n    reason: Ours A\n"
     "  - field: dash_submitted_at\n    was: {hours: 24}\n    days: 3\n    reason: Ours B\n", "window-twice", 10),
    ("  INV-009:\n  - field: victim_informed_after_at\n    was: {working_days: 1}\n    working_days: 2\n"
     "    reason: Ours A\n  - field: victim_informed_after_at\n    working_days: 3\n    reason: Ours B\n",
     "window-twice", 10),
    (INV009 + "    was: {}\n    working_days: 3\n    reason: Ours\n", "invalid-value", 7),
    (INV009 + "    was: {days: 1, hours: 2}\n    working_days: 3\n    reason: Ours\n", "invalid-value", 7),
])
def test_a_was_that_names_no_window_or_one_twice_is_an_error_at_its_line(tmp_path: Path, body: str, code: str,
                                                                        line: int):
    [error] = _errors(profile(tmp_path, body))
    assert (error.code, error.location.line) == (code, line), str(error)


def test_was_picks_the_no_frequency_window_of_inv004_alone(tmp_path: Path):
    # INV-004's first update is due 7, 14 or 31 days from the report by the agreed frequency, 28 with none
    forced = profile(tmp_path, "  INV-004:\n    field: reported_at\n    was: {days: 28}\n    days: 21\n"
                               "    reason: Only the window with no agreed frequency\n")
    lengths = sorted({amount for field, amount, _, _ in windows(forced, "INV-004") if field == "reported_at"})
    assert lengths == [7, 14, 21, 31]
    assert warnings(forced) == []


@pytest.mark.parametrize("engine", [Engine.PYTHON, Engine.DURABLE, Engine.COLUMNAR])
def test_a_forces_3_working_days_for_one_of_two_windows_is_run_by_every_engine(tmp_path: Path, engine: Engine):
    forced = profile(tmp_path, INV009 + "    was: {working_days: 5}\n    working_days: 3\n"
                                        "    reason: Every victim told within 3 working days\n")
    # a caution on Monday 28 March 2022, 4 working days before the assessment date, the victim (not entitled
    # to enhanced rights) not yet told: not yet due under 5 working days, due under 3
    oocd = {"disposal_type": "caution", "victim_identified": True, "given_at": dt.datetime(2022, 3, 28, 10),
            "victim_enhanced_rights": False}
    compliant = {}
    for name, chosen in (("pack", None), ("force", forced)):
        pack = load_compiled_pack(PACK_DIR, chosen)
        options = AssessOptions(as_of=AS_OF, engine=engine, only_rules=frozenset({"INV-009"}))
        rule = next(r for r in assess_records(pack, {"out_of_court_disposal": [oocd]}, options).rules
                    if r.id == "INV-009")
        compliant[name] = (rule.applicable, rule.compliant)
    assert compliant == {"pack": (1, 1), "force": (1, 0)}


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_every_report_lists_the_forces_own_windows_with_what_moved_and_what_stayed(tmp_path: Path, fmt: str):
    forced = profile(tmp_path, FOUR_WEEKS + "  MOS-006:\n    field: supervisor_reviewed_on\n    days: 56\n"
                                            "    reason: Eight-weekly reviews\n")
    records = tmp_path / "sex_offender_visit.csv"
    records.write_text("visit_ref,offender_ref,visited_on\nV-1,RSO-1,2022-03-20\n")
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "--profile", str(forced), "--quiet",
                                      "--as-of", "2022-04-01", "--format", fmt, str(records)])
    assert result.exit_code in (0, 1), result.output
    text = " ".join(result.stdout.replace("&#39;", "'").split())  # the text report wraps its lines
    title = text.index("The force's own thresholds and time windows")
    assert "MOS-004" in text[title:] and "not yet due, moved with it: visited_on within 28 days before the " \
        "assessment date (pack: 14 days)" in text[title:]
    assert "kept as the pack wrote it: identified_on within 28 days before the assessment date" in text[title:]
