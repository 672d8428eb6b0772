"""A YAML record file read one record at a time, so memory follows the record, not the file.

Loading a whole 10 MB YAML file with positions took 850 MB. Here libyaml's parser gives events,
PyYAML's composer builds the node tree of one record at a time, and that record alone is checked
(alias expansion, depth: see yaml_positions) and built, with the same positions and duplicate-key
errors as ``load_yaml_file``. A file is either a list of records or a mapping with ``record_type``,
``records`` and an optional ``description``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    MappingEndEvent,
    MappingStartEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

from peelcheck.errors import Location, RecordError
from peelcheck.load.text_input import utf16_marked
from peelcheck.load.yaml_positions import _Loader, check_expansion, reader_problem

MAX_RECORD_FILE_BYTES = 64 * 1024 * 1024  # read record by record: the limit is on time, not memory
HEADER_KEYS = ("record_type", "records", "description")
SHAPE = "a record file is a list of records, or a mapping with 'record_type' and 'records'"


class _EventLoader(yaml.composer.Composer, _Loader):
    """libyaml's events, composed in Python: one node tree at a time instead of the whole document."""

    def __init__(self, stream: Any, path: str) -> None:
        _Loader.__init__(self, stream)  # libyaml's parser, on the stream
        yaml.composer.Composer.__init__(self)
        self.source_path = path

    def next_value(self) -> Any:
        node = self.compose_node(None, None)  # type: ignore[arg-type]  # no parent: a top-level value
        if node is None:
            return None
        check_expansion(node, anchored=bool(self.anchors))  # the anchors composed so far (an alias names one)
        return self.construct_document(node)


def _where(path: str, mark: Any) -> Location:
    return Location(path, mark.line + 1, mark.column + 1) if mark is not None else Location(path)


def records(path: Path, header: dict[str, Any] | None = None,
            label: str | None = None) -> Iterator[tuple[Any, Location]]:
    """Each record of the file with its position (in the file ``label`` names: ``<stdin>`` for standard
    input, copied to ``path``); the file's other top-level keys go into ``header``."""
    text_path = label or str(path)
    if path.stat().st_size > MAX_RECORD_FILE_BYTES:
        raise RecordError.single("file-too-large", f"{path.stat().st_size:,} bytes: a YAML record file may hold "
                                 f"at most {MAX_RECORD_FILE_BYTES:,}", Location(text_path),
                                 hint="write large record files as CSV or JSON Lines")
    wide = utf16_marked(path)  # Windows' "Unicode" text: UTF-16, as a CSV so saved is read
    with path.open(encoding="utf-16" if wide else "utf-8") as handle:
        loader = _EventLoader(handle, text_path)
        try:
            yield from _document(loader, text_path, {} if header is None else header)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            raise RecordError.single("yaml-syntax", f"{exc.problem or exc.context}", _where(text_path, mark)) from exc
        except yaml.reader.ReaderError as exc:  # the file is read again, only to place the character by its
            # offset in the UTF-8 the parser was given (a UTF-16 file's text, written as UTF-8)
            data = path.read_text(encoding="utf-16").encode("utf-8") if wide else path.read_bytes()
            raise RecordError([reader_problem(exc, data, text_path)]) from exc
        except yaml.YAMLError as exc:
            raise RecordError.single("yaml-syntax", str(exc), Location(text_path)) from exc
        finally:
            loader.dispose()


def _document(loader: _EventLoader, path: str, header: dict[str, Any]) -> Iterator[tuple[Any, Location]]:
    if loader.check_event(StreamStartEvent):
        loader.get_event()
    if loader.check_event(StreamEndEvent):
        raise RecordError.single("bad-record-file", "the file is empty: expected a list of records", Location(path))
    loader.get_event()  # the document's start
    if loader.check_event(SequenceStartEvent):
        yield from _items(loader, path)
    elif loader.check_event(MappingStartEvent):
        yield from _mapping(loader, path, header)
    else:
        raise RecordError.single("bad-record-file", "expected a list of records", Location(path, 1, 1))
    loader.get_event()  # the document's end
    if not loader.check_event(StreamEndEvent):
        raise RecordError.single("bad-record-file", "more than one YAML document in the file",
                                 _where(path, loader.peek_event().start_mark))


def _items(loader: _EventLoader, path: str) -> Iterator[tuple[Any, Location]]:
    loader.get_event()
    while not loader.check_event(SequenceEndEvent):
        mark = loader.peek_event().start_mark
        yield loader.next_value(), _where(path, mark)
    loader.get_event()


def _mapping(loader: _EventLoader, path: str, header: dict[str, Any]) -> Iterator[tuple[Any, Location]]:
    loader.get_event()
    seen: set[str] = set()
    while not loader.check_event(MappingEndEvent):
        key_event = loader.peek_event()
        key = str(loader.next_value())
        where = _where(path, key_event.start_mark)
        if key in seen:
            raise RecordError.single("yaml-syntax", f"duplicate key {key!r}", where)
        seen.add(key)
        if key not in HEADER_KEYS:
            raise RecordError.single("bad-record-file", f"{SHAPE}; unknown keys: {key}", where)
        if key == "records":
            if not loader.check_event(SequenceStartEvent):
                raise RecordError.single("bad-record-file", "expected a list of records", where)
            yield from _items(loader, path)
        else:
            header[key] = loader.next_value()
    loader.get_event()
    if "records" not in seen:
        raise RecordError.single("bad-record-file", SHAPE, Location(path, 1, 1))


def declared_type(path: Path, label: str | None = None) -> str | None:
    """The ``record_type`` a YAML record file names, read without building its records."""
    header: dict[str, Any] = {}
    for _ in records(path, header, label):
        if "record_type" in header:
            break
    value = header.get("record_type")
    return value if isinstance(value, str) else None


__all__ = ["MAX_RECORD_FILE_BYTES", "declared_type", "records"]
