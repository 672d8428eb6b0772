"""durable-rules' safe envelope (measured and read from its C source: docs/durable-envelope.md),
and the encodings that keep every fact and every ruleset inside it.

- Strings: the engine compares strings over an ``unsigned short`` length, so past 65,535 bytes
  (escaped JSON) a long string compares as its first few characters. A string longer than
  ``MAX_TEXT`` characters, or one starting with ``DIGEST_MARK``, is sent as ``DIGEST_MARK`` plus
  its SHA-256: equal strings stay equal, different ones different, in facts and literals alike.
- Integers: the engine reads integers with ``atoll`` (saturating at 2**63 - 1) and compares an
  integer with a float as doubles (exact to 2**53). Integer values beyond ``MAX_INT`` (and
  durations beyond ``MAX_MICROS`` microseconds) cannot be sent: such a record is evaluated by the
  python engine alone, and the run says so. Literals beyond the range are clamped to one past it,
  which is exact for every operator once every value sent lies inside it.
- Rulesets: at most 511 alpha nodes below one node (a hash set of 512 slots; a full one loops
  forever), 127 absence tests below one node, 255 properties in a fact, 31 expressions in one
  condition. Rules are packed into as many rulesets per record type as these budgets need; a
  rule that alone exceeds them is evaluated by the python engine, and the run says which and why.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

MAX_TEXT = 4096  # characters: at most 6 bytes each once escaped, well under 65,535
DIGEST_MARK = "\x00sha256:"
MAX_INT = 2**53  # plain integers: exact in the engine's int64 and in its int/double comparisons
MAX_MICROS = 2**62  # datetimes and durations, compared only with each other: int64 with room for a window
MAX_IN_LIST = 16  # longer in / not_in lists are tested through a membership key
# Budgets per ruleset, each well inside the engine's limit (see the module docstring).
MAX_ALPHA = 400  # distinct leaf tests and $or joins: a bound on any node's children (limit 511)
MAX_ABSENT = 60  # $nex tests, which the engine never shares between rules (64 below one node)
MAX_KEYS = 200  # fact keys besides id and the discriminator (limit 253)
MAX_DURABLE_RULES = 240  # durable rules (each peelcheck rule compiles to at most three)
MAX_WEIGHT = 300  # leaf tests in one rule's three conditions: a bigger rule cannot fit the expression limit


def text(value: str) -> str:
    """A string as facts and literals carry it: itself, or its digest when too long or marked."""
    if len(value) <= MAX_TEXT and not value.startswith(DIGEST_MARK):
        return value
    return DIGEST_MARK + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def clamp(value: int, bound: int) -> int:
    """A literal compared with values lying within +-bound: one past the bound if beyond it."""
    return max(-bound - 1, min(bound + 1, value))


def weight(expr: Any) -> int:
    """Leaf tests and $or joins in a durable expression (an upper bound on the alpha nodes it adds)."""
    if isinstance(expr, dict) and len(expr) == 1 and next(iter(expr)) in ("$and", "$or"):
        parts = next(iter(expr.values()))
        return sum(weight(p) for p in parts) + (1 if "$or" in expr else 0)
    return 0 if isinstance(expr, bool) else 1


def leaf_tests(expr: Any) -> tuple[list[str], int]:
    """The leaf tests of a durable expression (as JSON text) and its number of $or joins."""
    if isinstance(expr, dict) and len(expr) == 1 and next(iter(expr)) in ("$and", "$or"):
        found, ors = [], int("$or" in expr)
        for part in next(iter(expr.values())):
            more, extra = leaf_tests(part)
            found += more
            ors += extra
        return found, ors
    return ([] if isinstance(expr, bool) else [json.dumps(expr, sort_keys=True)]), 0


class TooComplex(Exception):
    """A rule whose durable form outgrows the envelope; it is evaluated by the python engine."""
