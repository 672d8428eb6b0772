#!/usr/bin/env python3
"""Write the synthetic self-assessment shaped on PEEL 2021/22, West Mercia Police (P21).

    python examples/west-mercia-2021/generate.py [OUTPUT_DIR]     (default: this folder)

Standard library only, and seeded: every run writes the same files. The numbers come from the
report itself (see EXPECTED.md, which quotes each one); where the report gives no number, the
values are chosen to reproduce its judgment (what it found good stays good). Every reference is
synthetic (WM21-...); there are no names or personal data.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

SEED = "peelcheck/west-mercia-2021"
AS_OF = dt.date(2022, 4, 1)  # publication of the report; pass --as-of 2022-04-01
LPAS = ["Herefordshire", "Shropshire", "Telford and Wrekin", "North Worcestershire", "South Worcestershire"]

Row = dict[str, object]


# ----------------------------------------------------------------------------------------- helpers
def rng_for(name: str) -> random.Random:
    """One generator per file, so changing one file's recipe leaves the others as they were."""
    return random.Random(f"{SEED}/{name}")


# England and Wales's bank holidays in the years the example's cases fall in (peelcheck's
# schema/working_days.py knows them all; this script keeps to the standard library).
BANK_HOLIDAYS = {dt.date(2021, 1, 1), dt.date(2021, 4, 2), dt.date(2021, 4, 5), dt.date(2021, 5, 3),
                 dt.date(2021, 5, 31), dt.date(2021, 8, 30), dt.date(2021, 12, 27), dt.date(2021, 12, 28)}


def before_school(attended: object, told: dt.datetime) -> dt.datetime:
    """Operation Encompass as P21 found it, prompt: a school told later than 08:00 on the next working
    day after attendance is told at 08:00 of it instead (PVP-003 allows until 09:00). Draws nothing."""
    assert isinstance(attended, dt.datetime) and attended.year == 2021
    day = attended.date() + dt.timedelta(days=1)
    while day.weekday() >= 5 or day in BANK_HOLIDAYS:
        day += dt.timedelta(days=1)
    return min(told, dt.datetime.combine(day, dt.time(8)))


def marks(rng: random.Random, n: int, k: int) -> list[bool]:
    """Exactly k of n True, in a seeded random order."""
    out = [True] * k + [False] * (n - k)
    rng.shuffle(out)
    return out


def pick(rng: random.Random, pool: Iterable[int], k: int) -> set[int]:
    return set(rng.sample(sorted(pool), k))


def moment(rng: random.Random, start: dt.date, end: dt.date, hours: tuple[int, int] = (0, 23)) -> dt.datetime:
    day = start + dt.timedelta(days=rng.randrange((end - start).days + 1))
    return dt.datetime(day.year, day.month, day.day, rng.randint(*hours), rng.choice([0, 10, 15, 20, 30, 40, 45, 50]))


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
    with open(out / name, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            unknown = set(row) - set(columns)
            assert not unknown, f"{name}: columns missing from the header: {sorted(unknown)}"
            writer.writerow([cell(row.get(c)) for c in columns])


# ---------------------------------------------------------------------------------- case files
CASE_COLUMNS = [
    "case_ref", "crime_type", "serious", "reported_at", "attended", "attended_at", "allocated_to_trained_staff",
    "investigation_plan_relevant", "investigation_plan", "investigation_plan_supervised", "supervised_effectively",
    "lines_of_enquiry_completed", "delay_judgeable", "unexplained_delay", "digital_forensics_requested",
    "digital_forensics_prioritised_by_process", "victims_code_compliance_documented", "victim_needs_assessment",
    "victim_personal_statement_relevant", "victim_personal_statement_offered", "victim_update_dates",
    "last_victim_update_on",
    "victim_referred_to_victim_services", "victim_referred_at", "victim_declined_support_services",
    "victim_enhanced_rights",
    "not_investigated_further",
    "decision_not_to_investigate_at", "victim_told_not_investigated_at", "suspect_identified", "suspect_age",
    "victim_withdrew_support", "victim_decision_auditable_record", "victim_withdrawal_reasons_recorded",
    "evidence_led_prosecution_considered", "outcome_code", "outcome_recorded_on", "outcome_code_correct",
    "outcome_supervisor_reviewed", "domestic_abuse", "dash_completed", "dash_fully_completed", "dash_submitted_at",
    "dash_risk_level", "dash_supervisor_reviewed", "dash_supervisor_reviewed_at", "marac_referred",
    "dvpn_considered", "dvpn_appropriate", "dvpn_issued", "children_present", "school_notified",
    "school_notified_at", "body_worn_video_used", "arrest_made",
]

SERIOUS_TYPES = (["violence_with_injury"] * 22 + ["sexual_offence"] * 12 + ["robbery"] * 8 + ["burglary"] * 10
                 + ["stalking_harassment"] * 8 + ["other"] * 6)                               # 66 serious cases
VOLUME_TYPES = (["theft"] * 14 + ["theft_from_vehicle"] * 10 + ["criminal_damage"] * 10
                + ["violence_without_injury"] * 16 + ["burglary"] * 4 + ["stalking_harassment"] * 4
                + ["other"] * 6)                                                              # 64 volume crimes


def referral_times() -> Callable[[dt.datetime], dt.datetime]:
    """Referrals to the victim advice line "well managed" (P21-F-20): each sent 1 to 40 hours after
    the report, so never past the second working day after it (the Victims' Code's 2). A generator of
    their own, so that the rest of the case files are drawn as they were before this column."""
    rng = rng_for("victim_referral")
    return lambda reported: reported + dt.timedelta(hours=rng.randrange(1, 41))


def case_files() -> tuple[list[Row], list[Row]]:
    """The 130 case files of the victim service assessment (VSA), and the 8 cases of its second
    sample where a suspect was identified but the victim didn't support or withdrew support."""
    rng = rng_for("case_file")
    referred_after = referral_times()
    main: list[Row] = [{"crime_type": t, "serious": True} for t in SERIOUS_TYPES]
    main += [{"crime_type": t, "serious": False} for t in VOLUME_TYPES]
    serious = range(0, 66)
    volume = range(66, 130)

    # Domestic abuse: 18 serious (violence, stalking, sexual offences) and 16 volume cases.
    da = {i for i in serious if main[i]["crime_type"] == "violence_with_injury"}
    da = set(sorted(da)[:10])
    da |= set(sorted(i for i in serious if main[i]["crime_type"] == "stalking_harassment")[:6])
    da |= set(sorted(i for i in serious if main[i]["crime_type"] == "sexual_offence")[:2])
    da |= set(sorted(i for i in volume if main[i]["crime_type"] == "violence_without_injury")[:11])
    da |= set(sorted(i for i in volume if main[i]["crime_type"] == "stalking_harassment")[:3])
    da |= set(sorted(i for i in volume if main[i]["crime_type"] == "criminal_damage")[:2])
    assert len(da) == 34

    # Volume crimes resolved without attendance (by phone or online): 26 non-DA theft, vehicle and damage.
    remote_pool = [i for i in volume if i not in da and main[i]["crime_type"] in
                   ("theft", "theft_from_vehicle", "criminal_damage", "other")]
    not_attended = pick(rng, remote_pool, 26)
    # 16 of them filed: the victim is told the crime will not be investigated further (outcome 18).
    filed = pick(rng, not_attended, 16)

    # Investigation plans: relevant in 35 serious cases, missing in 10 of them.
    plan_relevant = pick(rng, serious, 35)
    no_plan = pick(rng, plan_relevant, 10)
    # Supervision: 14 of 66 serious cases ineffectively supervised, correlated with missing plans.
    poor_supervision = set(sorted(no_plan)[:8]) | pick(rng, set(serious) - no_plan, 6)
    # Volume crimes: 8 ineffectively supervised, 5 of them among those not attended.
    poor_supervision |= pick(rng, not_attended, 5) | pick(rng, set(volume) - not_attended, 3)
    # Main lines of enquiry not pursued in a fifth of cases (26 here, 2 more in the second sample).
    no_loe = set(sorted(poor_supervision & set(serious))[:10]) | pick(rng, set(serious) - poor_supervision, 6)
    no_loe |= pick(rng, set(volume) & poor_supervision, 4) | pick(rng, set(volume) - poor_supervision, 6)
    assert len(no_loe) == 26
    # Unexplained delays in 18 of the 70 cases where timeliness could be judged.
    delay_relevant = set(serious) | pick(rng, set(volume) - not_attended, 4)
    delayed = set(sorted(poor_supervision & set(serious))[:9]) | pick(rng, set(serious) - poor_supervision, 5)
    delayed |= set(volume) & delay_relevant
    assert len(delay_relevant) == 70 and len(delayed) == 18
    # Victim needs assessment missing in over a third of serious cases (23 of 66) and 12 volume cases.
    no_needs = pick(rng, serious, 23) | pick(rng, volume, 12)
    # Victims' Code compliance not documented on 34 files.
    no_code = pick(rng, range(130), 34)
    # Digital forensics requested in 24 cases; 4 fast-tracked informally, outside the process.
    forensics = pick(rng, serious, 18) | pick(rng, set(volume) - not_attended, 6)
    informal = pick(rng, forensics, 4)
    # Victims who declined a referral to victim services (everyone else was referred).
    declined_services = pick(rng, range(130), 6)

    # Victims who withdrew support: 9 domestic abuse (5 serious, 4 volume) and 3 others.
    withdrew = (pick(rng, da & set(serious), 5) | pick(rng, da & set(volume), 4)
                | pick(rng, (set(range(130)) - da - not_attended), 3))
    # Charged (outcome 1), and further outcomes, for 39 of the 130 files (8 more in the second sample).
    rest = set(range(130)) - withdrew - not_attended
    charged = pick(rng, rest, 6)
    outcome15 = pick(rng, rest - charged, 3)
    caution_case, cr_case = sorted(pick(rng, rest - charged - outcome15 - da, 2))
    # Victim personal statement relevant in 40 cases (a suspect and a file being prepared), offered in 9.
    vps_relevant = charged | withdrew | outcome15 | pick(rng, rest - charged - outcome15 - {caution_case, cr_case}, 19)
    vps_offered = pick(rng, vps_relevant, 9)
    assert len(vps_relevant) == 40

    # Domestic abuse detail.
    da_list = sorted(da)
    rng.shuffle(da_list)
    risk = dict(zip(da_list, ["high"] * 8 + ["medium"] * 12 + ["standard"] * 14))
    # A protection notice may have been appropriate in 12 cases (the 9 withdrawals and 3 high-risk
    # cases); one was considered (and issued).
    high_not_withdrawn = sorted(i for i in da - withdrew if risk[i] == "high")
    assert len(high_not_withdrawn) >= 3
    dvpn_appropriate = (da & withdrew) | set(high_not_withdrawn[:3])
    assert len(dvpn_appropriate) == 12
    dvpn_considered = {sorted(da & withdrew)[0]}
    children = pick(rng, da, 14)
    arrested = pick(rng, da, 22)

    # Outcome codes recorded, whether correct (6 wrong here, 3 in the second sample), reviewed.
    wrong = set(sorted(withdrew)[:2]) | set(sorted(filed)[:2]) | {sorted(outcome15)[0], cr_case}
    with_outcome = withdrew | filed | charged | outcome15 | {caution_case, cr_case}
    assert len(with_outcome) == 39
    unreviewed = set(sorted(wrong)[:3]) | pick(rng, with_outcome - wrong, 3)  # plus 2 in the second sample

    for i, row in enumerate(main):
        reported = moment(rng, dt.date(2021, 3, 1), dt.date(2021, 6, 30))
        row["reported_at"] = reported
        row["domestic_abuse"] = i in da
        row["attended"] = i not in not_attended
        if row["attended"]:
            row["attended_at"] = reported + dt.timedelta(minutes=rng.randrange(12, 360))
        row["allocated_to_trained_staff"] = True
        row["investigation_plan_relevant"] = i in plan_relevant
        if i in plan_relevant:
            row["investigation_plan"] = i not in no_plan
            row["investigation_plan_supervised"] = i not in no_plan
        row["supervised_effectively"] = i not in poor_supervision
        row["lines_of_enquiry_completed"] = i not in no_loe
        # The 60 cases where timeliness could not be judged (closed at once) show no unexplained delay.
        row["unexplained_delay"] = i in delayed
        row["digital_forensics_requested"] = i in forensics
        if i in forensics:
            row["digital_forensics_prioritised_by_process"] = i not in informal
        row["victims_code_compliance_documented"] = i not in no_code
        row["victim_needs_assessment"] = i not in no_needs
        row["victim_personal_statement_relevant"] = i in vps_relevant
        if i in vps_relevant:
            row["victim_personal_statement_offered"] = i in vps_offered
        row["victim_referred_to_victim_services"] = i not in declined_services
        if i not in declined_services:
            row["victim_referred_at"] = referred_after(reported)
        row["victim_declined_support_services"] = i in declined_services
        row["not_investigated_further"] = i in filed
        if i in filed:
            decided = reported + dt.timedelta(days=rng.randrange(1, 6), hours=rng.randrange(0, 6))
            row["decision_not_to_investigate_at"] = decided
            row["victim_told_not_investigated_at"] = decided + dt.timedelta(hours=rng.randrange(1, 72))
        row["suspect_identified"] = bool(i in withdrew or i in charged or i in outcome15 or i in da or i in wrong
                                         or i in {caution_case, cr_case} or (i in plan_relevant and rng.random() < .5))
        row["victim_withdrew_support"] = i in withdrew
        if i in with_outcome:
            code = (16 if i in withdrew else 18 if i in filed else 1 if i in charged else 15 if i in outcome15
                    else 3 if i == caution_case else 8)
            if i in withdrew and i in wrong:
                code = 15  # victim withdrew support, but the crime was finalised as if they still supported it
            row["outcome_code"] = code
            row["outcome_recorded_on"] = (reported + dt.timedelta(days=rng.randrange(5, 80))).date()
            row["outcome_code_correct"] = i not in wrong
            row["outcome_supervisor_reviewed"] = i not in unreviewed
        if i in da:
            dash_at = row["attended_at"] + dt.timedelta(hours=rng.randrange(1, 20))  # type: ignore[operator]
            row.update(dash_completed=True, dash_fully_completed=True, dash_submitted_at=dash_at,
                       dash_risk_level=risk[i], dash_supervisor_reviewed=True,
                       dash_supervisor_reviewed_at=dash_at + dt.timedelta(hours=rng.randrange(1, 12)),
                       marac_referred=risk[i] == "high", dvpn_appropriate=i in dvpn_appropriate,
                       dvpn_considered=i in dvpn_considered, dvpn_issued=i in dvpn_considered,
                       children_present=i in children, body_worn_video_used=True, arrest_made=i in arrested)
            if i in children:
                row["school_notified"] = True
                row["school_notified_at"] = before_school(row["attended_at"], row["attended_at"]  # type: ignore[operator]
                                                          + dt.timedelta(hours=rng.randrange(2, 20)))

    # The second sample: 8 cases where the victim didn't support or withdrew support (5 domestic abuse).
    sample: list[Row] = []
    srng = rng_for("victim_declined")
    kinds = [("violence_without_injury", True)] * 3 + [("violence_without_injury", False)] + \
        [("criminal_damage", True), ("criminal_damage", False), ("stalking_harassment", True), ("theft", False)]
    s_no_loe, s_no_code, s_no_needs = {2, 6}, {1, 4}, {0, 3, 5}
    s_record, s_reasons, s_elp = {3}, {0, 3, 6}, {1, 3}        # of 20 withdrawals: 4, 9 and 7 in all
    s_wrong, s_unreviewed = {0, 4, 7}, {2, 5}
    for j, (crime, is_da) in enumerate(kinds):
        reported = moment(srng, dt.date(2021, 3, 1), dt.date(2021, 6, 30))
        attended_at = reported + dt.timedelta(minutes=srng.randrange(20, 240))
        row = {"crime_type": crime, "serious": False, "reported_at": reported, "attended": True,
               "attended_at": attended_at, "allocated_to_trained_staff": True, "investigation_plan_relevant": False,
               "supervised_effectively": j not in (2, 6), "lines_of_enquiry_completed": j not in s_no_loe,
               "unexplained_delay": False, "digital_forensics_requested": False,
               "victims_code_compliance_documented": j not in s_no_code, "victim_needs_assessment": j not in s_no_needs,
               "victim_personal_statement_relevant": False, "victim_referred_to_victim_services": j != 5,
               "victim_declined_support_services": j == 5, "not_investigated_further": False,
               "suspect_identified": True, "victim_withdrew_support": True,
               "victim_decision_auditable_record": j in s_record, "victim_withdrawal_reasons_recorded": j in s_reasons,
               "evidence_led_prosecution_considered": j in s_elp, "outcome_code": 16,
               "outcome_recorded_on": (reported + dt.timedelta(days=srng.randrange(10, 60))).date(),
               "outcome_code_correct": j not in s_wrong, "outcome_supervisor_reviewed": j not in s_unreviewed,
               "domestic_abuse": is_da}
        if is_da:
            dash_at = attended_at + dt.timedelta(hours=srng.randrange(1, 18))
            row.update(dash_completed=True, dash_fully_completed=True, dash_submitted_at=dash_at,
                       dash_risk_level="medium" if j in (0, 6) else "standard", dash_supervisor_reviewed=True,
                       dash_supervisor_reviewed_at=dash_at + dt.timedelta(hours=srng.randrange(1, 12)),
                       marac_referred=False, dvpn_appropriate=False, dvpn_considered=False, dvpn_issued=False,
                       children_present=j in (0, 4), body_worn_video_used=True, arrest_made=j in (0, 1, 6))
            if j in (0, 4):
                row["school_notified"] = True
                row["school_notified_at"] = before_school(attended_at,
                                                          attended_at + dt.timedelta(hours=srng.randrange(2, 20)))
        if j != 5:
            row["victim_referred_at"] = referred_after(reported)
        sample.append(row)

    # Withdrawals in the main sample: auditable record 3 of 12, reasons 6, evidence-led prosecution 5.
    w = sorted(withdrew)
    rng.shuffle(w)
    for n, i in enumerate(w):
        main[i]["victim_decision_auditable_record"] = n < 3
        main[i]["victim_withdrawal_reasons_recorded"] = 2 <= n < 8
        main[i]["evidence_led_prosecution_considered"] = n in (0, 4, 5, 8, 10)

    victim_updates(rng, main + sample, {i for i in range(130) if i in filed or i in not_attended})
    judgeable_and_adults(main, sample, delayed)
    enhanced_rights(main, sample, filed)

    rng.shuffle(main)
    for n, row in enumerate(main, start=1):
        row["case_ref"] = f"WM21-CF-{n:04d}"
    for n, row in enumerate(sample, start=1):
        row["case_ref"] = f"WM21-VD-{n:04d}"
    return main, sample


def judgeable_and_adults(main: list[Row], sample: list[Row], delayed: set[int]) -> None:
    """Fields drawn without the random generator (so every other column stays as it was):
    - the 70 "relevant cases" where delay could be judged: the 18 delayed and 52 others; the other 68
      files (closed at once, or the second sample) are marked not judgeable and carry no delay answer;
    - the identified suspects' ages (all adults here: a notice could be given to each);
    - the date of the last update to the victim (the last of the update dates)."""
    judgeable = delayed | set(sorted(set(range(len(main))) - delayed)[:52])
    assert len(judgeable) == 70
    for i, row in enumerate(main + sample):
        row["delay_judgeable"] = i in judgeable
        if i not in judgeable:
            row.pop("unexplained_delay", None)
        if row.get("suspect_identified"):
            row["suspect_age"] = 19 + (i * 11) % 45
        dates = row.get("victim_update_dates")
        if dates:
            row["last_victim_update_on"] = max(dates)  # type: ignore[type-var]


def enhanced_rights(main: list[Row], sample: list[Row], filed: set[int]) -> None:
    """Victims entitled to enhanced rights under the Victims' Code (drawn without the random generator):
    victims of domestic abuse and sexual offences (the most serious crime), of stalking and harassment
    (persistently targeted), and, as vulnerable victims, 3 of the 16 whose crime was filed. The report
    found every victim told promptly of a filed crime, so those 3 were told within 2 hours, or at 10:00
    the next day when the decision came after 16:00."""
    vulnerable = set(sorted(filed)[:3])
    for i, row in enumerate(main + sample):
        row["victim_enhanced_rights"] = bool(row.get("domestic_abuse") or i in vulnerable
                                             or row["crime_type"] in ("sexual_offence", "stalking_harassment"))
        if i in vulnerable:
            decided: dt.datetime = row["decision_not_to_investigate_at"]  # type: ignore[assignment]
            told = decided + dt.timedelta(hours=2)
            if decided.hour >= 16:
                told = dt.datetime.combine(decided.date() + dt.timedelta(days=1), dt.time(10))
            row["victim_told_not_investigated_at"] = told


def victim_updates(rng: random.Random, rows: list[Row], short: set[int]) -> None:
    """Dates the victims were updated: a quarter of all updates came more than 28 days after the one before."""
    counts = [rng.randint(1, 2) if i in short else rng.randint(3, 6) if rows[i]["serious"] else rng.randint(2, 4)
              for i in range(len(rows))]
    slots = [(i, g) for i, c in enumerate(counts) for g in range(c - 1)]
    overdue = set(rng.sample(slots, round(len(slots) / 4)))
    for i, row in enumerate(rows):
        day = row["reported_at"].date() + dt.timedelta(days=rng.randrange(1, 6))  # type: ignore[attr-defined]
        dates = [day]
        for g in range(counts[i] - 1):
            day = day + dt.timedelta(days=rng.randrange(33, 56) if (i, g) in overdue else rng.randrange(7, 29))
            dates.append(day)
        row["victim_update_dates"] = dates


# ------------------------------------------------------------------------- out-of-court disposals
DISPOSAL_COLUMNS = ["disposal_ref", "disposal_type", "crime_ref", "victim_identified", "given_at",
                    "victim_views_sought_at", "victim_views_recorded_at", "victim_informed_after_at",
                    "victim_enhanced_rights", "offender_meets_national_criteria"]


def disposals() -> list[Row]:
    """The cautions and community resolutions of the VSA's second sample: 7 cautions, 5 CRs. None of
    their victims is entitled to enhanced rights under the Victims' Code (low-level offences), so a
    victim told within 5 working days of the caution was told in time (INV-009)."""
    rng = rng_for("out_of_court_disposal")
    types = ["caution"] * 6 + ["conditional_caution"] + ["community_resolution"] * 5
    rows: list[Row] = []
    # Cautions: views sought before the caution in 4 of 7, recorded before it in 2; victim told after in 3.
    sought_before, recorded_before, told_after = {0, 2, 4, 6}, {0, 4}, {0, 3, 4}
    for n, kind in enumerate(types):
        given = moment(rng, dt.date(2021, 3, 1), dt.date(2021, 7, 31), (9, 18))
        row: Row = {"disposal_type": kind, "crime_ref": f"WM21-CR-{7100 + 13 * n:05d}", "victim_identified": True,
                    "given_at": given, "victim_enhanced_rights": False, "offender_meets_national_criteria": n != 5}
        if kind == "community_resolution":  # in all cases the victim's views had been recorded
            sought = given - dt.timedelta(hours=rng.randrange(2, 30))
            row.update(victim_views_sought_at=sought, victim_views_recorded_at=sought + dt.timedelta(minutes=20))
        else:
            if n in sought_before:
                sought = given - dt.timedelta(days=rng.randrange(1, 4))
                row["victim_views_sought_at"] = sought
                row["victim_views_recorded_at"] = (sought + dt.timedelta(minutes=30) if n in recorded_before
                                                   else given + dt.timedelta(days=2))
            elif n == 1:  # consulted only after the caution had been given
                row["victim_views_sought_at"] = given + dt.timedelta(days=1)
            if n in told_after:
                row["victim_informed_after_at"] = given + dt.timedelta(days=rng.randrange(1, 4))
        rows.append(row)
    for n, row in enumerate(rows, start=1):
        row["disposal_ref"] = f"WM21-OOCD-{n:03d}"
    return rows


# ------------------------------------------------------------------------------------------ calls
CALL_COLUMNS = ["call_ref", "call_type", "received_at", "answered_after_seconds", "abandoned", "crime_reported",
                "evidence_to_preserve", "crime_prevention_advice_given", "scene_preservation_advice_given",
                "repeat_caller_check_completed", "repeat_caller", "repeat_caller_identified", "vulnerable",
                "vulnerability_recorded", "thrive_assessed", "domestic_abuse_reported", "domestic_abuse_script_used"]


def calls() -> list[Row]:
    """A quality-audited sample of 300 calls: 200 non-emergency (101) and 100 emergency (999)."""
    rng = rng_for("call")
    rows: list[Row] = []
    # 101: 39 of 200 abandoned (19.5%, "almost 20 percent"); 100 answered within 30 seconds ("around half").
    for n in range(200):
        if n < 39:
            rows.append({"call_type": "non_emergency", "abandoned": True})
        elif n < 139:
            rows.append({"call_type": "non_emergency", "abandoned": False,
                         "answered_after_seconds": rng.randint(4, 30)})
        else:
            rows.append({"call_type": "non_emergency", "abandoned": False,
                         "answered_after_seconds": rng.choice([rng.randint(31, 120), rng.randint(121, 900)])})
    # 999: 94 of 100 answered within 10 seconds (the national standard is 90%), none abandoned.
    for n in range(100):
        rows.append({"call_type": "emergency", "abandoned": False,
                     "answered_after_seconds": rng.randint(2, 10) if n < 94 else rng.randint(11, 25)})
    for row in rows:
        row["received_at"] = moment(rng, dt.date(2021, 6, 7), dt.date(2021, 6, 20))
    answered = [i for i, r in enumerate(rows) if not r["abandoned"]]           # 261 answered calls
    crime = pick(rng, answered, 130)
    evidence = pick(rng, crime, 80)
    prevention = pick(rng, crime, 58)           # crime prevention advice in fewer than half (44.6%)
    preservation = pick(rng, evidence, 35)      # scene preservation advice in fewer than half (43.8%)
    checked = pick(rng, answered, 205)          # repeat caller check on 205 of 261 answered calls
    repeat = pick(rng, answered, 40)
    identified = pick(rng, repeat & checked, 24)
    vulnerable = pick(rng, answered, 60)
    recorded = pick(rng, vulnerable, 41)
    thrive = pick(rng, answered, 245)           # THRIVE recorded on 245 of 261
    da = pick(rng, answered, 30)
    script = pick(rng, da, 9)                   # "limited use of the domestic abuse call script"
    for i, row in enumerate(rows):
        if row["abandoned"]:  # nothing was said, so nothing was reported or assessed
            row.update(crime_reported=False, evidence_to_preserve=False, repeat_caller=False, vulnerable=False,
                       domestic_abuse_reported=False)
            continue
        row.update(crime_reported=i in crime, evidence_to_preserve=i in evidence,
                   repeat_caller_check_completed=i in checked, repeat_caller=i in repeat, vulnerable=i in vulnerable,
                   thrive_assessed=i in thrive, domestic_abuse_reported=i in da)
        if i in crime:
            row["crime_prevention_advice_given"] = i in prevention
        if i in evidence:
            row["scene_preservation_advice_given"] = i in preservation
        if i in repeat:
            row["repeat_caller_identified"] = i in identified
        if i in vulnerable:
            row["vulnerability_recorded"] = i in recorded
        if i in da:
            row["domestic_abuse_script_used"] = i in script
    rows.sort(key=lambda r: r["received_at"])  # type: ignore[arg-type, return-value]
    for n, row in enumerate(rows, start=1):
        row["call_ref"] = f"WM21-CALL-{n:04d}"
    return rows


# -------------------------------------------------------------------------------------- incidents
INCIDENT_COLUMNS = ["incident_ref", "grade", "grade_changed", "grade_change_rationale_recorded",
                    "published_time_frame", "attendance_due_by", "reported_at", "attended", "arrived_at",
                    "attendance_delayed", "victim_updated_about_delay", "vulnerable_victim", "domestic_abuse",
                    "risk_reassessed_while_waiting", "risk_reassessed_at", "attendance_decision_rationale_recorded",
                    "appointment_suitable", "scheduled_appointment_offered"]
FRAMES = {"immediate": dt.timedelta(minutes=20), "priority": dt.timedelta(hours=1),
          "scheduled": dt.timedelta(hours=48)}


def iso_duration(delta: dt.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"PT{minutes // 60}H" if minutes % 60 == 0 else f"PT{minutes}M"


def incidents() -> list[Row]:
    """120 incidents of the VSA: 90 attended (immediate, priority, scheduled), 30 resolved otherwise."""
    rng = rng_for("incident")
    grades = ["immediate"] * 25 + ["priority"] * 45 + ["scheduled"] * 20 + ["telephone_resolution"] * 15 \
        + ["no_deployment"] * 15
    rows: list[Row] = [{"grade": g} for g in grades]
    attended = [i for i, g in enumerate(grades) if g in FRAMES]
    no_arrival = pick(rng, attended, 14)                       # arrival time missing from the log
    with_arrival = [i for i in attended if i not in no_arrival]
    late = pick(rng, with_arrival, 12)                         # "sometimes attendance is slow"
    delayed = late | pick(rng, no_arrival, 3)
    updated = pick(rng, delayed, 6)                            # victims not always told of the delay
    vulnerable = pick(rng, range(120), 35)
    da = pick(rng, vulnerable, 10) | pick(rng, set(range(120)) - vulnerable, 5)
    changed = pick(rng, range(120), 14)
    suitable = pick(rng, [i for i, g in enumerate(grades)
                          if g in ("priority", "scheduled", "telephone_resolution")], 30)
    offered = pick(rng, suitable, 14)                          # "make more use of scheduled appointments"
    for i, row in enumerate(rows):
        reported = moment(rng, dt.date(2021, 3, 1), dt.date(2021, 6, 30))
        row.update(reported_at=reported, grade_changed=i in changed, vulnerable_victim=i in vulnerable,
                   domestic_abuse=i in da, attendance_decision_rationale_recorded=True,
                   appointment_suitable=i in suitable, attended=i in attended, attendance_delayed=i in delayed)
        if i in changed:
            row["grade_change_rationale_recorded"] = True   # "any grading changes are suitably documented"
        if i in suitable:
            row["scheduled_appointment_offered"] = i in offered
        frame = FRAMES.get(grades[i])
        if frame is not None:
            row["published_time_frame"] = iso_duration(frame)
            row["attendance_due_by"] = reported + frame
            if i in with_arrival:
                share = rng.uniform(1.1, 2.5) if i in late else rng.uniform(0.3, 0.95)
                row["arrived_at"] = reported + dt.timedelta(minutes=round(frame.total_seconds() / 60 * share))
        if i in delayed:
            row["victim_updated_about_delay"] = i in updated
            if i in vulnerable or i in da:  # the risk to a waiting vulnerable victim was re-assessed
                row["risk_reassessed_while_waiting"] = True
                row["risk_reassessed_at"] = reported + (frame or dt.timedelta(hours=1))
    rows.sort(key=lambda r: r["reported_at"])  # type: ignore[arg-type, return-value]
    for n, row in enumerate(rows, start=1):
        row["incident_ref"] = f"WM21-INC-{n:04d}"
    return rows


# -------------------------------------------------------------------------------- missing persons
MISSING_COLUMNS = ["report_ref", "reported_at", "age_group", "missing_from", "risk_level",
                   "recorded_on_missing_person_system", "recorded_on_system_at", "repeat_missing"]


def missing_people() -> list[Row]:
    """60 missing person reports found on incident logs; 15 never reached the missing person system."""
    rng = rng_for("missing_person_report")
    unrecorded = ([("adult", "hospital", "low")] * 5 + [("child", "home", "low")] * 4
                  + [("child", "school", "no_apparent_risk")] * 3 + [("child", "care_setting", "low")] * 3)
    recorded = ([("child", "home", "medium")] * 12 + [("child", "care_setting", "medium")] * 10
                + [("adult", "home", "high")] * 6 + [("adult", "home", "medium")] * 9
                + [("child", "home", "high")] * 4 + [("adult", "other", "low")] * 4)
    rows: list[Row] = []
    for group, on_system in ((unrecorded, False), (recorded, True)):
        for age, place, risk in group:
            reported = moment(rng, dt.date(2021, 4, 1), dt.date(2021, 9, 30))
            row: Row = {"reported_at": reported, "age_group": age, "missing_from": place, "risk_level": risk,
                        "recorded_on_missing_person_system": on_system, "repeat_missing": rng.random() < 0.4}
            if on_system:
                row["recorded_on_system_at"] = reported + dt.timedelta(minutes=rng.randrange(10, 180))
            rows.append(row)
    rows.sort(key=lambda r: r["reported_at"])  # type: ignore[arg-type, return-value]
    for n, row in enumerate(rows, start=1):
        row["report_ref"] = f"WM21-MP-{n:04d}"
    return rows


# -------------------------------------------------------------------------------- stop and search
SEARCH_COLUMNS = ["search_ref", "search_type", "searched_at", "gender", "age_range", "self_defined_ethnicity",
                  "officer_defined_ethnicity", "legislation", "object_of_search", "outcome",
                  "outcome_linked_to_object", "grounds_recorded", "grounds_reasonable", "object_found",
                  "drugs_find_type", "officer_uniformed", "body_worn_video_used", "supervisor_reviewed"]
ETHNICITY = ([("white_british", "white")] * 98 + [("white_other", "white")] * 6 + [("not_stated", "white")] * 5
             + [("black_caribbean", "black")] * 5 + [("black_african", "black")] * 4
             + [("asian_pakistani", "asian")] * 6 + [("asian_indian", "asian")] * 3 + [("asian_other", "asian")] * 2
             + [("mixed_white_black_caribbean", "mixed")] * 4
             + [("not_stated", "black")] * 1 + [("other_any", "other")] * 2)                       # 136


def searches() -> list[Row]:
    """The 136 stop and search records of 2020 the inspectorate reviewed: 128 had reasonable grounds (94.1%)."""
    rng = rng_for("stop_search")
    rows: list[Row] = []
    objects = (["controlled_drugs"] * 78 + ["stolen_goods"] * 20 + ["offensive_weapons"] * 18
               + ["article_for_use_in_theft"] * 12 + ["evidence_of_offences"] * 6 + ["firearms"] * 2)
    rng.shuffle(objects)
    ethnicity = list(ETHNICITY)
    rng.shuffle(ethnicity)
    weak = pick(rng, range(136), 8)
    no_grounds_text = set(sorted(weak)[:2])
    plain_clothes = pick(rng, range(136), 18)
    bwv_plain = pick(rng, plain_clothes, 6)
    find_unrecorded = pick(rng, range(136), 58)  # the record says only what happened next (arrest, NFA...)
    for i in range(136):
        obj = objects[i]
        found = rng.random() < (0.4 if obj == "controlled_drugs" else 0.2)
        outcome = ("arrest" if found and rng.random() < 0.4 else
                   "cannabis_or_khat_warning" if found and obj == "controlled_drugs" and rng.random() < 0.5 else
                   "community_resolution" if found else "no_further_action")
        legislation = ("misuse_of_drugs_act_s23" if obj == "controlled_drugs" else
                       "firearms_act_s47" if obj == "firearms" else "pace_s1")
        row: Row = {"search_type": rng.choice(["person"] * 5 + ["person_and_vehicle", "vehicle"]),
                    "searched_at": moment(rng, dt.date(2020, 1, 1), dt.date(2020, 12, 31)),
                    "gender": "male" if rng.random() < 0.88 else "female",
                    "age_range": rng.choice(["age_10_to_17", "age_18_to_24", "age_18_to_24", "age_25_to_34",
                                             "over_34"]),
                    "self_defined_ethnicity": ethnicity[i][0], "officer_defined_ethnicity": ethnicity[i][1],
                    "legislation": legislation, "object_of_search": obj, "outcome": outcome,
                    "outcome_linked_to_object": found and outcome != "no_further_action",
                    "grounds_recorded": i not in no_grounds_text, "grounds_reasonable": i not in weak,
                    "officer_uniformed": i not in plain_clothes,
                    "body_worn_video_used": i not in plain_clothes or i in bwv_plain, "supervisor_reviewed": True}
        if i not in find_unrecorded:
            row["object_found"] = found
            if found and obj == "controlled_drugs" and rng.random() < 0.45:
                row["drugs_find_type"] = rng.choice(["possession", "possession", "supply"])
        rows.append(row)
    rows.sort(key=lambda r: r["searched_at"])  # type: ignore[arg-type, return-value]
    for n, row in enumerate(rows, start=1):
        row["search_ref"] = f"WM21-SS-{n:04d}"
    return rows


# ----------------------------------------------------------------------------------- use of force
FORCE_COLUMNS = ["use_of_force_ref", "occurred_at", "tactic", "form_submitted", "subject_ethnicity",
                 "subject_disability", "subject_injured", "body_worn_video_used", "supervisor_reviewed",
                 "supervisor_feedback_given", "selected_for_inspector_review", "inspector_reviewed"]


def uses_of_force() -> list[Row]:
    """120 uses of force reconciled against custody and arrest records in 2021."""
    rng = rng_for("use_of_force")
    tactics = (["compliant_handcuffing"] * 40 + ["non_compliant_handcuffing"] * 30 + ["unarmed_skills"] * 20
               + ["limb_or_body_restraint"] * 10 + ["taser_drawn_or_aimed"] * 8 + ["irritant_spray"] * 4
               + ["spit_guard"] * 4 + ["taser_fired"] * 3 + ["baton"] * 1)
    no_form = pick(rng, range(40), 20)       # only half submit a form for compliant handcuffing
    forms = [i for i in range(120) if i not in no_form]
    no_ethnicity = pick(rng, forms, 4)
    disability = pick(rng, forms, 55)        # "the recording of disability data remains poor"
    injured = pick(rng, [i for i in forms if i >= 40], 15)
    no_injury_recorded = pick(rng, [i for i in forms if i not in injured], 20)
    feedback = pick(rng, forms, 66)          # a third get no supervision or feedback
    selected = pick(rng, forms, 30)
    inspected = pick(rng, selected, 17)
    rows: list[Row] = []
    for i, tactic in enumerate(tactics):
        row: Row = {"occurred_at": moment(rng, dt.date(2021, 4, 1), dt.date(2021, 12, 31)), "tactic": tactic,
                    "form_submitted": i in forms, "body_worn_video_used": rng.random() < 0.93,
                    "selected_for_inspector_review": i in selected}
        if i in forms:
            row.update(subject_ethnicity=None if i in no_ethnicity else rng.choice(["white"] * 8 + ["black", "asian"]),
                       subject_disability=(rng.choice(["none"] * 6 + ["mental", "physical"]) if i in disability
                                           else None),
                       subject_injured=True if i in injured else False if i in no_injury_recorded else None,
                       supervisor_reviewed=True, supervisor_feedback_given=i in feedback)
            if i in selected:
                row["inspector_reviewed"] = i in inspected
        rows.append(row)
    rows.sort(key=lambda r: r["occurred_at"])  # type: ignore[arg-type, return-value]
    for n, row in enumerate(rows, start=1):
        row["use_of_force_ref"] = f"WM21-UOF-{n:04d}"
    return rows


# --------------------------------------------------------------------------- sex offender visits
VISIT_COLUMNS = ["visit_ref", "offender_ref", "visited_on", "devices_present", "devices_examined",
                 "breach_identified", "breach_recorded", "risk_assessment_updated_on", "supervisor_reviewed_on"]


def visits() -> list[Row]:
    """40 home visits to registered sex offenders, May 2021 to February 2022."""
    rng = rng_for("sex_offender_visit")
    devices = pick(rng, range(40), 28)
    examined = pick(rng, devices, 17)        # the software is slow and doesn't always work with phones
    breach = pick(rng, range(40), 9)
    recorded = pick(rng, breach, 5)          # "inconsistency and non-recording of breaches"
    order = list(range(40))
    rng.shuffle(order)
    prompt, late = set(order[:16]), set(order[16:34])   # 6 not yet reviewed at all
    rows: list[Row] = []
    for i in range(40):
        visited = dt.date(2021, 5, 1) + dt.timedelta(days=rng.randrange(0, 300))
        row: Row = {"offender_ref": f"WM21-RSO-{rng.randrange(100, 999):03d}", "visited_on": visited,
                    "devices_present": i in devices, "breach_identified": i in breach,
                    "risk_assessment_updated_on": visited + dt.timedelta(days=rng.randrange(1, 10))}
        if i in devices:
            row["devices_examined"] = i in examined
        if i in breach:
            row["breach_recorded"] = i in recorded
        if i in prompt:
            row["supervisor_reviewed_on"] = visited + dt.timedelta(days=rng.randrange(2, 15))
        elif i in late:
            row["supervisor_reviewed_on"] = min(visited + dt.timedelta(days=rng.randrange(30, 120)), AS_OF)
        rows.append(row)
    rows.sort(key=lambda r: r["visited_on"])  # type: ignore[arg-type, return-value]
    for n, row in enumerate(rows, start=1):
        row["visit_ref"] = f"WM21-RSOV-{n:04d}"
    return rows


# ------------------------------------------------------------------------------------- suspects
SUSPECT_COLUMNS = ["suspect_ref", "crime_ref", "identified_on", "status", "risk_grade", "wanted_on_pnc",
                   "activity_documented", "last_activity_on", "supervisor_reviewed_on",
                   "voluntary_attendance_recorded_on_system"]


def suspects() -> list[Row]:
    """A March 2022 extract: 100 outstanding suspects (87 risk-graded), 30 voluntary attendances, 30 others."""
    rng = rng_for("outstanding_suspect")
    rows: list[Row] = []
    graded = pick(rng, range(100), 87)   # "over 85 percent ... graded high, medium or low risk"
    wanted = pick(rng, graded, 20)
    for i in range(100):
        row: Row = {"status": "outstanding", "wanted_on_pnc": i in wanted,
                    "identified_on": AS_OF - dt.timedelta(days=rng.randrange(7, 200))}
        if i in graded:
            row["risk_grade"] = rng.choice(["high", "medium", "medium", "low", "low"])
        if i in wanted:  # arrest packages and daily management meeting checks
            row.update(activity_documented=True, last_activity_on=AS_OF - dt.timedelta(days=rng.randrange(1, 10)),
                       supervisor_reviewed_on=AS_OF - dt.timedelta(days=rng.randrange(1, 21)))
        rows.append(row)
    on_system = pick(rng, range(30), 21)  # "staff don't always record voluntary attendances on the system"
    for i in range(30):
        rows.append({"status": "voluntary_attendance",
                     "identified_on": AS_OF - dt.timedelta(days=rng.randrange(10, 150)),
                     "voluntary_attendance_recorded_on_system": i in on_system})
    for status in ["arrested"] * 10 + ["on_bail"] * 10 + ["released_under_investigation"] * 10:
        rows.append({"status": status, "identified_on": AS_OF - dt.timedelta(days=rng.randrange(10, 200))})
    rng.shuffle(rows)
    for n, row in enumerate(rows, start=1):
        row["suspect_ref"] = f"WM21-SUS-{n:04d}"
        row["crime_ref"] = f"WM21-CR-{20000 + 37 * n:05d}"
    return rows


# ------------------------------------------------------------------------------------ workforce
WORKFORCE_COLUMNS = ["person_ref", "role_type", "department", "supervisor", "temporarily_promoted",
                     "supervisor_training_completed", "annual_review_due", "annual_review_completed_on",
                     "investigator_role", "pip2_qualified", "abe_interviewer_role", "abe_trained", "may_use_force",
                     "use_of_force_training_on", "routinely_searches_or_arrests", "body_worn_video_issued",
                     "high_risk_role", "occupational_health_assessed_on", "left_on", "exit_interview_completed",
                     "problem_solving_trained"]
TEAMS = [  # department, role type, people, supervisors among them
    ("response", "police_officer", 70, 10), ("neighbourhood", "police_officer", 40, 6),
    ("neighbourhood", "pcso", 20, 0),
    ("cid", "police_officer", 30, 5), ("cid", "police_staff", 10, 1), ("public_protection", "police_officer", 30, 4),
    ("control_room", "police_staff", 35, 5), ("custody", "police_staff", 10, 2),
    ("specialist_operations", "police_officer", 15, 2), ("intelligence", "police_staff", 10, 1),
    ("support", "police_staff", 30, 4),
]


def workforce() -> list[Row]:
    """A 300-person sample of the current workforce, and 40 people who left in the last 12 months."""
    rng = rng_for("workforce_member")
    people: list[Row] = []
    for department, role, count, supervisors in TEAMS:
        for n in range(count):
            people.append({"department": department, "role_type": role, "supervisor": n < supervisors})
    idx = range(len(people))
    sups = [i for i in idx if people[i]["supervisor"]]
    temporary = set(sorted(pick(rng, [i for i in sups if people[i]["role_type"] == "police_officer"], 8)))
    trained_sups = pick(rng, [i for i in sups if i not in temporary], 12)   # 12 of 40 supervisors trained
    new_joiners = pick(rng, [i for i in idx if people[i]["department"] == "response"
                             and not people[i]["supervisor"]], 30)
    due = [i for i in idx if i not in new_joiners]                          # 270 due a review
    reviewed = pick(rng, due, 59)                                           # 59 of 270: 22% (2020/21)
    investigators = [i for i in idx if people[i]["department"] in ("cid", "public_protection")]
    pip2 = pick(rng, investigators, 52)                                     # 52 of 70
    abe_roles = [i for i in idx if people[i]["department"] == "public_protection"] + \
        [i for i in idx if people[i]["department"] == "cid" and people[i]["role_type"] == "police_staff"]
    abe = pick(rng, abe_roles, 27)                                          # 27 of 40
    pcsos = [i for i in idx if people[i]["role_type"] == "pcso"]
    custody = [i for i in idx if people[i]["department"] == "custody"]
    lapsed = pick(rng, pcsos, 9) | pick(rng, custody, 2)                    # PCSOs' annual training lapsed
    cid_officers = [i for i in idx if people[i]["department"] == "cid" and people[i]["role_type"] == "police_officer"]
    cid_bwv = pick(rng, cid_officers, 8)                                    # plain-clothes officers without BWV
    oh_control = pick(rng, [i for i in idx if people[i]["department"] == "control_room"], 14)
    fls = set(sorted(i for i in idx if people[i]["department"] == "specialist_operations")[:4])  # family liaison
    for i, p in enumerate(people):
        dept, role = p["department"], p["role_type"]
        officer = role == "police_officer"
        p["temporarily_promoted"] = i in temporary
        if p["supervisor"]:
            p["supervisor_training_completed"] = i in trained_sups
        p["annual_review_due"] = i not in new_joiners
        if i in reviewed:
            p["annual_review_completed_on"] = AS_OF - dt.timedelta(days=rng.randrange(20, 360))
        elif i in due and rng.random() < 0.6:
            p["annual_review_completed_on"] = AS_OF - dt.timedelta(days=rng.randrange(400, 1100))
        p["investigator_role"] = i in investigators
        if i in investigators:
            p["pip2_qualified"] = i in pip2
        p["abe_interviewer_role"] = i in abe_roles
        if i in abe_roles:
            p["abe_trained"] = i in abe
        p["may_use_force"] = officer or role == "pcso" or dept == "custody"
        if p["may_use_force"]:
            p["use_of_force_training_on"] = AS_OF - dt.timedelta(days=rng.randrange(400, 700) if i in lapsed
                                                                 else rng.randrange(15, 350))
        p["routinely_searches_or_arrests"] = officer and dept in ("response", "neighbourhood", "cid",
                                                                   "specialist_operations")
        p["body_worn_video_issued"] = (i in cid_bwv) if dept == "cid" else bool(p["routinely_searches_or_arrests"]
                                                                                or role == "pcso")
        p["high_risk_role"] = dept in ("public_protection", "control_room") or i in fls
        if dept == "public_protection" or i in oh_control:
            p["occupational_health_assessed_on"] = AS_OF - dt.timedelta(days=rng.randrange(20, 330))
        if dept == "neighbourhood":
            p["problem_solving_trained"] = True  # around 550 SNT officers and problem-solvers trained in SARA
    leavers: list[Row] = []
    interviewed = pick(rng, range(40), 18)   # exit interviews with fewer than half of leavers
    for n in range(40):
        dept, role = rng.choice([("response", "police_officer"), ("control_room", "police_staff"),
                                 ("cid", "police_officer"), ("support", "police_staff"), ("neighbourhood", "pcso")])
        leavers.append({"department": dept, "role_type": role, "supervisor": False, "temporarily_promoted": False,
                        "annual_review_due": False, "investigator_role": False, "abe_interviewer_role": False,
                        "may_use_force": False, "routinely_searches_or_arrests": False, "high_risk_role": False,
                        "left_on": AS_OF - dt.timedelta(days=rng.randrange(5, 360)),
                        "exit_interview_completed": n in interviewed})
    rows = people + leavers
    rng.shuffle(rows)
    for n, row in enumerate(rows, start=1):
        row["person_ref"] = f"WM21-P{n:04d}"
    return rows


# ----------------------------------------------------------------------------- problem solving
PLAN_COLUMNS = ["plan_ref", "local_policing_area", "problem_type", "opened_on", "closed_on", "status", "method",
                "analysis_recorded", "community_engaged", "partners_involved", "tactics_used", "tactics_evaluated",
                "evaluated", "evaluated_on", "supervisor_reviewed", "effective_practice_identified",
                "practice_shared_force_wide", "practice_shared_with_partners"]


def plans() -> list[Row]:
    """40 problem-solving plans of 2021: effective, SARA-based, evaluated locally, rarely shared force-wide."""
    rng = rng_for("problem_solving_plan")
    per_lpa = [12, 7, 9, 5, 7]   # "the number and type of plans varies from one LPA to another"
    rows: list[Row] = []
    for lpa, count in zip(LPAS, per_lpa):
        for _ in range(count):
            rows.append({"local_policing_area": lpa})
    closed = pick(rng, range(40), 22)
    effective = pick(rng, closed, 10)
    shared_force = set(sorted(effective)[:3])
    shared_partners = set(sorted(effective)[1:7])   # both only for 2 of the 10
    tactics = pick(rng, closed, 16)
    for i, row in enumerate(rows):
        opened = dt.date(2021, 1, 4) + dt.timedelta(days=rng.randrange(0, 200))
        row.update(problem_type=rng.choice(["anti_social_behaviour", "crime_hotspot", "repeat_location",
                                            "repeat_victim", "repeat_offender"]),
                   opened_on=opened, status="closed" if i in closed else "open",
                   method="sara" if rng.random() < 0.9 else "other_structured", analysis_recorded=True,
                   community_engaged=True, partners_involved=True, supervisor_reviewed=True,
                   effective_practice_identified=i in effective)
        if i in closed:
            shut = opened + dt.timedelta(days=rng.randrange(60, 160))
            row.update(closed_on=shut, evaluated=True, evaluated_on=shut)
            if i in effective:
                row["practice_shared_force_wide"] = i in shared_force
                row["practice_shared_with_partners"] = i in shared_partners
            if i in tactics:
                row["tactics_used"] = rng.choice(["community protection notice", "criminal behaviour order",
                                                  "public spaces protection order", "closure order"])
                row["tactics_evaluated"] = True
    for n, row in enumerate(rows, start=1):
        row["plan_ref"] = f"WM21-PSP-{n:03d}"
    return rows


# -------------------------------------------------------------------------------- attestations
ATTESTATION_COLUMNS = ["attestation_ref", "question", "scope", "answer", "evidence_ref", "last_reviewed_on", "owner"]
# question, answer, evidence, owner. Each answer is what P21 found; EXPECTED.md quotes the basis.
ANSWERS = [
    ("investigations_dashboard_used", False, "Crime dashboard usage audit, September 2021", "Head of Crime"),
    ("digital_forensics_prioritisation", False, "Digital forensics triage policy v3 and exceptions log",
     "Head of Digital Forensics"),
    ("domestic_abuse_arrests_reportable", True, "Domestic abuse arrest audit, quarter 2 2021",
     "Head of Public Protection"),
    ("domestic_abuse_outcome_16_analysis", False, "Crime outcomes performance pack, 2021", "Head of Crime"),
    ("multi_agency_vulnerability_data_plan", False, "Vulnerability partnership executive group terms of reference",
     "Head of Public Protection"),
    ("response_times_reportable", False, "Command and control reporting gap analysis, 2021",
     "Head of Operations and Communications"),
    ("mental_health_crisis_arrangements", False, "Mental health triage partnership review, 2021",
     "Chief Inspector, Partnerships"),
    ("attendance_policy_quality_assurance", False, "Deployment principles guidance v2",
     "Head of Operations and Communications"),
    ("direct_crime_recording_attendance_known", False, "Crime recording and attendance data note",
     "Head of Performance"),
    ("health_partner_demand_reduction", False, "Mental health demand report, 2021", "Chief Inspector, Partnerships"),
    ("crime_prevention_strategy", True, "Community charter and early intervention strategy, 2021",
     "Head of Local Policing"),
    ("community_understanding_analysis", True, "Community safety assessments 2021-2024 (partnership analysts)",
     "Head of Local Policing"),
    ("neighbourhood_abstraction_measured", True, "Neighbourhood policing demand dashboard and redeployment log",
     "Head of Local Policing"),
    ("daily_management_meetings_prevention", True, "Tactical tasking and co-ordinating group terms of reference",
     "Head of Local Policing"),
    ("problem_solving_force_wide_evaluation", False, "Problem-solving hub performance report, 2021",
     "Head of Local Policing"),
    ("evidence_based_practice_understood", False, "Community charter; practice-sharing log", "Head of Local Policing"),
    ("stop_search_data_monitoring", False, "Stop and search strategic board data pack, 2021",
     "Chief Inspector, Legitimacy"),
    ("stop_search_disproportionality_plan", False, "Published stop and search disproportionality analysis",
     "Chief Inspector, Legitimacy"),
    ("use_of_force_information_published", False, "Use of force quarterly data and infographic (no minutes)",
     "Chief Inspector, Legitimacy"),
    ("volunteer_opportunities_promoted", False, "Citizens in policing plan 2022-2023", "Head of Citizens in Policing"),
    ("outstanding_suspects_countable", True, "Crime dashboard: outstanding suspects, bail and RUI",
     "Head of Crime"),
    ("iom_evaluation", False, "Integrated offender management annual report", "Head of Offender Management"),
    ("child_abuse_image_database_uploads", False, "Online child sexual exploitation team technology review",
     "Head of Public Protection"),
    ("workforce_skills_audit", False, "Talent and resourcing plan (skills assessment due April 2022)",
     "Head of People"),
    ("talent_management_programme", False, "Talent management programme progress report", "Head of People"),
    ("learning_development_needs_met", False, "Training plan 2021-2022 and CPD feedback", "Head of Learning"),
    ("wellbeing_plan_owner", False, "Wellbeing plan (draft, awaiting chief officer approval)", "Head of People"),
    ("data_breadth_accuracy", False, "Data and integration project initiation document", "Chief Digital Officer"),
    ("collaboration_strategy", False, "Hard Yards collaboration self-assessment", "Chief Finance Officer"),
    ("staff_time_savings_identified", True, "Priority-based planning report; business operations centre benefits",
     "Chief Finance Officer"),
    ("specialist_workload_tools", True, "Priority-based planning: departmental demand and service levels",
     "Chief Finance Officer"),
    ("mobile_devices", False, "Digital services plan: mobile working replacement", "Chief Digital Officer"),
]


def attestations() -> list[Row]:
    rng = rng_for("attestation")
    rows: list[Row] = []
    for question, answer, evidence, owner in ANSWERS:
        rows.append({"question": question, "scope": "force", "answer": "yes" if answer else "no",
                     "evidence_ref": evidence,
                     "last_reviewed_on": AS_OF - dt.timedelta(days=rng.randrange(20, 300)), "owner": owner})
    # Independent advisory groups, one answer per local policing area: only one scrutinises use of force
    # in full (observes training, sits on the use of force meeting, reviews body-worn video).
    for lpa in LPAS:
        rows.append({"question": "iag_use_of_force_scrutiny", "scope": lpa, "answer": "yes" if lpa == "Telford and Wrekin" else "no",
                     "evidence_ref": f"IAG terms of reference and minutes, {lpa}",
                     "last_reviewed_on": AS_OF - dt.timedelta(days=rng.randrange(20, 200)),
                     "owner": "Chief Inspector, Legitimacy"})
    for n, row in enumerate(rows, start=1):
        row["attestation_ref"] = f"WM21-SA-{n:03d}"
    return rows


# ----------------------------------------------------------------------------------------- main
def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent
    out.mkdir(parents=True, exist_ok=True)
    main_files, sample = case_files()
    write_csv(out, "case_file.csv", CASE_COLUMNS, main_files)
    write_csv(out, "victim_declined.case_file.csv", CASE_COLUMNS, sample)
    write_csv(out, "out_of_court_disposal.csv", DISPOSAL_COLUMNS, disposals())
    write_csv(out, "call.csv", CALL_COLUMNS, calls())
    write_csv(out, "incident.csv", INCIDENT_COLUMNS, incidents())
    write_csv(out, "missing_person_report.csv", MISSING_COLUMNS, missing_people())
    write_csv(out, "stop_search.csv", SEARCH_COLUMNS, searches())
    write_csv(out, "use_of_force.csv", FORCE_COLUMNS, uses_of_force())
    write_csv(out, "sex_offender_visit.csv", VISIT_COLUMNS, visits())
    write_csv(out, "outstanding_suspect.csv", SUSPECT_COLUMNS, suspects())
    write_csv(out, "workforce_member.csv", WORKFORCE_COLUMNS, workforce())
    write_csv(out, "problem_solving_plan.csv", PLAN_COLUMNS, plans())
    write_csv(out, "attestation.csv", ATTESTATION_COLUMNS, attestations())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
