"""A profile's population entries: refused by the Python API as by the CLI when smaller than the sample,
a misspelt entry caught (by validate when it names nothing the pack knows, by assess when it is a close
misspelling of a file given), an entry matching nothing read a located warning."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from peelcheck.cli.main import cli
from peelcheck.compile.pack_check import CompiledPack
from peelcheck.errors import Location, PackError
from peelcheck.load.profile_loader import population_places
from peelcheck.pipeline import AssessOptions, assess

from .conftest import EXAMPLES, PACK_DIR

CASE_FILE = EXAMPLES / "west-mercia-2021" / "case_file.csv"  # 130 rows


def _profile(tmp_path: Path, population: str) -> Path:
    profile = tmp_path / "profile.yaml"
    profile.write_text(f"id: test\ntitle: Test\npack: west-mercia\npopulation:\n{population}")
    return profile


def _run(*args: str) -> tuple[int, list[tuple[str, str, str]]]:
    """The exit code and (severity, code, place) of each diagnostic written."""
    result = CliRunner().invoke(cli, list(args))
    found = [(line.split(": ", 2)[1], line.rsplit("[", 1)[1].rstrip("]"), line.split(": ", 1)[0])
             for line in result.output.splitlines() if ": error: " in line or ": warning: " in line]
    return result.exit_code, found


def test_the_api_refuses_a_population_below_the_sample_at_its_entry(tmp_path: Path, peel_pack: CompiledPack) -> None:
    profile = _profile(tmp_path, "  case_file.csv: 129\n")
    options = AssessOptions(as_of=dt.date(2022, 4, 1), populations={"case_file.csv": 129},
                            population_places=population_places(profile))
    with pytest.raises(PackError) as error:
        assess(peel_pack, [CASE_FILE], options)
    assert [(d.code, str(d.location)) for d in error.value.diagnostics] == \
        [("population-below-sample", f"{profile}:5:18")]
    with pytest.raises(PackError) as unplaced:  # populations given in code, with no profile: still refused
        assess(peel_pack, [CASE_FILE], AssessOptions(populations={"case_file": 100}))
    assert [(d.code, d.location) for d in unplaced.value.diagnostics] == \
        [("population-below-sample", Location("<population>"))]


def test_validate_refuses_a_population_key_that_is_neither_a_file_nor_a_record_type(tmp_path: Path) -> None:
    profile = _profile(tmp_path, "  case_file.csv: 2000\n  case_flie: 5000\n  call: 300\n")
    code, found = _run("validate", str(PACK_DIR), "--profile", str(profile))
    assert code != 0 and found == [("error", "unknown-population", f"{profile}:6:3")]


def test_a_population_entry_misspelling_a_file_given_is_an_error(tmp_path: Path) -> None:
    profile = _profile(tmp_path, "  case_flie.csv: 5000\n")
    code, found = _run("assess", "--pack", str(PACK_DIR), "--profile", str(profile), str(CASE_FILE),
                       "--as-of", "2022-04-01", "-q", "-o", str(tmp_path / "r.json"))
    assert code == 2 and found == [("error", "population-typo", f"{profile}:5:18")]
    assert not (tmp_path / "r.json").exists()


def test_a_population_entry_matching_nothing_read_is_a_located_warning(tmp_path: Path) -> None:
    profile = _profile(tmp_path, "  case_file.csv: 2000\n  call.csv: 300\n  case_flie.csv: 5000\n  incident: 9\n")
    out = tmp_path / "r.json"
    code, found = _run("assess", "--pack", str(PACK_DIR), "--profile", str(profile), str(CASE_FILE),
                       "--as-of", "2022-04-01", "-o", str(out))
    assert code in (0, 1)
    assert [f for f in found if f[0] == "warning"] == [("warning", "unused-population", f"{profile}:{line}:{col}")
                                                       for line, col in ((6, 13), (7, 18), (8, 13))]
    report = json.loads(out.read_text())
    intervals = [r["interval"] for r in report["rules"] if r["interval"]]
    assert intervals and all(i["population"] == 2000 for i in intervals)
    assert [(w["about"], w["code"], w["path"], w["line"], w["column"]) for w in report["warnings"]] == \
        [("inputs", "unused-population", str(profile), line, col) for line, col in ((6, 13), (7, 18), (8, 13))]
