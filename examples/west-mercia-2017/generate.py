#!/usr/bin/env python3
"""Write two synthetic self-assessments of West Mercia Police:

- as of the PEEL effectiveness 2017 inspection (EF17), into this folder;
- as of the Police and Crime Commissioner's letter of 4 June 2018 (PCC18), into followup-2018/:
  the same force seven months on, where what the letter reports as done has changed and what it
  says is under way (or does not mention) has not.

    python examples/west-mercia-2017/generate.py [OUTPUT_DIR]     (default: this folder)

Standard library only, and seeded: every run writes the same files. The numbers come from the
report where it gives them (see EXPECTED.md, which quotes each); elsewhere the values reproduce
its judgment. Every reference is synthetic (WM17-..., WM18-...); there are no names or personal data.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import sys
from collections.abc import Iterable
from pathlib import Path

SEED = "peelcheck/west-mercia-2017"
AS_OF_2017 = dt.date(2017, 11, 17)  # the latest date the report describes: the APSTRA review
AS_OF_2018 = dt.date(2018, 6, 4)    # the PCC's letter
LPAS = ["Herefordshire", "Shropshire", "Telford and Wrekin", "North Worcestershire", "South Worcestershire"]

Row = dict[str, object]


def as_of(year: int) -> dt.date:
    return AS_OF_2017 if year == 2017 else AS_OF_2018


# ----------------------------------------------------------------------------------------- helpers
def rng_for(name: str, year: int) -> random.Random:
    return random.Random(f"{SEED}/{year}/{name}")


def pick(rng: random.Random, pool: Iterable[int], k: int) -> set[int]:
    return set(rng.sample(sorted(pool), k))


def moment(rng: random.Random, start: dt.date, end: dt.date, hours: tuple[int, int] = (0, 23)) -> dt.datetime:
    day = start + dt.timedelta(days=rng.randrange((end - start).days + 1))
    return dt.datetime(day.year, day.month, day.day, rng.randint(*hours), rng.choice([0, 10, 15, 20, 30, 40, 45, 50]))


def day_in(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def cell(value: object) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ";".join(cell(v) for v in value)
    return str(value)


def write_csv(out: Path, name: str, columns: list[str], rows: list[Row]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with open(out / name, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            unknown = set(row) - set(columns)
            assert not unknown, f"{name}: columns missing from the header: {sorted(unknown)}"
            writer.writerow([cell(row.get(c)) for c in columns])


# ---------------------------------------------------------------------------------- case files
CASE_COLUMNS = [
    "case_ref", "crime_type", "serious", "reported_at", "attended", "attended_at", "lines_of_enquiry_completed",
    "victim_update_dates", "victim_withdrew_support", "outcome_code", "domestic_abuse", "dash_completed",
    "dash_fully_completed", "dash_submitted_at", "dash_risk_level", "dash_supervisor_reviewed", "marac_referred",
    "dvpn_considered", "dvpn_appropriate", "dvpn_issued", "body_worn_video_used", "arrest_made",
    "suspect_identified", "suspect_age", "victim_withdrawal_reasons_recorded", "evidence_led_prosecution_considered",
    "outcome_recorded_on", "last_victim_update_on",
]
# The inspectorate's file review: 60 files per force, of theft from the person, rape, stalking,
# harassment, common assault, GBH and ABH. 24 are domestic abuse.
CRIMES = ([("theft", False, False)] * 8 + [("sexual_offence", True, False)] * 6
          + [("stalking_harassment", False, True)] * 8 + [("stalking_harassment", False, False)] * 8
          + [("violence_without_injury", False, True)] * 8 + [("violence_without_injury", False, False)] * 6
          + [("violence_with_injury", True, True)] * 8 + [("violence_with_injury", True, False)] * 8)


def case_files(year: int) -> list[Row]:
    """2017: the 60 files of crimes recorded January to March 2017. 2018: the force's own audit of the
    same mix of crimes recorded January to March 2018 (the "full audit of domestic abuse")."""
    rng = rng_for("case_file", year)
    start, end = dt.date(year, 1, 2), dt.date(year, 3, 31)
    rows: list[Row] = [{"crime_type": c, "serious": s, "domestic_abuse": d} for c, s, d in CRIMES]
    da = [i for i, r in enumerate(rows) if r["domestic_abuse"]]
    # Risk levels, and the vulnerable victims: every rape victim and the high and medium risk domestic
    # abuse victims, 18 in all. Investigation effective in 17 of the 18 (and in every other file).
    order = list(da)
    rng.shuffle(order)
    risk = dict(zip(order, ["high"] * 6 + ["medium"] * 6 + ["standard"] * 12))
    vulnerable = [i for i in range(60) if rows[i]["crime_type"] == "sexual_offence"] + \
        [i for i in da if risk[i] != "standard"]
    assert len(vulnerable) == 18
    ineffective = {rng.choice(vulnerable)}
    # DASH: a large proportion not submitted accurately or promptly (12 of 24 in both years: the 2018
    # audit's results were still being compiled, so nothing had changed yet).
    incomplete = pick(rng, da, 7)
    late = set(sorted(incomplete)[:1]) | pick(rng, set(da) - incomplete, 5)
    unreviewed = pick(rng, da, 8)
    withdrew = pick(rng, da, 11)
    appropriate = set(sorted(withdrew)[:5]) | set(sorted(i for i in da if risk[i] == "high" and i not in withdrew)[:3])
    issued = pick(rng, appropriate, 5)
    open_cases = pick(rng, set(da) - withdrew, 4)
    charged = pick(rng, set(da) - withdrew - open_cases, 6)
    bwv = pick(rng, da, 6)                       # body-worn video only recently introduced
    arrest_known = pick(rng, da, 9)              # arrests not recorded against most offences
    not_attended = pick(rng, [i for i in range(60) if rows[i]["crime_type"] == "theft"], 5)
    for i, row in enumerate(rows):
        reported = moment(rng, start, end)
        row.update(reported_at=reported, attended=i not in not_attended,
                   lines_of_enquiry_completed=i not in ineffective)
        if i not in not_attended:
            row["attended_at"] = reported + dt.timedelta(minutes=rng.randrange(15, 300))
        # Regular updates to victims about the progress of their cases: never more than 28 days apart.
        day = reported.date() + dt.timedelta(days=rng.randrange(1, 5))
        updates = [day]
        for _ in range(rng.randint(1, 4)):
            day += dt.timedelta(days=rng.randrange(7, 29))
            if day > as_of(year):
                break
            updates.append(day)
        row["victim_update_dates"] = updates
        if i in risk:
            submitted = row["attended_at"] + dt.timedelta(  # type: ignore[operator]
                hours=rng.randrange(26, 80) if i in late else rng.randrange(1, 20))
            row.update(victim_withdrew_support=i in withdrew, dash_completed=True,
                       dash_fully_completed=i not in incomplete, dash_submitted_at=submitted,
                       dash_risk_level=risk[i], dash_supervisor_reviewed=i not in unreviewed,
                       marac_referred=risk[i] == "high", dvpn_appropriate=i in appropriate,
                       dvpn_considered=i in appropriate or i in withdrew, dvpn_issued=i in issued,
                       body_worn_video_used=i in bwv)
            if i in arrest_known:
                row["arrest_made"] = i in charged or rng.random() < 0.5
            if i not in open_cases:
                row["outcome_code"] = 16 if i in withdrew else 1 if i in charged else 15
    closure_and_withdrawals(rows, year, risk, withdrew, open_cases)
    rng.shuffle(rows)
    for n, row in enumerate(rows, start=1):
        row["case_ref"] = f"WM{year % 100}-CF-{n:04d}"
    return rows


def closure_and_withdrawals(rows: list[Row], year: int, risk: dict[int, str], withdrew: set[int],
                            open_cases: set[int]) -> None:
    """Fields drawn without the random generator (so every other column stays as it was):
    - a closed case's outcome date, three days after the victim's last update; an open case keeps
      being updated every 28 days up to the assessment date (updates run to closure, as the
      Victims' Code expects: EF17 found "regular updates to victims");
    - domestic abuse suspects identified, all adults (a protection notice could be given);
    - of the 11 withdrawals, the victim's reasons recorded in 3 and an evidence-led prosecution
      considered in 4 (EF17: the action plan rests on "limited evidence or understanding of data")."""
    for i, row in enumerate(rows):
        updates: list[dt.date] = row["victim_update_dates"]  # type: ignore[assignment]
        if i in open_cases:
            while updates[-1] + dt.timedelta(days=28) <= as_of(year):
                updates.append(updates[-1] + dt.timedelta(days=28))
        else:
            row["outcome_recorded_on"] = updates[-1] + dt.timedelta(days=3)
        row["last_victim_update_on"] = updates[-1]
        if i in risk:
            row.update(suspect_identified=True, suspect_age=20 + (i * 7) % 40)
    for n, i in enumerate(sorted(withdrew)):
        rows[i].update(victim_withdrawal_reasons_recorded=n < 3, evidence_led_prosecution_considered=1 <= n < 5)


# -------------------------------------------------------------------------------------- incidents
INCIDENT_COLUMNS = ["incident_ref", "grade", "published_time_frame", "attendance_due_by", "reported_at", "attended",
                    "attendance_delayed", "vulnerable_victim", "domestic_abuse", "risk_reassessed_while_waiting",
                    "risk_reassessed_at"]


def incidents(year: int) -> list[Row]:
    """30 incidents with vulnerable or domestic abuse victims still awaiting attendance at a time of high
    demand. 2017: re-assessed while waiting in 11 of 30. 2018: the daily re-assessment of every
    un-resourced incident the letter reports, so all 30."""
    rng = rng_for("incident", year)
    when = dt.date(2017, 10, 6) if year == 2017 else dt.date(2018, 5, 18)
    reassessed = pick(rng, range(30), 11) if year == 2017 else set(range(30))
    da = pick(rng, range(30), 12)
    vulnerable = set(range(30)) - da | pick(rng, da, 6)
    rows: list[Row] = []
    for i in range(30):
        grade = "priority" if i < 20 else "scheduled"
        frame = dt.timedelta(hours=1) if grade == "priority" else dt.timedelta(hours=48)
        reported = dt.datetime(when.year, when.month, when.day, 17) - dt.timedelta(
            minutes=rng.randrange(90, 600) if grade == "priority" else rng.randrange(3000, 4200))
        row: Row = {"grade": grade, "published_time_frame": "PT1H" if grade == "priority" else "PT48H",
                    "attendance_due_by": reported + frame, "reported_at": reported, "attended": False,
                    "attendance_delayed": True, "vulnerable_victim": i in vulnerable, "domestic_abuse": i in da,
                    "risk_reassessed_while_waiting": i in reassessed}
        if i in reassessed:
            row["risk_reassessed_at"] = reported + frame + dt.timedelta(minutes=rng.randrange(10, 90))
        rows.append(row)
    rows.sort(key=lambda r: r["reported_at"])  # type: ignore[arg-type, return-value]
    for n, row in enumerate(rows, start=1):
        row["incident_ref"] = f"WM{year % 100}-INC-{n:04d}"
    return rows


# ----------------------------------------------------------------------------- problem solving
PLAN_COLUMNS = ["plan_ref", "local_policing_area", "problem_type", "opened_on", "closed_on", "status", "method",
                "analysis_recorded", "community_engaged", "partners_involved", "partner_names", "tactics_used",
                "tactics_evaluated", "evaluated", "evaluated_on", "supervisor_reviewed",
                "effective_practice_identified", "practice_shared_force_wide", "practice_shared_with_partners"]


def plans(year: int) -> list[Row]:
    """40 problem-solving plans. 2017: structured problem solving varies considerably, rarely with
    partners or evaluated. 2018: the new approach is being embedded: better, not yet consistent."""
    rng = rng_for("problem_solving_plan", year)
    if year == 2017:
        methods = ["sara"] * 10 + ["other_structured"] * 4 + ["unstructured"] * 26
        good, community, evaluated, effective, tactics_evaluated = 10, 16, 6, 8, 2
    else:
        methods = ["sara"] * 20 + ["other_structured"] * 4 + ["unstructured"] * 16
        good, community, evaluated, effective, tactics_evaluated = 18, 24, 10, 10, 5
    rng.shuffle(methods)
    structured = [i for i in range(40) if methods[i] != "unstructured"]
    complete = pick(rng, structured, good)      # structured, with an analysis and partners
    loose = set(range(40)) - complete
    analysis_only = pick(rng, loose, 6)
    partners_only = pick(rng, loose - analysis_only, 8)
    engaged = pick(rng, range(40), community)
    closed = pick(rng, range(40), 24)
    was_evaluated = pick(rng, closed, evaluated)
    effective_found = pick(rng, closed, effective)
    both_shared = set(sorted(effective_found)[:1])
    force_only = set(sorted(effective_found)[1:2])
    partner_only = set(sorted(effective_found)[2:3])
    with_tactics = pick(rng, closed, 20)       # extensive use of criminal behaviour orders and other powers
    tactics_checked = pick(rng, with_tactics, tactics_evaluated)
    rows: list[Row] = []
    for i in range(40):
        opened = day_in(rng, dt.date(year - 1, 9, 1), dt.date(year, 4, 30))
        partners = i in complete or i in partners_only
        row: Row = {"local_policing_area": LPAS[i % 5],
                    "problem_type": rng.choice(["anti_social_behaviour", "crime_hotspot", "repeat_location",
                                                "repeat_victim", "repeat_offender"]),
                    "opened_on": opened, "status": "closed" if i in closed else "open", "method": methods[i],
                    "analysis_recorded": i in complete or i in analysis_only, "community_engaged": i in engaged,
                    "partners_involved": partners,
                    "partner_names": rng.choice(["local authority", "housing provider", "local authority; school",
                                                 "safeguarding families team"]) if partners else None,
                    "supervisor_reviewed": i % 2 == 0 or i in complete,
                    "effective_practice_identified": i in effective_found}
        if i in closed:
            shut = min(opened + dt.timedelta(days=rng.randrange(45, 150)), as_of(year) - dt.timedelta(days=3))
            row.update(closed_on=shut, evaluated=i in was_evaluated)
            if i in was_evaluated:
                row["evaluated_on"] = shut
            if i in with_tactics:
                row["tactics_used"] = rng.choice(["criminal behaviour order", "community protection notice",
                                                  "dispersal order", "civil injunction"])
                row["tactics_evaluated"] = i in tactics_checked
        if i in effective_found:
            row["practice_shared_force_wide"] = i in both_shared or i in force_only
            row["practice_shared_with_partners"] = i in both_shared or i in partner_only
        rows.append(row)
    rows.sort(key=lambda r: r["opened_on"])  # type: ignore[arg-type, return-value]
    for n, row in enumerate(rows, start=1):
        row["plan_ref"] = f"WM{year % 100}-PSP-{n:03d}"
    return rows


# ------------------------------------------------------------------------------------ workforce
WORKFORCE_COLUMNS = ["person_ref", "role_type", "department", "problem_solving_trained"]


def workforce(year: int) -> list[Row]:
    """The safer neighbourhood teams: 40 officers, 40 PCSOs and the 3 community problem-solving
    co-ordinators. 2017: neighbourhood teams are not trained in structured problem solving (14 of 80).
    2018: training under the new approach is under way (38 of 80)."""
    rng = rng_for("workforce_member", year)
    trained = pick(rng, range(80), 14 if year == 2017 else 38)
    rows: list[Row] = [{"role_type": "police_officer" if i < 40 else "pcso", "department": "neighbourhood",
                        "problem_solving_trained": i in trained} for i in range(80)]
    rows += [{"role_type": "police_staff", "department": "neighbourhood", "problem_solving_trained": True}
             for _ in range(3)]
    rng.shuffle(rows)
    for n, row in enumerate(rows, start=1):
        row["person_ref"] = f"WM{year % 100}-P{n:04d}"
    return rows


# ------------------------------------------------------------------------- organised crime groups
OCG_COLUMNS = ["ocg_ref", "identified_on", "mapped_on", "last_reassessed_on", "last_scrutinised_on", "active",
               "archived_on", "lead_responsible_officer", "lro_appointed_on", "lro_competence_assessed_on",
               "lro_trained", "four_p_plan_in_place", "plan_reviewed_on", "pursue_activity_planned",
               "prevent_activity_planned", "protect_activity_planned", "prepare_activity_planned", "partners_involved",
               "disruption_dates", "disruptions_categorised_by_4p", "disruptions_evaluated", "lessons_recorded",
               "gain_referral_considered", "scpo_considered_on", "scpo_applied_for_on", "scpo_obtained_on"]


def ocgs_2017() -> list[Row]:
    """24 groups as at the inspection: 4 archived; of 20 active, 13 mapped (late), 7 never mapped,
    including long-term investigations. No disruption recorded, no SCPO considered in 12 months."""
    rng = rng_for("organised_crime_group", 2017)
    rows: list[Row] = []
    for _ in range(4):  # archived groups, mapped long after identification
        identified = day_in(rng, dt.date(2014, 3, 1), dt.date(2015, 6, 30))
        mapped = identified + dt.timedelta(days=rng.randrange(60, 300))
        rows.append({"identified_on": identified, "mapped_on": mapped, "last_reassessed_on": mapped, "active": False,
                     "archived_on": day_in(rng, dt.date(2016, 1, 1), dt.date(2017, 6, 30)), "disruption_dates": [],
                     "disruptions_categorised_by_4p": False, "disruptions_evaluated": False})
    reassessed_recently = {0, 5, 9}
    scrutinised_recently = {0, 1, 3, 5, 8, 9, 11}
    trained = {1, 4, 6, 9, 12}
    four_p = {0, 3, 5, 8, 10, 12}
    gain = {2, 7}
    for n in range(13):  # active and mapped, but not promptly
        identified = day_in(rng, dt.date(2015, 1, 1), dt.date(2017, 5, 31))
        mapped = identified + dt.timedelta(days=rng.randrange(45, 400))
        mapped = min(mapped, dt.date(2017, 8, 1))
        row: Row = {"identified_on": identified, "mapped_on": mapped, "active": True,
                    "lead_responsible_officer": f"Detective Inspector, ref WM17-LRO-{n + 1:02d}",
                    "lro_appointed_on": mapped + dt.timedelta(days=rng.randrange(0, 30)), "lro_trained": n in trained,
                    "four_p_plan_in_place": n in four_p, "pursue_activity_planned": n in four_p,
                    "prevent_activity_planned": n in (3, 8), "protect_activity_planned": n in (3, 5, 12),
                    "prepare_activity_planned": n == 8, "partners_involved": n in (5, 8),
                    "disruption_dates": [], "disruptions_categorised_by_4p": False, "disruptions_evaluated": False,
                    "lessons_recorded": False, "gain_referral_considered": n in gain}
        if n in reassessed_recently:
            row["last_reassessed_on"] = day_in(rng, dt.date(2017, 9, 1), dt.date(2017, 11, 10))
        elif n % 3:
            row["last_reassessed_on"] = mapped + dt.timedelta(days=rng.randrange(0, 90))
        row["last_scrutinised_on"] = (day_in(rng, dt.date(2017, 10, 20), dt.date(2017, 11, 14))
                                      if n in scrutinised_recently
                                      else day_in(rng, dt.date(2017, 6, 1), dt.date(2017, 9, 30)))
        if n in four_p:
            row["plan_reviewed_on"] = day_in(rng, dt.date(2017, 6, 1), dt.date(2017, 11, 1))
        rows.append(row)
    unmapped = [day_in(rng, dt.date(2015, 3, 1), dt.date(2016, 11, 30)) for _ in range(4)] + \
        [dt.date(2017, 6, 12), dt.date(2017, 8, 21), dt.date(2017, 11, 1)]
    for identified in unmapped:  # long-term investigations, and groups identified in 2017, never mapped
        rows.append({"identified_on": identified, "active": True, "four_p_plan_in_place": False,
                     "pursue_activity_planned": False, "prevent_activity_planned": False,
                     "protect_activity_planned": False, "prepare_activity_planned": False, "partners_involved": False,
                     "disruption_dates": [], "disruptions_categorised_by_4p": False, "disruptions_evaluated": False,
                     "lessons_recorded": False, "gain_referral_considered": False})
    for n, row in enumerate(rows, start=1):
        row["ocg_ref"] = f"WM17-OCG-{n:03d}"
    return rows


def ocgs_2018(before: list[Row]) -> list[Row]:
    """The same groups as at June 2018, and four identified since. The letter reports: mapping complete
    (new groups mapped promptly under the ROCU trigger), each group owned by a local inspector and
    reviewed through tasking, disruption now recorded, two SCPOs obtained. Still under way: LRO
    training, partner input, measuring activity and learning from it."""
    rng = rng_for("organised_crime_group", 2018)
    rows: list[Row] = []
    for n, old in enumerate(before):
        row = dict(old)
        if not row["active"]:
            rows.append(row)
            continue
        if row.get("mapped_on") is None:  # the catch-up: mapped by the April 2018 meeting
            row["mapped_on"] = day_in(rng, dt.date(2018, 2, 1), dt.date(2018, 4, 10))
        row["last_reassessed_on"] = max(row["mapped_on"], day_in(rng, dt.date(2018, 3, 12), dt.date(2018, 4, 20)))  # type: ignore[type-var]
        row["last_scrutinised_on"] = day_in(rng, dt.date(2018, 5, 8), dt.date(2018, 5, 31))
        if row.get("lead_responsible_officer") is None:
            row["lead_responsible_officer"] = f"Inspector, ref WM18-LRO-{n + 1:02d}"
            row["lro_appointed_on"] = row["mapped_on"]
            row["lro_trained"] = False
        if row["mapped_on"] < dt.date(2018, 3, 6):  # type: ignore[operator]  # mapped over 90 days ago
            row["disruption_dates"] = sorted(day_in(rng, dt.date(2018, 1, 8), dt.date(2018, 5, 25))
                                             for _ in range(rng.randint(1, 3)))
            row["disruptions_categorised_by_4p"] = True
            row["disruptions_evaluated"] = False
            row["lessons_recorded"] = False
        rows.append(row)
    scpo = {"WM17-OCG-006": ("2018-01-15", "2018-03-02", "2018-05-09"),
            "WM17-OCG-011": ("2018-02-05", "2018-03-20", "2018-05-21"),
            "WM17-OCG-008": ("2018-04-03", "2018-05-14", None), "WM17-OCG-014": ("2018-04-24", "2018-05-29", None)}
    for row in rows:
        if row["ocg_ref"] in scpo:
            considered, applied, obtained = scpo[row["ocg_ref"]]  # type: ignore[index]
            row["scpo_considered_on"] = dt.date.fromisoformat(considered)
            row["scpo_applied_for_on"] = dt.date.fromisoformat(applied)
            if obtained:
                row["scpo_obtained_on"] = dt.date.fromisoformat(obtained)
    new_groups = [dt.date(2018, 3, 9), dt.date(2018, 4, 2), dt.date(2018, 4, 23), dt.date(2018, 5, 25)]
    for n, identified in enumerate(new_groups):
        row = {"ocg_ref": f"WM18-OCG-{n + 1:03d}", "identified_on": identified, "active": True,
               "four_p_plan_in_place": False, "pursue_activity_planned": True, "prevent_activity_planned": False,
               "protect_activity_planned": False, "prepare_activity_planned": False, "partners_involved": False,
               "disruption_dates": [], "disruptions_categorised_by_4p": False, "disruptions_evaluated": False,
               "lessons_recorded": False, "gain_referral_considered": False}
        if identified < dt.date(2018, 5, 15):  # mapped within the ROCU trigger's time; the newest not yet
            mapped = identified + dt.timedelta(days=rng.randrange(6, 21))
            row.update(mapped_on=mapped, last_reassessed_on=mapped, last_scrutinised_on=dt.date(2018, 5, 29),
                       lead_responsible_officer=f"Inspector, ref WM18-LRO-N{n + 1}", lro_appointed_on=mapped,
                       lro_trained=False)
        else:
            row.update(lead_responsible_officer=f"Inspector, ref WM18-LRO-N{n + 1}", lro_appointed_on=identified,
                       lro_trained=False, last_scrutinised_on=dt.date(2018, 5, 29))
        rows.append(row)
    return rows


# -------------------------------------------------------------------------------------- APSTRA
APSTRA_COLUMNS = ["document_ref", "current_version", "last_reviewed_on", "includes_arv_response_time_analysis",
                  "considers_crowded_places", "arv_patrol_areas_informed_by_target_sites", "covers_firearms_threat",
                  "approved_by_designated_chief_officer", "approved_on", "approving_officer",
                  "armed_capacity_rationale_recorded", "armed_capability_rationale_recorded", "next_review_due_on"]


def apstra() -> list[Row]:
    """The alliance's APSTRA, last reviewed on 17 November 2017, and the version it replaced."""
    common: Row = {"includes_arv_response_time_analysis": False, "considers_crowded_places": False,
                   "arv_patrol_areas_informed_by_target_sites": False, "covers_firearms_threat": True,
                   "approved_by_designated_chief_officer": True,
                   "approving_officer": "Assistant Chief Constable (designated chief officer)",
                   "armed_capacity_rationale_recorded": True, "armed_capability_rationale_recorded": True}
    return [{"document_ref": "WM17-APSTRA-2016", "current_version": False, "last_reviewed_on": dt.date(2016, 11, 21),
             "approved_on": dt.date(2016, 11, 28), "next_review_due_on": dt.date(2017, 11, 21), **common},
            {"document_ref": "WM17-APSTRA-2017", "current_version": True, "last_reviewed_on": dt.date(2017, 11, 17),
             "approved_on": dt.date(2017, 11, 17), "next_review_due_on": dt.date(2018, 11, 17), **common}]


# -------------------------------------------------------------------------------- attestations
ATTESTATION_COLUMNS = ["attestation_ref", "question", "answer", "scope", "evidence_ref", "last_reviewed_on", "owner"]


def attestations(year: int) -> list[Row]:
    """Answers the report (2017) or the letter (2018) gives a basis for; EXPECTED.md quotes each."""
    done_2018 = year == 2018
    answers: list[tuple[str, bool, str, str]] = [
        ("spr_threats_assessed", True, "SPR capability assessment, alliance SPR programme board",
         "Assistant Chief Constable, Protective Services"),
        ("health_partner_demand_reduction", True, "Control room mental health triage trial with the NHS: evaluation",
         "Chief Inspector, Partnerships"),
        ("mental_health_crisis_arrangements", True, "Psychiatric nurse in the control room; places of safety agreement",
         "Chief Inspector, Partnerships"),
        ("domestic_abuse_arrests_reportable", False, "Domestic abuse action plan (arrests not linked to offences)",
         "Head of Protecting Vulnerable People"),
        ("domestic_abuse_outcome_16_analysis", False,
         "Domestic abuse service review (commenced 2018)" if done_2018 else "Domestic abuse action plan 2017",
         "Head of Protecting Vulnerable People"),
        ("response_times_reportable", False, "Control room ICT replacement business case", "Head of Operations"),
        ("community_understanding_analysis", done_2018,
         "Beat profiles on the intranet; Consultation and Engagement Strategy" if done_2018
         else "Community engagement strategy (in development)", "Head of Local Policing"),
        ("neighbourhood_abstraction_measured", False, "Safer neighbourhood team duty records",
         "Head of Local Policing"),
        ("response_officers_neighbourhood_model", False, "Local policing model", "Head of Local Policing"),
        ("crime_prevention_strategy", False, "Alliance vision and values", "Head of Local Policing"),
        ("daily_management_meetings_prevention", False, "Daily management meeting terms of reference",
         "Head of Local Policing"),
        ("soc_local_profile", False,
         "SOC local profiles for each policing area (partner data still missing)" if done_2018
         else "SOC local profile 2017 (police data only)", "Head of Intelligence"),
        ("soc_partner_engagement", False,
         "Local SOC joint action groups (not yet run consistently; target June 2018)" if done_2018
         else "SOCJAG pilot notes", "Assistant Chief Constable, Protective Services"),
        ("soc_prevention_at_risk_people", False,
         "Prevent strategy (being developed)" if done_2018 else "SOCJAG pilot notes",
         "Assistant Chief Constable, Protective Services"),
        ("intelligence_backlog_managed", False, "Force intelligence bureau workload report", "Head of Intelligence"),
        ("data_breadth_accuracy", False, "ICT replacement programme: data systems inventory", "Head of ICT"),
    ]
    rng = rng_for("attestation", year)
    rows: list[Row] = []
    for n, (question, answer, evidence, owner) in enumerate(answers, start=1):
        rows.append({"attestation_ref": f"WM{year % 100}-SA-{n:03d}", "question": question,
                     "answer": "yes" if answer else "no",
                     "scope": "force", "evidence_ref": evidence,
                     "last_reviewed_on": as_of(year) - dt.timedelta(days=rng.randrange(10, 200)), "owner": owner})
    return rows


# ----------------------------------------------------------------------------------------- main
def write(out: Path, year: int, groups: list[Row]) -> None:
    write_csv(out, "case_file.csv", CASE_COLUMNS, case_files(year))
    write_csv(out, "incident.csv", INCIDENT_COLUMNS, incidents(year))
    write_csv(out, "problem_solving_plan.csv", PLAN_COLUMNS, plans(year))
    write_csv(out, "workforce_member.csv", WORKFORCE_COLUMNS, workforce(year))
    write_csv(out, "organised_crime_group.csv", OCG_COLUMNS, groups)
    write_csv(out, "apstra.csv", APSTRA_COLUMNS, apstra())
    write_csv(out, "attestation.csv", ATTESTATION_COLUMNS, attestations(year))


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent
    groups = ocgs_2017()
    write(out, 2017, groups)
    write(out / "followup-2018", 2018, ocgs_2018(groups))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
