"""Positions in a loaded YAML document: mappings and lists that know where they and their parts were
written (built by ``load.yaml_positions``), and the Location of a value found by its path in them.

Every stage that reports on a pack file locates its errors here, the schema's condition parser too,
so these types sit below the stages rather than in the loader.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from peelcheck.errors import Location


class PosDict(dict[str, Any]):
    """A mapping that knows its own position and each key's position (1-based line, column)."""

    path: str = ""
    pos: tuple[int, int] = (1, 1)
    key_pos: dict[str, tuple[int, int]]
    value_pos: dict[str, tuple[int, int]]


class PosList(list[Any]):
    """A list that knows its own position and each item's position."""

    path: str = ""
    pos: tuple[int, int] = (1, 1)
    item_pos: list[tuple[int, int]]


def locate(root: Any, loc: Sequence[int | str], default: Location, at_value: bool = False) -> Location:
    """Find the position of the value at ``loc`` (a pydantic error path) inside a loaded document.

    Walks down as far as the path exists; a key that is missing points at its parent mapping,
    a key that exists points at the key itself (or, with ``at_value``, at its value).
    """
    node, best = root, default
    for i, part in enumerate(loc):
        if isinstance(node, PosDict) and isinstance(part, str):
            if part not in node:
                return Location(node.path, *node.pos) if node.path else best
            last = i == len(loc) - 1
            best = Location(node.path, *(node.value_pos if at_value and last else node.key_pos)[part])
            node = node[part]
        elif isinstance(node, PosList) and isinstance(part, int) and 0 <= part < len(node):
            best = Location(node.path, *node.item_pos[part])
            node = node[part]
        elif isinstance(node, PosDict) and part == 0:
            continue  # one mapping written where a list of them may be: the list pydantic made has it first
        else:
            break
    return best


def position_of(node: Any, default: Location) -> Location:
    """The position of a loaded mapping or list, or ``default`` for plain scalars."""
    if isinstance(node, (PosDict, PosList)) and node.path:
        return Location(node.path, *node.pos)
    return default
