"""Bars are stripped, night skies are not, blank frames are flagged, cuts split shots."""

from __future__ import annotations

import cv2
import numpy as np

from media.normalise import content_box, normalise, shot_starts


def textured(rng: np.random.Generator, height: int, width: int) -> np.ndarray:
    noise = rng.integers(0, 256, (height, width)).astype(np.float32)
    return np.clip(cv2.GaussianBlur(noise, (0, 0), 1.5) * 3 - 250, 10, 245).astype(np.uint8)


def shot(rng: np.random.Generator, frames: int = 6, size: int = 128) -> np.ndarray:
    base = textured(rng, size, size)
    return np.stack([np.roll(base, k, axis=1) for k in range(frames)])


def test_letterbox_bars_are_stripped() -> None:
    frames = shot(np.random.default_rng(1))
    frames[:, :20], frames[:, -20:] = 0, 0
    box = content_box(frames)
    assert abs(box.top - 20) <= 1 and abs(box.bottom - 108) <= 1
    assert (box.left, box.right) == (0, 128)


def test_blurred_pillarbox_bars_are_stripped() -> None:
    frames = shot(np.random.default_rng(2))
    for f in frames:
        blurred = cv2.GaussianBlur(f, (0, 0), 12)
        f[:, :30], f[:, -30:] = blurred[:, :30], blurred[:, -30:]
    box = content_box(frames)
    assert abs(box.left - 30) <= 2 and abs(box.right - 98) <= 2
    assert (box.top, box.bottom) == (0, 128)


def test_a_dark_sky_over_lit_ground_is_not_a_bar() -> None:
    frames = shot(np.random.default_rng(3))
    frames[:, :45] = 3  # night sky: flat and black, but only at the top
    box = content_box(frames)
    assert (box.top, box.bottom) == (0, 128)


def test_blank_frames_are_flagged_and_cuts_split_shots() -> None:
    rng = np.random.default_rng(4)
    frames = np.concatenate([shot(rng), np.full((3, 128, 128), 12, np.uint8), shot(rng)])
    ready = normalise(frames)
    assert ready.informative.tolist() == [True] * 6 + [False] * 3 + [True] * 6
    assert shot_starts(frames).tolist() == [0, 6, 9]
    assert ready.shots.tolist() == [0] * 6 + [1] * 3 + [2] * 6
