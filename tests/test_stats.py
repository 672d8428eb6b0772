"""Sample statistics: Wilson intervals against published values, the finite population correction,
sample planning, and --verdict deciding between a rate and its interval."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from peelcheck.assess.model import InputFile
from peelcheck.assess.model_extras import RateInterval
from peelcheck.assess.sampling import population_of
from peelcheck.assess.stats import Interval, effective_size, plus_minus, rate_percent, sample_size, straddles, wilson
from peelcheck.cli.main import cli
from peelcheck.compile.pack_check import CompiledPack, load_compiled_pack
from peelcheck.pipeline import AssessOptions, assess_records
from peelcheck.report.common import measure
from peelcheck.report.html import chart
from peelcheck.schema.outcomes import RuleStatus

from .conftest import EXAMPLES, PACK_DIR
from .pack_factory import rule_spec, write_pack

# Newcombe (1998), "Two-sided confidence intervals for the single proportion", Statistics in
# Medicine 17:857-872, table I, method 3 (Wilson score, no continuity correction).
NEWCOMBE = [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718),
            (29, 29, 0.8830, 1.0)]


@pytest.mark.parametrize(("k", "n", "low", "high"), NEWCOMBE)
def test_wilson_matches_newcombes_published_values(k: int, n: int, low: float, high: float) -> None:
    interval = wilson(k, n)
    assert round(interval.low, 4) == low and round(interval.high, 4) == high



def test_finite_population_correction_narrows_and_a_census_has_no_error() -> None:
    assert effective_size(100, 1000) == pytest.approx(100 * 999 / 900)
    corrected, plain_interval = wilson(50, 100, population=1000), wilson(50, 100)
    assert plain_interval.low < corrected.low < 0.5 < corrected.high < plain_interval.high
    # the corrected interval is the Wilson interval of the effective sample size
    n = 100 * 999 / 900
    z = 1.959963984540054
    half = z / (1 + z * z / n) * math.sqrt(0.25 / n + z * z / (4 * n * n))
    assert corrected.high - corrected.low == pytest.approx(2 * half)
    census = wilson(45, 50, population=50)
    assert census.low == census.high == 0.9


def test_plus_minus_is_written_as_the_inspectorate_writes_it_where_the_interval_is_even() -> None:
    assert plus_minus(0.5, wilson(50, 100)) == "50.0% (± 9.6%)"
    assert plus_minus(1.0, wilson(29, 29)) == "100.0% (95%: 88.3-100.0%)"  # one-sided: its range


def test_an_uneven_interval_is_written_as_its_range_not_as_half_its_width() -> None:
    # Wilson 88.8-97.0%: '± 4.1%' would say 90.0-98.2%
    assert plus_minus(128 / 136, wilson(128, 136)) == "94.1% (95%: 88.8-97.0%)"
    # 28 of 29 against 85%: the interval (82.8-99.4%) holds the threshold; '± 8.3%' would put it outside
    interval = wilson(28, 29)
    assert straddles(interval, 0.85) and plus_minus(28 / 29, interval, 0.85) == "96.6% (95%: 82.8-99.4%)"


@pytest.mark.parametrize(("rate", "threshold", "shown"),
                         [(2249 / 2500, 0.9, "89.96%"), (0.9, 0.9, "90.0%"), (9999 / 10000, 1.0, "99.99%"),
                          (99_999 / 100_000, None, "99.999%"), (1 / 100_000, None, "0.001%"),
                          (0.94117, 0.9, "94.1%"), (1.0, 1.0, "100.0%"), (0.0, 0.9, "0.0%")])
def test_a_rate_is_never_rounded_onto_its_threshold_or_to_100_or_0(rate: float, threshold: float | None,
                                                                   shown: str) -> None:
    assert rate_percent(rate, threshold) == shown


@pytest.mark.parametrize(("rate", "interval", "threshold", "shown"), [
    # a low end short of the threshold: '90.0' would say the interval does not straddle it, and it does
    (0.93, Interval(0.89996, 0.97), 0.9, "93.0% (95%: 89.996-97.0%)"),
    # a high end short of it: '± 5.0%' would put the threshold at the interval's end, and it is outside
    (0.85, Interval(0.80, 0.89996), 0.9, "85.0% (95%: 80.0-89.996%)"),
    # even about the rate, but '± 3.0%' would round the low end onto the threshold
    (0.93, Interval(0.89996, 0.96004), 0.9, "93.0% (95%: 89.996-96.0%)"),
    (0.99, Interval(0.96, 0.99996), None, "99.0% (95%: 96.0-99.996%)"),  # short of 100%
    (0.01, Interval(0.00004, 0.04), None, "1.0% (95%: 0.004-4.0%)"),  # above 0%
    (1.0, wilson(10, 10), 0.85, "100.0% (95%: 72.2-100.0%)"),  # 1 less a float's error is 100%
])
def test_an_intervals_ends_never_round_onto_the_threshold_or_to_100_or_0(rate: float, interval: Interval,
                                                                         threshold: float | None, shown: str) -> None:
    assert plus_minus(rate, interval, threshold) == shown


def test_the_charts_label_writes_the_ends_as_the_figures_do(peel_pack: CompiledPack) -> None:
    assessment = assess_records(peel_pack, {"case_file": []}, AssessOptions(as_of=dt.date(2022, 4, 1)))
    interval = RateInterval(low=0.89996, high=0.97, margin=0.035, small_sample=False, straddles=True,
                            point_status=RuleStatus.MET)
    rule = next(r for r in assessment.rules if r.id == "INV-003")
    rule = rule.model_copy(update={"compliance_rate": 0.93, "threshold": 0.9, "interval": interval})
    assert "95% interval 89.996% to 97.0%" in str(chart(rule))


def test_a_rule_one_short_of_its_threshold_does_not_read_as_reaching_it(tmp_path: Path) -> None:
    rule = rule_spec(0, expect={"b1": True}, threshold=0.9)
    pack = load_compiled_pack(write_pack(tmp_path / "pack", [rule]))
    records = [{"b1": i >= 251} for i in range(2500)]  # 2,249 of 2,500: 89.96%
    result = assess_records(pack, {"thing": records}, AssessOptions(as_of=dt.date(2022, 4, 1))).rules[0]
    assert result.status is RuleStatus.NOT_MET and result.shortfall == 1
    assert measure(result).startswith("89.96% (95%: ")


def test_straddling_is_the_threshold_inside_the_interval() -> None:
    interval = wilson(90, 100)  # about 0.826 to 0.945
    assert straddles(interval, 0.9) and straddles(interval, 0.85)
    assert not straddles(interval, 0.8) and not straddles(interval, 0.95)


@pytest.mark.parametrize(("expected", "margin", "population", "size"),
                         [(0.5, 0.05, None, 385), (0.9, 0.05, None, 139), (0.5, 0.05, 1000, 278),
                          (0.5, 0.03, None, 1068)])
def test_sample_size_matches_the_textbook_figures(expected: float, margin: float, population: int | None,
                                                   size: int) -> None:
    assert sample_size(expected, margin, population) == size


def test_plan_sample_command_prints_the_size() -> None:
    result = CliRunner().invoke(cli, ["plan-sample", "--expected", "0.9", "--margin", "0.05", "--population", "500"])
    assert result.exit_code == 0 and result.stdout.strip() == str(sample_size(0.9, 0.05, 500))
    assert CliRunner().invoke(cli, ["plan-sample", "--expected", "1.5", "--margin", "0.05"]).exit_code == 2


def _assess(tmp_path: Path, pack: CompiledPack, threshold: float | None, *args: str) -> tuple[int, dict]:
    profile = tmp_path / "profile.yaml"
    text = f"id: test\ntitle: Test\npack: {pack.pack.id}\npopulation: {{case_file.csv: 2000}}\n"
    if threshold is not None:
        text += f"thresholds:\n  INV-003: {{threshold: {threshold}, reason: a test of the verdict}}\n"
    profile.write_text(text)
    files = [str(EXAMPLES / "west-mercia-2021" / "case_file.csv")]
    out = tmp_path / "report.json"
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "--profile", str(profile), *files,
                                      "--as-of", "2022-04-01", "--rule", "INV-003", "-o", str(out), *args])
    return result.exit_code, json.loads(out.read_text())["rules"][0]


def test_verdict_interval_makes_a_straddling_rule_inconclusive_and_not_a_failure(tmp_path: Path,
                                                                                 peel_pack: CompiledPack) -> None:
    _, first = _assess(tmp_path, peel_pack, None)
    rate = first["compliance_rate"]
    assert first["interval"]["population"] == 2000
    threshold = round(rate + 0.02, 3)  # just above the rate: not met by the rate, inside the interval
    code, rule = _assess(tmp_path, peel_pack, threshold)
    assert code == 1 and rule["status"] == "not_met" and rule["interval"]["straddles"]
    code, rule = _assess(tmp_path, peel_pack, threshold, "--verdict", "interval")
    assert code == 0 and rule["status"] == "inconclusive" and rule["interval"]["point_status"] == "not_met"
    code, rule = _assess(tmp_path, peel_pack, round(rate + 0.2, 3), "--verdict", "interval")
    assert code == 1 and rule["status"] == "not_met" and not rule["interval"]["straddles"]


def test_a_rule_on_some_of_the_records_is_corrected_by_the_whole_samples_fraction() -> None:
    # 7 of the 10 records sampled from 10: a census of the file is a census of the rule's 7 too
    assert effective_size(7, 10, sampled=10) == math.inf
    census = wilson(3, 7, population=10, sampled=10)
    assert census.low == census.high == pytest.approx(3 / 7)
    # 40 of 100 records drawn from 1,000: the sampling fraction is 1 in 10, not 40 in 1,000
    assert effective_size(40, 1000, sampled=100) == pytest.approx(40 * 999 / 900)


def _input(path: str, records: int, record_type: str = "case_file") -> InputFile:
    return InputFile(path=path, record_type=record_type, records=records, rejected=0)


def test_a_record_types_population_counts_once_for_all_its_files() -> None:
    files = [_input("a/case_file.csv", 130), _input("a/victim_declined.case_file.csv", 8)]
    assert population_of("case_file", files, {"case_file": 2400}) == (2400, 138)
    assert population_of("case_file", files, {"case_file.csv": 2000, "victim_declined.case_file.csv": 50}) \
        == (2050, 138)
    assert population_of("case_file", files, {"case_file.csv": 2000, "case_file": 300}) == (2300, 138)
    assert population_of("case_file", files, {"case_file.csv": 2000}) is None


def test_a_census_decides_every_rule_on_the_file_under_the_interval_verdict(tmp_path: Path,
                                                                           peel_pack: CompiledPack) -> None:
    profile = tmp_path / "profile.yaml"
    profile.write_text(f"id: test\ntitle: Test\npack: {peel_pack.pack.id}\npopulation: {{case_file.csv: 130}}\n")
    out = tmp_path / "report.json"
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "--profile", str(profile),
                                      str(EXAMPLES / "west-mercia-2021" / "case_file.csv"), "--as-of", "2022-04-01",
                                      "--verdict", "interval", "-o", str(out)])
    assert result.exit_code == 1, result.output
    rules = {r["id"]: r for r in json.loads(out.read_text())["rules"]}
    some = [r for r in rules.values() if r["interval"] and 0 < r["applicable"] < 130]
    assert some and all(r["interval"]["low"] == r["interval"]["high"] == r["compliance_rate"] for r in some)
    assert rules["INV-016"]["compliance_rate"] == 1.0 and rules["INV-016"]["status"] == "met"
CASE_FILE = EXAMPLES / "west-mercia-2021" / "case_file.csv"


def _with_population(tmp_path: Path, population: str, *files: Path) -> tuple[int, str, dict | None]:
    """Assess ``files`` (the 130-row worked example by default) with a profile whose ``population:``
    holds ``population``: the exit code, stderr and the JSON report (None if none was written)."""
    profile = tmp_path / "profile.yaml"
    profile.write_text(f"id: test\ntitle: Test\npack: west-mercia\npopulation:\n{population}")
    out = tmp_path / "report.json"
    out.unlink(missing_ok=True)
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "--profile", str(profile),
                                      *(str(f) for f in files or [CASE_FILE]), "--as-of", "2022-04-01",
                                      "-o", str(out), "-q"])
    return result.exit_code, result.stderr, json.loads(out.read_text()) if out.exists() else None


def _errors(stderr: str) -> list[tuple[str, str]]:
    """(code, path:line:col) of each error on stderr."""
    return [(line.rsplit("[", 1)[1].rstrip("]"), line.split(": error:")[0]) for line in stderr.splitlines()
            if ": error:" in line]


@pytest.mark.parametrize("entry", ["case_file.csv", "case_file"])  # by file name or by record type
def test_a_population_smaller_than_the_sample_drawn_from_it_is_a_located_error(tmp_path: Path, entry: str) -> None:
    code, stderr, report = _with_population(tmp_path, f"  other.csv: 5\n  {entry}: 129\n")  # 130 rows audited
    assert code == 2 and report is None
    assert _errors(stderr) == [("population-below-sample", f"{tmp_path / 'profile.yaml'}:6:{len(entry) + 5}")]


def test_a_population_equal_to_the_sample_is_a_census_and_every_rate_is_exact(tmp_path: Path) -> None:
    code, stderr, report = _with_population(tmp_path, "  case_file.csv: 130\n")
    assert code in (0, 1) and report is not None, stderr
    intervals = [(r["applicable"], r["compliance_rate"], r["interval"]) for r in report["rules"] if r["interval"]]
    assert any(applicable < 130 for applicable, _, _ in intervals)  # rules that apply to some cases only
    assert all(i["population"] == 130 and i["low"] == i["high"] == rate for _, rate, i in intervals)


def test_a_record_types_population_is_drawn_on_by_all_its_files_together(tmp_path: Path) -> None:
    """The docs' ``stop_search: 1850  # every stop_search file together``: the files are one sample."""
    header, *rows = CASE_FILE.read_text().splitlines()
    halves = [tmp_path / "q1.case_file.csv", tmp_path / "q2.case_file.csv"]
    for path, part in zip(halves, (rows[:65], rows[65:])):
        path.write_text("\n".join([header, *part]) + "\n")
    _, stderr, report = _with_population(tmp_path, "  case_file: 130\n", *halves)
    assert report is not None, stderr
    intervals = [(r["compliance_rate"], r["interval"]) for r in report["rules"] if r["interval"]]
    assert intervals and all(i["population"] == 130 and i["low"] == i["high"] == rate for rate, i in intervals)
    code, stderr, _ = _with_population(tmp_path, "  case_file: 100\n", *halves)  # each half is under 100
    assert code == 2 and [c for c, _ in _errors(stderr)] == ["population-below-sample"]


@pytest.mark.parametrize(("population", "small"), [(130, False), (2000, True)])
def test_a_census_is_never_a_small_sample_however_few_records_a_rule_applies_to(tmp_path: Path, population: int,
                                                                                small: bool) -> None:
    profile = tmp_path / "profile.yaml"
    profile.write_text(f"id: test\ntitle: Test\npack: west-mercia\npopulation:\n  case_file.csv: {population}\n")
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "--profile", str(profile), str(CASE_FILE),
                                      "--as-of", "2022-04-01", "-o", str(tmp_path / "report.json"),
                                      "-o", str(tmp_path / "report.html")])
    few = [r for r in json.loads((tmp_path / "report.json").read_text())["rules"]
           if r["interval"] and r["applicable"] < 30]
    assert few  # rules on fewer than 30 of the 130 case files
    assert all(r["interval"]["small_sample"] is small for r in few)
    assert ("small samples:" in result.stderr) is small
    assert ("small sample<" in (tmp_path / "report.html").read_text()) is small
