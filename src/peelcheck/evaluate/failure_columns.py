"""Failures of one rule found together (one batch), kept field by field rather than one object each.

A large audit holds hundreds of thousands of failures. ``FailureColumns`` keeps a group's keys,
lines, shared reason texts and the values each explanation read as columns (a value every failure
shares held once: ``Same``; rows of values as one list per field: ``Zipped``), about a quarter of
the memory of one object per failure; a ``FailureResult`` is made only when something reads it.
Kept apart from ``failures``, the sequence of groups a rule's result holds.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from operator import attrgetter, itemgetter
from typing import Any

from peelcheck.evaluate.failure_result import FailureResult
from peelcheck.schema.outcomes import Outcome

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


__all__ = ["FailureColumns", "Names", "Same", "Texts", "Zipped"]
