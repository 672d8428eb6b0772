"""Putting an interval on every rule's rate, and letting ``--verdict`` say what decides.

``point`` (the default): met or not met by the rate itself, as the inspectorate judges its own
audit samples and as a self-assessment should (a shortfall is not excused by sample size); a rule
whose interval straddles its threshold is still flagged, beside its status. ``interval``: such a
rule is ``inconclusive`` and does not fail the run; a sample has to show the gap to count it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from peelcheck.assess.model import InputFile, RuleResult
from peelcheck.assess.model_extras import RateInterval
from peelcheck.assess.stats import SMALL_SAMPLE, straddles, wilson
from peelcheck.assess.waivers import Waivers
from peelcheck.schema.outcomes import RuleStatus
from peelcheck.schema.rule import Evidence


class Verdict(str, Enum):
    POINT = "point"
    INTERVAL = "interval"


@dataclass(frozen=True)
class Drawn:
    """A record type's audit sample and the population it was drawn from (``population:`` in a profile)."""

    population: int
    sample: int  # the rows of its files (rows_drawn)

    def domain(self, applicable: int) -> int:
        """The records a rule applies to in the whole population, estimated from its share of the sample
        (rounded up: never fewer than were audited). A census (population = sample) gives ``applicable``
        itself, so every rate is exact; a rule applying to some records only is no less a census."""
        return -(-self.population * applicable // self.sample)


def population_entries(record_type: str, inputs: Iterable[InputFile],
                       populations: dict[str, int]) -> dict[str, list[InputFile]] | None:
    """The ``population`` entries a record type's files were drawn from, each with the files it covers: a
    file's own name, else the record type (every file of the type without its own entry, together).
    None if a file has neither."""
    covered: dict[str, list[InputFile]] = {}
    for source in inputs:
        if source.record_type != record_type:
            continue
        name = source.path.replace("\\", "/").rsplit("/", 1)[-1]
        entry = name if name in populations else record_type if record_type in populations else None
        if entry is None:
            return None
        covered.setdefault(entry, []).append(source)
    return covered


def rows_drawn(files: Iterable[InputFile]) -> int:
    """The rows of the files, rejected ones too: each was drawn for the sample."""
    return sum(source.records + source.rejected for source in files)


def drawn(record_type: str, inputs: Iterable[InputFile], populations: dict[str, int]) -> Drawn | None:
    """The population a record type's records were drawn from and the sample read: unknown if any of its
    files has no entry, or if an entry is smaller than the rows drawn from it (a mistake, refused by
    ``assess`` with the entry's place in the profile)."""
    entries = population_entries(record_type, inputs, populations)
    if not entries or any(populations[entry] < rows_drawn(files) for entry, files in entries.items()):
        return None
    return Drawn(sum(populations[entry] for entry in entries), sum(rows_drawn(f) for f in entries.values()))


def with_interval(rule: RuleResult, verdict: Verdict, population: Drawn | None = None) -> RuleResult:
    """The rule with its rate's interval (rate rules with records only) and its verdict applied."""
    if rule.compliance_rate is None or rule.count_target is not None or rule.status not in (
            RuleStatus.MET, RuleStatus.NOT_MET) or rule.evidence is not Evidence.RECORDS:
        return rule  # a self-declared answer or an auditor's judgment is not a sample of records
    interval = wilson(rule.compliant, rule.applicable, population.domain(rule.applicable) if population else None)
    unsure = straddles(interval, rule.threshold)
    status = RuleStatus.INCONCLUSIVE if unsure and verdict is Verdict.INTERVAL else rule.status
    return rule.model_copy(update={"status": status, "interval": RateInterval(
        low=interval.low, high=interval.high, margin=interval.margin,
        population=population.population if population else None,
        small_sample=rule.applicable < SMALL_SAMPLE, straddles=unsure, point_status=rule.status)})


def refine(rules: list[RuleResult], inputs: list[InputFile], populations: dict[str, int], verdict: Verdict,
           waivers: Waivers | None) -> list[RuleResult]:
    """Rules waived whole, then every rate's interval and the verdict."""
    out = []
    for rule in rules:
        waived = waivers.rule_waiver(rule.id) if waivers is not None and rule.status is not RuleStatus.DISABLED \
            else None
        if waived is not None:
            out.append(rule.model_copy(update={"status": RuleStatus.WAIVED}))
            continue
        out.append(with_interval(rule, verdict, drawn(rule.record_type, inputs, populations)))
    return out
