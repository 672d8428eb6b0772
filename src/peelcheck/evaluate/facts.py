"""Turning a batch of validated records into durable-rules facts, as the compiled ruleset asks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from peelcheck.compile import durable_envelope as envelope
from peelcheck.compile.durable import DISCRIMINATOR, Encoding
from peelcheck.load.batch import column_loop
from peelcheck.schema import values as V
from peelcheck.schema.calendar_months import shifted_day
from peelcheck.schema.working_days import working_clock, working_day_number, working_start

# The facts of a batch, and the positions of the records left out of them (see ``facts_builder``).
FactsBuilder = Callable[[Mapping[str, Sequence[Any]], int], tuple[list[dict[str, Any]], list[int]]]

# The value a fact holds under an encoded key, as an expression of the field's value ``v``.
_ENCODED = {
    "bool": "{v}",
    "float": "{v}",
    # datetimes (the usual case, written out) or durations, in whole microseconds
    "micros": "({v} - EPOCH) // ONE_MICRO if {v}.__class__ is DATETIME else MICROS({v})",
    "day": "{v}.toordinal()",
    # working-day numbers (schema.working_days) of the day and of the day before it
    "workday": "WORKDAY({v}.toordinal())",
    "eve": "WORKDAY({v}.toordinal() - 1)",
    # a datetime on the working-day clock, and the start of its day's working day (schema.working_days)
    "clock": "CLOCK({v})",
    "start": "START({v})",
    # the day's number moved by calendar months (schema.calendar_months)
    "shifted": "SHIFTED({v}.toordinal(), {months})",
    "count": "len({v})",
    "gap": "GAP({v})",
    # the longest gap counted from another field's day too (written only when both are recorded)
    "gap_from": "GAP_FROM({v}, {o})",
    # a long string (or one that looks like a digest) as its digest: see compile.durable_envelope
    "text": "{v} if len({v}) <= MAX_TEXT and not {v}.startswith(MARK) else TEXT({v})",
    "int": "{v}",
    "member": "1 if {v} in M{m} else 0",
}
# Kinds whose values can lie outside the engine's exact range, with the bound they must keep.
_BOUNDED = {"int": "MAX_INT", "micros": "MAX_MICROS"}


def _micros(value: Any) -> int:
    return V.micros(value) if isinstance(value, dt.datetime) else V.duration_micros(value)


def facts_builder(encodings: list[Encoding], chunk: int) -> FactsBuilder:
    """A function making the facts of a batch given by column (field name -> values, None where not recorded).

    Fact ids are the record's position in its batch ("0".."n-1"): durable-rules de-duplicates facts
    by a 32-bit hash of the id, and these short ids are checked collision-free by the tests.
    A field that is not recorded is left out of the fact, never sent as null. A record holding a
    number the engine cannot compare exactly (an integer past 2**53, a duration past 2**62
    microseconds) is left out of the facts and its position listed: the caller evaluates it
    otherwise. The function is generated as straight-line source (one block per key, each field
    a local): it runs per record.
    """
    names: dict[str, str] = {}
    members: list[frozenset[Any]] = []
    for enc in encodings:
        for name in (enc.field, enc.other):
            if name is not None:
                names.setdefault(name, f"v{len(names)}")
    lines = ["def build(columns, n):", "    facts = []; add = facts.append; spilled = []",
             *column_loop("i", "IDS[:n]", names)]
    lines.append(f"        f = {{'id': i, {DISCRIMINATOR!r}: 1}}")
    for enc in encodings:
        local = names[enc.field]
        if enc.members is not None:
            members.append(enc.members)
        other = names[enc.other] if enc.other is not None else None
        value = _ENCODED[enc.kind].format(v=local, m=len(members) - 1, months=enc.months, o=other)
        bound = _BOUNDED.get(enc.kind)
        if bound is None:
            both = f" and {other} is not None" if other is not None else ""
            lines.append(f"        if {local} is not None{both}: f[{enc.key!r}] = {value}")
            continue
        lines += [f"        if {local} is not None:", f"            x = {value}",
                  f"            if -{bound} <= x <= {bound}: f[{enc.key!r}] = x",
                  "            else: spilled.append(int(i)); continue"]
    lines += ["        add(f)", "    return facts, spilled"]
    namespace: dict[str, Any] = {
        "IDS": [str(i) for i in range(chunk)], "EPOCH": V.EPOCH, "ONE_MICRO": V.ONE_MICRO,
        "DATETIME": dt.datetime, "MICROS": _micros, "GAP": V.longest_gap_days, "GAP_FROM": V.longest_gap_days_from,
        "WORKDAY": working_day_number, "CLOCK": working_clock, "START": working_start, "SHIFTED": shifted_day,
        "MAX_TEXT": envelope.MAX_TEXT, "MARK": envelope.DIGEST_MARK, "TEXT": envelope.text,
        "MAX_INT": envelope.MAX_INT, "MAX_MICROS": envelope.MAX_MICROS,
        **{f"M{k}": m for k, m in enumerate(members)},
    }
    exec(compile("\n".join(lines) + "\n", "<peelcheck facts>", "exec"), namespace)  # noqa: S102
    return namespace["build"]  # type: ignore[no-any-return]
