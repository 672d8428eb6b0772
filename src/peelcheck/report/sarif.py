"""SARIF 2.1.0 for code-scanning tools: validate's diagnostics, or an assessment's unmet rules.

A validation problem is a result at its file, line and column; an unmet rule is a result per failing
record (its file and line), so a pull request touching a record file shows the findings beside it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from peelcheck import __version__
from peelcheck.assess.model import Assessment
from peelcheck.errors import Diagnostic
from peelcheck.report.html import figures
from peelcheck.schema.outcomes import RuleStatus

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
MAX_RESULTS_PER_RULE = 1000  # code-scanning services cap results; the follow-up list has every record
_LEVEL = {"error": "error", "warning": "warning", "note": "note"}


def _location(path: str, line: int | None, column: int | None) -> dict[str, Any]:
    region: dict[str, Any] = {}
    if line is not None:
        region["startLine"] = line
        if column is not None:
            region["startColumn"] = column
    physical: dict[str, Any] = {"artifactLocation": {"uri": path.replace("\\", "/")}}
    if region:
        physical["region"] = region
    return {"physicalLocation": physical}


def _split(location: str) -> tuple[str, int | None]:
    """'file.csv:12' -> ('file.csv', 12); 'file.json[3]' and others stay whole, without a line."""
    path, _, line = location.rpartition(":")
    return (path, int(line)) if path and line.isdigit() else (location, None)


def _log(rules: list[dict[str, Any]], results: list[dict[str, Any]]) -> dict[str, Any]:
    driver = {"name": "peelcheck", "version": __version__, "rules": rules}
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [{"tool": {"driver": driver}, "results": results}]}


def diagnostics_sarif(diagnostics: Iterable[Diagnostic]) -> dict[str, Any]:
    found = list(diagnostics)
    codes = sorted({d.code for d in found})
    results = [{"ruleId": d.code, "level": _LEVEL.get(d.severity, "error"),
                "message": {"text": d.message + (f" (hint: {d.hint})" if d.hint else "")},
                "locations": [_location(d.location.path, d.location.line, d.location.column)]} for d in found]
    return _log([{"id": code} for code in codes], results)


def assessment_sarif(assessment: Assessment) -> dict[str, Any]:
    failing = [r for r in assessment.rules if r.status is RuleStatus.NOT_MET]
    rules = [{"id": r.id, "name": r.id, "shortDescription": {"text": r.title},
              "fullDescription": {"text": f"{r.source.quote} ({r.source.document_title}, {r.source.section})"
                                  if r.source else r.title},
              "help": {"text": r.remediation}} for r in failing]
    results = []
    for rule in failing:
        for f in rule.failures[:MAX_RESULTS_PER_RULE]:
            path, line = _split(f.location)
            results.append({"ruleId": rule.id, "level": "error",
                            "message": {"text": f"{f.key}: {f.reason} ({rule.id} not met: {figures(rule)})"},
                            "locations": [_location(path, line, None)]})
        if not rule.failures:
            results.append({"ruleId": rule.id, "level": "error",
                            "message": {"text": f"{rule.id} not met: {figures(rule)}"}})
    return _log(rules, results)


def write_assessment_sarif(assessment: Assessment, out: TextIO) -> None:
    json.dump(assessment_sarif(assessment), out, indent=2, ensure_ascii=False)
    out.write("\n")


def write_diagnostics_sarif(diagnostics: Iterable[Diagnostic], out: TextIO) -> None:
    json.dump(diagnostics_sarif(diagnostics), out, indent=2, ensure_ascii=False)
    out.write("\n")
