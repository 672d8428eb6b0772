"""Hostile inputs found by a mutation campaign through the CLI (each was an internal fault, exit 4, or a silent
loss): now an error at its file and place (exit 2), or read as a clean file is, on every engine and reader."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from peelcheck.cli.main import cli
from peelcheck.exitcodes import ExitCode

from .conftest import EXAMPLES

CLEAN = Path(__file__).parent / "data" / "exports" / "clean.out_of_court_disposal.csv"
PROFILE = EXAMPLES / "west-mercia-2021" / "profile.yaml"
TYPE = "out_of_court_disposal"


def _assess(*args: str) -> Result:
    return CliRunner().invoke(cli, ["assess", "--as-of", "2022-04-01", "--format", "json", "--rule", "INV-001", *args])


def _problems(result: Result) -> list[tuple[str, str]]:
    """(place, code) of each problem on stderr."""
    return re.findall(r"^(.*?): error: .*\[([a-z-]+)\]$", result.stderr, flags=re.M)


# --- a profile ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("hostile", ["zz: " + "9" * 5000, "zz: " + "[" * 1000 + "]" * 1000])
def test_a_profile_with_an_outsize_number_or_deep_nesting_is_located_not_a_fault(tmp_path: Path, hostile: str):
    """assess read the profile's `pack:` with a plain YAML load first, to find the pack: a 5,000-digit number
    (past Python's int limit) or 1,000 nested lists escaped from it as exit 4. The profile's loader places both."""
    profile = tmp_path / "profile.yaml"
    profile.write_text(PROFILE.read_text(encoding="utf-8") + hostile + "\n", encoding="utf-8")
    line = profile.read_text(encoding="utf-8").count("\n")
    result = _assess("--profile", str(profile), str(CLEAN))
    assert result.exit_code == ExitCode.ERROR, result.stderr
    places = _problems(result)
    assert places and all(place.startswith(f"{profile}:{line}:") for place, _ in places), result.stderr
