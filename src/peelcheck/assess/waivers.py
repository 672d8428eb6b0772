"""Waivers: approved exceptions to a rule, or to one record of a rule, each with an expiry date.

A waiver of a whole rule makes its status ``waived``; a waiver of one record takes that record's
failure out of the rule's figures (it neither passes nor fails) and lists it apart. Only failures are
kept past evaluation, so a waiver of a record that passes (or that the rule does not apply to)
changes nothing and is reported as unused, like one naming no record at all. A record's key is read as
a record file's is: the spaces around it dropped, and a character that does not show (a byte-order mark,
a zero-width space, a NUL) an error at its line, since it would name no record while looking like one
that fails. One rule and record waived twice is an error: which reason and expiry would hold is not for
the engine to pick. An expired waiver is an error (in ``validate`` and ``assess``), never quietly
honoured; a waiver that matched nothing is warned about, since it probably names a rule or record wrongly.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import BeforeValidator, Field, StringConstraints, ValidationError

from peelcheck.assess.model_extras import WaiverResult
from peelcheck.errors import Diagnostic, Location, UsageError
from peelcheck.evaluate.runner import Tally
from peelcheck.load.pydantic_errors import diagnostics_from
from peelcheck.load.yaml_positions import load_yaml_file
from peelcheck.positions import locate
from peelcheck.schema.key_text import strip_key, unseen_named, written_out
from peelcheck.schema.outcomes import Outcome
from peelcheck.schema.pack import Closed
from peelcheck.schema.rule import RuleId

Text = Annotated[str, StringConstraints(min_length=3)]
# a record's key as a record file's is read: the spaces around it dropped, then something left
RecordKey = Annotated[str, BeforeValidator(lambda v: strip_key(v) if isinstance(v, str) else v),
                      StringConstraints(min_length=1)]


class Waiver(Closed):
    rule: RuleId
    record: RecordKey | None = Field(default=None, description="A record's key: waive the rule for this record only.")
    reason: Text
    approver: Text
    expires: dt.date


class WaiverFile(Closed):
    """A waivers file: ``waivers: [{rule, record?, reason, approver, expires}]`` (entries checked one by one)."""

    waivers: list[dict[str, object]] | None


@dataclass
class Waivers:
    entries: list[tuple[Waiver, Location]] = field(default_factory=list)
    used: set[int] = field(default_factory=set)  # indexes of entries that matched something
    applied: list[WaiverResult] = field(default_factory=list)

    def rule_waiver(self, rule_id: str) -> WaiverResult | None:
        for i, (waiver, where) in enumerate(self.entries):
            if waiver.rule == rule_id and waiver.record is None:
                self.used.add(i)
                found = _result(waiver, where)
                self.applied.append(found)
                return found
        return None

    def records(self) -> dict[str, frozenset[str]]:
        """The keys of the records waived, by rule: what the breakdowns leave out as they count (apply_to
        takes the same records' failures out of the totals afterwards)."""
        found: dict[str, set[str]] = {}
        for waiver, _ in self.entries:
            if waiver.record:  # as apply_to reads it
                found.setdefault(waiver.rule, set()).add(waiver.record)
        return {rule: frozenset(keys) for rule, keys in found.items()}

    def apply_to(self, tally: Tally) -> None:
        """Take waived records' failures out of a rule's tally (and its counts)."""
        wanted = {w.record: i for i, (w, _) in enumerate(self.entries) if w.rule == tally.rule.id and w.record}
        if not wanted:
            return
        # one pass over the failures (which may wait on disk): the waived ones taken out, the rest kept
        tally.failures, waived = tally.failures.without(wanted)
        taken = dict[int, int]()
        for failure in waived:
            index = wanted[failure.key]
            taken[index] = taken.get(index, 0) + 1
            tally.applicable -= 1
            if failure.outcome is Outcome.NOT_RECORDED:
                tally.not_recorded -= 1
            else:
                tally.non_compliant -= 1
        for index, count in taken.items():
            self.used.add(index)
            self.applied.append(_result(*self.entries[index], failures=count))

    def unused(self) -> list[WaiverResult]:
        return [_result(w, where) for i, (w, where) in enumerate(self.entries) if i not in self.used]


def _result(waiver: Waiver, where: Location, failures: int = 0) -> WaiverResult:
    return WaiverResult(rule=waiver.rule, record=waiver.record, reason=waiver.reason, approver=waiver.approver,
                        expires=waiver.expires, location=str(where), failures=failures)


def check_waivers(path: Path, today: dt.date, rule_ids: set[str] | None = None) -> tuple[Waivers, list[Diagnostic]]:
    """Read a waivers file: every problem (bad entry, expired, unknown rule) as a located diagnostic."""
    document = load_yaml_file(path)
    start = Location(str(path), 1, 1)
    if not isinstance(document, dict):
        return Waivers(), [Diagnostic("wrong-type", "expected a mapping with 'waivers:' at the top of the file", start)]
    try:
        WaiverFile.model_validate(document)
    except ValidationError as exc:
        return Waivers(), diagnostics_from(exc, document, start)
    waivers, problems = Waivers(), list[Diagnostic]()
    seen: dict[tuple[str, str | None], Location] = {}
    for i, entry in enumerate(document.get("waivers") or []):
        wrong_key = _record_problem(entry, document, i, start)
        if wrong_key is not None:
            problems.append(wrong_key)
            continue
        try:
            waiver = Waiver.model_validate(entry)
        except ValidationError as exc:
            problems += diagnostics_from(exc, document, start, prefix=("waivers", i), model=Waiver)
            continue
        where = locate(document, ("waivers", i), start)
        first = seen.setdefault((waiver.rule, waiver.record), where)
        if first is not where:
            scope = f" for record {waiver.record}" if waiver.record else ""
            problems.append(Diagnostic("duplicate-waiver", f"{waiver.rule}{scope} is waived twice (first at {first})",
                                       where, hint="keep one entry, with the reason and expiry that hold"))
            continue
        waivers.entries.append((waiver, where))
        problems += _entry_problems(waiver, document, ("waivers", i), start, today, rule_ids)
    return waivers, problems


def _record_problem(entry: object, document: object, i: int, start: Location) -> Diagnostic | None:
    """A record key that would match no record whatever the records hold: a number, or a key holding a
    character that does not show."""
    record = entry.get("record") if isinstance(entry, dict) else None
    where = locate(document, ("waivers", i, "record"), start, at_value=True)
    if isinstance(record, (int, float)) and not isinstance(record, bool):
        return Diagnostic(  # YAML reads 0123 as 83 and 1_0 as 10: the key must be written as text
            "wrong-type", f"waivers.{i}.record: a record's key is text; {record!r} was read as a number", where,
            hint="write it in quotes exactly as the record file has it, e.g. record: \"0123\"")
    what = unseen_named(record) if isinstance(record, str) else None
    if what is None or not isinstance(record, str):
        return None
    return Diagnostic("invisible-character-in-key", f"waivers.{i}.record: the key '{written_out(record)}' holds "
                      f"{what}: it would look like a record's key and match none", where,
                      hint="remove the character (retype the key, or copy it from the record file)")


def _entry_problems(waiver: Waiver, document: object, at: tuple[str, int], start: Location, today: dt.date,
                    rule_ids: set[str] | None) -> list[Diagnostic]:
    out = []
    if waiver.expires < today:
        scope = f" for {waiver.record}" if waiver.record else ""
        out.append(Diagnostic("expired-waiver", f"the waiver of {waiver.rule}{scope} expired on {waiver.expires}",
                              locate(document, (*at, "expires"), start),
                              hint="renew it (a new expiry date and approver) or remove it"))
    if rule_ids is not None and waiver.rule not in rule_ids:
        close = difflib.get_close_matches(waiver.rule, sorted(rule_ids), n=1)
        out.append(Diagnostic("unknown-rule", f"waiver of unknown rule {waiver.rule}",
                              locate(document, (*at, "rule"), start),
                              hint=f"did you mean {close[0]}?" if close else None))
    return out


def load_waivers(path: Path, today: dt.date, rule_ids: set[str]) -> Waivers:
    """check_waivers for ``assess``: any problem stops the run (exit 2) with every diagnostic."""
    waivers, problems = check_waivers(path, today, rule_ids)
    if problems:
        raise UsageError(problems)
    return waivers
