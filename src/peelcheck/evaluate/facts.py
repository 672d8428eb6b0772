"""Turning validated records into durable-rules facts, as the compiled ruleset asks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from peelcheck.compile.durable import DISCRIMINATOR, Encoding
from peelcheck.evaluate import values as V

_ENCODERS: dict[str, Callable[[Any], Any]] = {
    "micros": lambda v: V.micros(v) if hasattr(v, "hour") else V.duration_micros(v),
    "day": V.day_number,
    "count": len,
    "gap": V.longest_gap_days,
}


def fact_builder(encodings: list[Encoding]) -> Callable[[int, dict[str, Any]], dict[str, Any]]:
    """A function making the fact for record number ``i`` of a chunk.

    Fact ids are the record's position in its chunk ("0".."n-1"): durable-rules de-duplicates facts
    by a 32-bit hash of the id, and these short ids are checked collision-free by the tests.
    A field that is not recorded is left out of the fact, never sent as null. The function is
    generated as straight-line source (one block per key): it runs once per record.
    """
    lines = ["def build(i, r):", f"    f = {{'id': str(i), {DISCRIMINATOR!r}: 1}}"]
    encoders = []
    for enc in encodings:
        if enc.kind == "raw":
            value = "v"
        else:
            encoders.append(_ENCODERS[enc.kind])
            value = f"E[{len(encoders) - 1}](v)"
        lines.append(f"    v = r.get({enc.field!r})\n    if v is not None: f[{enc.key!r}] = {value}")
    lines.append("    return f")
    namespace: dict[str, Any] = {"E": encoders}
    exec(compile("\n".join(lines) + "\n", "<peelcheck facts>", "exec"), namespace)  # noqa: S102
    return namespace["build"]  # type: ignore[no-any-return]
