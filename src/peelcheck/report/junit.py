"""JUnit XML for CI: an assessment's rules, or a validation's diagnostics, as test cases.

A rule is a test case: not met is a failure whose message lists the failing records; not assessable
(a column it needs is absent) is a failure too, saying why, as both are gaps that make the exit code
1; manual, not assessed, disabled, waived and inconclusive rules are skipped, with the reason. Each
input file is a test case of its data quality, which fails when rows of it were rejected (results
incomplete), so a CI job never reads a gap or an incomplete assessment as green.

A gap below ``--fail-on`` (a medium rule under ``--fail-on high``, any rule under ``never``) does not
fail the run, so it does not fail its test case: it is skipped, saying it is a gap and why it does not
count, and the failures agree with the exit code.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from typing import TextIO

from peelcheck.assess.model import Assessment, RuleResult
from peelcheck.errors import Diagnostic
from peelcheck.report.common import counted, failures_left_out, measures
from peelcheck.report.data_quality import InputQuality, incomplete_heading, input_quality, rejected_left_out
from peelcheck.schema.outcomes import RuleStatus

MESSAGE_FAILURES = 50  # failing records named in a test case's text (the follow-up list has them all)
NOT_ASSESSABLE_HELP = ("The rule could not be assessed, so it is a gap (exit code 1): supply the column (or map it), "
                       "or disable the rule in the force profile with a reason.")
GAPS = (RuleStatus.NOT_MET, RuleStatus.NOT_ASSESSABLE)


def _rule_case(suite: ET.Element, rule: RuleResult, fail_on: str, figures: Callable[[RuleResult], str]) -> None:
    case = ET.SubElement(suite, "testcase", classname=f"peelcheck.{rule.area}", name=f"{rule.id} {rule.title}")
    cited = [f"{rule.source.document_title}, {rule.source.section}"] if rule.source else []
    if rule.status in GAPS and not rule.severity.fails_run(fail_on):
        ET.SubElement(case, "skipped", message=f"{rule.id} {rule.status.value.replace('_', ' ')} ({figures(rule)}): "
                      f"a {rule.severity.value} gap, below --fail-on {fail_on}, so it does not fail the run")
    elif rule.status is RuleStatus.NOT_MET:
        lines = [f"{f.key} ({f.location}): {f.reason}" for f in rule.failures[:MESSAGE_FAILURES]]
        # no option moves this cap (--max-failures is the other reports'): the rest are said to be elsewhere
        more = failures_left_out(len(rule.failures), len(lines), shows_more=None)
        if more:
            lines.append(f"... {more}")
        failure = ET.SubElement(case, "failure", message=f"{rule.id} not met: {figures(rule)}", type="not-met")
        failure.text = "\n".join([*cited, *lines])
    elif rule.status is RuleStatus.NOT_ASSESSABLE:
        # a gap, not a pass or a skip: the run exits 1 for it, so CI must show it failed
        failure = ET.SubElement(case, "failure", message=f"{rule.id} {figures(rule)}", type="not-assessable")
        failure.text = "\n".join([*cited, NOT_ASSESSABLE_HELP])
    elif rule.status is not RuleStatus.MET:
        ET.SubElement(case, "skipped", message=f"{rule.status.value.replace('_', ' ')}: {figures(rule)}")


def _quality_suite(suites: ET.Element, assessment: Assessment) -> None:
    files = input_quality(assessment)
    failing = sum(1 for q in files if q.incomplete)
    suite = ET.SubElement(suites, "testsuite", name="Data quality of the input", tests=str(len(files)),
                          failures=str(failing), errors="0", skipped="0")
    for q in files:
        _quality_case(suite, q, incomplete_heading(assessment))


def _quality_case(suite: ET.Element, q: InputQuality, incomplete: str | None) -> None:
    case = ET.SubElement(suite, "testcase", classname="peelcheck.data-quality", name=f"data quality of {q.path}")
    if q.incomplete:
        lines = [f"{r.row.location}: {r.row.field or ''} {r.row.message}" for r in q.rejected[:MESSAGE_FAILURES]]
        more = rejected_left_out(q.path, len(q.rejected), len(lines), shows_more=None)
        if more:
            lines.append(f"... {more}")
        failure = ET.SubElement(case, "failure", type="rows-rejected",
                                message=f"{counted(q.rows_rejected, 'row')} of {q.path} rejected, not assessed "
                                        f"({incomplete})")
        failure.text = "\n".join([*lines, *(f"{note}." for note in q.notes)])
    elif q.notes:
        ET.SubElement(case, "system-out").text = "\n".join(f"{note}." for note in q.notes)


def write_assessment_junit(assessment: Assessment, out: TextIO, fail_on: str = "low") -> None:
    """``fail_on`` as ``--fail-on``: the gaps that fail the run fail their test cases."""
    suites = ET.Element("testsuites", name=f"peelcheck {assessment.pack_id}")
    rules = {r.id: r for r in assessment.rules}
    figures = measures(assessment)
    for area in assessment.areas:
        mine = [rules[rid] for rid in area.rules]
        failing = sum(1 for r in mine if r.status in GAPS and r.severity.fails_run(fail_on))
        suite = ET.SubElement(suites, "testsuite", name=area.title, tests=str(len(mine)),
                              failures=str(failing), errors="0",
                              skipped=str(len(mine) - area.met - failing))
        for rule in mine:
            _rule_case(suite, rule, fail_on, figures)
    _quality_suite(suites, assessment)
    if assessment.warnings:  # each a case that passes, its text in the case's output, as validate's warnings
        suite = ET.SubElement(suites, "testsuite", name="Warnings the run went past",
                              tests=str(len(assessment.warnings)), failures="0", errors="0", skipped="0")
        for warning in assessment.warnings:
            case = ET.SubElement(suite, "testcase", classname=warning.path, name=warning.code)
            ET.SubElement(case, "system-out").text = str(warning.diagnostic())
    _totals(suites)
    _write(suites, out)


def _totals(suites: ET.Element) -> None:
    """The suites' counts added up on the root, for the CI tools that read only the root's."""
    for count in ("tests", "failures", "errors", "skipped"):
        suites.set(count, str(sum(int(s.get(count) or 0) for s in suites.iter("testsuite"))))


def write_diagnostics_junit(pack: str, diagnostics: Iterable[Diagnostic], out: TextIO) -> None:
    """validate's diagnostics: one test case per problem, failed; a warning is a case that passes, its text
    in the case's output (a CI's test view shows it without failing the build)."""
    found = list(diagnostics)
    failed = [d for d in found if d.severity != "warning"]
    suite = ET.Element("testsuite", name=f"peelcheck validate {pack}", tests=str(len(found) + (not failed)),
                       failures=str(len(failed)), errors="0")
    for diagnostic in found:
        case = ET.SubElement(suite, "testcase", classname=diagnostic.location.path, name=diagnostic.code)
        said = ET.SubElement(case, "failure", message=diagnostic.message, type=diagnostic.code) \
            if diagnostic in failed else ET.SubElement(case, "system-out")
        said.text = str(diagnostic)
    if not failed:
        ET.SubElement(suite, "testcase", classname=pack, name="pack is valid")
    _write(suite, out)


def _write(root: ET.Element, out: TextIO) -> None:
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="utf-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")
