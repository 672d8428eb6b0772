"""The follow-up list: one row per failing record and rule, for an analyst to work through.

CSV (one file) or xlsx (one sheet per area, header frozen, filters on; openpyxl's write-only mode,
so a workbook of hundreds of thousands of rows is written without holding it in memory; an area of more rows
than a sheet holds goes on over further sheets, "AREA (cont. 2)"...: openpyxl would write them past the sheet's
last row, and Excel then calls the file damaged). The owner
and due-date columns are left blank for the force to fill in. Rows rejected under --skip-invalid
are listed too (rule ``rejected-row``, status "rejected, not assessed"; in the workbook, on a first
sheet of their own): the results are incomplete until they are corrected.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from peelcheck.assess.model import Assessment, RuleResult
from peelcheck.report.common import KIND_WORDS
from peelcheck.report.data_quality import input_quality
from peelcheck.schema.outcomes import RuleStatus

HEADER = ["area", "finding", "rule", "kind", "severity", "status", "record", "where", "outcome", "reason",
          "remediation", "owner", "due date"]
# A rule's failures are listed when the rule is not met (or cannot yet be told from met).
LISTED = (RuleStatus.NOT_MET, RuleStatus.INCONCLUSIVE)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SHEET_ROWS = 1_048_576  # the most rows an Excel sheet holds, its header row among them


def _safe(text: str) -> str:
    """A cell a spreadsheet will not run as a formula (a record key of '=HYPERLINK(...)' stays text)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def rows(assessment: Assessment, area_id: str | None = None) -> Iterator[list[str]]:
    """The follow-up rows (of one area, or all), causes of concern first as the report orders them."""
    rules = {r.id: r for r in assessment.rules}
    for area in assessment.areas:
        if area_id is not None and area.id != area_id:
            continue
        for rid in area.rules:
            rule = rules[rid]
            if rule.status in LISTED:
                yield from _rule_rows(area.title, rule)


REJECTED = "rejected, not assessed"
# A rejected row's `rule`: no rule was assessed on it, so the rule column names what the row is, as
# SARIF's ruleId does (a rule id never has this shape), and a filter on the column finds no blank.
REJECTED_RULE = "rejected-row"
_CORRECT = "Correct the row (or the mapping) and assess again: until then the results leave it out."


def rejected_rows(assessment: Assessment) -> Iterator[list[str]]:
    """A follow-up row per problem of a rejected row: where it is, the field and why."""
    for q in input_quality(assessment):
        for r in q.rejected:
            reason = f"{r.row.field}: {r.row.message}" if r.row.field else r.row.message
            yield [_safe(cell) for cell in ("", "", REJECTED_RULE, "data quality", "", REJECTED, "", r.row.location,
                                            "rejected", reason, _CORRECT, "", "")]


def _rule_rows(area: str, rule: RuleResult) -> Iterator[list[str]]:
    kind = KIND_WORDS.get(rule.kind.value, rule.kind.value)
    fixed = [area, "; ".join(rule.findings), rule.id, kind, rule.severity.value, rule.status.value.replace("_", " ")]
    for failure in rule.failures:
        yield [_safe(cell) for cell in (*fixed, failure.key, failure.location,
                                        failure.outcome.value.replace("_", " "), failure.reason, rule.remediation,
                                        "", "")]


def write_csv(assessment: Assessment, out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows(assessment))
    writer.writerows(rejected_rows(assessment))


def _sheet_title(title: str, taken: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique."""
    name = "".join(c for c in title if c not in "[]:*?/\\")[:31] or "area"
    base, n = name, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def write_xlsx(assessment: Assessment, path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    taken: set[str] = set()
    rejected = rejected_rows(assessment)
    first = next(rejected, None)
    if first is not None:  # first, so the workbook opens on it: the results are incomplete
        _sheets(book, "Rejected rows", taken, itertools.chain([first], rejected))
    for area in assessment.areas:
        _sheets(book, area.title, taken, rows(assessment, area.id))
    if not taken:
        book.create_sheet("no failures").append(HEADER)
    book.save(path)


def _sheets(book: Any, title: str, taken: set[str], lines: Iterator[list[str]]) -> None:
    """``lines`` on a sheet named ``title`` and, past a sheet's last row, on "TITLE (cont. 2)" and on."""
    part = 1
    while _sheet(book, _sheet_title(_part_title(title, part), taken), itertools.islice(lines, SHEET_ROWS - 1)):
        ahead = next(lines, None)  # a full sheet: is anything left for the next?
        if ahead is None:
            return
        lines, part = itertools.chain([ahead], lines), part + 1


def _part_title(title: str, part: int) -> str:
    suffix = f" (cont. {part})"
    return title if part == 1 else title[:31 - len(suffix)] + suffix


def _sheet(book: Any, title: str, lines: Iterable[list[str]]) -> bool:
    """A sheet of HEADER and ``lines``; True where they filled it."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    sheet = book.create_sheet(title)
    sheet.freeze_panes = "A2"
    header = []
    for name in HEADER:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in lines:
        sheet.append(row)
        count += 1
    sheet.auto_filter.ref = f"A1:{chr(ord('A') + len(HEADER) - 1)}{count + 1}"
    return count + 1 == SHEET_ROWS
