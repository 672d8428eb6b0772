"""The plugin's settings: ini options (``peelcheck_pack`` ...) and the command-line override.

Paths in the ini file are relative to the pytest rootdir (the folder of pytest.ini or
pyproject.toml), so a rules repository runs the same from any working directory.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from peelcheck.bdd.cells import parse_date
from peelcheck.evaluate.runner import Engine
from peelcheck.load.pack_registry import find_installed

INI_OPTIONS: dict[str, tuple[str, str]] = {
    "peelcheck_pack": ("The rule pack the scenarios use: a folder relative to the rootdir, or an installed "
                       "pack's name.", "peel-core"),
    "peelcheck_profile": ("A force profile applied to that pack by default (relative to the rootdir).", ""),
    "peelcheck_as_of": ("Default assessment date (YYYY-MM-DD or 'today').", "today"),
    "peelcheck_engine": ("Default engine: durable or python.", "durable"),
}
COLLECT_INI = "peelcheck_collect_features"


@dataclass(frozen=True)
class Settings:
    """Where the pack is and how scenarios run unless a step says otherwise."""

    rootdir: Path
    pack_dir: Path
    profile: Path | None
    as_of: dt.date
    engine: Engine

    def resolve(self, path: str) -> Path:
        """A path written in a step or an ini option, relative to the rootdir unless absolute."""
        candidate = Path(path)
        return candidate if candidate.is_absolute() else self.rootdir / candidate


def add_options(parser: pytest.Parser) -> None:
    for name, (help_text, default) in INI_OPTIONS.items():
        parser.addini(name, help_text, default=default)
    parser.addini(COLLECT_INI, "Collect *.feature files directly, with no test module (true/false).",
                  type="bool", default=False)
    group = parser.getgroup("peelcheck", "peelcheck rule scenarios")
    group.addoption("--peelcheck-engine", choices=[e.value for e in Engine], default=None,
                    help="Engine for every scenario that does not name one (overrides peelcheck_engine).")
    group.addoption("--peelcheck-pack", default=None,
                    help="Rule pack folder for the scenarios (overrides peelcheck_pack).")


def as_of_from(text: str) -> dt.date:
    if text.strip().lower() == "today":
        return dt.date.today()
    value = parse_date(text.strip())
    if not isinstance(value, dt.date):
        raise pytest.UsageError(f"peelcheck_as_of: cannot read {text!r} as a date (use YYYY-MM-DD or 'today')")
    return value


def engine_from(text: str) -> Engine:
    try:
        return Engine(text.strip().lower())
    except ValueError:
        raise pytest.UsageError(f"peelcheck_engine: {text!r} is not one of durable, python") from None


def settings_from(config: pytest.Config) -> Settings:
    root = Path(config.rootpath)
    pack = config.getoption("--peelcheck-pack") or str(config.getini("peelcheck_pack"))
    profile = str(config.getini("peelcheck_profile")).strip()
    engine = config.getoption("--peelcheck-engine") or str(config.getini("peelcheck_engine"))
    base = Settings(root, root, None, dt.date.today(), Engine.DURABLE)
    folder = base.resolve(pack)
    if not folder.is_dir():  # an installed pack's name (peel-core, west-mercia, an entry point's)
        folder = find_installed(pack) or folder
    return Settings(rootdir=root, pack_dir=folder, profile=base.resolve(profile) if profile else None,
                    as_of=as_of_from(str(config.getini("peelcheck_as_of"))), engine=engine_from(engine))
