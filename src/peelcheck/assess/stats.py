"""Sample statistics: audits are samples, so every rate gets a Wilson 95% interval.

The Wilson score interval stays inside 0..1 and behaves at 0% and 100%, where the normal
approximation collapses to a zero-width interval. When the population a sample was drawn from is
known (the profile's ``population``), the finite population correction narrows the interval: the
sample counts as ``n (N - 1) / (N - n)`` observations, and a census (n = N) has no sampling error. A rule
that applies to some of the records sampled (``n_d`` of them) is corrected by the whole sample's
fraction, not its own: ``n_d (N - 1) / (N - n)``. Its records are a sample of the population's records
it applies to drawn at that same fraction, so a census of the file is a census of every rule on it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959963984540054  # the standard normal quantile for a two-sided 95% interval
SMALL_SAMPLE = 30  # fewer applicable records than this: the interval is wide, say so
_EPSILON = 1e-9


@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    @property
    def margin(self) -> float:
        """Half the interval's width: the '± x%' the inspectorate writes beside a rate (shown only where
        the interval lies evenly about the rate)."""
        return (self.high - self.low) / 2


def effective_size(n: int, population: int | None, sampled: int | None = None) -> float:
    """The sample size after the finite population correction (infinite for a census).

    ``sampled`` is how many records were drawn from the ``population`` in all, of which the rate's
    ``n`` are those a rule applies to (default: all of them)."""
    drawn = n if sampled is None else sampled
    if population is None or population < 1:
        return float(n)
    if drawn >= population:
        return math.inf
    return n * (population - 1) / (population - drawn)


def wilson(successes: int, n: int, population: int | None = None, z: float = Z95,
           sampled: int | None = None) -> Interval:
    """Wilson score interval of ``successes / n`` (without continuity correction); ``population`` and
    ``sampled`` as for :func:`effective_size`."""
    if n <= 0:
        raise ValueError("a rate needs at least one record")
    if not 0 <= successes <= n:
        raise ValueError(f"successes {successes} not within 0..{n}")
    p = successes / n
    size = effective_size(n, population, sampled)
    if math.isinf(size):
        return Interval(p, p)
    z2n = z * z / size
    centre = (p + z2n / 2) / (1 + z2n)
    half = z / (1 + z2n) * math.sqrt(p * (1 - p) / size + z2n / (4 * size))
    return Interval(max(0.0, centre - half), min(1.0, centre + half))


def straddles(interval: Interval, threshold: float) -> bool:
    """True when the sample cannot tell met from not met: the threshold lies within the interval
    (a rate exactly at its threshold counts as met, as the point verdict counts it)."""
    return interval.low < threshold - _EPSILON and interval.high >= threshold - _EPSILON


def sample_size(expected: float, margin: float, population: int | None = None, z: float = Z95) -> int:
    """Records to audit so that a rate near ``expected`` is known to within ``± margin`` at 95%.

    n0 = z² p (1 - p) / e², then, for a population of N, n = n0 / (1 + (n0 - 1) / N)."""
    if not 0 < expected < 1:
        raise ValueError("the expected rate must be between 0 and 1 (exclusive)")
    if not 0 < margin < 1:
        raise ValueError("the margin must be between 0 and 1 (exclusive)")
    n0 = z * z * expected * (1 - expected) / (margin * margin)
    if population is not None:
        if population < 1:
            raise ValueError("the population must be at least 1")
        n0 = n0 / (1 + (n0 - 1) / population)
    return math.ceil(n0 - _EPSILON)


def rate_percent(rate: float, threshold: float | None = None) -> str:
    """A rate as a percentage, with one decimal or as many more as it takes (up to six) not to read as
    what it is not: a rate short of its threshold never rounds up to it ('89.996%', not '90.0%' beside
    'needs 90.0%'), nor one short of 100% to 100.0%, nor one above 0% to 0.0%."""
    short = threshold is not None and rate < threshold - _EPSILON
    shown_threshold = None if threshold is None else float(f"{threshold * 100:.1f}")
    for digits in range(1, 7):
        text = f"{rate * 100:.{digits}f}"
        shown = float(text)
        if (rate < 1 and shown >= 100) or (rate > 0 and shown <= 0) or (
                short and shown_threshold is not None and shown >= shown_threshold):
            continue
        return f"{text}%"
    return f"{rate * 100:.6f}%"


def interval_end(end: float, threshold: float | None = None) -> str:
    """An end of a 95% interval as a percentage (without the sign), with the care :func:`rate_percent` takes:
    an end short of the threshold never rounds up onto it (a low end of 89.996% beside a 90% threshold
    would hide that the interval straddles it), nor one short of 100% to 100.0, nor one above 0% to 0.0.
    An end within a float's error of 0 or 1 is that bound (the Wilson interval of 10 of 10 ends at 1 less
    a rounding error, which no reader should see as short of 100%)."""
    end = 1.0 if end > 1 - _EPSILON else 0.0 if end < _EPSILON else end
    return rate_percent(end, threshold)[:-1]


def plus_minus(rate: float, interval: Interval, threshold: float | None = None) -> str:
    """A rate with its 95% interval. '94.1% (± 3.9%)', as the inspectorate writes one, only where the
    interval lies evenly about the rate to the tenth of a point shown, and both its ends read rightly at
    a tenth of a point; else its range ('94.1% (95%: 88.8-97.0%)', each end as :func:`interval_end` writes
    it): the Wilson interval leans towards 50%, so '± half its width' would place both ends wrongly (past
    100% near it) and could put a threshold the interval holds outside it."""
    shown = rate_percent(rate, threshold)
    low, high = interval_end(interval.low, threshold), interval_end(interval.high, threshold)
    below, above = f"{(rate - interval.low) * 100:.1f}", f"{(interval.high - rate) * 100:.1f}"
    tenths = all(len(end.partition(".")[2]) == 1 for end in (low, high))
    if rate <= 0 or rate >= 1 or below != above or not tenths:
        return f"{shown} (95%: {low}-{high}%)"
    return f"{shown} (± {interval.margin * 100:.1f}%)"


def intervals_separate(a: Interval, b: Interval) -> bool:
    """Whether two samples' intervals do not overlap (a conservative sign of a real change)."""
    return a.high < b.low or b.high < a.low
