"""Writing a report to a file the user named, safely: every report format goes through here.

- The path is checked before the run (``check_output``): a missing folder, a folder, an unwritable
  path, or a file the run reads (a record file, the mapping, the profile, a file of the pack) is
  refused with a located error, exit 2, before any work is done.
- The report is written to a temporary file beside the target and renamed over it only when
  complete (``report_file``): an interrupt, SIGTERM or a fault mid-write leaves the old file (or
  none), never a truncated report; two runs writing one path each rename a whole report of their own.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from peelcheck.errors import Location, UsageError


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def files_under(folder: Path) -> Iterator[Path]:
    """Every file in a folder tree, following symbolic links (as the pack loader does), each folder once."""
    seen: set[str] = set()
    for top, dirs, names in os.walk(folder, followlinks=True):
        seen.add(os.path.realpath(top))
        dirs[:] = [d for d in dirs if os.path.realpath(os.path.join(top, d)) not in seen]
        for name in names:
            yield Path(top, name)


def check_output(output: Path, reads: Iterable[Path]) -> None:
    """Refuse, before the run, an output path that cannot be written or that names a file the run reads."""
    where = Location(str(output))
    if output.is_dir():
        raise UsageError.single("output-is-folder", "the output is a folder, not a file", where,
                                hint=f"name a file in it, e.g. {output / 'gaps.md'}")
    folder = output.resolve().parent
    if not folder.is_dir():
        raise UsageError.single("no-output-folder", f"the folder {folder} does not exist", where,
                                hint="create it first, or write the report somewhere else")
    if not os.access(folder, os.W_OK | os.X_OK) or output.exists() and not os.access(output, os.W_OK):
        raise UsageError.single("output-not-writable", "cannot write here (permission denied)", where)
    target, identity = output.resolve(), _identity(output)
    for path in reads:
        if path.resolve() == target or identity is not None and _identity(path) == identity:
            raise UsageError.single("output-is-input", f"the output would overwrite {path}, which this run reads",
                                    where, hint="write the report to a file of its own")


def _mode_for(target: Path) -> int:
    """The existing file's permissions, or what a new file gets under the umask."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextmanager
def report_file(output: Path) -> Iterator[TextIO]:
    """A text handle whose content replaces ``output`` only if the block completes."""
    target = output.resolve()  # through a symbolic link: the file it names is replaced
    if target.exists() and not target.is_file():  # a device or a pipe (/dev/stdout): written as it is
        with target.open("w", encoding="utf-8") as handle:
            yield handle
        return
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:  # named as the user gave it, not as the temporary file beside it
        raise OSError(exc.errno, exc.strerror, str(output)) from exc
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
