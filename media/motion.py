"""What moves in two aligned clips, and whether it moves alike.

Computed on 32x32 thumbnails already aligned by geometry.py. Each shot's still
background (its mean frame) is removed, so what is left is the plume, the missile and
the camera's shake; `details` removes the large shapes too (hills, a dark sky), which
different launches at one spot or on two nights share.
"""

from __future__ import annotations

import cv2
import numpy as np
from numpy.typing import NDArray

DETAIL_SIGMA = 1.5  # thumbnail pixels
BALANCE = 0.5  # a pixel counts when both clips change there at least half as much


def details(frames: NDArray[np.float32]) -> NDArray[np.float32]:
    """Frames minus their blur: what is left is detail, not the horizon or the sky's glow.

    Two launches at one spot or two night launches share their large shapes (hills, a
    dark sky) and so, when both cameras drift, their large-scale motion; detail moves
    alike only in the same footage.
    """
    return np.stack([f - cv2.GaussianBlur(f, (0, 0), DETAIL_SIGMA) for f in frames])


def pixel_agreement(
    a: NDArray[np.float32],
    b: NDArray[np.float32],
    mask: NDArray[np.bool_],
    shots: NDArray[np.uint16],
) -> float:
    """Median over pixels of how alike each pixel's changes are in a and b over time.

    A median, not one correlation over the whole frame: a caption ticker or a flare can
    dominate a single correlation; here it is a few pixels out of many. Pixels that
    barely change in either clip have no say.
    """
    if not mask.any() or len(a) < 3:
        return 0.0
    x = moving(a, shots, mask)[:, mask].astype(np.float64)
    y = moving(b, shots, mask)[:, mask].astype(np.float64)
    energy_x, energy_y = np.sqrt((x * x).mean(axis=0)), np.sqrt((y * y).mean(axis=0))
    energy = np.minimum(energy_x, energy_y)
    agreement = (x * y).sum(axis=0) / (np.sqrt((x * x).sum(axis=0) * (y * y).sum(axis=0)) + 1e-9)
    # an overlay (ticker, logo) changes in one clip only: its pixels are left out
    balanced = energy >= BALANCE * np.maximum(energy_x, energy_y)
    active = balanced & (energy >= 0.25 * float(np.median(energy)))
    return float(np.median(agreement[active])) if active.sum() >= 8 else 0.0


def moves_alike(
    a: NDArray[np.float32],
    b: NDArray[np.float32],
    mask: NDArray[np.bool_],
    shots: NDArray[np.uint16],
) -> tuple[float, float]:
    """NCC of what moves in a and b within each shot, and the weaker side's motion RMS."""
    da, db = moving(a, shots, mask), moving(b, shots, mask)
    x, y = da[:, mask].ravel().astype(np.float64), db[:, mask].ravel().astype(np.float64)
    if len(x) < 2:
        return 0.0, 0.0
    energy = float(min(np.sqrt((x * x).mean()), np.sqrt((y * y).mean())))
    den = np.sqrt((x * x).sum() * (y * y).sum())
    return (float((x * y).sum() / den) if den > 1e-6 else 0.0), energy


def moving(
    frames: NDArray[np.float32], shots: NDArray[np.uint16], mask: NDArray[np.bool_]
) -> NDArray[np.float32]:
    """What changes within each shot: frames minus the shot's mean frame, lightly blurred.

    Each frame's own mean is removed first: a launch flash brightens every night frame,
    and two different night launches would otherwise "move alike" at that moment.
    """
    blurred = np.stack([cv2.GaussianBlur(f, (0, 0), 0.8) for f in frames])
    blurred -= blurred[:, mask].mean(axis=1)[:, None, None]
    out = np.zeros_like(blurred)
    for shot in np.unique(shots):
        part = blurred[shots == shot]
        if len(part) > 1:
            out[shots == shot] = part - part.mean(axis=0)
    return out
