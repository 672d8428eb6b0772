"""Which files are read, as which record type, through which mapping: from the command's options.

``--mapping`` names a mapping of the pack or profile, or a mapping file of the force's own; a
file named ``-`` is standard input (its record type from ``--type`` or the mapping).
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import BinaryIO

from peelcheck.errors import Diagnostic, Location, UsageError
from peelcheck.load.mapping_files import load_mapping_file, looks_like_file
from peelcheck.load.records import RecordSource, declared_type, file_format, resolve_type
from peelcheck.load.special_files import refuse_special
from peelcheck.load.text_input import starts_utf16
from peelcheck.schema.mapping import ColumnMapping
from peelcheck.schema.pack import RecordTypeSpec

STDIN = "-"
STDIN_LABEL = "<stdin>"


def choose_mapping(name: str | None, record_types: dict[str, RecordTypeSpec],
                   mappings: dict[str, ColumnMapping], where: Path) -> ColumnMapping | None:
    """The mapping ``--mapping`` names: a file of the force's own, else one of the pack's or profile's."""
    if name is None:
        return None
    if name in mappings and not Path(name).is_file():
        return mappings[name]
    if looks_like_file(name) or Path(name).exists():
        return load_mapping_file(Path(name), record_types)
    raise UsageError.single("unknown-mapping", f"no column mapping {name!r} in the pack or profile, and no such "
                            "file", Location(str(where / "mappings")),
                            hint=f"give a mapping file (--mapping my-mapping.yaml) or one of: "
                                 f"{', '.join(sorted(mappings)) or 'none'}")


def record_sources(files: list[Path], record_types: dict[str, RecordTypeSpec], mapping: ColumnMapping | None,
                   told: str | None, sheet: str | None = None, spool: Path | None = None) -> list[RecordSource]:
    """A source per file; standard input is copied to a file in ``spool`` first (read once, kept on disk)."""
    if mapping is not None and told is not None and told != mapping.record_type:
        raise UsageError.single("conflicting-record-type", f"--type {told} but the mapping {mapping.name!r} is for "
                                f"{mapping.record_type!r}", Location("--type"),
                                hint="drop --type (the mapping names the record type) or give a mapping for it")
    told = mapping.record_type if mapping else told
    sources = []
    given: dict[object, Path] = {}
    for path in files:
        name = None
        if str(path) == STDIN:
            path, name = spooled(sys.stdin.buffer, spool or Path(tempfile.mkdtemp(prefix="peelcheck-"))), STDIN_LABEL
            if told is None and declared_type(path, STDIN_LABEL) is None:  # a YAML or JSON document may say
                raise UsageError.single("unknown-record-type", "records on standard input need --type or --mapping",
                                        Location(STDIN_LABEL), hint="or, in YAML, a 'record_type:' key")
        elif path.is_dir():
            raise UsageError.single("not-a-file", "a folder, not a record file", Location(str(path)),
                                    hint=f"name the files in it, e.g. {path / '*.csv'}")
        elif not path.is_file():
            refuse_special(path, "record file")
            raise UsageError.single("no-such-file", "no such record file", Location(str(path)))
        else:
            _given_once(path, given)
        spec = resolve_type(path, record_types, told, name)
        sources.append(RecordSource(path, spec, mapping, sheet=sheet, name=name))
    _sheet_has_a_workbook(sheet, sources)
    _mapping_applies(mapping, sources)
    return sources


# the formats a mapping is not applied to, and why: their records name the record type's fields themselves
# (a Parquet file's columns are named as its export named them: a mapping is applied to it, parquet_mapped.py)
UNMAPPED_FORMATS = {"json": "JSON", "jsonl": "JSON Lines", "yaml": "YAML"}


def _mapping_applies(mapping: ColumnMapping | None, sources: list[RecordSource]) -> None:
    """A mapping given with a file it is not applied to would be named in the report as used, while its
    renames, value maps and constants were not: refused, file by file."""
    if mapping is None:
        return
    problems = [Diagnostic("mapping-not-applicable", f"--mapping {mapping.name} is not applied to a "
                           f"{UNMAPPED_FORMATS[fmt]} record file: its fields are read by their own names",
                           Location(s.label), hint=f"drop --mapping (--type {mapping.record_type} names the record "
                           "type) and name the fields as the record type does, or give the file as CSV, a workbook or "
                           "Parquet")
                for s in sources if (fmt := file_format(s.path)) in UNMAPPED_FORMATS]
    if problems:
        raise UsageError(problems)


def _sheet_has_a_workbook(sheet: str | None, sources: list[RecordSource]) -> None:
    """``--sheet`` picks a workbook's sheet: given with no workbook to read, it would be ignored."""
    if sheet is not None and not any(file_format(s.path) == "xlsx" for s in sources):
        raise UsageError.single("sheet-without-workbook", f"--sheet {sheet} but no record file given is a workbook "
                                "(.xlsx)", Location(", ".join(s.label for s in sources) or "--sheet"),
                                hint="drop --sheet: a CSV, JSON or Parquet file has no sheets")


def _given_once(path: Path, given: dict[object, Path]) -> None:
    """One file named twice (``a.csv ./x/../a.csv``, a link to it) would be counted twice: refused."""
    info = path.stat()
    for same in (path.resolve(), (info.st_dev, info.st_ino)):
        if same in given:
            raise UsageError.single("file-given-twice", f"the same file as {given[same]}: its records would be "
                                    "counted twice", Location(str(path)), hint="name each record file once")
        given[same] = path


# The first line of a YAML record file that matters (after blank lines, comments, a directive and the
# document's start): a key of its header, or the first of a list of records. A CSV's first line is its
# header, and one starting so would name its first column ``record_type: case_file`` or ``- ref``: not a
# field's name (fields are identifiers), so read only through a mapping made for it, which none is.
_YAML_FIRST = re.compile(rb"(?:record_type|records|description)[ \t]*:(?:[ \t]|$)|-(?:[ \t]|$)")
_YAML_PREAMBLE = re.compile(rb"#|%|---(?:[ \t]|$)")  # a comment, a directive (%YAML 1.2), a document start
# a YAML flow mapping (``{records: [...]}``): a header key unquoted, which no JSON document can start with
_YAML_FLOW = re.compile(rb"\{\s*(?:record_type|records|description)[ \t]*:")


def _is_yaml(head: bytes) -> bool:
    """Whether standard input's first bytes are a YAML record file's (``record_type: ...`` or ``- ref: ...``)."""
    for line in head.splitlines():
        line = line.strip(b" \t")
        if not line or _YAML_PREAMBLE.match(line):
            continue
        return _YAML_FIRST.match(line) is not None
    return False


def _braced_suffix(stripped: bytes, whole: bool) -> str:
    """A stream starting with ``{``: JSON Lines if its first line is a whole record on its own, else one
    JSON document (pretty-printed, or the ``{"record_type", "records"}`` mapping on one line). ``whole``:
    ``stripped`` is all of the stream."""
    line, newline, _ = stripped.partition(b"\n")
    if not newline and not whole:
        return ".jsonl"  # a first line past the 4 KiB read: a long record, never a pretty-printed document
    try:
        first = json.loads(line)
    except ValueError:
        return ".json"  # ``{`` alone, or the start of an indented mapping: a document over several lines
    return ".json" if isinstance(first, dict) and "records" in first else ".jsonl"


def spooled(stream: BinaryIO, folder: Path) -> Path:
    """Standard input as a file in ``folder``, named for the format its first bytes show."""
    head = stream.read(4096)
    # Windows' "Unicode" text (UTF-16 with its byte-order mark) told by its text, as UTF-8's is
    shown = head.decode("utf-16", "ignore").encode("utf-8") if starts_utf16(head) else head
    stripped = shown.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"PK\x03\x04"):
        suffix = ".xlsx"
    elif head.startswith(b"PAR1"):  # Parquet's magic number: a binary file, never a CSV
        suffix = ".parquet"
    elif stripped.startswith(b"["):
        suffix = ".json"
    elif _YAML_FLOW.match(stripped):
        suffix = ".yaml"
    elif stripped.startswith(b"{"):
        suffix = _braced_suffix(stripped, len(head) < 4096)
    elif _is_yaml(stripped):
        suffix = ".yaml"
    else:
        suffix = ".csv"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"stdin{suffix}"
    with target.open("wb") as out:
        out.write(head)
        shutil.copyfileobj(stream, out)
    return target
