"""What `validate` says, before any run, about rules durable-rules cannot hold (docs/durable-envelope.md)."""

from __future__ import annotations

import datetime as dt

from peelcheck.compile.pack_check import CompiledPack
from peelcheck.evaluate import durable_engine


def engine_notes(compiled: CompiledPack | None) -> list[str]:
    """One line per rule `assess` will evaluate with the python engine, and why."""
    if compiled is None or not durable_engine.available():
        return []
    from peelcheck.evaluate.durable_checked import python_engine_rules
    return [f"rule {rule_id}: assess evaluates it with the python engine: {why}"
            for rule_id, why in python_engine_rules(compiled.rules, dt.date.today()).items()]
