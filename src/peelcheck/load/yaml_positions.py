"""YAML loading that remembers where every mapping, list and key came from.

Validation errors must name file, line and column, so mappings and lists are built as
``Node`` subclasses of ``dict`` / ``list`` carrying the position of themselves and of each key
or item. A key written twice in one mapping is an error, not a silent overwrite.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from peelcheck.errors import Location, PackError


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


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


# libyaml's parser where installed (about 10x faster on a large pack); it reports the same marks.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """A safe loader that builds PosDict / PosList and rejects duplicate keys."""

    source_path = ""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> PosDict:
        self.flatten_mapping(node)
        result = PosDict()
        result.path, result.pos, result.key_pos, result.value_pos = self.source_path, _mark(node), {}, {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            if key in result:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r} (first at line {result.key_pos[key][0]})",
                    key_node.start_mark,
                )
            result[key] = self.construct_object(value_node, deep=True)
            result.key_pos[key] = _mark(key_node)
            result.value_pos[key] = _mark(value_node)
        return result

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> PosList:
        result = PosList(self.construct_object(child, deep=True) for child in node.value)
        result.path, result.pos = self.source_path, _mark(node)
        result.item_pos = [_mark(child) for child in node.value]
        return result


    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        """An unquoted date YAML reads as a timestamp; an impossible one (2022-02-30) is a located error."""
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(None, None, f"{node.value!r} is not a real date or time ({exc})",
                                                    node.start_mark) from exc


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_sequence)


def load_yaml_text(text: str, path: str) -> Any:
    """Parse one YAML document, raising PackError with the file position on bad syntax."""
    loader = _Loader(text)
    loader.source_path = path
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise PackError.single("yaml-syntax", f"{exc.problem or exc.context}", Location(path, line, col)) from exc
    except yaml.YAMLError as exc:
        raise PackError.single("yaml-syntax", str(exc), Location(path)) from exc
    finally:
        loader.dispose()


def load_yaml_file(path: Path) -> Any:
    """Read and parse a YAML file; unreadable or non-UTF-8 files are PackErrors naming the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError.single("unreadable-file", f"cannot read file: {exc}", Location(str(path))) from exc
    return load_yaml_text(text, str(path))


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
        else:
            break
    return best


def position_of(node: Any, default: Location) -> Location:
    """The position of a loaded mapping or list, or ``default`` for plain scalars."""
    if isinstance(node, (PosDict, PosList)) and node.path:
        return Location(node.path, *node.pos)
    return default
