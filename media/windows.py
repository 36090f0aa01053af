"""The windows of each frame we hash: the whole frame, its middle band, and zoomed crops.

One global pHash cannot survive a re-uploader's edits: a 15 % crop, a caption bar over
the bottom fifth or a new banner over the top moves it by 15-25 bits, as far as an
unrelated launch. So each frame is hashed through a fixed set of windows:

* `full`  the frame (bars already stripped) - re-encodes, colour, mirror, speed, trims;
* `core`  rows 12-72 %: what is left when captions, tickers and banners cover the edges;
* `c85`, `c72` and their four corner-anchored twins: what a crop or a zoom kept.

A crop of the original is close to some zoomed window of the original, and the full
frame of the crop; comparing every window of one video with every window of another
finds it whichever of the two is the crop.

The index holds two windows of each archived frame, `core` and `c85` (memory: about
46 bytes per archived frame), and queries look up all of them: an unedited copy meets
`c85` with its own `c85`, a 10-20 % crop with its `full`, a captioned or bannered one
meets `core` with its `core`, and when the archived file is the crop, the new file's
`c72` meets its `c85`. Indexing `full` as well finds nothing more on the benchmark.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from media.phash import IMAGE_SIZE


@dataclass(frozen=True)
class Window:
    name: str
    top: float
    bottom: float
    left: float
    right: float


def _zoomed(scale: float, edges: bool = False) -> list[Window]:
    """The centred window of `scale`, the four anchored at corners and, if asked, at edges."""
    margin = 1.0 - scale
    name = f"c{round(scale * 100)}"
    anchors = [("", 0.5, 0.5)]
    anchors += [
        (v + h, fy, fx) for v, fy in (("t", 0.0), ("b", 1.0)) for h, fx in (("l", 0.0), ("r", 1.0))
    ]
    if edges:
        anchors += [("t", 0.0, 0.5), ("b", 1.0, 0.5), ("l", 0.5, 0.0), ("r", 0.5, 1.0)]
    return [
        Window(f"{name}{tag}", fy * margin, fy * margin + scale, fx * margin, fx * margin + scale)
        for tag, fy, fx in anchors
    ]


WINDOWS: tuple[Window, ...] = (
    Window("full", 0.0, 1.0, 0.0, 1.0),
    Window("core", 0.12, 0.72, 0.0, 1.0),
    *_zoomed(0.85, edges=True),
    *_zoomed(0.72),
)
WINDOW_NAMES: tuple[str, ...] = tuple(w.name for w in WINDOWS)
INDEXED: tuple[int, ...] = tuple(WINDOW_NAMES.index(n) for n in ("core", "c85"))
FULL = 0


def window_frames(crops: list[NDArray[np.uint8]]) -> NDArray[np.float32]:
    """(n, windows, 32, 32) float frames: every window of every bar-stripped frame.

    Each crop is first brought to a fixed 96x96, so every window is a fixed slice of it:
    twelve small resizes instead of twelve from the full crop.
    """
    out = np.empty((len(crops), len(WINDOWS), IMAGE_SIZE, IMAGE_SIZE), np.float32)
    size = (IMAGE_SIZE, IMAGE_SIZE)
    for i, crop in enumerate(crops):
        base = cv2.resize(crop, (BASE, BASE), interpolation=cv2.INTER_AREA)
        for k, (rows, cols) in enumerate(_SLICES):
            out[i, k] = cv2.resize(base[rows, cols], size, interpolation=cv2.INTER_AREA)
    return out


BASE = 3 * IMAGE_SIZE
_SLICES = [
    (
        slice(round(w.top * BASE), round(w.bottom * BASE)),
        slice(round(w.left * BASE), round(w.right * BASE)),
    )
    for w in WINDOWS
]
