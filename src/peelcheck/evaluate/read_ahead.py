"""Batches read ahead in a thread, for a reader (DuckDB's) that lets go of the GIL while it works."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from typing import Any


class ReadAhead:
    """Batches read in a thread, a few ahead: DuckDB, which lets go of the GIL, works out the next
    while Python counts this one. What the reading raises is raised where the batch would have come."""

    _END = object()

    def __init__(self, batches: Iterator[Any], ahead: int = 1) -> None:
        self.queue: queue.Queue[Any] = queue.Queue(ahead)
        self.stopped = False
        self.thread = threading.Thread(target=self._read, args=(batches,), name="peelcheck-read-ahead", daemon=True)
        self.thread.start()

    def _read(self, batches: Iterator[Any]) -> None:
        try:
            for batch in batches:
                self.queue.put(batch)
                if self.stopped:
                    return
            self.queue.put(self._END)
        except BaseException as exc:  # noqa: BLE001 (handed to the reader)
            self.queue.put(_Raised(exc))

    def __iter__(self) -> Iterator[Any]:
        while (item := self.queue.get()) is not self._END:
            if isinstance(item, _Raised):
                raise item.exc
            yield item

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(self, *_: object) -> None:
        """Stop reading (the thread ends at its next batch) and wait for it: the connection is then free."""
        self.stopped = True
        while self.thread.is_alive():
            with suppress(queue.Empty):
                self.queue.get(timeout=0.01)  # room for a batch it is putting
        self.thread.join()


@dataclass
class _Raised:
    exc: BaseException


__all__ = ["ReadAhead"]
