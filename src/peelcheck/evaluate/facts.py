"""Turning validated records into durable-rules facts, as the compiled ruleset asks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from peelcheck.compile.durable import DISCRIMINATOR, Encoding
from peelcheck.evaluate import values as V

_ENCODERS: dict[str, Callable[[Any], Any]] = {
    "raw": lambda v: v,
    "micros": lambda v: V.micros(v) if hasattr(v, "hour") else V.duration_micros(v),
    "day": V.day_number,
    "count": len,
    "gap": V.longest_gap_days,
}


def fact_builder(encodings: list[Encoding]) -> Callable[[int, dict[str, Any]], dict[str, Any]]:
    """A function making the fact for record number ``i`` of a chunk.

    Fact ids are the record's position in its chunk ("0".."n-1"): durable-rules de-duplicates facts
    by a 32-bit hash of the id, and these short ids are checked collision-free by the tests.
    A field that is not recorded is left out of the fact, never sent as null.
    """
    plan = [(e.field, e.key, _ENCODERS[e.kind]) for e in encodings]

    def build(i: int, record: dict[str, Any]) -> dict[str, Any]:
        fact: dict[str, Any] = {"id": str(i), DISCRIMINATOR: 1}
        for name, key, encode in plan:
            value = record.get(name)
            if value is not None:
                fact[key] = encode(value)
        return fact
    return build
