"""Turning a batch of validated records into durable-rules facts, as the compiled ruleset asks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from peelcheck.compile.durable import DISCRIMINATOR, Encoding
from peelcheck.evaluate import values as V
from peelcheck.load.batch import column_loop

FactsBuilder = Callable[[Mapping[str, Sequence[Any]], int], list[dict[str, Any]]]

# The value a fact holds under an encoded key, as an expression of the field's value ``v``.
_ENCODED = {
    "raw": "{v}",
    # datetimes (the usual case, written out) or durations, in whole microseconds
    "micros": "({v} - EPOCH) // ONE_MICRO if {v}.__class__ is DATETIME else MICROS({v})",
    "day": "{v}.toordinal()",
    "count": "len({v})",
    "gap": "GAP({v})",
}


def _micros(value: Any) -> int:
    return V.micros(value) if isinstance(value, dt.datetime) else V.duration_micros(value)


def facts_builder(encodings: list[Encoding], chunk: int) -> FactsBuilder:
    """A function making the facts of a batch given by column (field name -> values, None where not recorded).

    Fact ids are the record's position in its batch ("0".."n-1"): durable-rules de-duplicates facts
    by a 32-bit hash of the id, and these short ids are checked collision-free by the tests.
    A field that is not recorded is left out of the fact, never sent as null. The function is
    generated as straight-line source (one block per key, each field a local): it runs per record.
    """
    names: dict[str, str] = {}
    for enc in encodings:
        names.setdefault(enc.field, f"v{len(names)}")
    lines = ["def build(columns, n):", "    facts = []; add = facts.append", *column_loop("i", "IDS[:n]", names)]
    lines.append(f"        f = {{'id': i, {DISCRIMINATOR!r}: 1}}")
    for enc in encodings:
        value = _ENCODED[enc.kind].format(v=names[enc.field])
        lines.append(f"        if {names[enc.field]} is not None: f[{enc.key!r}] = {value}")
    lines += ["        add(f)", "    return facts"]
    namespace: dict[str, Any] = {
        "IDS": [str(i) for i in range(chunk)], "EPOCH": V.EPOCH, "ONE_MICRO": V.ONE_MICRO,
        "DATETIME": dt.datetime, "MICROS": _micros, "GAP": V.longest_gap_days,
    }
    exec(compile("\n".join(lines) + "\n", "<peelcheck facts>", "exec"), namespace)  # noqa: S102
    return namespace["build"]  # type: ignore[no-any-return]
