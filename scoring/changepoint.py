"""Where did a daily claim rate change? Binary segmentation under a Poisson model.

Analysts read weekly claim charts for change points ("41 claims in the week of 29 Oct,
then a collapse after Israel's warning of 18 Nov"). We look for them in the daily counts:
split the series where two constant Poisson rates explain it best, keep the split only if
it raises the log-likelihood by more than a penalty (BIC-like, 2 * ln(days) by default),
and recurse into both halves. Each change point is explainable: its date, the rates
before and after, and how much better two rates fit than one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class ChangePoint:
    """From `day` on, the daily rate is `after` instead of `before` (claims per day)."""

    day: date
    before: float
    after: float
    before_days: int
    after_days: int
    gain: float

    def describe(self) -> str:
        verb = "rose" if self.after > self.before else "fell"
        return (
            f"from {self.day:%Y-%m-%d} the daily rate {verb} from {self.before:.1f} to "
            f"{self.after:.1f} claims a day ({self.before_days} days before, "
            f"{self.after_days} after)"
        )


def change_points(
    counts: Sequence[int],
    start: date,
    min_days: int = 7,
    penalty: float | None = None,
    max_points: int = 6,
) -> list[ChangePoint]:
    """Change points in daily `counts` (the first is day `start`), in date order."""
    if any(c < 0 for c in counts):
        raise ValueError("daily counts cannot be negative")
    cost = 2 * math.log(max(len(counts), 2)) if penalty is None else penalty
    splits: list[tuple[int, float]] = []
    _segment(counts, 0, len(counts), min_days, cost, splits)
    splits = sorted(sorted(splits, key=lambda s: -s[1])[:max_points])
    bounds = [0, *(index for index, _ in splits), len(counts)]
    points = []
    for k, (index, gain) in enumerate(splits):
        left, right = counts[bounds[k] : index], counts[index : bounds[k + 2]]
        points.append(ChangePoint(
            day=start + timedelta(days=index),
            before=sum(left) / len(left), after=sum(right) / len(right),
            before_days=len(left), after_days=len(right), gain=round(gain, 2),
        ))  # fmt: skip
    return points


def _segment(
    counts: Sequence[int], low: int, high: int, min_days: int, cost: float,
    found: list[tuple[int, float]],
) -> None:  # fmt: skip
    best = _best_split(counts, low, high, min_days)
    if best is None or best[1] <= cost:
        return
    index, gain = best
    found.append((index, gain))
    _segment(counts, low, index, min_days, cost, found)
    _segment(counts, index, high, min_days, cost, found)


def _best_split(
    counts: Sequence[int], low: int, high: int, min_days: int
) -> tuple[int, float] | None:
    """The split of counts[low:high] that most raises the Poisson log-likelihood."""
    if high - low < 2 * min_days:
        return None
    whole = _loglik(sum(counts[low:high]), high - low)
    prefix = [0]
    for value in counts[low:high]:
        prefix.append(prefix[-1] + value)
    best: tuple[int, float] | None = None
    for index in range(low + min_days, high - min_days + 1):
        left = prefix[index - low]
        gain = _loglik(left, index - low) + _loglik(prefix[-1] - left, high - index) - whole
        if best is None or gain > best[1]:
            best = (index, gain)
    return best


def _loglik(total: int, days: int) -> float:
    """Poisson log-likelihood of a segment at its best constant rate (without log y!)."""
    if total == 0:
        return 0.0
    return total * math.log(total / days) - total
