"""Make sampled frames comparable before hashing: strip bars, split shots, drop blanks.

Re-uploaders pad footage into another aspect ratio with black or blurred bars, and those
bars would dominate a perceptual hash. Bars are found per shot (a compilation mixes
shots with and without them) as edge bands with almost no texture: black bars have none,
blurred ones very little, while footage keeps its grain. A real letterbox is centred, so
only bands that appear on both opposite edges with about the same width are stripped; a
dark night sky at the top of one frame stays, because it has no twin at the bottom.

Near-uniform frames (black, fades, plain sky) carry no identity and would match every
other blank frame in the archive, so they are not hashed at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from media.phash import IMAGE_SIZE

CUT_DIFF = 20.0  # mean grey-level change between 16x16 samples that starts a new shot
BAR_MAX = 0.40  # a bar never covers more than this much of one edge-to-edge span
BAR_MIN = 0.03
BAR_TWIN_SLACK = 0.05  # opposite bars of one letterbox differ by at most this much
FLAT_REL, FLAT_ABS = 0.2, 1.5  # texture of a bar vs the frame's central texture
UNIFORM_STD = 4.0  # grey-level spread under which a 32x32 frame is blank


@dataclass(frozen=True)
class Box:
    """The footage inside a working frame, in pixels: rows [top, bottom), cols [left, right)."""

    top: int
    bottom: int
    left: int
    right: int


@dataclass(frozen=True)
class Normalised:
    """Bar-stripped working frames, which of them carry an image, and each one's shot."""

    crops: list[NDArray[np.uint8]]
    informative: NDArray[np.bool_]
    shots: NDArray[np.intp]


def normalise(frames: NDArray[np.uint8]) -> Normalised:
    """Bars stripped per shot, blanks flagged, shots numbered."""
    starts = shot_starts(frames)
    crops: list[NDArray[np.uint8]] = []
    shots = np.zeros(len(frames), np.intp)
    for shot, (start, end) in enumerate(zip(starts, [*starts[1:], len(frames)], strict=True)):
        box = content_box(frames[start:end])
        crops.extend(
            frames[i, box.top : box.bottom, box.left : box.right] for i in range(start, end)
        )
        shots[start:end] = shot
    informative = np.array([_spread(crop) >= UNIFORM_STD for crop in crops], dtype=bool)
    return Normalised(crops, informative, shots)


def _spread(crop: NDArray[np.uint8]) -> float:
    """Grey-level spread of the frame at hash scale, where sensor grain has averaged out."""
    small = cv2.resize(crop, (IMAGE_SIZE, IMAGE_SIZE), interpolation=cv2.INTER_AREA)
    return float(small.std())


def shot_starts(frames: NDArray[np.uint8]) -> NDArray[np.intp]:
    """Indices of the first sample of each shot (a hard cut between consecutive samples)."""
    if len(frames) < 2:
        return np.zeros(1, np.intp)
    tiny = np.stack([cv2.resize(f, (16, 16), interpolation=cv2.INTER_AREA) for f in frames])
    change = np.abs(np.diff(tiny.astype(np.float32), axis=0)).mean(axis=(1, 2))
    cuts = np.flatnonzero(change > CUT_DIFF) + 1
    return np.concatenate([[0], cuts]).astype(np.intp)


def content_box(frames: NDArray[np.uint8]) -> Box:
    """Where the footage is in these frames of one shot, bars excluded."""
    stack = frames.astype(np.float32)
    size_y, size_x = stack.shape[1:]
    dy = np.abs(np.diff(stack, axis=1))
    dx = np.abs(np.diff(stack, axis=2))
    row_texture = dx.mean(axis=(0, 2))[:-1] + dy.mean(axis=(0, 2))
    col_texture = dy.mean(axis=(0, 1))[:-1] + dx.mean(axis=(0, 1))
    top, bottom = _twin_bars(row_texture, size_y)
    left, right = _twin_bars(col_texture, size_x)
    return Box(top, size_y - bottom, left, size_x - right)


def _twin_bars(texture: NDArray[np.float32], size: int) -> tuple[int, int]:
    """Widths of flat bands at both ends of a texture profile, if they form a letterbox."""
    centre = texture[len(texture) // 4 : 3 * len(texture) // 4]
    flat = texture < max(FLAT_ABS, FLAT_REL * float(np.median(centre)))
    head, tail = _leading(flat), _leading(flat[::-1])
    # the bar's last row touches the footage, so its texture is not flat: count it in
    head, tail = head + (head > 0), tail + (tail > 0)
    limit, least, slack = BAR_MAX * size, BAR_MIN * size, BAR_TWIN_SLACK * size
    if least <= head <= limit and least <= tail <= limit and abs(head - tail) <= slack:
        return head, tail
    return 0, 0


def _leading(flags: NDArray[np.bool_]) -> int:
    """How many flags are set before the first unset one."""
    unset = np.flatnonzero(~flags)
    return int(unset[0]) if len(unset) else len(flags)
