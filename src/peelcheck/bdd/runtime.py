"""Hooks and fixtures of the pytest plugin (loaded by ``peelcheck.bdd.plugin`` when pytest-bdd is installed).

It provides:
- fixtures: ``peelcheck_settings``, ``peelcheck_pack_dir``, ``peelcheck_pack``, ``peelcheck_scenario``,
  ``peelcheck_cli``;
- ini options ``peelcheck_pack``, ``peelcheck_profile``, ``peelcheck_as_of``, ``peelcheck_engine``,
  ``peelcheck_collect_features`` and the ``--peelcheck-engine`` / ``--peelcheck-pack`` options;
- markers for every tag the features use (areas, finding kinds, ``cli``...), and the area and kind
  markers of the rules each scenario names.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from peelcheck.bdd import markers
from peelcheck.bdd.collect import FeatureModule
from peelcheck.bdd.settings import COLLECT_INI, Settings, add_options, settings_from
from peelcheck.bdd.state import STEP_KEY, PackCache, ScenarioState
from peelcheck.bdd.steps_cli import CommandState
from peelcheck.compile.pack_check import CompiledPack
from peelcheck.errors import PeelcheckError

SETTINGS_KEY = pytest.StashKey[Settings]()
PACKS_KEY = pytest.StashKey[PackCache]()


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    settings = settings_from(config)
    config.stash[SETTINGS_KEY] = settings
    config.stash[PACKS_KEY] = PackCache()
    markers.register(config, settings.pack_dir)
    _make_report_folder(config)


def _make_report_folder(config: pytest.Config) -> None:
    """pytest-bdd writes --cucumberjson=reports/cucumber.json only if reports/ exists: make it."""
    path = getattr(config.option, "cucumber_json_path", None)
    if path and not getattr(config, "workerinput", None):  # the xdist controller writes the file
        Path(path).expanduser().absolute().parent.mkdir(parents=True, exist_ok=True)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """With ``peelcheck_collect_features = true``, each .feature file is a test module of its own."""
    if file_path.suffix == ".feature" and parent.config.getini(COLLECT_INI):
        return FeatureModule.from_parent(parent, path=file_path)
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    scenarios = [item for item in items if markers.is_scenario(item)]
    if not scenarios:
        return  # a run without Gherkin scenarios never loads the pack
    try:
        pack = config.stash[PACKS_KEY].get(config.stash[SETTINGS_KEY].pack_dir, None)
    except PeelcheckError:
        return  # the scenarios themselves report the broken pack, with every problem
    for item in scenarios:
        markers.mark_by_rules(item, pack)


@pytest.hookimpl(optionalhook=True)  # pytest-bdd's hook: absent if it is disabled with -p no:pytest-bdd
def pytest_bdd_before_step(request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any,
                           step_func: Any) -> None:
    """Remember the step being run, so a failure message can start with it."""
    where = Path(feature.filename)
    with contextlib.suppress(ValueError):  # a feature outside the rootdir keeps its absolute path
        where = where.relative_to(request.config.rootpath)
    request.node.stash[STEP_KEY] = f"Step: {step.keyword.strip()} {step.name}  ({where}:{step.line_number})"


@pytest.fixture(scope="session")
def peelcheck_settings(pytestconfig: pytest.Config) -> Settings:
    """The resolved settings: rootdir, default pack folder and profile, assessment date, engine."""
    return pytestconfig.stash[SETTINGS_KEY]


@pytest.fixture(scope="session")
def peelcheck_pack_dir(peelcheck_settings: Settings) -> Path:
    """The default pack folder (ini ``peelcheck_pack``: a folder relative to the rootdir or an installed pack's
    name; default ``peel-core``)."""
    return peelcheck_settings.pack_dir


@pytest.fixture(scope="session")
def peelcheck_packs(pytestconfig: pytest.Config) -> PackCache:
    """Compiled packs, loaded once per session."""
    return pytestconfig.stash[PACKS_KEY]


@pytest.fixture(scope="session")
def peelcheck_pack(peelcheck_packs: PackCache, peelcheck_settings: Settings) -> CompiledPack:
    """The default pack, compiled (with the default profile, if the ini names one)."""
    return peelcheck_packs.get(peelcheck_settings.pack_dir, peelcheck_settings.profile)


@pytest.fixture
def peelcheck_scenario(request: pytest.FixtureRequest, peelcheck_settings: Settings,
                       peelcheck_packs: PackCache) -> ScenarioState:
    """The state every rule step reads and changes: pack, options, records, assessment."""
    node = request.node if isinstance(request.node, pytest.Item) else None
    return ScenarioState(settings=peelcheck_settings, packs=peelcheck_packs, node=node)


@pytest.fixture
def peelcheck_cli(request: pytest.FixtureRequest, tmp_path: Path,
                  peelcheck_settings: Settings) -> Iterator[CommandState]:
    """A scratch folder for command-line scenarios, and the last command run in it."""
    node = request.node if isinstance(request.node, pytest.Item) else None
    yield CommandState(workdir=tmp_path, settings=peelcheck_settings, node=node)
