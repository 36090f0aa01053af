"""The edits a re-uploader makes to launch footage, one named family each, and compilations.

Each family is what channels really do when they repost: re-encode small, crop, mirror,
add a caption or their own logo, trim, speed up, letterbox, recolour, drop colour or
frames, tilt. Parameters are drawn from a seed, so a benchmark corpus is reproducible.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import cv2
import numpy as np

from media.synthetic.branding import emblem, script_band
from media.synthetic.spec import INTRO_S
from media.synthetic.video_io import VideoWriter, read_frames

Frames = Iterator[np.ndarray]


@dataclass
class Edit:
    """What a family turns a video into: geometry, rate, quality and the new frames."""

    width: int
    height: int
    fps: float
    frames: Frames
    crf: int = 23


def _even(v: float) -> int:
    return max(2, round(v / 2) * 2)


def _reencode_low(e: Edit, rng: np.random.Generator) -> Edit:
    scale = rng.uniform(0.45, 0.65)
    w, h = _even(e.width * scale), _even(e.height * scale)
    frames = (cv2.resize(f, (w, h), interpolation=cv2.INTER_AREA) for f in e.frames)
    return Edit(w, h, e.fps, frames, crf=int(rng.integers(36, 41)))


def _crop(e: Edit, rng: np.random.Generator) -> Edit:
    cut = rng.uniform(0.10, 0.20)
    w, h = _even(e.width * (1 - cut)), _even(e.height * (1 - cut))
    x, y = int(rng.integers(0, e.width - w + 1)), int(rng.integers(0, e.height - h + 1))
    return Edit(w, h, e.fps, (f[y : y + h, x : x + w] for f in e.frames))


def _mirror(e: Edit, rng: np.random.Generator) -> Edit:
    return Edit(e.width, e.height, e.fps, (cv2.flip(f, 1) for f in e.frames))


def _caption_bar(e: Edit, rng: np.random.Generator) -> Edit:
    """A news-style lower third: coloured strip, calligraphy and a scrolling ticker."""
    bar_h = _even(e.height * rng.uniform(0.14, 0.2))
    bar = np.zeros((bar_h, e.width * 2, 3), np.uint8)
    bar[:] = rng.integers(0, 120, 3)
    script_band(rng, bar, (0, 0, e.width * 2, bar_h), (255, 255, 255))
    y0 = e.height - bar_h - _even(e.height * rng.uniform(0, 0.05))

    def frames() -> Frames:
        for i, f in enumerate(e.frames):
            shift = (i * max(1, e.width // 150)) % e.width
            f[y0 : y0 + bar_h] = bar[:, shift : shift + e.width]
            yield f

    return Edit(e.width, e.height, e.fps, frames())


def _logo_banner(e: Edit, rng: np.random.Generator) -> Edit:
    """Another channel's bigger logo in a corner and a translucent banner across the top."""
    size = _even(e.height * rng.uniform(0.18, 0.26))
    logo, mask = emblem(np.random.default_rng([int(rng.integers(1000, 10**6)), 8]), size)
    alpha = (mask.astype(np.float32) / 255.0)[..., None]
    x = e.width - size - 4 if rng.random() < 0.5 else 4
    y = e.height - size - 4
    band_h = _even(e.height * 0.1)
    band = np.zeros((band_h, e.width, 3), np.uint8)
    band[:] = rng.integers(0, 200, 3)
    script_band(rng, band, (0, 0, e.width, band_h), (255, 255, 255))

    def frames() -> Frames:
        for f in e.frames:
            roi = f[y : y + size, x : x + size]
            f[y : y + size, x : x + size] = (roi * (1 - alpha) + logo * alpha).astype(np.uint8)
            f[:band_h] = cv2.addWeighted(f[:band_h], 0.35, band, 0.65, 0)
            yield f

    return Edit(e.width, e.height, e.fps, frames())


def _trim(e: Edit, rng: np.random.Generator) -> Edit:
    """Cut the head (the channel intro and a bit more) and the tail, keeping at least 40%."""
    frames = list(e.frames)
    head_s, tail_s = INTRO_S + rng.uniform(0.3, 1.0), rng.uniform(0.5, 1.5)
    fit = min(1.0, 0.6 * len(frames) / e.fps / (head_s + tail_s))
    head, tail = round(head_s * fit * e.fps), round(tail_s * fit * e.fps)
    return Edit(e.width, e.height, e.fps, iter(frames[head : len(frames) - tail]))


def _speed_125(e: Edit, rng: np.random.Generator) -> Edit:
    frames = list(e.frames)
    picks = np.arange(0, len(frames), 1.25).astype(int)
    return Edit(e.width, e.height, e.fps, (frames[i] for i in picks))


def _letterbox(e: Edit, rng: np.random.Generator) -> Edit:
    """Pad into another aspect ratio: bars top and bottom (4:3, 1:1) or at the sides (21:9)."""
    aw, ah = [(4, 3), (1, 1), (21, 9)][int(rng.integers(0, 3))]
    if aw / ah < e.width / e.height:
        w, h = e.width, _even(e.width * ah / aw)
    else:
        w, h = _even(e.height * aw / ah), e.height
    x, y = (w - e.width) // 2, (h - e.height) // 2

    def frames() -> Frames:
        for f in e.frames:
            canvas = np.zeros((h, w, 3), np.uint8)
            canvas[y : y + e.height, x : x + e.width] = f
            yield canvas

    return Edit(w, h, e.fps, frames())


def _colour_shift(e: Edit, rng: np.random.Generator) -> Edit:
    """Hue rotation, saturation and a brightness/contrast curve."""
    hue = int(rng.choice([-1, 1]) * rng.integers(8, 22))
    sat = rng.uniform(0.6, 1.4)
    gain, bias = rng.uniform(0.8, 1.2), rng.uniform(-25, 25)
    hue_lut = ((np.arange(256) + hue) % 180).astype(np.uint8)
    sat_lut = np.clip(np.arange(256) * sat, 0, 255).astype(np.uint8)
    val_lut = np.clip(np.arange(256) * gain + bias, 0, 255).astype(np.uint8)
    lut = np.stack([hue_lut, sat_lut, val_lut], 1)[:, None, :]

    def frames() -> Frames:
        for f in e.frames:
            hsv = cv2.LUT(cv2.cvtColor(f, cv2.COLOR_BGR2HSV), lut)
            yield cv2.cvtColor(hsv, cv2.COLOR_HSV2BGR)

    return Edit(e.width, e.height, e.fps, frames())


def _greyscale(e: Edit, rng: np.random.Generator) -> Edit:
    grey = (cv2.cvtColor(cv2.cvtColor(f, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR) for f in e.frames)
    return Edit(e.width, e.height, e.fps, grey)


def _half_fps(e: Edit, rng: np.random.Generator) -> Edit:
    return Edit(e.width, e.height, e.fps / 2, (f for i, f in enumerate(e.frames) if i % 2 == 0))


def _rotate_zoom(e: Edit, rng: np.random.Generator) -> Edit:
    angle = float(rng.choice([-1, 1]) * rng.uniform(2.0, 6.0))
    zoom = float(rng.uniform(1.1, 1.2))
    m = cv2.getRotationMatrix2D((e.width / 2, e.height / 2), angle, zoom)
    size = (e.width, e.height)
    return Edit(
        e.width,
        e.height,
        e.fps,
        (cv2.warpAffine(f, m, size, flags=cv2.INTER_LINEAR) for f in e.frames),
    )


FAMILY_EDITS: dict[str, Callable[[Edit, np.random.Generator], Edit]] = {
    "reencode_low": _reencode_low,
    "crop": _crop,
    "mirror": _mirror,
    "caption_bar": _caption_bar,
    "logo_banner": _logo_banner,
    "trim": _trim,
    "speed_125": _speed_125,
    "letterbox": _letterbox,
    "colour_shift": _colour_shift,
    "greyscale": _greyscale,
    "half_fps": _half_fps,
    "rotate_zoom": _rotate_zoom,
}
FAMILIES: tuple[str, ...] = tuple(FAMILY_EDITS)


def transform(src: Path | str, dst: Path | str, family: str, seed: int) -> Path:
    """Write `src` re-uploaded under one edit family to `dst` (H.264 MP4) and return `dst`."""
    if family not in FAMILY_EDITS:
        raise ValueError(f"unknown transform family {family!r}; known: {', '.join(FAMILIES)}")
    fps, frames = read_frames(Path(src))
    first = next(frames)
    h, w = first.shape[:2]
    source = Edit(w, h, fps, _chain(first, frames))
    edit = FAMILY_EDITS[family](source, np.random.default_rng([seed, FAMILIES.index(family)]))
    return _write(Path(dst), edit)


def _chain(first: np.ndarray, rest: Frames) -> Frames:
    yield first
    yield from rest


def _write(dst: Path, edit: Edit) -> Path:
    with VideoWriter(dst, edit.width, edit.height, edit.fps, crf=edit.crf) as writer:
        for frame in edit.frames:
            writer.write(frame)
    return dst


def duration_of(path: Path) -> float:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        if stream.duration is not None and stream.time_base is not None:
            return float(stream.duration * stream.time_base)
        return float(container.duration or 0) / av.time_base


def _segment(path: Path, start: float, length: float, size: tuple[int, int], fps: float) -> Frames:
    """`length` seconds of `path` from `start`, resized and resampled to `fps`."""
    src_fps, frames = read_frames(path)
    wanted = iter(np.floor((start + np.arange(round(length * fps)) / fps) * src_fps).astype(int))
    target = next(wanted, None)
    for index, frame in enumerate(frames):
        while target is not None and target == index:
            yield cv2.resize(frame, size, interpolation=cv2.INTER_AREA)
            target = next(wanted, None)
        if target is None:
            return


def compilation(
    paths: list[Path],
    dst: Path | str,
    *,
    seed: int = 0,
    embed_s: float = 6.0,
    total_s: float = 30.0,
) -> Path:
    """A compilation of `total_s` seconds with `embed_s` of paths[0] somewhere inside.

    The rest is cut from paths[1:] in 3-5 second pieces. The embedded piece skips the
    source's intro card; everything takes the first clip's frame size and rate.
    """
    if len(paths) < 2:
        raise ValueError("a compilation needs the clip to embed and at least one filler clip")
    rng = np.random.default_rng([seed, 301])
    fps, first = read_frames(paths[0])
    h, w = next(first).shape[:2]
    first.close()
    own = duration_of(paths[0])
    embed_s = min(embed_s, own - INTRO_S)
    embed_at = rng.uniform(INTRO_S, max(INTRO_S, own - embed_s))
    filler_s = total_s - embed_s
    before = filler_s * rng.uniform(0.25, 0.6)
    pieces: list[tuple[Path, float, float]] = []
    for budget, is_last in ((before, False), (filler_s - before, True)):
        while budget > 0.05:
            path = paths[1 + int(rng.integers(0, len(paths) - 1))]
            length = min(budget, rng.uniform(3.0, 5.0), duration_of(path) - 0.1)
            pieces.append((path, rng.uniform(0, max(0.0, duration_of(path) - length)), length))
            budget -= length
        if not is_last:
            pieces.append((paths[0], embed_at, embed_s))
    frames = (f for p, s, n in pieces for f in _segment(p, s, n, (w, h), fps))
    return _write(Path(dst), Edit(w, h, fps, frames))
