"""The pytest plugin (entry point ``pytest11: peelcheck``): rule scenarios in Gherkin, no Python needed.

The entry point is registered wherever peelcheck is installed, so this module must never break a
pytest run: where pytest-bdd is not installed (peelcheck without its test extra), it loads nothing.
Otherwise it loads the hooks and fixtures (``runtime``) and the step library (``steps_*``).
"""

from __future__ import annotations

from importlib.util import find_spec

STEP_LIBRARY = [
    "peelcheck.bdd.runtime",
    "peelcheck.bdd.steps_setup",
    "peelcheck.bdd.steps_results",
    "peelcheck.bdd.steps_examples",
    "peelcheck.bdd.steps_cli",
    "peelcheck.bdd.cucumber_workers",  # --cucumberjson written under -n auto too
]



def _has_pytest_bdd() -> bool:
    try:
        return find_spec("pytest_bdd") is not None
    except (ImportError, ValueError):
        return False


pytest_plugins: list[str] = STEP_LIBRARY if _has_pytest_bdd() else []
