"""A child process holding this process's durable-rules rulesets (see ``durable_run``).

durable-rules' C extension never releases the GIL, so its half of a chunk (assert, drain,
retract: about half of the durable engine's time) can only overlap the rest of the run in
another process. One child serves every session of a process; the parent sends a chunk's
facts and goes on reading and evaluating the next chunk, then collects the answer. At most one
request is outstanding, and the parent writes only when none is, so neither side can block
the other on a full pipe. A child that dies or answers with an error stops the run with an
EngineError; ``PEELCHECK_DURABLE_PROCESS=0`` keeps durable-rules in this process.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import IO, Any

from peelcheck.errors import EngineError, Location

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: pipes keep their size
    fcntl = None  # type: ignore[assignment]

_tickets = itertools.count()
_PIPE_SIZE = 1 << 20


class DurableWorker:
    """The child process, and the one request that may be outstanding."""

    def __init__(self) -> None:
        package_root = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
        self.process = subprocess.Popen([sys.executable, "-m", "peelcheck.evaluate.durable_run"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        for pipe in (self.process.stdin, self.process.stdout):
            # a chunk's facts fit in the pipe: sending them never waits for the child to read.
            # Not on every system (no fcntl, no F_SETPIPE_SZ, past the limit): a smaller pipe still works.
            with contextlib.suppress(OSError, AttributeError):
                fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, _PIPE_SIZE)  # type: ignore[union-attr]
        self.pid = os.getpid()
        self.pending: int | None = None
        self.answers: dict[int, Any] = {}

    def call(self, request: tuple[Any, ...]) -> Any:
        """Send a request and wait for its answer."""
        return self.answer(self.submit(request))

    def submit(self, request: tuple[Any, ...]) -> int:
        """Send a request; its answer is collected by ``answer`` with the ticket returned."""
        self._settle()
        stream: IO[bytes] = self.process.stdin  # type: ignore[assignment]
        try:
            pickle.dump(request, stream, protocol=pickle.HIGHEST_PROTOCOL)
            stream.flush()
        except (BrokenPipeError, OSError) as exc:
            raise self._ended() from exc
        self.pending = next(_tickets)
        return self.pending

    def answer(self, ticket: int) -> Any:
        if ticket == self.pending:
            self._settle()
        status, value = self.answers.pop(ticket)
        if status != "ok":
            raise _error(f"the durable-rules process failed: {value}")
        return value

    def _settle(self) -> None:
        if self.pending is None:
            return
        ticket, self.pending = self.pending, None
        try:
            self.answers[ticket] = pickle.load(self.process.stdout)  # type: ignore[arg-type]
        except (EOFError, OSError, pickle.UnpicklingError) as exc:
            raise self._ended() from exc

    def _ended(self) -> EngineError:
        code = self.process.poll()
        return _error(f"the durable-rules process ended unexpectedly (exit status {code})")

    def close(self) -> None:
        if self.pid != os.getpid():  # a forked copy: the child is its parent's to close
            return
        if self.process.stdin:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - a child that does not stop
            self.process.kill()


def _error(message: str) -> EngineError:
    return EngineError.single("engine-fault", message, Location("<durable-rules>"))


_worker: DurableWorker | None = None


def enabled() -> bool:
    return os.environ.get("PEELCHECK_DURABLE_PROCESS", "1") != "0"


def worker() -> DurableWorker:
    """This process's child (a new one after a fork: a child belongs to the process that started it).
    OSError or EngineError if none can be started and answer."""
    global _worker
    if _worker is None or _worker.pid != os.getpid() or _worker.process.poll() is not None:
        started = DurableWorker()
        atexit.register(started.close)
        if started.call(("ping",)) is not True:
            started.close()
            raise OSError("durable-rules does not import in a child process")
        _worker = started
    return _worker
