"""A baseline (an earlier ``--format json`` report) read and checked before any rule is compared with it.

Only what the comparison reads is checked (a report holds much else: its records' failures, its inputs),
and every problem is named at its line with its path (``rules.3.status``): a report that is not one, a
value of the wrong type, a key written twice in an object (JSON readers keep the last), a rule or finding
listed twice (one of them would be compared, the other dropped), and an id holding a character that does
not show, which would look like a rule's id and be compared with nothing: the rule would read as new.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from peelcheck.errors import Diagnostic, Location, UsageError
from peelcheck.load.input_guards import json_loads
from peelcheck.load.json_places import json_place
from peelcheck.schema.key_text import unseen_named, written_out
from peelcheck.schema.outcomes import RuleStatus

_HINT = "give the --format json report of the earlier assessment"


class _Read(BaseModel):
    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)  # the rest of the report is not read


class BaselineInterval(_Read):
    low: float
    high: float
    point_status: RuleStatus


class BaselineRule(_Read):
    id: str
    status: RuleStatus
    applicable: int | None = None
    compliant: int | None = None
    compliance_rate: float | None = None
    interval: BaselineInterval | None = None
    threshold: float | None = None
    count_target: str | None = None
    findings: list[str] = Field(default_factory=list)


class BaselineFinding(_Read):
    id: str
    status: RuleStatus


class BaselineReport(_Read):
    as_of: dt.date
    pack_version: str
    rules: list[BaselineRule]
    findings: list[BaselineFinding] = Field(default_factory=list)


def _problem(text: str, path: Path, loc: tuple[str | int, ...], message: str, code: str = "bad-baseline",
             hint: str = _HINT) -> Diagnostic:
    where = ".".join(map(str, loc))
    return Diagnostic(code, f"{where}: {message}" if where else message, json_place(text, loc, str(path)), hint=hint)


def _parsed(path: Path) -> tuple[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError.single("bad-baseline", f"cannot read it: {exc}", Location(str(path)), hint=_HINT) from exc
    try:
        return text, json_loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError.single("bad-baseline", f"not JSON: {exc.msg}", Location(str(path), exc.lineno, exc.colno),
                                hint=_HINT) from exc
    except ValueError as exc:  # a key written twice, NaN, an outsize number, nesting too deep
        raise UsageError.single("bad-baseline", f"not a peelcheck JSON report: {exc}", Location(str(path)),
                                hint=_HINT) from exc


def _listed_once(text: str, path: Path, kind: str, ids: list[str]) -> list[Diagnostic]:
    """Each id once, with no character that does not show."""
    out, first = [], dict[str, int]()
    for i, name in enumerate(ids):
        what = unseen_named(name)
        if what is not None:
            out.append(_problem(text, path, (kind, i, "id"), f"the id '{written_out(name)}' holds {what}: it "
                                "would be compared with no rule", "invisible-character-in-key",
                                "remove the character, or give the report as peelcheck wrote it"))
        elif first.setdefault(name, i) != i:
            place = json_place(text, (kind, first[name]), str(path))
            out.append(_problem(text, path, (kind, i, "id"), f"{name} is listed twice (first at {place})"))
    return out


def read_baseline_report(path: Path) -> BaselineReport:
    """The baseline's rules and findings, every problem in it a located error (exit 2)."""
    text, data = _parsed(path)
    try:
        report = BaselineReport.model_validate(data)
    except ValidationError as exc:
        raise UsageError([_problem(text, path, tuple(err["loc"]), f"not a peelcheck JSON report: {err['msg']}")
                          for err in exc.errors(include_url=False)]) from exc
    problems = _listed_once(text, path, "rules", [r.id for r in report.rules]) \
        + _listed_once(text, path, "findings", [f.id for f in report.findings])
    if problems:
        raise UsageError(problems)
    return report


__all__ = ["BaselineReport", "BaselineRule", "read_baseline_report"]
