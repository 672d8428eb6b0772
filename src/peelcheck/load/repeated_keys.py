"""Keys repeated within a file (two records both named ``CF-1``): noted with where each repeat is and
reported as a data-quality finding; both records are still assessed as they are."""

from __future__ import annotations

import heapq
import zlib
from array import array
from bisect import bisect_right
from collections import Counter, deque
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from itertools import chain, compress, islice, repeat
from operator import and_, itemgetter, lt
from typing import Any


class RepeatedKeys:
    """Records whose key an earlier record of the same file has, found exactly, in little memory.

    A million-row file's keys held as Python strings (about 140 MB with a set of them) would cost
    more memory than the rest of the run, and testing each against the keys before it costs a
    Python step per key. So the keys are kept as their text alone, ``CHUNK`` keys joined into one
    string (about 11 MB for a million ten-character keys), and looked at once, at the end. Keys
    that came in ascending order (an export sorted by reference, told as they come by comparing
    each key with the next, in C) are each there once; others are looked at by their hashes
    (``_repeats_by_hash``: an 8 MiB table, and each key hashed once more).

    A key is compared as its record is named (the value its cell was read as: ``007`` and ``+7`` in
    an int field are both 7), and reported as written. Where a chunk's keys were all written as
    they are compared (nearly always), their text is all that is kept; otherwise the chunk's written
    forms are kept beside it, in the same way, for the report to name both lines' cells.
    """

    CHUNK = 1_000  # keys held as Python strings before they are joined (a CSV notes this many at a time)
    _SEPARATOR = "\x00"  # between the keys of a chunk (one holding it is kept as it is)

    def __init__(self, unit: str = "line", packed: bool = False) -> None:
        self.unit = unit  # "line" of the file, or "record" (its position) where lines are unknown
        # a partition's keys, sent to the merge: each chunk's text compressed as it is joined
        self.packed = packed
        self.pending: list[str] = []  # the latest keys, not yet joined
        # the keys before them, CHUNK at a time (bytes: compressed, where packed or pickled)
        self.joined: list[str | bytes | list[str]] = []
        self.chunk_starts: list[int] = []  # the row index each joined chunk starts at
        # beside each joined chunk, its keys as written where any was written otherwise (else None); the
        # pending keys' likewise
        self.written: list[str | bytes | list[str] | None] = []
        self.pending_written: list[str] | None = None
        self.ascending = True  # each key joined so far came after the one before it
        self.last = ""  # the last key joined
        self.starts: list[int] = []  # the row index each run of numbers starts at
        self.runs: list[Sequence[int]] = []  # the numbers (a range, as CSV lines mostly are, or an array)
        self.count = 0  # keys noted

    def note(self, key: str, number: int, written: str | None = None) -> None:
        self.note_many([key], (number,), None if written is None else [written])

    def note_many(self, keys: Sequence[str], numbers: Iterable[int], written: Sequence[str] | None = None) -> None:
        """Keys (as compared) and where each is (a line or record number), a chunk at a time; and how
        each was written, where that may differ (None: each as it is compared)."""
        if not keys:  # every run holds a place: the first and last of each part are compared when combined
            return
        if written is not None and list(written) != list(keys):
            if self.pending_written is None:
                self.pending_written = list(self.pending)
            self.pending_written += written
        elif self.pending_written is not None:
            self.pending_written += keys
        last = self.runs[-1] if self.runs else None
        if isinstance(last, array) and not isinstance(numbers, range):
            last.extend(numbers)  # record by record (JSON, YAML, sheets): one array
        else:
            self.starts.append(self.count)
            self.runs.append(numbers if isinstance(numbers, range) else array("q", numbers))
        self.count += len(keys)
        self.pending += keys
        if len(self.pending) >= self.CHUNK:
            self._join()

    def noted(self) -> Iterator[tuple[int, str, str]]:
        """(where, key, key as written) of each key noted, in the order noted."""
        self._join()
        written = (self._keys(k if w is None else w) for k, w in zip(self.joined, self.written))
        return zip(chain.from_iterable(self.runs), chain.from_iterable(map(self._keys, self.joined)),
                   chain.from_iterable(written))

    @classmethod
    def combined(cls, parts: list[RepeatedKeys]) -> RepeatedKeys:
        """The keys noted by the readers of one file's partitions (each in file order), noted as one
        reader of the whole file notes them: in order of where each is (no two are in one place)."""
        whole = cls(parts[0].unit if parts else "line")
        if _one_after_another(parts):  # a CSV's byte ranges: their keys follow on, taken as they are
            for part in parts:
                whole._follow(part)
            return whole
        found = heapq.merge(*(part.noted() for part in parts))
        while chunk := list(islice(found, cls.CHUNK)):
            whole.note_many([key for _, key, _ in chunk], [where for where, _, _ in chunk], [w for *_, w in chunk])
        return whole

    def _follow(self, part: RepeatedKeys) -> None:
        """Take ``part``'s keys after these (all of its places after all of these), sharing its text."""
        part._join()
        if not part.count:
            return
        self._join()
        first = self._keys(part.joined[0])[0]
        self.ascending = self.ascending and part.ascending and (not self.count or self.last < first)
        self.starts += [start + self.count for start in part.starts]
        self.runs += part.runs
        self.chunk_starts += [start + self.count for start in part.chunk_starts]
        self.joined += part.joined
        self.written += part.written
        self.count += part.count
        self.last = part.last

    def described(self, rejected: Collection[int] = frozenset()) -> list[str]:
        """Each repeat, in file order: its key as written, where it is and where the key first was (and
        how it was written there, where that was otherwise). Keys noted at a ``rejected`` place (a CSV
        notes every row's key cell before its row is read) are not records: they repeat none and
        none repeats them."""
        unit, number, repeats = self.unit, self._number, list(self._repeats())
        if rejected:
            repeats = self._records_only(repeats, rejected)
        written = self._written_at({place for i, _, first in repeats for place in (i, first)})
        told = []
        for i, key, first in repeats:
            mine, theirs = written.get(i, key), written.get(first, key)
            told.append(f"{mine!r} at {unit} {number(i)} (first at {unit} {number(first)}"
                        + (")" if theirs == mine else f" as {theirs!r})"))
        return told

    def repeated_places(self) -> list[tuple[int, int]]:
        """(where, where it first was) of each key noted again, in order: used for a file's exact
        repeated rows, each row noted by its cells' text (``repeated_rows.row_text``). The repeats are
        taken one by one, never all held with their text (a file of rows mostly repeated would hold
        nearly every row's)."""
        return [(self._number(i), self._number(first)) for i, _, first in self._repeats()]

    def _repeats(self) -> Iterator[tuple[int, str, int]]:
        """(row index, key, the row index of its first record), for each record repeating a key, in order."""
        if not self.joined:  # a small file: in Python
            first: dict[str, int] = {}
            return ((i, key, at) for i, key in enumerate(self.pending) if (at := first.setdefault(key, i)) != i)
        self._join()
        return iter(()) if self.ascending else _repeats_by_hash(lambda: map(self._keys, self.joined))

    def _records_only(self, repeats: list[tuple[int, str, int]],
                      rejected: Collection[int]) -> list[tuple[int, str, int]]:
        """The repeats among the keys not at a rejected place: each key's places (its first and every
        repeat, all in ``repeats``) without the rejected, the first left its first."""
        places: dict[str, list[int]] = {}
        for i, key, first in repeats:
            places.setdefault(key, [first]).append(i)
        kept = []
        for key, indices in places.items():
            records = [i for i in indices if self._number(i) not in rejected]
            kept += [(i, key, records[0]) for i in records[1:]]
        return sorted(kept)

    def _written_at(self, places: set[int]) -> dict[int, str]:
        """How the keys at these row indices were written, where that was not as they are compared."""
        starts = [*self.chunk_starts, self.count - len(self.pending)]  # the pending keys last
        forms = [*self.written, self.pending_written]
        read: dict[int, list[str]] = {}  # each chunk's written forms, read once
        found: dict[int, str] = {}
        for place in places:
            chunk = bisect_right(starts, place) - 1
            form = forms[chunk]
            if form is not None:
                texts = read.get(chunk) or read.setdefault(chunk, self._keys(form))
                found[place] = texts[place - starts[chunk]]
        return found

    def _join(self) -> None:
        keys = self.pending
        if not keys:
            return
        if self.ascending:
            self.ascending = (not self.joined or self.last < keys[0]) and all(map(lt, keys, islice(keys, 1, None)))
        self.last = keys[-1]
        self.chunk_starts.append(self.count - len(keys))
        self.joined.append(self._kept(keys))
        self.written.append(None if self.pending_written is None else self._kept(self.pending_written))
        self.pending, self.pending_written = [], None

    def _kept(self, keys: list[str]) -> str | bytes | list[str]:
        """A chunk of keys as held: joined (and compressed, where packed), or as they are where one holds
        the separator."""
        text = self._SEPARATOR.join(keys)
        if text.count(self._SEPARATOR) != len(keys) - 1:
            return keys
        return _packed(text) if self.packed else text

    def _keys(self, joined: str | bytes | list[str]) -> list[str]:
        if isinstance(joined, bytes):  # as pickled
            joined = zlib.decompress(joined).decode("utf-8")
        return joined.split(self._SEPARATOR) if isinstance(joined, str) else joined

    def __getstate__(self) -> dict[str, Any]:
        """A partition's keys, sent to the merge and held there until read: each chunk's text compressed
        (an export's references, numbered in turn, to a seventh)."""
        self._join()
        state = dict(self.__dict__)
        state["joined"] = [_packed(j) if isinstance(j, str) else j for j in self.joined]
        state["written"] = [_packed(w) if isinstance(w, str) else w for w in self.written]
        return state

    def _number(self, index: int) -> int:
        run = bisect_right(self.starts, index) - 1
        return self.runs[run][index - self.starts[run]]


def _packed(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), 1)


def _one_after_another(parts: list[RepeatedKeys]) -> bool:
    """Whether each part's keys are all placed after the last of the parts before it."""
    last = -1
    for part in parts:
        if part.count:
            if part.runs[0][0] <= last:
                return False
            last = part.runs[-1][-1]
    return True


_SLOTS = 1 << 23  # one-byte slots: the table telling which keys' slots an earlier key took (8 MiB)
_PART = 1000  # keys hashed and marked at a time (few enough that two rarely share a slot)


def _repeats_by_hash(chunks: Callable[[], Iterable[list[str]]]) -> Iterator[tuple[int, str, int]]:
    """RepeatedKeys' repeats among keys in no order, in little memory. A table of one-byte slots,
    tested and marked a part of the keys at a time by C loops, flags each key whose slot (a part of
    its hash) an earlier key took: a few per cent of a million. Only the keys whose hash a flagged
    key has are then looked at, in a second reading of ``chunks``, and grouped by their text: exact,
    whichever hashes collide."""
    table, mask = bytearray(_SLOTS), _SLOTS - 1
    wanted: set[int] = set()  # the hashes of flagged keys
    for keys in chunks():
        for at in range(0, len(keys), _PART):
            codes = list(map(hash, keys[at:at + _PART]))
            slots = list(map(and_, codes, repeat(mask)))
            wanted.update(compress(codes, itemgetter(*slots)(table) if len(slots) > 1 else [table[slots[0]]]))
            deque(map(table.__setitem__, slots, repeat(1)), maxlen=0)
            if len(set(slots)) != len(slots):  # a slot shared within the part: its keys too
                shared = Counter(slots)
                wanted.update(code for code, slot in zip(codes, slots) if shared[slot] > 1)
    if not wanted:
        return
    first: dict[str, int] = {}
    start = 0
    for keys in chunks():
        for i in compress(range(len(keys)), map(wanted.__contains__, map(hash, keys))):
            earliest = first.setdefault(keys[i], start + i)
            if earliest != start + i:
                yield start + i, keys[i], earliest
        start += len(keys)
