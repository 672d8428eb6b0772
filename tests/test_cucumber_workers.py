"""--cucumberjson under -n 2: every scenario the workers ran, with its steps (peelcheck.bdd.cucumber_workers)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
INV_027_OUTLINE = "entitled_to_enhanced_rights_is_told_within_one_working_day"


def test_a_run_on_two_workers_writes_every_scenario_to_the_cucumber_report(tmp_path):
    report = tmp_path / "cucumber.json"
    run = subprocess.run([sys.executable, "-m", "pytest", "features", "-q", "-n", "2", "-k", INV_027_OUTLINE,
                          f"--cucumberjson={report}"], cwd=REPO, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(REPO / "src")}, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    scenarios = [element for feature in json.loads(report.read_text()) for element in feature["elements"]]
    assert len(scenarios) == 8  # the INV-027 outline's examples, run by either worker
    assert {s["name"] for s in scenarios} == {"A victim entitled to enhanced rights is told within one working day"}
    assert all([step["keyword"] for step in s["steps"]][-3:] == ["Given", "When", "Then"] for s in scenarios)
    assert all(step["result"]["status"] == "passed" for s in scenarios for step in s["steps"])
