"""Small statistics for reading scores honestly: proportions with a 95 % Wilson interval, percentiles.

A score on 12 cases is not a score on 1,200: every proportion in a report carries its Wilson
score interval (it behaves at 0 and 1 and on small n, where the normal approximation does not),
so two runs are only called different when the data say so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959963984540054


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """The 95 % Wilson score interval of ``successes``/``n``; None when there is no case."""
    if n <= 0:
        return None
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Proportion:
    """``successes`` of ``n`` eligible cases."""

    successes: int
    n: int

    @property
    def value(self) -> float | None:
        return self.successes / self.n if self.n else None

    @property
    def ci95(self) -> tuple[float, float] | None:
        return wilson(self.successes, self.n)

    def to_json(self) -> dict:
        ci = self.ci95
        return {"value": self.value, "successes": self.successes, "n": self.n,
                "ci95": None if ci is None else [round(ci[0], 4), round(ci[1], 4)]}


def proportion(flags: list[bool | None]) -> Proportion:
    """The share of True among the flags that apply (None = the case is not eligible)."""
    eligible = [f for f in flags if f is not None]
    return Proportion(sum(1 for f in eligible if f), len(eligible))


def percentile(values: list[float], q: float) -> float | None:
    """The ``q`` quantile (0..1) by linear interpolation between order statistics; None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    pos = q * (len(ordered) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None
