"""Finding packs by name: the packs shipped with peelcheck (peel-core, west-mercia) and the packs other
distributions register under the entry-point group ``peelcheck.packs``.

A distribution registers a pack as ``[project.entry-points."peelcheck.packs"] my-force = "my_force_pack"``:
the entry point loads a module (its folder holds pack.yaml), a path, or a function returning a path.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from types import ModuleType

ENTRY_POINT_GROUP = "peelcheck.packs"
CORE_PACK = "peel-core"


@dataclass(frozen=True)
class InstalledPack:
    name: str
    folder: Path
    provider: str  # "peelcheck" for a shipped pack, else the distribution that registered it


def shipped_packs_dir() -> Path:
    """The folder of the shipped packs: ``peelcheck/packs`` (a link to the repository's ``rules/``)."""
    return Path(str(resources.files("peelcheck") / "packs"))


def _entry_point_folder(entry_point: metadata.EntryPoint) -> Path:
    target = entry_point.load()
    if isinstance(target, ModuleType):
        return Path(str(resources.files(target)))
    if callable(target):
        target = target()
    return Path(str(target))


def installed_packs() -> list[InstalledPack]:
    """Every pack found by name: the shipped ones first, then those registered by entry point."""
    shipped = shipped_packs_dir()
    found = [InstalledPack(p.name, p, "peelcheck") for p in sorted(shipped.iterdir())
             if (p / "pack.yaml").is_file()] if shipped.is_dir() else []
    for entry_point in metadata.entry_points(group=ENTRY_POINT_GROUP):
        provider = entry_point.dist.name if entry_point.dist is not None else "?"
        found.append(InstalledPack(entry_point.name, _entry_point_folder(entry_point), provider))
    return found


def find_installed(name: str) -> Path | None:
    return next((p.folder for p in installed_packs() if p.name == name), None)


def resolve_pack(reference: str | Path, near: Path | None = None) -> Path:
    """The folder a ``--pack`` value or an ``extends`` entry names: an existing folder as given, a sibling of
    ``near`` (packs developed side by side), or an installed pack's name. Otherwise the path as given, so
    the loader reports it missing."""
    path = Path(reference)
    if path.is_dir():
        return path
    if near is not None and (near / str(reference) / "pack.yaml").is_file():
        return near / str(reference)
    installed = find_installed(str(reference)) if path.name == str(reference) else None
    return installed if installed is not None else path
