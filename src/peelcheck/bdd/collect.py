"""Collecting .feature files directly, so a rules repository needs no Python test module at all.

pytest-bdd binds scenarios to a test module with ``scenarios(...)``. Here each feature file gets a
module of its own, made in memory: ``scenarios`` runs with that module's namespace as its locals,
exactly as it would at the top of a ``test_*.py`` file. Switched on by the ini option
``peelcheck_collect_features = true`` (off by default, so a repository that also has a test module
does not run its scenarios twice).
"""

from __future__ import annotations

import types

import pytest


class FeatureModule(pytest.Module):
    """A test module whose tests are the scenarios of one .feature file."""

    def _getobj(self) -> types.ModuleType:
        name = "peelcheck_feature_" + "".join(c if c.isalnum() else "_" for c in self.path.stem)
        module = types.ModuleType(name, f"Scenarios of {self.path.name}")
        module.__file__ = str(self.path)
        namespace = module.__dict__
        namespace["_peelcheck_feature"] = str(self.path)
        # scenarios() puts its tests into the calling frame's locals: run it at "module level".
        exec(  # noqa: S102 - fixed code, no user input
            "from pytest_bdd import scenarios\n"
            "scenarios(_peelcheck_feature, features_base_dir=__import__('os').path.dirname(_peelcheck_feature))\n",
            namespace,
        )
        return module
