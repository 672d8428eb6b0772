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
        """Half the interval's width: the '± x%' the inspectorate writes beside a rate."""
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


def plus_minus(rate: float, interval: Interval) -> str:
    """A rate as the inspectorate writes one: '94.1% (± 3.9%)'; at 0% or 100% the interval is one-sided,
    so it is written as its range instead ('100.0% (95%: 87.1-100.0%)'): '± 12.9%' would run past 100%."""
    if rate <= 0 or rate >= 1:
        return f"{rate * 100:.1f}% (95%: {interval.low * 100:.1f}-{interval.high * 100:.1f}%)"
    return f"{rate * 100:.1f}% (± {interval.margin * 100:.1f}%)"


def intervals_separate(a: Interval, b: Interval) -> bool:
    """Whether two samples' intervals do not overlap (a conservative sign of a real change)."""
    return a.high < b.low or b.high < a.low
