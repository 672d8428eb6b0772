"""Sample statistics: Wilson intervals against published values, the finite population correction,
sample planning, and --verdict deciding between a rate and its interval."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from peelcheck.assess.stats import effective_size, plus_minus, sample_size, straddles, wilson
from peelcheck.cli.main import cli
from peelcheck.compile.pack_check import CompiledPack

from .conftest import EXAMPLES, PACK_DIR

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


def test_plus_minus_is_written_as_the_inspectorate_writes_it() -> None:
    assert plus_minus(128 / 136, wilson(128, 136)) == "94.1% (± 4.1%)"
    assert plus_minus(1.0, wilson(29, 29)) == "100.0% (95%: 88.3-100.0%)"  # one-sided: its range


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
