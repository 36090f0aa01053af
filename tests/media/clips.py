"""Small synthetic launch clips for the media tests, drawn once and kept between runs.

Clips come from media.synthetic (deterministic from their seeds), so a clip cached by an
earlier run is the clip this run would draw. Kept in pytest's cache directory.
"""

from __future__ import annotations

import atexit
import itertools
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import av
import cv2
import numpy as np
import pytest

from media.synthetic import ClipSpec, compilation, render_clip, second_angle, transform
from media.synthetic.video_io import VideoWriter, read_frames

SIZE = (256, 144)
SECONDS = 7.0


def clip_folder(config: pytest.Config) -> Path:
    """pytest's cache folder for clips, or one temporary folder per run without a cache."""
    cache = getattr(config, "cache", None)
    if cache is not None:
        return Path(cache.mkdir("media-clips-v1"))
    global _FALLBACK
    if _FALLBACK is None:
        _FALLBACK = Path(tempfile.mkdtemp(prefix="claimwatch-clips-"))
        atexit.register(shutil.rmtree, _FALLBACK, True)
    return _FALLBACK


_FALLBACK: Path | None = None


def spec(seed: int, **changes: object) -> ClipSpec:
    sized: dict[str, object] = {"duration_s": SECONDS, "width": SIZE[0], "height": SIZE[1]}
    return ClipSpec(seed, **{**sized, **changes})  # type: ignore[arg-type]


def drawn(folder: Path, name: str, clip: ClipSpec) -> Path:
    path = folder / f"{name}.mp4"
    if not path.exists():
        render_clip(folder / f"{name}.part.mp4", clip).replace(path)
    return path


def edited(folder: Path, source: Path, family: str, seed: int) -> Path:
    path = folder / f"{source.stem}-{family}.mp4"
    if not path.exists():
        transform(source, folder / f"{path.stem}.part.mp4", family, seed).replace(path)
    return path


def compiled(folder: Path, name: str, embedded: Path, fillers: list[Path], seed: int) -> Path:
    path = folder / f"{name}.mp4"
    if not path.exists():
        compilation(
            [embedded, *fillers], folder / f"{name}.part.mp4", seed=seed, embed_s=4.0, total_s=14.0
        ).replace(path)
    return path


def other_angle(folder: Path, name: str, clip: ClipSpec) -> Path:
    return drawn(folder, name, second_angle(clip))


def from_elsewhere(folder: Path, source: Path, lean: float) -> Path:
    """`source` as a camera standing off to its left sees it: every frame in perspective,
    its left side squeezed by `lean` of the height (a flat scene, so nothing is hidden)."""

    def write(part: Path, fps: float, frames: Iterator[np.ndarray]) -> None:
        first = next(frames)
        height, width = first.shape[:2]
        left, top, bottom = lean * width, lean * height, (1 - lean) * height
        square = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)
        leaning = np.array([[left, top], [width, 0], [width, height], [left, bottom]], np.float32)
        view = np.asarray(cv2.getPerspectiveTransform(square, leaning), np.float64)
        with VideoWriter(part, width, height, fps) as out:
            for frame in itertools.chain([first], frames):
                seen = cv2.warpPerspective(
                    frame, view, (width, height), borderMode=cv2.BORDER_REFLECT
                )
                out.write(np.asarray(seen, np.uint8))

    return _remade(folder / f"{source.stem}-elsewhere-{lean}.mp4", source, write)


# Other codecs a re-upload may arrive in: HEVC as phones record it, VP9 as in WebM.
CODECS = {"hevc": ("libx265", ".mp4"), "vp9": ("libvpx-vp9", ".webm")}


def recoded(folder: Path, source: Path, codec: str) -> Path:
    """`source` encoded again in another codec (see CODECS), frame for frame."""
    encoder, suffix = CODECS[codec]

    def write(part: Path, fps: float, frames: Iterator[np.ndarray]) -> None:
        first = next(frames)
        height, width = first.shape[:2]
        with VideoWriter(part, width, height, fps, crf=30, encoder=encoder) as out:
            for frame in itertools.chain([first], frames):
                out.write(frame)

    return _remade(folder / f"{source.stem}-{codec}{suffix}", source, write)


def _remade(
    path: Path, source: Path, write: Callable[[Path, float, Iterator[np.ndarray]], None]
) -> Path:
    """`path`, made once from the frames of `source` by `write(part, fps, frames)`."""
    if not path.exists():
        part = path.with_name(f"{path.stem}.part{path.suffix}")
        fps, frames = read_frames(source)
        write(part, fps, frames)
        part.replace(path)
    return path


def oversized(folder: Path) -> Path:
    """One black 9600x9600 frame of H.264 (92 megapixels in about 270 KB): a file small
    enough to post that would take gigabytes to decode."""
    path = folder / "oversized.mp4"
    if not path.exists():
        part = path.with_name("oversized.part.mp4")
        with av.open(str(part), "w") as out:
            stream = out.add_stream("libx264", rate=1)
            stream.width = stream.height = 9600
            stream.pix_fmt = "yuv420p"
            stream.options = {"preset": "ultrafast", "threads": "1"}
            black = np.zeros((9600 * 3 // 2, 9600), np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(black, format="yuv420p")):
                out.mux(packet)
            for packet in stream.encode():
                out.mux(packet)
        part.replace(path)
    return path
