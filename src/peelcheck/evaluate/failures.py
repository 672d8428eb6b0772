"""A record that failed a rule: the one finding shape every report renders, and how a rule's many are held.

A large audit holds hundreds of thousands of failures. They are kept field by field
(``FailureColumns``, one per rule and batch: the keys, lines, shared reason texts and the values
each explanation read), about a quarter of the memory of one object per failure, and a
``FailureResult`` is made only when something reads it (a report, a test): ``Failures`` is the
sequence a rule's result holds, validated, serialised and documented as a list of FailureResult.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, islice, repeat
from operator import attrgetter, itemgetter
from typing import Annotated, Any, overload

from pydantic import ConfigDict, Field, GetCoreSchemaHandler, PlainSerializer
from pydantic_core import CoreSchema, core_schema

from peelcheck.evaluate.failure_spill import Parcel, Spill, Spilled, loaded, stored
from peelcheck.schema.outcomes import Outcome
from peelcheck.schema.values import plain


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs three times as much, per failure
class FailureResult:
    """A record that failed a rule, and why: the clauses that decided it and the values seen."""

    __pydantic_config__ = ConfigDict(extra="forbid")

    key: str
    location: Annotated[str, Field(description="file:line (or file[index]) of the record")]
    outcome: Outcome
    part: Annotated[str, Field(description="'expect', or 'when' if applicability could not be decided")]
    reason: Annotated[str, Field(description="the clauses that decided it, naming the record type's fields")]
    explanation: Annotated[str, Field(description="the same in words: each field by its description")]
    # the record's own values (dates as dates), written out as reports show them only when rendered
    values: Annotated[dict[str, Any], PlainSerializer(plain, when_used="json")]


def failure(key: str, location: str, outcome: Outcome, part: str, reason: str, explanation: str,
            values: dict[str, Any]) -> FailureResult:
    """A FailureResult from trusted values (its texts are shared: explanations make each text once)."""
    return FailureResult(key, location, outcome, part, reason, explanation, values)


Texts = str | list[str]  # one text for every failure of a group, or one each
Names = tuple[str, ...] | list[tuple[str, ...]]


class Same(Sequence[Any]):
    """One value for every failure of a group (its outcome, its part, a shared text): held once."""

    __slots__ = ("value", "size")

    def __init__(self, value: Any, size: int) -> None:
        self.value, self.size = value, size

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self.value] * len(range(*index.indices(self.size)))
        if not -self.size <= index < self.size:
            raise IndexError("index out of range")
        return self.value

    def __iter__(self) -> Iterator[Any]:
        return repeat(self.value, self.size)


class Zipped(Sequence[tuple[Any, ...]]):
    """Rows of values kept as their columns (one list per field): a tuple is made per row only when read."""

    __slots__ = ("columns", "size")

    def __init__(self, columns: list[list[Any]], size: int) -> None:
        self.columns, self.size = columns, size

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return list(zip(*(c[index] for c in self.columns))) if self.columns else [()] * len(range(
                *index.indices(self.size)))
        if not -self.size <= index < self.size:
            raise IndexError("index out of range")
        return tuple(c[index] for c in self.columns)

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return zip(*self.columns) if self.columns else repeat((), self.size)


def _each(texts: Any, size: int) -> Sequence[Any]:
    return texts if isinstance(texts, list) else Same(texts, size)
_OUTCOMES = {o.value: o for o in Outcome}
_COLUMNS = ("keys", "outcomes", "parts", "reasons", "explanations", "names", "rows")


@dataclass(slots=True, eq=False)  # compared as the failures they hold (Failures.__eq__)
class FailureColumns:
    """Failures of one rule found together (one batch), field by field; ``values`` of failure i are
    ``names[i]`` paired with ``rows[i]``. Where the records are lines of one file, ``path`` is set and
    ``places`` holds line numbers; otherwise ``places`` holds each location as text."""

    keys: list[str]
    outcomes: Sequence[Outcome]
    parts: Sequence[str]
    reasons: Sequence[str]
    explanations: Sequence[str]
    names: Sequence[tuple[str, ...]]
    rows: Sequence[tuple[Any, ...]]
    path: str | None
    places: Sequence[int] | list[str]

    @classmethod
    def found(cls, keys: list[str], places: tuple[str | None, Sequence[Any]], outcome: Outcome, part: str,
              reasons: Texts, explanations: Texts, names: Names,
              rows: Sequence[tuple[Any, ...]]) -> FailureColumns:
        """Failures of one outcome and part, each text (and the names) given once or one per failure."""
        size = len(keys)
        path, where = places
        return cls(keys, Same(outcome, size), Same(part, size), _each(reasons, size), _each(explanations, size),
                   _each(names, size), rows, path, array("q", where) if path is not None else list(where))

    @classmethod
    def from_results(cls, results: Sequence[FailureResult]) -> FailureColumns:
        shared: dict[tuple[str, ...], tuple[str, ...]] = {}  # one tuple of names for failures naming the same
        names = [shared.setdefault(n, n) for n in (tuple(f.values) for f in results)]
        return cls([f.key for f in results], [f.outcome for f in results], [f.part for f in results],
                   [f.reason for f in results], [f.explanation for f in results],
                   names, [tuple(f.values.values()) for f in results], None, [f.location for f in results])

    @classmethod
    def in_order(cls, groups: list[tuple[list[int], FailureColumns]]) -> FailureColumns:
        """Groups of failures joined in the order of their records' positions (given per group)."""
        positions = [p for found, _ in groups for p in found]
        picked = sorted(range(len(positions)), key=positions.__getitem__)
        order = itemgetter(*picked) if len(picked) > 1 else lambda column: tuple(column[i] for i in picked)
        found = [g for _, g in groups]
        path = found[0].path if len({g.path for g in found}) == 1 else None  # else places become texts

        def joined(column: Callable[[FailureColumns], Iterable[Any]]) -> list[Any]:
            return list(order(list(chain.from_iterable(map(column, found)))))

        keys, outcomes, parts, reasons, explanations, names, rows = (joined(attrgetter(name)) for name in _COLUMNS)
        places = array("q", joined(attrgetter("places"))) if path is not None else joined(FailureColumns.locations)
        return cls(keys, outcomes, parts, reasons, explanations, names, rows, path, places)

    def __len__(self) -> int:
        return len(self.keys)

    def cut(self, start: int, stop: int) -> FailureColumns:
        """Failures ``start`` to ``stop`` (not included) of the group, their shared columns still shared."""
        size = stop - start

        def part(column: Any) -> Any:
            if isinstance(column, Same):
                return Same(column.value, size)
            if isinstance(column, Zipped):
                return Zipped([values[start:stop] for values in column.columns], size)
            return column[start:stop]

        keys, outcomes, parts, reasons, explanations, names, rows = (part(getattr(self, name)) for name in _COLUMNS)
        return FailureColumns(keys, outcomes, parts, reasons, explanations, names, rows, self.path,
                              self.places[start:stop])

    def locations(self) -> Iterable[str]:
        if self.path is None:
            return self.places  # type: ignore[return-value]
        path = self.path
        return (f"{path}:{line}" for line in self.places)

    def __iter__(self) -> Iterator[FailureResult]:
        return map(FailureResult, self.keys, self.locations(), self.outcomes, self.parts, self.reasons,
                   self.explanations, map(dict, map(zip, self.names, self.rows)))

    def result(self, i: int) -> FailureResult:
        where = self.places[i] if self.path is None else f"{self.path}:{self.places[i]}"
        return FailureResult(self.keys[i], where, self.outcomes[i], self.parts[i],  # type: ignore[arg-type]
                             self.reasons[i], self.explanations[i], dict(zip(self.names[i], self.rows[i])))

    def __getstate__(self) -> tuple[Any, ...]:
        # outcomes travel as their values: an enum member pickles as a call (--jobs, --cluster)
        outcomes = self.outcomes if isinstance(self.outcomes, Same) else [o.value for o in self.outcomes]
        return (self.keys, outcomes, self.parts, self.reasons, self.explanations, self.names, self.rows, self.path,
                self.places)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        (self.keys, outcomes, self.parts, self.reasons, self.explanations, self.names, self.rows, self.path,
         self.places) = state
        self.outcomes = outcomes if isinstance(outcomes, Same) else list(map(_OUTCOMES.__getitem__, outcomes))


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
        return [key for group in self.groups() for key in group.keys]

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


def _rebuilt(groups: list[FailureColumns]) -> Failures:
    failures = Failures()
    for group in groups:
        failures.add(group)
    return failures


def _same(a: Any, b: Any) -> bool:
    return bool(a == b)


__all__ = ["FailureColumns", "FailureResult", "Failures", "Same", "Zipped", "failure"]
