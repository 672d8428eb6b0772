"""YAML loading that remembers where every mapping, list and key came from.

Validation errors must name file, line and column, so mappings and lists are built as
``PosDict`` / ``PosList`` (``peelcheck.positions``), subclasses of ``dict`` / ``list`` carrying the
position of themselves and of each key or item. A key written twice in one mapping is an error, not
a silent overwrite (a key merged in with ``<<: *base`` and then written is an override, as YAML has it).

Limits (docs/limits.md), each a located error: a file of at most ``MAX_YAML_BYTES``; aliases that
expand the document past ``MAX_EXPANDED_NODES`` nodes and ``EXPANSION_RATIO`` times its written
size (a "billion laughs" file of a few hundred bytes would otherwise fill the memory); nesting of
at most ``MAX_DEPTH``; numbers of at most ``MAX_NUMBER_CHARS`` characters.
"""

from __future__ import annotations

import weakref
from pathlib import Path
from typing import Any

import yaml

from peelcheck.errors import Diagnostic, Location, PackError
from peelcheck.positions import PosDict, PosList

MAX_YAML_BYTES = 8 * 1024 * 1024  # a pack file or a YAML record file; larger record files: CSV or JSON Lines
MAX_EXPANDED_NODES = 100_000  # nodes after aliases are expanded, when that is also
EXPANSION_RATIO = 10  # ... this many times the nodes written
MAX_DEPTH = 256  # mappings and lists inside one another (the builder recurses: about 350 levels fill Python's stack)
MAX_NUMBER_CHARS = 100


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


# libyaml's parser where installed (about 10x faster on a large pack); it reports the same marks.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_MERGE = "tag:yaml.org,2002:merge"
Pair = tuple[yaml.Node, yaml.Node]


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """A safe loader that builds PosDict / PosList and rejects duplicate keys.

    A key merged in with ``<<: *base`` and then written is YAML's override, not a duplicate: only the
    keys written in the mapping itself may not repeat."""

    source_path = ""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        # each mapping's own pairs, noted before its merges are flattened into it: PyYAML rewrites a merged
        # mapping in place, at times before that mapping itself is built
        self._written: weakref.WeakKeyDictionary[yaml.Node, list[Pair]] = weakref.WeakKeyDictionary()

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        if node not in self._written:
            self._written[node] = [pair for pair in node.value if pair[0].tag != _MERGE]
        super().flatten_mapping(node)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> PosDict:
        self.flatten_mapping(node)  # merged pairs first, then the mapping's own: a written key overrides
        written = {id(key_node) for key_node, _ in self._written[node]}  # noted by flatten_mapping
        result = PosDict()
        result.path, result.pos, result.key_pos, result.value_pos = self.source_path, _mark(node), {}, {}
        own: dict[str, tuple[int, int]] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            if id(key_node) in written:
                if key in own:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"duplicate key {key!r} (first at line {own[key][0]})", key_node.start_mark)
                own[key] = _mark(key_node)
            result[key] = self.construct_object(value_node, deep=True)
            result.key_pos[key] = _mark(key_node)
            result.value_pos[key] = _mark(value_node)
        return result

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
        _short_number(node)
        return super().construct_yaml_int(node)

    def construct_yaml_float(self, node: yaml.ScalarNode) -> Any:
        _short_number(node)
        return super().construct_yaml_float(node)

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
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)


def _short_number(node: yaml.ScalarNode) -> None:
    if len(node.value) > MAX_NUMBER_CHARS:
        raise yaml.constructor.ConstructorError(None, None, f"a number of {len(node.value):,} characters (at most "
                                                f"{MAX_NUMBER_CHARS} are read)", node.start_mark)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def check_expansion(root: yaml.Node, anchored: bool = True) -> None:
    """Refuse alias bombs and deep nesting before anything is built.

    Aliases share one node, so the walk visits each written node once while adding up the size
    and depth the document would have once expanded. (A recursive alias is left to the
    constructor, which refuses it with its position.) A document without anchors (``anchored``
    false) has no aliases: only its depth is walked, in a tenth of the time (a pack's 171 files took
    half a second).
    """
    if not anchored:
        _check_depth(root)
        return
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    done: list[yaml.Node] = []  # in the order their sizes are known: smaller parts first
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            done.append(node)
            children = [id(c) for c in _children(node)]
            size[key] = 1 + sum(size.get(c, 1) for c in children)  # .get: a recursive alias
            depth[key] = 1 + max((depth.get(c, 1) for c in children), default=0)
            if depth[key] > MAX_DEPTH:
                raise yaml.constructor.ConstructorError(None, None, f"nested more than {MAX_DEPTH} levels deep",
                                                        node.start_mark)
        elif key not in size:
            size[key] = 1  # visited: an alias back to an open node counts once
            stack.append((node, True))
            stack.extend((c, False) for c in _children(node) if id(c) not in size)
    most = max(MAX_EXPANDED_NODES, EXPANSION_RATIO * len(size))
    if size[id(root)] > most:
        first = next(n for n in done if size[id(n)] > most)
        raise yaml.constructor.ConstructorError(None, None, f"aliases expand this part to {size[id(first)]:,} "
                                                f"nodes (the whole file writes {len(size):,}): refused, a limit "
                                                "against files that exhaust memory", first.start_mark)


def _check_depth(root: yaml.Node) -> None:
    """Refuse nesting deeper than MAX_DEPTH in a document of written nodes only (no alias)."""
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise yaml.constructor.ConstructorError(None, None, f"nested more than {MAX_DEPTH} levels deep",
                                                    node.start_mark)
        if not isinstance(node, yaml.ScalarNode):
            stack.extend((child, depth + 1) for child in _children(node))


def reader_problem(exc: yaml.reader.ReaderError, data: bytes, path: str) -> Diagnostic:
    """A character YAML does not allow (a control character written raw), at its line and column: the reader
    gives only its offset, in bytes of UTF-8 from libyaml and in characters from PyYAML's own reader."""
    before = data[:exc.position].decode("utf-8", "ignore") if _BaseLoader is not yaml.SafeLoader \
        else data.decode("utf-8", "replace")[:exc.position]
    line_start = before.rfind("\n") + 1
    code = exc.character if isinstance(exc.character, int) else ord(exc.character)
    return Diagnostic("yaml-syntax", f"{exc.reason}: U+{code:04X} written as it is", Location(
        path, before.count("\n") + 1, len(before) - line_start + 1),
        hint=f"remove it, or write it escaped in a double-quoted string (\"{ascii(chr(code))[1:-1]}\")")


def load_yaml_text(text: str, path: str) -> Any:
    """Parse one YAML document, raising PackError with the file position on bad syntax."""
    loader = _Loader(text)
    loader.source_path = path
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        check_expansion(node, anchored="&" in text)  # an alias needs an anchor, written with "&"
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise PackError.single("yaml-syntax", f"{exc.problem or exc.context}", Location(path, line, col)) from exc
    except yaml.reader.ReaderError as exc:
        raise PackError([reader_problem(exc, text.encode("utf-8"), path)]) from exc
    except yaml.YAMLError as exc:
        raise PackError.single("yaml-syntax", str(exc), Location(path)) from exc
    except RecursionError:  # within MAX_DEPTH, but called from deep in a stack already
        raise PackError.single("yaml-syntax", "nested too deeply to read", Location(path)) from None
    finally:
        loader.dispose()


def load_yaml_file(path: Path) -> Any:
    """Read and parse a YAML file; unreadable or non-UTF-8 files are PackErrors naming the file."""
    try:
        if path.stat().st_size > MAX_YAML_BYTES:
            raise PackError.single("file-too-large", f"{path.stat().st_size:,} bytes: a YAML file may hold at most "
                                   f"{MAX_YAML_BYTES:,}", Location(str(path)),
                                   hint="write large record files as CSV or JSON Lines, which are read as they stream")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError.single("unreadable-file", f"cannot read file: {exc}", Location(str(path))) from exc
    return load_yaml_text(text, str(path))
