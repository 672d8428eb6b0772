"""SARIF 2.1.0 for code-scanning tools: validate's diagnostics, or an assessment's gaps.

A validation problem is a result at its file, line and column; an unmet rule is a result per failing
record (its file and line), so a pull request touching a record file shows the findings beside it.
A rule not assessable (a column it needs is absent) is a gap as well (the run exits 1): one result
(level ``error``, ``properties.status`` ``not_assessable``) at each file of its record type that lacks
a column, saying it could not be assessed and why.
A gap below ``--fail-on`` (which does not fail the run) has level ``warning``, so a code-scanning gate
set to fail on errors agrees with the exit code.
A row rejected under --skip-invalid is a ``rejected-row`` result at its file and line (the results
are incomplete, which the run's invocation also says), and each file's other data-quality notes are
``data-quality`` notes on the file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from peelcheck import __version__
from peelcheck.assess.model import Assessment, RuleResult
from peelcheck.errors import Diagnostic
from peelcheck.report.common import counted
from peelcheck.report.data_quality import incomplete_heading, input_quality
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


_QUALITY_RULES = [
    {"id": "rejected-row", "name": "rejected-row",
     "shortDescription": {"text": "A row of a record file was rejected and not assessed: results incomplete"},
     "help": {"text": "Correct the row (or the mapping) and assess again; until then the figures leave it out."}},
    {"id": "data-quality", "name": "data-quality",
     "shortDescription": {"text": "Something worth knowing about how a record file was read"}},
]


def _log(rules: list[dict[str, Any]], results: list[dict[str, Any]],
         invocations: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    driver = {"name": "peelcheck", "version": __version__, "rules": rules}
    run: dict[str, Any] = {"tool": {"driver": driver}, "results": results}
    if invocations:
        run["invocations"] = invocations
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def diagnostics_sarif(diagnostics: Iterable[Diagnostic]) -> dict[str, Any]:
    found = list(diagnostics)
    codes = sorted({d.code for d in found})
    results = [{"ruleId": d.code, "level": _LEVEL.get(d.severity, "error"),
                "message": {"text": d.message + (f" (hint: {d.hint})" if d.hint else "")},
                "locations": [_location(d.location.path, d.location.line, d.location.column)]} for d in found]
    return _log([{"id": code} for code in codes], results)


def assessment_sarif(assessment: Assessment, fail_on: str = "low") -> dict[str, Any]:
    """The gaps as results: ``error`` where a gap fails the run under ``fail_on`` (as --fail-on), else
    ``warning``; every failing record up to MAX_RESULTS_PER_RULE, then one result counting the rest."""
    failing = [r for r in assessment.rules if r.status in (RuleStatus.NOT_MET, RuleStatus.NOT_ASSESSABLE)]
    rules = [{"id": r.id, "name": r.id, "shortDescription": {"text": r.title},
              "fullDescription": {"text": f"{r.source.quote} ({r.source.document_title}, {r.source.section})"
                                  if r.source else r.title},
              "help": {"text": r.remediation}} for r in failing]
    results = []
    for rule in failing:
        level = "error" if rule.severity.fails_run(fail_on) else "warning"
        if rule.status is RuleStatus.NOT_ASSESSABLE:
            results.append({**_not_assessable(assessment, rule), "level": level})
            continue
        for f in rule.failures[:MAX_RESULTS_PER_RULE]:
            path, line = _split(f.location)
            results.append({"ruleId": rule.id, "level": level,
                            "message": {"text": f"{f.key}: {f.reason} ({rule.id} not met: {figures(rule)})"},
                            "locations": [_location(path, line, None)]})
        more = len(rule.failures) - MAX_RESULTS_PER_RULE
        if more > 0:  # said, never silently cut
            results.append({"ruleId": rule.id, "level": level, "message": {"text": (
                f"{counted(more, 'more failing record')} of {rule.id} not listed here "
                f"(the first {MAX_RESULTS_PER_RULE} are): the JSON report and the follow-up list list all "
                f"{len(rule.failures)}")}})
        if not rule.failures:
            results.append({"ruleId": rule.id, "level": level,
                            "message": {"text": f"{rule.id} not met: {figures(rule)}"}})
    quality = _quality_results(assessment)
    incomplete = incomplete_heading(assessment)
    # The run finished, but without the rejected rows, or past a warning: said where a tool looks for how a run went.
    notifications: list[dict[str, Any]] = [{"level": "error", "message": {"text": incomplete}}] if incomplete else []
    notifications += [{"level": "warning", "message": {"text": f"{w.message} [{w.code}]"}, "descriptor": {"id": w.code},
                       "locations": [_location(w.path, w.line, w.column)]} for w in assessment.warnings]
    invocations = [{"executionSuccessful": True, "toolExecutionNotifications": notifications}] \
        if notifications else None
    # Only the quality rules a result uses: a complete run's notes (a column absent, say) must not come
    # with a rule that says "results incomplete".
    used = {r["ruleId"] for r in quality}
    return _log(rules + [q for q in _QUALITY_RULES if q["id"] in used], results + quality, invocations)


def _not_assessable(assessment: Assessment, rule: RuleResult) -> dict[str, Any]:
    """A rule that could not be assessed: a gap (exit code 1), at the files of its type lacking a column."""
    files = [s.path for s in assessment.inputs if s.record_type == rule.record_type]
    lacking = [s.path for s in assessment.inputs if s.record_type == rule.record_type and s.absent_fields]
    why = rule.not_assessable_reason or "a column it needs is absent"
    result: dict[str, Any] = {"ruleId": rule.id, "level": "error",
                              "message": {"text": f"{rule.id} could not be assessed, so it is a gap: {why}"},
                              "properties": {"status": RuleStatus.NOT_ASSESSABLE.value}}
    where = lacking or files
    if where:
        result["locations"] = [_location(path, None, None) for path in where]
    return result


def _quality_results(assessment: Assessment) -> list[dict[str, Any]]:
    """A result per problem of a rejected row, at its file and line; a note per other fact about a file."""
    results: list[dict[str, Any]] = []
    for q in input_quality(assessment):
        for r in q.rejected[:MAX_RESULTS_PER_RULE]:
            field = f"{r.row.field}: " if r.row.field else ""
            results.append({"ruleId": "rejected-row", "level": "error",
                            "message": {"text": f"row rejected, not assessed: {field}{r.row.message} [{r.row.code}]"},
                            "locations": [_location(q.path, r.line, r.column)],
                            "properties": {"code": r.row.code}})
        if len(q.rejected) > MAX_RESULTS_PER_RULE:
            results.append({"ruleId": "rejected-row", "level": "error",
                            "message": {"text": f"{len(q.rejected) - MAX_RESULTS_PER_RULE} more problems of "
                                                "rejected rows (the JSON report lists them all)"},
                            "locations": [_location(q.path, None, None)]})
        results.extend({"ruleId": "data-quality", "level": "note", "message": {"text": note},
                        "locations": [_location(q.path, None, None)]} for note in q.notes)
    return results


def write_assessment_sarif(assessment: Assessment, out: TextIO, fail_on: str = "low") -> None:
    json.dump(assessment_sarif(assessment, fail_on), out, indent=2, ensure_ascii=False)
    out.write("\n")


def write_diagnostics_sarif(diagnostics: Iterable[Diagnostic], out: TextIO) -> None:
    json.dump(diagnostics_sarif(diagnostics), out, indent=2, ensure_ascii=False)
    out.write("\n")
