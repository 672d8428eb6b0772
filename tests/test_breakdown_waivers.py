"""Record waivers and breakdowns: a waived failing record leaves every breakdown row it was counted in,
as it leaves the rule's figures, so the rows still add up to the total on every engine, with --jobs
and on a cluster; a waiver matching no failure (a record that passes, one the rule does not apply
to, a key not in the file) changes no row, as it changes no total."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peelcheck.assess.breakdown import check_adds_up
from peelcheck.assess.waivers import Waiver, Waivers
from peelcheck.cli.main import cli
from peelcheck.errors import EngineError, Location
from peelcheck.evaluate import durable_engine
from peelcheck.evaluate.breakdown import APPLICABLE, NON_COMPLIANT_COUNT, NOT_RECORDED_COUNT
from peelcheck.evaluate.reference import ReferenceRule
from peelcheck.evaluate.runner import Engine, Tally, TypeEvaluation
from peelcheck.load.batch import Batch
from peelcheck.schema.outcomes import Outcome
from peelcheck.schema.records import record_validator

from .conftest import EXAMPLES, PACK_DIR
from .strategies import AS_OFS, RECORD_TYPE, records, rulesets

ENGINES = ["python", "columnar"] + (["durable"] if durable_engine.available() else [])
RULE = "INV-017"  # crimes not attended, broken down by crime_type (its own) and attended (--by)
COPIES = 10  # 1,300 rows: two blocks of 1,000, so --jobs 2 and the cluster each give both processes some
# INV-017's failures in the file below (crime type, kind), waived: in the first block and in the second
NON_COMPLIANT = "WM21-CF-0008-0"  # theft
NOT_RECORDED = "WM21-CF-0005-9"  # theft_from_vehicle, supervision not audited
WHEN_NOT_RECORDED = "WM21-CF-0014-9"  # other, attendance not recorded: the rule may apply
SECOND_NON_COMPLIANT = "WM21-CF-0036-9"  # theft_from_vehicle
# INV-017 and waivers that match no failure: a record that passes, one not applicable, a key not in the file
PASSING, NOT_APPLICABLE, NO_SUCH = "WM21-CF-0031-0", "WM21-CF-0001-9", "NO-SUCH-CASE"


@pytest.fixture(scope="module")
def case_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 2021 example's case files ten times over (keys made unique), in each copy one crime not attended
    with its supervision not audited (INV-017 not recorded) and one whose attendance is not recorded."""
    with (EXAMPLES / "west-mercia-2021" / "case_file.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    blanks = {"WM21-CF-0005": "supervised_effectively", "WM21-CF-0014": "attended"}
    target = tmp_path_factory.mktemp("breakdown-waivers") / "case_file.csv"
    with target.open("w", newline="") as handle:
        out = csv.DictWriter(handle, fieldnames=list(rows[0]))
        out.writeheader()
        for copy in range(COPIES):
            for row in rows:
                blank = blanks.get(row["case_ref"])
                out.writerow({**row, "case_ref": f"{row['case_ref']}-{copy}", **({blank: ""} if blank else {})})
    return target


def _waivers(tmp_path: Path, *keys: str) -> Path:
    path = tmp_path / "waivers.yaml"
    path.write_text("waivers:\n" + "".join(f"  - {{rule: {RULE}, record: {key}, reason: agreed exception, "
                                           "approver: Supt A. Smith, expires: 2022-12-31}\n" for key in keys))
    return path


def _rule(case_file: Path, *args: str) -> tuple[dict, dict]:
    """INV-017 broken down by crime type and attendance, and the whole report."""
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), str(case_file), "--rule", RULE,
                                      "--by", "attended", "--as-of", "2022-04-01", "--format", "json", *args],
                                env={"PEELCHECK_PSEUDONYM_KEY": "k"})
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    return report["rules"][0], report


COUNTS = ("applicable", "compliant", "non_compliant", "not_recorded")


def _rows(rule: dict) -> dict[tuple[str, object], Counter[str]]:
    """(field, value) -> the row's counts."""
    return {(b["field"], v["value"]): Counter({c: v[c] for c in COUNTS}) for b in rule["breakdowns"]
            for v in b["values"]}


def _adds_up(rule: dict) -> None:
    assert {b["field"] for b in rule["breakdowns"]} == {"crime_type", "attended"}
    for breakdown in rule["breakdowns"]:
        for count in COUNTS:
            assert sum(v[count] for v in breakdown["values"]) == rule[count], (breakdown["field"], count)


def _less(rows: dict[tuple[str, object], Counter[str]], *taken: tuple[str, bool | None, str]) -> dict:
    """The rows with failing records taken out: each (crime type, attended, kind of failure)."""
    out = {key: Counter(counts) for key, counts in rows.items()}
    for crime_type, attended, kind in taken:
        for key in (("crime_type", crime_type), ("attended", attended)):
            out[key].subtract({"applicable": 1, kind: 1})
    return {key: +counts for key, counts in out.items() if counts["applicable"]}  # an emptied row is no row


WAIVED = [("theft", False, "non_compliant"), ("theft_from_vehicle", False, "not_recorded"),
          ("other", None, "not_recorded"), ("theft_from_vehicle", False, "non_compliant")]


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("engine", ENGINES)
def test_waived_failures_leave_every_row_they_were_counted_in(case_file, tmp_path, engine, jobs):
    before, _ = _rule(case_file)
    waivers = _waivers(tmp_path, NON_COMPLIANT, NOT_RECORDED, WHEN_NOT_RECORDED, SECOND_NON_COMPLIANT)
    after, report = _rule(case_file, "--waivers", str(waivers), "--engine", engine, "--jobs", jobs)
    assert after["applicable"] == before["applicable"] - 4 and after["not_recorded"] == before["not_recorded"] - 2
    assert [w["failures"] for w in report["waived"]] == [1, 1, 1, 1]
    assert _rows(after) == _less(_rows(before), *WAIVED)
    _adds_up(after)


def test_waived_failures_leave_the_rows_on_a_cluster(case_file, tmp_path):
    waivers = _waivers(tmp_path, NON_COMPLIANT, NOT_RECORDED, WHEN_NOT_RECORDED, SECOND_NON_COMPLIANT)
    alone, _ = _rule(case_file, "--waivers", str(waivers))
    spread, _ = _rule(case_file, "--waivers", str(waivers), "--cluster", "local:2")
    before, _ = _rule(case_file)
    assert _rows(spread) == _rows(alone) == _less(_rows(before), *WAIVED)
    _adds_up(spread)


def test_a_waived_not_recorded_failure_leaves_its_rows_not_recorded_count(case_file, tmp_path):
    before, _ = _rule(case_file)
    after, _ = _rule(case_file, "--waivers", str(_waivers(tmp_path, NOT_RECORDED)))
    theft_from_vehicle = _rows(after)["crime_type", "theft_from_vehicle"]
    assert theft_from_vehicle["not_recorded"] == _rows(before)["crime_type", "theft_from_vehicle"]["not_recorded"] - 1
    assert _rows(after) == _less(_rows(before), WAIVED[1])
    _adds_up(after)


def test_waivers_matching_no_failure_change_no_row_beside_one_that_does(case_file, tmp_path):
    before, _ = _rule(case_file)
    waivers = _waivers(tmp_path, PASSING, NOT_APPLICABLE, NO_SUCH, NON_COMPLIANT)
    after, report = _rule(case_file, "--waivers", str(waivers))
    assert [w["record"] for w in report["unused_waivers"]] == [PASSING, NOT_APPLICABLE, NO_SUCH]
    assert [w["record"] for w in report["waived"]] == [NON_COMPLIANT]
    assert _rows(after) == _less(_rows(before), WAIVED[0])  # the passing theft still counted, as compliant
    assert after["compliant"] == before["compliant"]
    _adds_up(after)


def test_rows_that_do_not_add_up_to_the_waived_totals_stop_the_run(peel_pack):
    """The breakdowns and the waivers read the waivers file apart: were they ever to disagree, the
    run stops rather than report rows that contradict the total."""
    rule = next(r for r in peel_pack.rules if r.id == RULE)
    tally = Tally(rule, applicable=3, compliant=2, non_compliant=1,
                  breakdown={"crime_type": {"theft": [2, 1, 0], "other": [1, 0, 0]}})
    check_adds_up(tally)
    tally.applicable, tally.non_compliant = 2, 0  # a waived failure taken from the total, not the rows
    with pytest.raises(EngineError) as caught:
        check_adds_up(tally)
    assert caught.value.diagnostics[0].code == "engine-disagreement"


# For random rules, records (keys drawn from a few, so some repeat) and waivers, on every engine, in one
# chunk or two: once the waivers are applied, each breakdown's rows add up to the rule's figures and
# equal the reference evaluator's outcomes grouped by value, waived failing records left out.
VALIDATOR = record_validator(RECORD_TYPE)
BY = ("e1", "b1", "s1")
KEYS = [f"r{i}" for i in range(8)]
TYPE_ENGINES = [Engine.PYTHON, Engine.COLUMNAR] + ([Engine.DURABLE] if durable_engine.available() else [])
FAILED = (Outcome.NON_COMPLIANT, Outcome.NOT_RECORDED)


def _keyed(records: list[dict]) -> Batch:
    """A batch of records keyed by their own keys (``from_records`` keys them by position)."""
    columns = {name: [record.get(name) for record in records] for name in RECORD_TYPE.fields}
    return Batch(columns, [record["ref"] for record in records], lambda i: Location(f"<records>[{i}]"))


def _waivers_of(rules: list, waived: list[set[str]]) -> Waivers:
    where, until = Location("<test>"), dt.date(2100, 1, 1)
    return Waivers([(Waiver(rule=rule.id, record=key, reason="agreed", approver="someone", expires=until), where)
                    for rule, keys in zip(rules, waived) for key in sorted(keys)])


@settings(max_examples=int(os.environ.get("PEELCHECK_EQUIVALENCE_EXAMPLES", "300")) // 3, deadline=None,
          derandomize=bool(os.environ.get("CI")), suppress_health_check=[HealthCheck.too_slow,
                                                                         HealthCheck.data_too_large])
@given(rules=rulesets(), rows=st.lists(st.tuples(st.sampled_from(KEYS), records()), min_size=1, max_size=12),
       as_of=AS_OFS, cut=st.integers(0, 12), data=st.data())
def test_rows_add_up_to_the_waived_totals_and_leave_out_exactly_the_waived_failures(rules, rows, as_of, cut, data):
    values = [VALIDATOR.validate_python({"ref": key, **row}) for key, row in rows]
    chunks = [c for c in (values[:cut], values[cut:]) if c]
    waived = [data.draw(st.sets(st.sampled_from(KEYS))) for _ in rules]
    for engine in TYPE_ENGINES:
        waivers = _waivers_of(rules, waived)
        evaluation = TypeEvaluation(RECORD_TYPE, rules, engine, as_of, BY, waivers.records())
        try:
            evaluation.feed(_keyed(chunk) for chunk in chunks)
        finally:
            evaluation.close()
        for rule, tally, keys in zip(rules, evaluation.tallies, waived):
            waivers.apply_to(tally)
            reference = ReferenceRule(rule, as_of)
            kept = [(v, o) for v in values if (o := reference.outcome(v)) is not Outcome.NOT_APPLICABLE
                    and not (o in FAILED and v["ref"] in keys)]
            assert tally.applicable == len(kept)
            for name in BY:
                expected: dict[object, Counter[Outcome]] = {}
                for record, outcome in kept:
                    expected.setdefault(record.get(name), Counter())[outcome] += 1
                got = tally.breakdown.get(name, {})
                assert {value: (c[APPLICABLE], c[NON_COMPLIANT_COUNT], c[NOT_RECORDED_COUNT])
                        for value, c in got.items()} == \
                    {value: (sum(e.values()), e[Outcome.NON_COMPLIANT], e[Outcome.NOT_RECORDED])
                     for value, e in expected.items()}
                assert [sum(c[k] for c in got.values()) for k in (APPLICABLE, NON_COMPLIANT_COUNT,
                                                                   NOT_RECORDED_COUNT)] == \
                    [tally.applicable, tally.non_compliant, tally.not_recorded]
