"""The sample rules repository (examples/force-rules-repo) passes with nothing but the installed plugin.

It is run the way a force would run it: ``python -m pytest`` in its own folder, in a subprocess,
so its own pytest.ini (not this repository's) decides the rootdir, the pack and the options.
A second run against a deliberately broken copy of its pack shows the scenarios can fail.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FORCE_REPO = REPO / "examples" / "force-rules-repo"


def _pytest(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "PEELCHECK_"))}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", *args], cwd=FORCE_REPO,
                          env=env, capture_output=True, text=True, timeout=600, check=False)


def _passed(output: str) -> int:
    found = re.search(r"(\d+) passed", output)
    return int(found.group(1)) if found else 0


def test_the_force_rules_repository_passes_with_only_the_plugin() -> None:
    assert not list(FORCE_REPO.rglob("*.py")), "the sample repository must need no Python of its own"
    result = _pytest()
    assert result.returncode == 0, result.stdout + result.stderr
    assert _passed(result.stdout) >= 20, result.stdout
    assert "features/vulnerability.feature::" in _pytest("--collect-only").stdout


def test_its_area_tags_select_scenarios() -> None:
    result = _pytest("-m", "vulnerability", "--collect-only")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "features/vulnerability.feature::" in result.stdout
    assert "features/governance.feature::" not in result.stdout
    # a scenario is also marked with the area of every rule it names, tag or no tag
    governance = _pytest("-m", "governance", "--collect-only").stdout
    assert "features/vulnerability.feature::test_a_dip_sample_with_nothing_to_put_right" in governance


def test_a_broken_rule_makes_its_scenarios_fail(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(FORCE_REPO / "pack", pack)
    rule = pack / "vulnerability" / "VUL-001.yaml"
    rule.write_text(rule.read_text(encoding="utf-8").replace("hours: 24", "hours: 48"), encoding="utf-8")
    result = _pytest(f"--peelcheck-pack={pack}", "features/vulnerability.feature")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "expected: record DA-1 fails VUL-001" in result.stdout
    assert "2024-01-11T22:00:01" in result.stdout


def test_a_pack_warning_shows_in_the_warnings_summary_and_fails_nothing(tmp_path: Path) -> None:
    profile = tmp_path / "profile.yaml"
    profile.write_text("id: warned\ntitle: Warned\npack: example-force-local\nwindows:\n  MOS-006:\n"
                       "    field: supervisor_reviewed_on\n    days: 56\n    reason: Eight-weekly reviews\n")
    result = _pytest("-o", f"peelcheck_profile={profile}", "features/vulnerability.feature")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PackWarning" in result.stdout and "[twin-window-kept]" in result.stdout
    assert f"{profile}:6: PackWarning: MOS-006: profile warned changes" in result.stdout
