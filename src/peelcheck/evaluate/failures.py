"""How a rule's many failures are held: ``Failures``, the sequence a rule's result holds.

A large audit holds hundreds of thousands of failures. They are kept field by field
(``failure_columns.FailureColumns``, one per rule and batch), about a quarter of the memory of one
object per failure, and a ``FailureResult`` (``failure_result``) is made only when something reads
it (a report, a test): ``Failures`` is the sequence of those groups, some waiting on disk,
validated, serialised and documented as a list of FailureResult, and merged shard by shard.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from itertools import chain, islice, repeat
from typing import Any, overload

from pydantic import GetCoreSchemaHandler
from pydantic_core import CoreSchema, core_schema

from peelcheck.evaluate.failure_cells import Unexplained
from peelcheck.evaluate.failure_columns import FailureColumns
from peelcheck.evaluate.failure_result import FailureResult
from peelcheck.evaluate.failure_spill import Parcel, Spill, Spilled, loaded, stored


class Failures(Sequence[FailureResult]):
    """A rule's failing records, in the order found: a sequence of FailureResult, each made when read.
    A group may wait on disk (``failure_spill``), and is then read whenever its turn comes."""

    __slots__ = ("_groups", "_ends", "_last")

    def __init__(self, results: Iterable[FailureResult] = ()) -> None:
        self._groups: list[FailureColumns | Spilled | Parcel] = []
        self._ends: list[int] = []  # failures up to and including each group
        self._last: tuple[int, FailureColumns] | None = None  # the group indexing read last (it may be on disk)
        found = list(results)
        if found:
            self.add(FailureColumns.from_results(found))

    def add(self, group: FailureColumns | Spilled | Parcel) -> None:
        if len(group):
            self._groups.append(group)
            self._ends.append(len(self) + len(group))

    def extend(self, other: Iterable[FailureResult]) -> None:
        if isinstance(other, Failures):
            for group in other._groups:
                self.add(group)
        else:
            self.add(FailureColumns.from_results(list(other)))

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    def __iter__(self) -> Iterator[FailureResult]:
        return chain.from_iterable(map(loaded, self._groups))

    def groups(self) -> Iterator[FailureColumns]:
        """The failures group by group (each read from disk when its turn comes, if it waits there)."""
        return map(loaded, self._groups)

    def without(self, keys: Container[str]) -> tuple[Failures, list[FailureResult]]:
        """The failures of records not keyed by ``keys``, in order, and those taken out, in one pass: a group
        kept whole is not read again, and one cut that waited on disk waits there again, cut."""
        kept, taken = Failures(), list[FailureResult]()
        for group in self._groups:
            found = loaded(group)
            if not any(map(keys.__contains__, found.keys)):
                kept.add(group)
                continue
            left = list[FailureResult]()
            for failure in found:
                (taken if failure.key in keys else left).append(failure)
            if left:
                cut = FailureColumns.from_results(left)
                kept.add(group.spill.write(cut) if isinstance(group, Spilled) else cut)
        return kept, taken

    @overload
    def __getitem__(self, index: int) -> FailureResult: ...
    @overload
    def __getitem__(self, index: slice) -> list[FailureResult]: ...
    def __getitem__(self, index: int | slice) -> FailureResult | list[FailureResult]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step == 1 and start == 0:  # the reports' first N: made without indexing each
                return list(islice(self, stop))
            return [self[i] for i in range(start, stop, step)]
        size = len(self)
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError("failure index out of range")
        k = bisect.bisect_right(self._ends, index)
        return self._group(k).result(index - (self._ends[k - 1] if k else 0))

    def _group(self, k: int) -> FailureColumns:
        group = self._groups[k]
        if isinstance(group, FailureColumns):
            return group
        if self._last is None or self._last[0] != k:
            self._last = k, loaded(group)
        return self._last[1]

    def keys(self) -> list[str]:
        """Every failing record's key, in order, without making the failures."""
        return [key for group in self._groups for key in _keys(group)]

    def rename_keys(self, name: Callable[[str], str]) -> None:
        """Replace every key by ``name(key)`` (pseudonyms), in place (on disk too)."""
        self._last = None
        for k, group in enumerate(self.groups()):
            group.keys = list(map(name, group.keys))
            was = self._groups[k]
            if isinstance(was, Spilled):
                self._groups[k] = was.spill.write(group)
            elif isinstance(was, Parcel):
                self._groups[k] = Parcel(stored(group), len(group))

    def park(self, spill: Spill) -> None:
        """Groups that came from another process kept by ``spill``: those that came as their bytes
        (``Parcel``) put on this process's disk as they are, others once it holds enough."""
        for k, group in enumerate(self._groups):
            if isinstance(group, Parcel):
                self._groups[k] = spill.put(group.data, len(group))
            elif isinstance(group, FailureColumns):
                self._groups[k] = spill.keep(group)

    @classmethod
    def joined(cls, parts: list[Failures], spill: Spill) -> Failures:
        """Parts' failures whose places do not interleave (a file's byte ranges, in order) as one sequence:
        their groups as they are, none read or stored again (one that came as its bytes goes to disk so)."""
        joined = cls()
        for failures in parts:
            failures.park(spill)
            for group in failures._groups:
                joined.add(group)
        return joined

    @classmethod
    def merged(cls, shards: list[Failures], position: Callable[[str], int], spill: Spill) -> Failures:
        """Shards' failures (each shard's in file order) as one sequence in file order, as shards' are put
        back; ``position`` of a location is its line or row (lines are read from the columns, not from
        text). A window at a time: every failure up to the nearest end of a shard's next group, so no more
        than a group of each shard is read at once, and what is merged goes by ``spill``."""
        merged = cls()
        heads = [head for head in map(_Head.first, shards, repeat(position)) if head is not None]
        while heads:
            reach = min(head.places[-1] for head in heads)
            pieces = [piece for piece in (head.take(reach) for head in heads) if piece is not None]
            merged.add(spill.keep(pieces[0][1] if len(pieces) == 1 else FailureColumns.in_order(pieces)))
            heads = [head for head in heads if head.go_on()]
        return merged

    def __reduce__(self) -> tuple[Any, ...]:
        # to another process (--jobs, --cluster): a group waiting on this process's disk travels as its bytes
        return _rebuilt, (self._groups,)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(map(_same, self, other))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Failures({list(self)!r})"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        # a list of FailureResult to pydantic (JSON in and out, JSON Schema); kept as it is when given built
        items = handler.generate_schema(list[FailureResult])
        from_list = core_schema.no_info_after_validator_function(cls, items)
        return core_schema.json_or_python_schema(
            json_schema=from_list,
            python_schema=core_schema.union_schema([core_schema.is_instance_schema(cls), from_list]),
            serialization=core_schema.plain_serializer_function_ser_schema(list, return_schema=items))


class _Head:
    """Where a merge is in one shard's failures: the group it reads and how far into it."""

    def __init__(self, groups: Iterator[FailureColumns], position: Callable[[str], int]) -> None:
        self.groups, self.position, self.start = groups, position, 0
        self.group: FailureColumns = FailureColumns.from_results([])
        self.places: Sequence[int] = []

    @classmethod
    def first(cls, failures: Failures, position: Callable[[str], int]) -> _Head | None:
        head = cls(failures.groups(), position)
        return head if head.go_on() else None

    def go_on(self) -> bool:
        """False once the shard's failures are all taken; else reading its group, the next one if need be."""
        if self.start < len(self.places):
            return True
        group = next(self.groups, None)
        if group is None:
            return False
        self.group, self.start = group, 0
        places = group.places if group.path is not None else list(map(self.position, group.places))  # type: ignore[arg-type]
        self.places = places  # type: ignore[assignment]
        return True

    def take(self, reach: int) -> tuple[list[int], FailureColumns] | None:
        """The failures of the group not yet taken at places up to ``reach``, and their places."""
        start, stop = self.start, bisect.bisect_right(self.places, reach, self.start)
        if stop == start:
            return None
        self.start = stop
        whole = start == 0 and stop == len(self.group)
        return list(self.places[start:stop]), self.group if whole else self.group.cut(start, stop)


def _keys(group: FailureColumns | Spilled | Parcel) -> list[str]:
    """A group's keys, read without explaining it where it waits on disk as its cells."""
    return group.failing_keys() if isinstance(group, Unexplained) else loaded(group).keys


def _rebuilt(groups: list[FailureColumns]) -> Failures:
    failures = Failures()
    for group in groups:
        failures.add(group)
    return failures


def _same(a: Any, b: Any) -> bool:
    return bool(a == b)


__all__ = ["Failures"]
