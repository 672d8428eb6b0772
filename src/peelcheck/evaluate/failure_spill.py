"""Failures past what a run should hold in memory, kept in a temporary file until something reads them.

A national run finds millions of failing records, and a report keeps every one (waivers and
baselines read them all). A run keeps its first ``HELD`` failures in memory, as before; each
later group (one rule's failures in one batch) is pickled and compressed into the run's temporary
file (the columnar engine's as their cells, unexplained: ``failure_cells``) and read back, one group
at a time, whenever the report walks it. Memory then stays flat as
the files grow; the disk holds what memory would have, in a quarter of the space.

The file is unnamed (removed from the directory as soon as it is made), so it goes when the run's
results do, or when the process ends, however it ends.
"""

from __future__ import annotations

import os
import pickle
import tempfile
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from peelcheck.errors import Location, UsageError

HELD = 250_000  # failures a run keeps in memory (some 50 MB); a report's first ones are among them
# The columnar engine's process already holds DuckDB and Arrow (some 160 MB of code and working memory):
# it keeps fewer in memory, for a peak under 300 MB at 1,000,000 records (bench/README.md)
HELD_BESIDE_DUCKDB = 50_000
HELD_ENV = "PEELCHECK_HELD_FAILURES"  # another number for a run (and the cluster workers it starts)


def held_failures(default: int | None = None) -> int:
    """How many failures a run keeps in memory: ``PEELCHECK_HELD_FAILURES`` if set, else ``default``
    (else HELD)."""
    given = os.environ.get(HELD_ENV)
    if given is None:
        return HELD if default is None else default
    if not given.isascii() or not given.isdigit():
        raise UsageError.single("bad-held-failures", f"{HELD_ENV}={given!r}: give a whole number of failures, "
                                "0 or more", Location(HELD_ENV))
    return int(given)


class Spill:
    """One run's temporary file of failure groups, and how many failures it has let stay in memory."""

    def __init__(self, held: int | None = None) -> None:
        self.held_at_most, self.held = held_failures() if held is None else held, 0
        self._file: IO[bytes] | None = None
        self._end = 0
        self.pid = os.getpid()  # a forked process (--jobs) inherits the object, never to write with it

    def keep(self, group: Any) -> Any:
        """The group itself while the run holds fewer than ``held_at_most`` failures, else its place on disk."""
        if self.fits(len(group)):
            self.held += len(group)
            return group
        return self.write(group)

    def share(self, parts: int) -> int:
        """Each of ``parts``' share of what the run may still hold: parts evaluated apart (processes, a
        cluster's partitions) that each keep no more than it, and store the rest themselves, side by side,
        all fit when merged here, and none is stored again."""
        return max(0, self.held_at_most - self.held) // parts

    def fits(self, size: int) -> bool:
        """Whether ``size`` more failures would still be held in memory (``keep`` holds them)."""
        return self.held + size <= self.held_at_most

    def write(self, group: Any) -> Spilled:
        return self.put(stored(group), len(group))

    def put(self, data: bytes, size: int) -> Spilled:
        """A group of ``size`` failures, already ``stored``, to disk."""
        try:
            if self._file is None:
                # open as long as the run's results are (closed with them): no block could hold it
                self._file = tempfile.TemporaryFile(prefix="peelcheck-failures-")  # noqa: SIM115
            self._file.seek(self._end)
            self._file.write(data)
            self._file.flush()  # read back with os.pread, below Python's buffer
        except OSError as exc:  # a full disk: said as what it is, never a report short of failures
            raise OSError(exc.errno, f"cannot keep failures past the first {self.held_at_most:,} on disk in "
                          f"{tempfile.gettempdir()}: {exc.strerror or exc}; set TMPDIR to a folder with room, or "
                          f"{HELD_ENV} to hold more in memory") from exc
        offset, self._end = self._end, self._end + len(data)
        return Spilled(self, offset, len(data), size)

    def read(self, offset: int, length: int) -> bytes:
        assert self._file is not None
        data = os.pread(self._file.fileno(), length, offset)
        if len(data) != length:  # the file was cut short under us: never a silently shorter report
            raise OSError(f"peelcheck's temporary file of failures ends {length - len(data)} bytes early")
        return data


_RUN = threading.local()  # .spill: the run under way on this thread (a thread-local, not a ContextVar: setting
#                           one replaces the context's mapping, freeing objects an application may have frozen)


@contextmanager
def one_per_run(default: int | None = None, held: int | None = None) -> Iterator[Spill]:
    """While a run lasts, every ``run_spill()`` of its thread is one Spill: the run's failures share one
    budget however many files and record types it reads (43 forces' files are one national run).
    ``held``: exactly that budget (a worker process's share of its run's), not the default's."""
    before = getattr(_RUN, "spill", None)
    _RUN.spill = spill = Spill(held if held is not None else held_failures(default))
    try:
        yield spill
    finally:
        _RUN.spill = before


def run_spill(default: int | None = None) -> Spill:
    """The run's Spill (``one_per_run``), or a Spill of its own (holding ``default`` failures unless
    told otherwise) outside a run or in another process."""
    current = getattr(_RUN, "spill", None)
    return current if current is not None and current.pid == os.getpid() else Spill(held_failures(default))


class Spilled:
    """A group of failures waiting in a run's temporary file: its length, and the group when loaded."""

    __slots__ = ("spill", "offset", "length", "size")

    def __init__(self, spill: Spill, offset: int, length: int, size: int) -> None:
        self.spill, self.offset, self.length, self.size = spill, offset, length, size

    def __len__(self) -> int:
        return self.size

    def load(self) -> Any:
        return restored(self.spill.read(self.offset, self.length))

    def __reduce__(self) -> tuple[Any, ...]:
        # to another process (--jobs, --cluster) as its stored bytes: the file stays here
        return Parcel, (self.spill.read(self.offset, self.length), self.size)


class Parcel:
    """A group of failures that came from another process's disk: its stored bytes, made into failures
    only when read, or put on this process's disk as they are (``Spill.put``)."""

    __slots__ = ("data", "size")

    def __init__(self, data: bytes, size: int) -> None:
        self.data, self.size = data, size

    def __len__(self) -> int:
        return self.size

    def load(self) -> Any:
        return restored(self.data)


def stored(group: Any) -> bytes:
    """A group of failures as it waits on disk or travels: pickled and compressed (a failure of the bench,
    its key, line and values, is 43 bytes pickled, 11 compressed; compressing costs 0.25 us a failure)."""
    return zlib.compress(pickle.dumps(group, protocol=pickle.HIGHEST_PROTOCOL), 1)


def restored(data: bytes) -> Any:
    return pickle.loads(zlib.decompress(data))


def loaded(group: Any) -> Any:
    """A group of failures, read from disk (or its bytes) if it waits there."""
    return group.load() if isinstance(group, (Spilled, Parcel)) else group


__all__ = ["HELD", "HELD_BESIDE_DUCKDB", "HELD_ENV", "Parcel", "Spill", "Spilled", "loaded", "one_per_run", "restored",
           "run_spill", "stored"]
