"""Files that are not regular files (a FIFO, a process substitution ``<(...)``, a socket, a device).

peelcheck reads an input more than once (a profile to find its pack and then to apply it; a record
file to detect its encoding, survey it for ``--jobs`` and read it), and a FIFO read a second time
waits for ever. Such a path is refused, named, with a stable code, before anything opens it;
records that come from a pipe go on standard input (``-``), which is copied to a file once.
"""

from __future__ import annotations

import stat
from pathlib import Path

from peelcheck.errors import Location, UsageError


def refuse_special(path: Path, what: str) -> None:
    """Raise ``not-a-regular-file`` if ``path`` exists and is neither a regular file nor a folder."""
    try:
        mode = path.stat().st_mode  # stat never opens: a FIFO does not block it
    except OSError:
        return  # absent or unreadable: said where it is opened
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        raise UsageError.single("not-a-regular-file", f"the {what} is not a regular file (a FIFO, a process "
                                "substitution <(...), a socket or a device): it cannot be read more than once",
                                Location(str(path)), hint="write it to a file first; records from a pipe can be "
                                "given on standard input as -")
