"""Reading an answers file (``assess --answers FILE``): an auditor's answers to manual rules."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from peelcheck.errors import Diagnostic, Location, PackError, UsageError
from peelcheck.load.pydantic_errors import diagnostics_from
from peelcheck.load.yaml_positions import load_yaml_file
from peelcheck.positions import locate
from peelcheck.schema.answers import AnswersFile, ManualAnswer
from peelcheck.schema.rule import Mode, RuleId

_RULE_ID: TypeAdapter[str] = TypeAdapter(RuleId)


def load_answers(path: Path, modes: Mapping[str, Mode]) -> dict[str, ManualAnswer]:
    """The answers by rule id. ``modes`` maps the pack's rule ids to their modes. Every problem (bad
    shape, unknown or automated rule, two answers for one rule) is raised at once, with file and line:
    an answer with a bad value or a missing key still has its rule checked."""
    top = Location(str(path), 1, 1)
    try:
        document = load_yaml_file(path)
    except PackError as exc:
        raise UsageError(exc.diagnostics) from None
    problems: list[Diagnostic] = []
    parsed: AnswersFile | None = None
    try:
        parsed = AnswersFile.model_validate(document)
    except ValidationError as exc:
        problems += diagnostics_from(exc, document, top)
    seen: set[str] = set()
    for i, rule_id in _rule_ids(document):
        problems += _problems(rule_id, modes, seen, locate(document, ("answers", i, "rule"), top))
    if problems or parsed is None:
        raise UsageError(sorted(problems, key=lambda d: (d.location.line or 0, d.location.column or 0)))
    return {answer.rule: answer for answer in parsed.answers}


def _rule_ids(document: Any) -> list[tuple[int, str]]:
    """Each answer's rule id, with the answer's place in the list, where the file gives one in the shape
    of an id (a malformed id, or none, is a shape problem, reported as one)."""
    entries = document.get("answers") if isinstance(document, dict) else None
    found = []
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        rule_id = entry.get("rule") if isinstance(entry, dict) else None
        try:
            found.append((i, _RULE_ID.validate_python(rule_id, strict=True)))
        except ValidationError:
            continue
    return found


def _problems(rule_id: str, modes: Mapping[str, Mode], seen: set[str], at: Location) -> list[Diagnostic]:
    mode: Any = modes.get(rule_id)
    if mode is None:
        return [Diagnostic("unknown-rule", f"no rule {rule_id} in the pack", at)]
    if mode is not Mode.MANUAL:
        return [Diagnostic("not-manual", f"{rule_id} is assessed from records; only manual rules take answers", at)]
    if rule_id in seen:
        return [Diagnostic("repeated-answer", f"a second answer for {rule_id}", at)]
    seen.add(rule_id)
    return []
