"""Reading an answers file (``assess --answers FILE``): an auditor's answers to manual rules."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from peelcheck.errors import Diagnostic, Location, PackError, UsageError
from peelcheck.load.pydantic_errors import diagnostics_from
from peelcheck.load.yaml_positions import load_yaml_file
from peelcheck.positions import locate
from peelcheck.schema.answers import AnswersFile, ManualAnswer
from peelcheck.schema.rule import Mode


def load_answers(path: Path, modes: Mapping[str, Mode]) -> dict[str, ManualAnswer]:
    """The answers by rule id. ``modes`` maps the pack's rule ids to their modes. Every problem (bad
    shape, unknown or automated rule, two answers for one rule) is raised at once, with file and line."""
    top = Location(str(path), 1, 1)
    try:
        document = load_yaml_file(path)
        parsed = AnswersFile.model_validate(document)
    except PackError as exc:
        raise UsageError(exc.diagnostics) from None
    except ValidationError as exc:
        raise UsageError(diagnostics_from(exc, document, top)) from None
    answers: dict[str, ManualAnswer] = {}
    problems = [p for i, answer in enumerate(parsed.answers)
                for p in _problems(answer, modes, answers, locate(document, ("answers", i, "rule"), top))]
    if problems:
        raise UsageError(problems)
    return answers


def _problems(answer: ManualAnswer, modes: Mapping[str, Mode], seen: dict[str, ManualAnswer],
              at: Location) -> list[Diagnostic]:
    mode: Any = modes.get(answer.rule)
    if mode is None:
        return [Diagnostic("unknown-rule", f"no rule {answer.rule} in the pack", at)]
    if mode is not Mode.MANUAL:
        return [Diagnostic("not-manual", f"{answer.rule} is assessed from records; only manual rules take "
                           "answers", at)]
    if answer.rule in seen:
        return [Diagnostic("repeated-answer", f"a second answer for {answer.rule}", at)]
    seen[answer.rule] = answer
    return []
