"""JSON as durable-rules can read it.

durable-rules' JSON reader silently drops a whole fact (or misreads a ruleset) when a number is
written with an exponent but no fraction, as Python writes 1e-09 or 1e+16. Such numbers are
rewritten with a fraction (1.0e-09). The rewrite only touches a value that follows an object key:
the two-character sequences '{"' and ', "' cannot occur inside a JSON string (its quotes are
escaped), so text inside strings is never changed.
"""

from __future__ import annotations

import json
import re
from typing import Any

_BARE_EXPONENT = re.compile(r'([{,] ?"[^"\\]*": )(-?\d+)([eE][-+]?\d+)')
_ANY_EXPONENT = re.compile(r"\d[eE][-+]?\d")


def dumps(value: Any, floats: bool = True) -> str:
    """JSON text durable-rules reads exactly; ``floats=False`` promises no float is inside (faster)."""
    text = json.dumps(value, ensure_ascii=False)
    if floats and _ANY_EXPONENT.search(text):  # rare: a float written with an exponent somewhere
        text = _BARE_EXPONENT.sub(r"\1\2.0\3", text)
    return text
