"""The packs ship with peelcheck (package data), and `peelcheck init` writes a force repository that works."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from click.testing import CliRunner

from peelcheck.cli.main import cli

from .conftest import CORE_DIR, PACK_DIR, REPO


def test_the_wheel_holds_both_packs_in_full(tmp_path: Path):
    """A non-editable install is made from this wheel: every file of rules/ must be in it."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "-w", str(tmp_path), str(REPO)], check=True, capture_output=True, timeout=300)
    [wheel] = tmp_path.glob("peelcheck-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for pack in (CORE_DIR, PACK_DIR):
        files = [p for p in pack.rglob("*") if p.is_file()]
        assert files and all(f"peelcheck/packs/{p.relative_to(REPO / 'rules')}" in names for p in files)


def test_init_scaffolds_a_force_repository_whose_checks_pass(tmp_path: Path):
    folder = tmp_path / "our-rules"
    result = CliRunner().invoke(cli, ["init", str(folder), "--force-name", "Example Police", "--short-name",
                                      "Example"])
    assert result.exit_code == 0, result.output
    for name in ("pack/pack.yaml", "profile.yaml", "features/local_standards.feature", "pytest.ini",
                 ".github/workflows/peelcheck.yml"):
        assert (folder / name).is_file(), name
    assert not list(folder.rglob("*.py"))
    # the scaffold's CI workflow validates with the worked examples: that very command passes here
    workflow = (folder / ".github" / "workflows" / "peelcheck.yml").read_text()
    command = next(line.split("run: ", 1)[1].split() for line in workflow.splitlines() if "peelcheck validate" in line)
    assert command[:3] == ["peelcheck", "validate", "pack"] and "--examples" in command
    validated = CliRunner().invoke(cli, ["validate", str(folder / "pack"), *(
        str(folder / arg) if arg.endswith(".yaml") else arg for arg in command[3:])])
    assert validated.exit_code == 0, validated.stderr
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "PEELCHECK_"))}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q"], cwd=folder, env=env, capture_output=True,
                         text=True, timeout=600, check=False)
    assert run.returncode == 0 and "3 passed" in run.stdout, run.stdout + run.stderr
    assert CliRunner().invoke(cli, ["init", str(folder), "--force-name", "Again"]).exit_code == 2  # not empty


def test_a_scaffolded_scenario_can_fail(tmp_path: Path):
    folder = tmp_path / "our-rules"
    CliRunner().invoke(cli, ["init", str(folder), "--force-name", "Example Police"])
    rule = folder / "pack" / "local-standards" / "LOC-001.yaml"
    rule.write_text(rule.read_text().replace("{at_most: 60}", "{at_most: 59}").replace(
        "answered_after_seconds: 60}\n    outcome: compliant", "answered_after_seconds: 59}\n    outcome: compliant"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "PEELCHECK_"))}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q"], cwd=folder, env=env, capture_output=True,
                         text=True, timeout=600, check=False)
    assert run.returncode == 1 and "1 failed" in run.stdout, run.stdout


def test_the_scaffolded_profiles_window_example_works_once_uncommented(tmp_path: Path):
    folder = tmp_path / "our-rules"
    CliRunner().invoke(cli, ["init", str(folder), "--force-name", "Example Police"])
    profile = folder / "profile.yaml"
    lines = profile.read_text().splitlines()
    example = ["  " + line[4:] for line in lines if line.startswith("#   ")]  # "#   MOS-004:" -> "  MOS-004:"
    assert example and example[0] == "  MOS-004:"
    profile.write_text("\n".join(line if line != "windows: {}" else "\n".join(["windows:", *example])
                                 for line in lines) + "\n")
    validated = CliRunner().invoke(cli, ["validate", str(folder / "pack"), "--profile", str(profile)])
    assert validated.exit_code == 0, validated.output
    assert "warning" not in validated.output
    shown = CliRunner().invoke(cli, ["rules", "show", "MOS-004", "--pack", str(folder / "pack"), "--profile",
                                     str(profile)])
    assert "not (visited_on is within 28 days before the assessment date)" in shown.stdout
