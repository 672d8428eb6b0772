"""Where a value sits in a JSON text, found by its path (``("rules", 3, "id")``) once a problem is known.

``json.loads`` keeps no positions; a document validated after it is read names its problems by path. This
walks the text down that path, skipping each value before the one wanted with the decoder itself (so
strings holding brackets or quotes are skipped whole), and gives the line and column of the value. It runs
only for a problem found, never on a document that reads cleanly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from peelcheck.errors import Location

_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def _skip(text: str, pos: int) -> int:
    return _SPACE.match(text, pos).end()  # type: ignore[union-attr]  # always matches


def _past_value(text: str, pos: int) -> int:
    """The position after the value at ``pos`` and the comma after it, if any."""
    pos = _skip(text, _DECODER.raw_decode(text, pos)[1])
    return _skip(text, pos + 1) if text.startswith(",", pos) else pos


def _member(text: str, pos: int, wanted: str) -> int | None:
    """Inside the object opening at ``pos``: the start of the value of key ``wanted`` (its first, if twice)."""
    pos = _skip(text, pos + 1)
    while text.startswith('"', pos):
        key, pos = _DECODER.raw_decode(text, pos)
        pos = _skip(text, pos)
        if not text.startswith(":", pos):
            return None
        pos = _skip(text, pos + 1)
        if key == wanted:
            return pos
        pos = _past_value(text, pos)
    return None


def _item(text: str, pos: int, wanted: int) -> int | None:
    """Inside the list opening at ``pos``: the start of item ``wanted``."""
    pos = _skip(text, pos + 1)
    for _ in range(wanted):
        if text.startswith("]", pos):
            return None
        pos = _past_value(text, pos)
    return None if text.startswith("]", pos) else pos


def json_place(text: str, path: Sequence[str | int], file: str) -> Location:
    """The line and column in ``text`` of the value at ``path`` (as far down it as the text goes)."""
    pos: int | None = _skip(text, 0)
    found = pos or 0
    try:
        for part in path:
            if pos is None:
                break
            found = pos
            if isinstance(part, str) and text.startswith("{", pos):
                pos = _member(text, pos, part)
            elif isinstance(part, int) and text.startswith("[", pos):
                pos = _item(text, pos, part)
            else:
                pos = None
        found = found if pos is None else pos
    except (ValueError, IndexError):  # a text that does not decode: the place reached so far
        pass
    line = text.count("\n", 0, found) + 1
    return Location(file, line, found - text.rfind("\n", 0, found))


__all__ = ["json_place"]
