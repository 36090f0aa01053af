"""One geometric transform that maps a re-upload's frames onto the original's.

A copy is cropped, scaled, tilted or shifted once for all its frames (mirroring is
known from the hashes). Verification needs that transform to compare frames pixel by
pixel: it is searched on a coarse grid (phase correlation gives the shift) and refined
by Nelder-Mead on the mean normalised cross-correlation of a few aligned thumbnails.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

ZOOMS = (0.84, 1.0, 1.19)
ROTATIONS = (-4.0, 0.0, 4.0)
MAX_ESTIMATE_PAIRS = 8
GOOD_FIT = 0.9  # mean NCC above which no other transform is searched...
EXACT_FIT = 0.97  # ...and above which it is not even refined


@dataclass(frozen=True)
class Transform:
    """b's thumbnail -> a's thumbnail: zoom and rotation about the centre, then a shift."""

    zoom: float = 1.0
    rotation: float = 0.0
    dx: float = 0.0
    dy: float = 0.0

    def matrix(self, size: int) -> NDArray[np.float64]:
        centre = ((size - 1) / 2, (size - 1) / 2)
        m = np.asarray(cv2.getRotationMatrix2D(centre, self.rotation, self.zoom), np.float64)
        m[0, 2] += self.dx
        m[1, 2] += self.dy
        return m


def estimate_transform(
    qa: NDArray[np.float32], qb: NDArray[np.float32], start: Transform | None = None
) -> Transform:
    """The zoom/rotation/shift mapping qb's frames onto qa's best, on average.

    Without a `start`, a coarse grid (with phase correlation for the shift) seeds the
    Nelder-Mead refinement, unless the plain overlay already fits (most re-uploads).
    """
    step = max(1, len(qa) // MAX_ESTIMATE_PAIRS)
    sa, sb = qa[::step], qb[::step]
    score = _Objective(sa, sb)
    best = start or Transform()
    best_score = score(best)
    grid = () if start is not None or best_score >= GOOD_FIT else ZOOMS
    if grid:
        spectrum = _spectrum(sa)
        for zoom in grid:
            for rotation in ROTATIONS:
                shifted = _with_shift(spectrum, sb, Transform(zoom, rotation))
                value = score(shifted)
                if value > best_score:
                    best, best_score = shifted, value
    if best_score >= EXACT_FIT:
        return best
    from scipy.optimize import minimize  # here: importing scipy costs every command 0.4 s

    seed = np.array([best.zoom, best.rotation, best.dx, best.dy])
    result = minimize(
        lambda p: -score(Transform(*p)),
        seed,
        method="Nelder-Mead",
        options={
            "xatol": 0.02,
            "fatol": 1e-3,
            "maxiter": 18,
            "initial_simplex": seed + np.vstack([np.zeros(4), np.diag([0.03, 1.0, 0.7, 0.7])]),
        },
    )
    refined = Transform(*(float(v) for v in result.x))
    return refined if -result.fun >= best_score else best


class _Objective:
    """Mean NCC of a's frames with b's warped ones, over a fixed central region.

    The region stays inside the picture for every transform a re-upload plausibly made,
    so a's side is standardised once and each evaluation is one multi-channel warp.
    """

    def __init__(self, sa: NDArray[np.float32], sb: NDArray[np.float32]) -> None:
        self.size = sa.shape[1]
        margin = round(self.size * 0.15)
        self.inner = slice(margin, self.size - margin)
        core = np.zeros((self.size, self.size), bool)
        core[self.inner, self.inner] = True
        self.za = standardised(sa, core)
        self.channels = np.ascontiguousarray(sb.transpose(1, 2, 0))

    def __call__(self, transform: Transform) -> float:
        if not 0.6 <= transform.zoom <= 1.6:
            return -1.0
        size = self.size
        warped = cv2.warpAffine(
            self.channels,
            transform.matrix(size),
            (size, size),
            flags=cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_REPLICATE,
        ).reshape(size, size, -1)
        # the core as a slice: the same pixels in the same order as the mask, 5x faster
        zb = warped[self.inner, self.inner].reshape(-1, warped.shape[2]).T.astype(np.float32)
        # sums over counts: what .mean() computes, without its per-call overhead
        zb -= zb.sum(axis=1, keepdims=True) / zb.shape[1]
        zb /= np.maximum(np.sqrt((zb * zb).sum(axis=1, keepdims=True)), 1e-6)
        each = (self.za * zb).sum(axis=1)
        return float(each.sum() / len(each))


def _spectrum(frames: NDArray[np.float32]) -> NDArray[np.complex128]:
    """The 2-D spectra of a's frames, mean removed: phase correlation's fixed side."""
    return np.fft.fft2(frames - frames.mean(axis=(1, 2), keepdims=True))


def _with_shift(fa: NDArray[np.complex128], sb: NDArray[np.float32], base: Transform) -> Transform:
    """Add the shift that phase correlation of the summed spectra suggests."""
    warped, mask = warp(sb, base)
    fb = np.fft.fft2((warped - warped.mean(axis=(1, 2), keepdims=True)) * mask)
    cross = (fa * np.conj(fb)).sum(axis=0)
    peak = np.real(np.fft.ifft2(cross / (np.abs(cross) + 1e-9)))
    dy, dx = np.unravel_index(int(np.argmax(peak)), peak.shape)
    size = fa.shape[1]
    dy, dx = (dy - size if dy > size // 2 else dy), (dx - size if dx > size // 2 else dx)
    return Transform(base.zoom, base.rotation, float(dx), float(dy))


def warp(
    frames: NDArray[np.float32], transform: Transform
) -> tuple[NDArray[np.float32], NDArray[np.bool_]]:
    """Warp a whole stack at once (frames as image channels), and where it has pixels."""
    count, size = len(frames), frames.shape[1]
    m = transform.matrix(size)
    channels = np.ascontiguousarray(frames.transpose(1, 2, 0))
    parts = [
        cv2.warpAffine(channels[:, :, i : i + 500], m, (size, size), flags=cv2.INTER_LINEAR)
        for i in range(0, count, 500)
    ]
    warped = np.concatenate([p.reshape(size, size, -1) for p in parts], axis=2)
    ones = np.ones((size, size), np.float32)
    mask = cv2.warpAffine(ones, m, (size, size), flags=cv2.INTER_LINEAR) > 0.99
    return np.ascontiguousarray(warped.transpose(2, 0, 1)), mask


def ncc_each(
    a: NDArray[np.float32], b: NDArray[np.float32], mask: NDArray[np.bool_]
) -> NDArray[np.float64]:
    """Normalised cross-correlation of each frame pair over the masked pixels."""
    return np.asarray((standardised(a, mask) * standardised(b, mask)).sum(axis=1), np.float64)


def band(size: int, band: tuple[float, float]) -> NDArray[np.bool_]:
    rows = np.zeros((size, size), bool)
    rows[round(band[0] * size) : round(band[1] * size)] = True
    return rows


def standardised(frames: NDArray[np.float32], mask: NDArray[np.bool_]) -> NDArray[np.float32]:
    if not mask.any():
        return np.zeros((len(frames), 1), np.float32)
    x = frames[:, mask].astype(np.float32)
    x -= x.mean(axis=1, keepdims=True)
    norm = np.sqrt((x * x).sum(axis=1, keepdims=True))
    return np.asarray(x / np.maximum(norm, 1e-6), np.float32)
