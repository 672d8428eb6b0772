"""Finding the YAML files of a pack folder, so that none is skipped without a word.

Symbolic links to folders and files are followed; ``.yaml``, ``.yml`` and any case of them
(``.YAML``) count. A dangling link, a folder that cannot be read, or a folder link leading back
into a folder already read (each folder's files are read once) is a diagnostic with its path.
A YAML name that is not a regular file (a FIFO, a socket, a device) is never opened, since reading it
could wait for ever: it is a ``not-a-regular-file`` error. Any other file where rule files live (a
``LOC-001.txt``, a ``notes.md`` in an area folder) is a ``not-a-rule-file`` error, so a misnamed rule
is never passed over; hidden files, READMEs, and the files the caller expects (a pack's top folder,
where pack.yaml lives, and the documents' texts by name, wherever they are kept) are not.
"""

from __future__ import annotations

import os
from pathlib import Path

from peelcheck.errors import Diagnostic, Location

SUFFIXES = (".yaml", ".yml")


def yaml_files(folder: Path, skip: tuple[str, ...] = (), others_at_top: bool = False,
               expected: frozenset[Path] = frozenset()) -> tuple[list[Path], list[Diagnostic]]:
    """Every YAML file under ``folder`` (but its subfolders named in ``skip``), sorted, and the problems met.

    Other files are problems unless hidden, a README, named as one of ``expected`` is (anywhere), or
    (``others_at_top``) in ``folder`` itself."""
    found: list[Path] = []
    problems: list[Diagnostic] = []
    expected_names = {path.name for path in expected}  # a document's text, wherever the pack keeps it
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
        lenient = others_at_top and top == str(folder)
        for name in sorted(names):
            path = Path(top, name)
            problem = _problem(path, lenient or name.startswith(".") or name in expected_names
                               or name.upper().startswith("README"))
            if problem is not None:
                problems.append(problem)
            elif path.suffix.lower() in SUFFIXES:
                found.append(path)
    return sorted(found), problems


def _problem(path: Path, other_allowed: bool) -> Diagnostic | None:
    """Why a file found in a pack folder is not read, if it is not."""
    if not path.exists():
        return Diagnostic("dangling-link", "a symbolic link to nothing: the file or folder it "
                          f"names ({os.readlink(path)}) does not exist", Location(str(path)))
    is_yaml = path.suffix.lower() in SUFFIXES
    if is_yaml and not path.is_file():  # a FIFO would block the read for ever: never opened
        return Diagnostic("not-a-regular-file", "not a regular file (a FIFO, socket or device): not read",
                          Location(str(path)), hint="replace it with the YAML file itself")
    if not is_yaml and not other_allowed:
        return Diagnostic("not-a-rule-file", f"not a YAML file ({path.suffix or 'no extension'}), so not read",
                          Location(str(path)), hint="rename it .yaml if it is a rule, or move it out of the pack")
    return None
