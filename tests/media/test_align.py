"""Temporal alignment recovers offset, speed and segments from noisy frame matches."""

from __future__ import annotations

import numpy as np
import pytest

from media.align import Hits, align


def line_hits(
    a_times: np.ndarray, speed: float, offset: float, rng: np.random.Generator, noise: int = 0
) -> Hits:
    """Each frame of a matches its true partner in b; plus `noise` random lookalike pairs."""
    b_true = speed * a_times + offset + rng.normal(0, 0.05, len(a_times))
    a_noise = rng.uniform(a_times.min(), a_times.max(), noise)
    b_noise = rng.uniform(0, 30, noise)
    return Hits(
        np.concatenate([a_times, a_noise]),
        np.concatenate([b_true, b_noise]),
        np.ones(len(a_times) + noise),
    )


@pytest.mark.parametrize(("speed", "offset"), [(1.0, 0.0), (1.0, -2.5), (0.8, 1.0), (1.25, 3.0)])
def test_recovers_the_line_among_lookalikes(speed: float, offset: float) -> None:
    rng = np.random.default_rng(1)
    hits = line_hits(np.arange(2.0, 12.0, 0.25), speed, offset, rng, noise=120)
    (best, *_) = align(hits, min_support=8)
    assert best.speed == pytest.approx(speed, abs=0.03)
    middle = 7.0
    assert best.speed * middle + best.offset == pytest.approx(speed * middle + offset, abs=0.15)
    assert best.frames >= 38


def test_scattered_lookalikes_make_no_alignment() -> None:
    rng = np.random.default_rng(2)
    hits = Hits(rng.uniform(0, 10, 60), rng.uniform(0, 10, 60), np.ones(60))
    assert align(hits, min_support=8) == []


def test_a_clip_used_twice_gives_two_segments_with_their_seconds() -> None:
    rng = np.random.default_rng(3)
    a = np.arange(0.0, 6.0, 0.25)
    first = line_hits(a, 1.0, 10.0, rng)  # a's 0-6 s shown at b's 10-16 s
    second = line_hits(a, 1.0, 22.0, rng)  # and again at 22-28 s
    hits = Hits(
        np.concatenate([first.a_times, second.a_times]),
        np.concatenate([first.b_times, second.b_times]),
        np.ones(2 * len(a)),
    )
    found = sorted(align(hits, min_support=8), key=lambda s: s.b_start)
    assert [round(s.b_start) for s in found] == [10, 22]
    assert all(s.a_start == 0.0 and s.a_end == 5.75 for s in found)


def test_a_long_gap_splits_a_segment() -> None:
    rng = np.random.default_rng(4)
    a = np.concatenate([np.arange(0.0, 4.0, 0.25), np.arange(10.0, 14.0, 0.25)])
    found = align(line_hits(a, 1.0, 1.0, rng), min_support=8)
    assert sorted((s.a_start, s.a_end) for s in found) == [(0.0, 3.75), (10.0, 13.75)]


def test_weights_decide_support() -> None:
    a = np.arange(0.0, 5.0, 0.25)
    hits = Hits(a, a + 1.0, np.full(len(a), 0.1))  # boilerplate-weighted frames
    assert align(hits, min_support=8) == []
    assert align(Hits(a, a + 1.0, np.ones(len(a))), min_support=8)[0].support == len(a)
