"""Gherkin results in ``--cucumberjson`` from a run on several processes (``-n auto``, pytest-xdist).

pytest-bdd keeps each scenario's steps beside its report in a registry of its own, which a worker's
report does not take to the process that writes the file: under ``-n auto`` the file was empty, and a
second run in one process was needed to write it. The scenario now travels on the report as a plain
attribute, and is put back in pytest-bdd's registry where the file is written.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest
from pytest_bdd import reporting

_CARRIED = "peelcheck_bdd_scenario"


@pytest.hookimpl(hookwrapper=True, tryfirst=True)  # outermost: pytest-bdd has filled its registry by then
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, None]:
    outcome = yield
    report = outcome.get_result()
    context = reporting.test_report_context_registry.get(report)
    if context is not None and hasattr(item.config, "workerinput"):
        setattr(report, _CARRIED, {"scenario": context.scenario, "name": context.name})


@pytest.hookimpl(tryfirst=True)  # before pytest-bdd's writer reads the registry
def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    carried = getattr(report, _CARRIED, None)
    if carried is not None and report not in reporting.test_report_context_registry:
        reporting.test_report_context_registry[report] = reporting.ReportContext(**carried)
