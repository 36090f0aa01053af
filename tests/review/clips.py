"""Small videos and images made in the test, so media tests need no fixtures on disk."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import av
import numpy as np
from PIL import Image

FPS = 10


def gray_clip(path: Path, levels: Sequence[int], size: tuple[int, int] = (64, 48)) -> Path:
    """An MP4 showing one flat gray level per second, so a frame's brightness tells its time."""
    width, height = size
    with av.open(str(path), "w") as container:
        stream = container.add_stream("mpeg4", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        for level in levels:
            pixels = np.full((height, width, 3), level, dtype=np.uint8)
            for _ in range(FPS):
                frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
                container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return path


def pattern_clip(
    path: Path, seconds: int, seed: int, size: tuple[int, int] = (96, 64), lead_in: int = 0
) -> Path:
    """An H.264 MP4 (browsers play it) of blocks changing every second, differing by seed.

    `lead_in` seconds of other blocks come first, so the same seed shifted in time makes
    a re-cut of the same footage.
    """
    width, height = size
    rng = np.random.default_rng(seed)
    other = np.random.default_rng(seed + 1000)
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        for second in range(seconds):
            source = other if second < lead_in else rng
            blocks = source.integers(0, 255, size=(4, 6, 3), dtype=np.uint8)
            pixels = np.kron(blocks, np.ones((height // 4, width // 6, 1), dtype=np.uint8))
            for _ in range(FPS):
                frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(pixels), format="rgb24")
                container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return path


def photo(path: Path, size: tuple[int, int], colour: tuple[int, int, int]) -> Path:
    Image.new("RGB", size, colour).save(path)
    return path
