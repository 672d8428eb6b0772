"""Finding the YAML files of a pack folder, so that none is skipped without a word.

Symbolic links to folders and files are followed; ``.yaml``, ``.yml`` and any case of them
(``.YAML``) count. A dangling link, a folder that cannot be read, or a folder link leading back
into a folder already read (each folder's files are read once) is a diagnostic with its path.
"""

from __future__ import annotations

import os
from pathlib import Path

from peelcheck.errors import Diagnostic, Location

SUFFIXES = (".yaml", ".yml")


def yaml_files(folder: Path, skip: tuple[str, ...] = ()) -> tuple[list[Path], list[Diagnostic]]:
    """Every YAML file under ``folder`` (but its subfolders named in ``skip``), sorted, and the problems met."""
    found: list[Path] = []
    problems: list[Diagnostic] = []
    seen: set[str] = set()

    def unreadable(error: OSError) -> None:
        problems.append(Diagnostic("unreadable-folder", f"cannot read folder: {error.strerror}",
                                   Location(str(error.filename or folder))))

    for top, dirs, names in os.walk(folder, followlinks=True, onerror=unreadable):
        seen.add(os.path.realpath(top))
        if top == str(folder):
            dirs[:] = [d for d in dirs if d not in skip]
        for name in sorted(dirs):
            if os.path.realpath(os.path.join(top, name)) in seen:  # a link back up: read once already
                dirs.remove(name)
                problems.append(Diagnostic("link-loop", "this folder link leads back into a folder already read; "
                                           "its files are read once", Location(os.path.join(top, name))))
        for name in names:
            path = Path(top, name)
            if not path.exists():
                problems.append(Diagnostic("dangling-link", "a symbolic link to nothing: the file or folder it "
                                           f"names ({os.readlink(path)}) does not exist", Location(str(path))))
            elif path.suffix.lower() in SUFFIXES:
                found.append(path)
    return sorted(found), problems
