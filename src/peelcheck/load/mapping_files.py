"""A force's own mapping file (``--mapping FILE``), read and checked like a pack's files: a closed
schema, and every error located at its key."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from peelcheck.errors import Diagnostic, Location, PackError, RecordError, UsageError
from peelcheck.load.pydantic_errors import diagnostics_from
from peelcheck.load.special_files import refuse_special
from peelcheck.load.yaml_positions import load_yaml_file
from peelcheck.positions import locate
from peelcheck.schema.mapping import ColumnMapping, mapping_issues
from peelcheck.schema.pack import RecordTypeSpec


def looks_like_file(name: str) -> bool:
    return name.endswith((".yaml", ".yml")) or "/" in name or "\\" in name


def load_mapping_file(path: Path, record_types: dict[str, RecordTypeSpec]) -> ColumnMapping:
    """The mapping in ``path``, or a UsageError listing every problem in it."""
    if not path.is_file():
        refuse_special(path, "mapping file")
        raise UsageError.single("no-such-file", "no such mapping file", Location(str(path)))
    try:
        document = load_yaml_file(path)
    except PackError as exc:
        raise UsageError(exc.diagnostics) from exc
    start = Location(str(path), 1, 1)
    if not isinstance(document, dict):
        raise UsageError.single("wrong-type", "a mapping file is a YAML mapping (name, record_type, columns...)",
                                start)
    try:
        mapping = ColumnMapping.model_validate(document)
    except ValidationError as exc:
        raise UsageError(diagnostics_from(exc, document, start)) from exc
    spec = record_types.get(mapping.record_type)
    if spec is None:
        raise UsageError.single("unknown-record-type", f"the pack has no record type {mapping.record_type!r}",
                                locate(document, ("record_type",), start, True),
                                hint=f"it has: {', '.join(sorted(record_types))}")
    problems = [Diagnostic(problem.code, problem.message, locate(document, problem.keys, start, problem.at_value))
                for problem in mapping_issues(mapping, spec.fields)]
    if problems:
        raise UsageError(problems)
    return with_positions(mapping, document, start)


def with_positions(mapping: ColumnMapping, document: object, start: Location, *keys: str | int) -> ColumnMapping:
    """``mapping``, told where in its loaded ``document`` (at ``keys``) each of its constants was written."""
    return mapping.placed({name: locate(document, (*keys, "constants", name), start) for name in mapping.constants})


__all__ = ["RecordError", "load_mapping_file", "looks_like_file", "with_positions"]
