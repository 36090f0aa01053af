"""Temporal alignment: turn lookalike frame pairs into aligned segments of two videos.

A copy shows the same frames in the same order, so its frame matches lie on one line
`b_time = speed * a_time + offset` (speed 1 for a plain re-upload, 0.8 or 1.25 when it was
slowed down or sped up; the offset is where a trim or a compilation put it). Lookalike
frames of unrelated footage (sky, desert, the same launcher) scatter instead.

1. A coarse Hough vote over (speed, offset) finds the densest line.
2. A fine search around it picks the offset (to 0.04 s) and speed where the frames
   match best: in a still shot every offset matches a little, the true one matches most.
3. The pairs near the line are cut into segments wherever the evidence has a long gap.

Each query frame counts once, with its weight (how rare it is in the archive, see
boilerplate.py, times how close its best match is), so a hundred hits on an intro card
are worth less than one real frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

SPEEDS = np.round(np.exp(np.linspace(-np.log(1.28), np.log(1.28), 15)), 4)  # 1.0 in the middle
PLAIN_SPEED_PRIOR = 0.9  # speed 1 wins unless another speed has 1/0.9 of its evidence
OFFSET_BIN_S = 0.5
INLIER_S = 0.45  # how far a frame pair may sit from the fitted line, in seconds
FINE_STEP_S, FINE_SPAN_S, SOFT_S = 0.04, 0.48, 0.15
GAP_S = 3.0  # a longer stretch without evidence ends a segment


@dataclass(frozen=True)
class Hits:
    """Frame pairs between video a and video b, with the evidence weight of each pair.

    `specific` (default: the weights) is how much a pair says about *where* the frame
    belongs: a frame of a still shot resembles many frames of b equally, so each of its
    pairs gets a share; the fine alignment listens to specific pairs.
    """

    a_times: NDArray[np.float64]
    b_times: NDArray[np.float64]
    weights: NDArray[np.float64]
    specific: NDArray[np.float64] | None = None

    def __len__(self) -> int:
        return len(self.a_times)

    @property
    def specificity(self) -> NDArray[np.float64]:
        return self.weights if self.specific is None else self.specific

    def subset(self, keep: NDArray[np.bool_] | NDArray[np.intp]) -> Hits:
        """The hits selected by a mask or by indices (in that order)."""
        specific = None if self.specific is None else self.specific[keep]
        return Hits(self.a_times[keep], self.b_times[keep], self.weights[keep], specific)


@dataclass(frozen=True)
class Alignment:
    """One line of matching frames: b = speed * a + offset, over [a_start, a_end]."""

    speed: float
    offset: float
    a_start: float
    a_end: float
    b_start: float
    b_end: float
    support: float  # summed weight of distinct query frames on the line
    frames: int  # distinct query frames on the line


def align(hits: Hits, min_support: float, max_lines: int = 3) -> list[Alignment]:
    """The best few alignment segments among `hits`, strongest first."""
    found: list[Alignment] = []
    remaining = hits.subset(np.argsort(hits.a_times, kind="stable"))
    while len(remaining) and len(found) < max_lines:
        line = _best_line(remaining)
        if line is None:
            break
        speed, offset = line
        near = np.abs(remaining.b_times - (speed * remaining.a_times + offset)) <= INLIER_S
        segments = [
            s for s in _segments(remaining.subset(near), speed, offset) if s.support >= min_support
        ]
        if not segments:
            break
        found.extend(segments)
        remaining = remaining.subset(~near)
    return sorted(found, key=lambda s: -s.support)


def _best_line(hits: Hits) -> tuple[float, float] | None:
    """Coarse candidates from a Hough vote, each refined; the most precise line wins."""
    candidates = _coarse_lines(hits)
    if not candidates:
        return None
    refined = [_refine(hits, speed, offset) for speed, offset in candidates]
    best = max(refined, key=lambda r: r[2])
    plain = [r for r in refined if r[0] == 1.0]
    if plain and max(r[2] for r in plain) >= PLAIN_SPEED_PRIOR * best[2]:
        best = max(plain, key=lambda r: r[2])
    return best[0], best[1]


def _coarse_lines(hits: Hits, keep: int = 4) -> list[tuple[float, float]]:
    """The densest (speed, offset) bins by distinct weighted query frames."""
    lines: list[tuple[float, float, float]] = []
    for speed in SPEEDS:
        offsets = hits.b_times - speed * hits.a_times
        for centre in _peak_offsets(offsets, hits.weights):
            near = np.abs(offsets - centre) <= OFFSET_BIN_S
            score = _distinct_weight(hits.a_times[near], hits.weights[near])
            chosen = offsets[near]
            lines.append((score, float(speed), float(chosen.sum() / len(chosen))))
    lines.sort(key=lambda line: -line[0])
    chosen = lines[:keep]
    plain = [line for line in lines if line[1] == 1.0][:1]
    return [(speed, offset) for _, speed, offset in chosen + [p for p in plain if p not in chosen]]


def _peak_offsets(offsets: NDArray[np.float64], weights: NDArray[np.float64]) -> list[float]:
    bins = np.floor(offsets / OFFSET_BIN_S).astype(np.int64)
    values, inverse = np.unique(bins, return_inverse=True)
    mass = np.bincount(inverse, weights=weights)
    return [(float(values[i]) + 0.5) * OFFSET_BIN_S for i in np.argsort(-mass)[:2]]


def _refine(hits: Hits, speed: float, offset: float) -> tuple[float, float, float]:
    """(speed, offset, score) near a coarse line where frames match most precisely.

    Hits must be sorted by a_time. Plain speed 1 wins near-ties: a re-upload is far more
    common than a retimed one.
    """
    speeds = {round(speed * f, 4) for f in (0.98, 0.99, 1.0, 1.01, 1.02)}
    if abs(speed - 1.0) <= 0.06:
        speeds.add(1.0)
    centre_a = float(np.median(hits.a_times))
    starts = np.flatnonzero(np.concatenate([[True], hits.a_times[1:] != hits.a_times[:-1]]))
    steps = np.arange(-FINE_SPAN_S, FINE_SPAN_S + 1e-9, FINE_STEP_S)
    best = (speed, offset, -1.0)
    plain = (1.0, offset, -1.0)
    for s in sorted(speeds):
        offsets = offset + (speed - s) * centre_a + steps  # pivot on the evidence's middle
        residual = hits.b_times[None, :] - (s * hits.a_times[None, :] + offsets[:, None])
        score = hits.specificity[None, :] * np.exp(-((residual / SOFT_S) ** 2))
        totals = np.maximum.reduceat(score, starts, axis=1).sum(axis=1)
        k = int(np.argmax(totals))
        if totals[k] > best[2]:
            best = (s, float(offsets[k]), float(totals[k]))
        if s == 1.0:
            plain = (1.0, float(offsets[k]), float(totals[k]))
    return plain if plain[2] >= 0.97 * best[2] else best


def _distinct_weight(a_times: NDArray[np.float64], weights: NDArray[np.float64]) -> float:
    """Summed weight counting each query frame once (its best pair)."""
    if not len(a_times):
        return 0.0
    order = np.lexsort((-weights, a_times))
    a_sorted = a_times[order]
    first = np.concatenate([[True], a_sorted[1:] != a_sorted[:-1]])
    return float(weights[order][first].sum())


def _segments(hits: Hits, speed: float, offset: float) -> list[Alignment]:
    """Split the pairs on one line into runs without long gaps."""
    if not len(hits):
        return []
    order = np.argsort(hits.a_times, kind="stable")
    a, w = hits.a_times[order], hits.weights[order]
    breaks = np.flatnonzero(np.diff(a) > GAP_S) + 1
    out = []
    for part_a, part_w in zip(np.split(a, breaks), np.split(w, breaks), strict=True):
        start, end = float(part_a[0]), float(part_a[-1])
        out.append(
            Alignment(
                speed,
                offset,
                start,
                end,
                speed * start + offset,
                speed * end + offset,
                _distinct_weight(part_a, part_w),
                len(np.unique(part_a)),
            )
        )
    return out
