"""Repeated keys are found by the key's value as the reader reads it (an int key's ``7``, ``007`` and ``+7``
are one key), on every input path and engine, and reported with the key as written on both lines."""

from __future__ import annotations

import pickle

from hypothesis import given, settings
from hypothesis import strategies as st

from peelcheck.load.repeated_keys import RepeatedKeys


def expected(noted: list[tuple[str, str]], unit: str = "line", first_at: int = 1) -> list[str]:
    """What RepeatedKeys says of (key, written) pairs noted at places first_at, first_at + 1 ...: the
    definition, by the compared key, each repeat named as written and its first as written there."""
    firsts: dict[str, int] = {}
    said = []
    for i, (key, written) in enumerate(noted):
        first = firsts.setdefault(key, i)
        if first != i:
            theirs = noted[first][1]
            said.append(f"{written!r} at {unit} {first_at + i} (first at {unit} {first_at + first}"
                        + (")" if theirs == written else f" as {theirs!r})"))
    return said


# a key as compared, and how it was written (often as compared): "7" written "007" or " 7"
_NOTED = st.lists(st.tuples(st.sampled_from("78a\x00"), st.sampled_from(["", "0", " ", "+"])).map(
    lambda pair: (pair[0], pair[0] if pair[1] == "" else pair[1] + pair[0])), max_size=40)


@settings(max_examples=300, deadline=None)
@given(noted=_NOTED, chunk=st.integers(1, 9), parts=st.integers(1, 4), in_turn=st.booleans(), sent=st.booleans())
def test_repeats_are_found_by_the_key_and_told_as_written(noted: list[tuple[str, str]], chunk: int, parts: int,
                                                          in_turn: bool, sent: bool):
    """One reader of the whole file, and the readers of its partitions (byte ranges one after another, or
    blocks of rows in turn) put together, pickled as a cluster's workers send them or not."""
    whole, partitions = RepeatedKeys(), [RepeatedKeys(packed=True) for _ in range(parts)]
    for reader in (whole, *partitions):
        reader.CHUNK = chunk
    for at in range(0, len(noted), 3):  # notes of three, as a CSV's chunks of rows
        some = noted[at:at + 3]
        whole.note_many([key for key, _ in some], range(1 + at, 1 + at + len(some)), [w for _, w in some])
    for i, (key, written) in enumerate(noted):
        partitions[i % parts if in_turn else i * parts // len(noted)].note(key, 1 + i, written)
    if sent:
        partitions = [pickle.loads(pickle.dumps(part)) for part in partitions]
    assert whole.described() == expected(noted)
    assert RepeatedKeys.combined(partitions).described() == expected(noted)


def test_keys_written_as_compared_keep_no_second_copy():
    """A clean export's keys are written as they are compared: only their text is held."""
    keys = RepeatedKeys()
    keys.CHUNK = 2
    keys.note_many(["1", "2", "3"], range(2, 5), ["1", "2", "3"])
    keys.note("4", 5)
    keys.note("4", 6, "004")
    keys.note_many(["5", "6"], range(7, 9))
    keys.noted()  # joins the pending keys
    assert keys.written == [None, "4\x00004", None]
    assert keys.described() == ["'004' at line 6 (first at line 5 as '4')"]
