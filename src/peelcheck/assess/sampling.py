"""Putting an interval on every rule's rate, and letting ``--verdict`` say what decides.

``point`` (the default): met or not met by the rate itself, as the inspectorate judges its own
audit samples and as a self-assessment should (a shortfall is not excused by sample size); a rule
whose interval straddles its threshold is still flagged, beside its status. ``interval``: such a
rule is ``inconclusive`` and does not fail the run; a sample has to show the gap to count it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from enum import Enum

from peelcheck.assess.model import InputFile, RuleResult
from peelcheck.assess.model_extras import RateInterval
from peelcheck.assess.stats import SMALL_SAMPLE, effective_size, straddles, wilson
from peelcheck.assess.waivers import Waivers
from peelcheck.schema.outcomes import RuleStatus
from peelcheck.schema.rule import Evidence


class Verdict(str, Enum):
    POINT = "point"
    INTERVAL = "interval"


def file_name(source: InputFile) -> str:
    """The name a profile's ``population`` gives a record file by: its last path part, whatever the slashes."""
    return source.path.replace("\\", "/").rsplit("/", 1)[-1]


def population_entries(record_type: str, inputs: Iterable[InputFile],
                       populations: dict[str, int]) -> dict[str, list[InputFile]] | None:
    """The ``population`` entries a record type's files were drawn from, each with the files it covers: a
    file's own name, else the record type (every file of the type without its own entry, together).
    None if a file has neither."""
    covered: dict[str, list[InputFile]] = {}
    for source in inputs:
        if source.record_type != record_type:
            continue
        name = file_name(source)
        entry = name if name in populations else record_type if record_type in populations else None
        if entry is None:
            return None
        covered.setdefault(entry, []).append(source)
    return covered


def rows_drawn(files: Iterable[InputFile]) -> int:
    """The rows of the files, rejected ones too: each was drawn for the sample."""
    return sum(source.records + source.rejected for source in files)


def population_of(record_type: str, inputs: Iterable[InputFile],
                  populations: dict[str, int]) -> tuple[int, int] | None:
    """The population a record type's records were drawn from, and how many rows were drawn from it (each
    entry counted once, however many files it covers); unknown if a file has no entry, or if an entry is
    smaller than the rows drawn from it (a mistake ``assess`` refuses, at the entry's place in the profile)."""
    entries = population_entries(record_type, inputs, populations)
    if not entries or any(populations[entry] < rows_drawn(files) for entry, files in entries.items()):
        return None
    return sum(populations[entry] for entry in entries), sum(rows_drawn(files) for files in entries.values())


def with_interval(rule: RuleResult, verdict: Verdict, population: tuple[int, int] | None = None) -> RuleResult:
    """The rule with its rate's interval (rate rules with records only) and its verdict applied;
    ``population``: the population its record type was sampled from, and the records drawn (as
    ``population_of`` gives them: never a population smaller than the sample)."""
    if rule.compliance_rate is None or rule.count_target is not None or rule.status not in (
            RuleStatus.MET, RuleStatus.NOT_MET) or rule.evidence is not Evidence.RECORDS:
        return rule  # a self-declared answer or an auditor's judgment is not a sample of records
    size, drawn = population if population is not None else (None, None)
    interval = wilson(rule.compliant, rule.applicable, size, sampled=drawn)
    unsure = straddles(interval, rule.threshold)
    # a census has no sampling error, however few records the rule applies to: its rate is exact
    small = rule.applicable < SMALL_SAMPLE and not math.isinf(effective_size(rule.applicable, size, drawn))
    status = RuleStatus.INCONCLUSIVE if unsure and verdict is Verdict.INTERVAL else rule.status
    return rule.model_copy(update={"status": status, "interval": RateInterval(
        low=interval.low, high=interval.high, margin=interval.margin, population=size,
        small_sample=small, straddles=unsure, point_status=rule.status)})


def all_records_waived(rule: RuleResult, waivers: Waivers | None) -> bool:
    """Whether waivers of its records took every record a rate rule applied to out of its figures: nothing
    is left to assess, as for a rule waived whole (not "no records apply", nor, for a rule that needs
    evidence, "no evidence supplied": the records were there, and approved exceptions)."""
    return (waivers is not None and rule.applicable == 0 and rule.count_target is None
            and rule.status in (RuleStatus.NOT_ASSESSED, RuleStatus.NOT_MET)
            and any(w.rule == rule.id and w.record is not None and w.failures for w in waivers.applied))


def refine(rules: list[RuleResult], inputs: list[InputFile], populations: dict[str, int], verdict: Verdict,
           waivers: Waivers | None) -> list[RuleResult]:
    """Rules waived whole (or every record of them), then every rate's interval and the verdict."""
    out = []
    for rule in rules:
        waived = waivers.rule_waiver(rule.id) if waivers is not None and rule.status is not RuleStatus.DISABLED \
            else None
        if waived is not None:
            out.append(rule.model_copy(update={"status": RuleStatus.WAIVED}))
            continue
        if all_records_waived(rule, waivers):  # no shortfall: no record is left short of anything
            out.append(rule.model_copy(update={"status": RuleStatus.WAIVED, "shortfall": 0}))
            continue
        out.append(with_interval(rule, verdict, population_of(rule.record_type, inputs, populations)))
    return out
