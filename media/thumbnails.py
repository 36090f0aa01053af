"""Small JPEG keyframes of archived media, for analysts comparing two videos side by side.

A thumbnail is cut from the stored file at a given second (images are only downscaled),
written atomically to `<data>/thumbs/<ab>/<sha256>-<second>.jpg` and reused from there:
the review page asks for the same frames again and again, and decoding is the slow part.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import av
from PIL import Image

from claimwatch.errors import MediaDecodeError
from media.derived import write_atomically
from media.streams import check_frame_size, footage_stream, size_limit
from storage.records import MediaFile

MAX_SIDE = 320
JPEG_QUALITY = 82
VIDEO_KINDS = frozenset({"video", "animation", "video_message", "gif"})


def thumbnail(media: MediaFile, second: float, cache_dir: Path, max_side: int = MAX_SIDE) -> Path:
    """The cached JPEG of `media` at `second` (rounded to 0.1 s), made on first use.

    Seconds past a known duration are taken as the end, so the cache holds at most ten
    frames per second of video however the seconds are asked for.
    """
    if media.duration is not None:
        second = min(second, media.duration)
    second = round(max(0.0, second), 1) if is_video(media) else 0.0
    target = cache_path(cache_dir, media.sha256, second)
    if target.exists():
        return target
    image = video_frame(media.path, second) if is_video(media) else still_image(media.path)
    image.thumbnail((max_side, max_side))
    rgb = image.convert("RGB")
    write_atomically(target, lambda handle: rgb.save(handle, "JPEG", quality=JPEG_QUALITY))
    return target


def cache_path(cache_dir: Path, sha256: str, second: float) -> Path:
    return cache_dir / sha256[:2] / f"{sha256}-{second:.1f}.jpg"


def is_video(media: MediaFile) -> bool:
    return media.kind in VIDEO_KINDS or (media.mime or "").startswith("video/")


def video_frame(path: Path, second: float) -> Image.Image:
    """The first frame shown at or after `second`, upright; the last frame past the end."""
    try:
        with av.open(str(path)) as container:
            stream = footage_stream(path, container)
            check_frame_size(path, stream.codec_context.width, stream.codec_context.height)
            stream.codec_context.options = size_limit()
            if second > 0 and stream.time_base is not None:
                container.seek(int(second / stream.time_base), stream=stream, backward=True)
            frame = _frame_at(container.decode(stream), second)
    except av.FFmpegError as exc:
        raise MediaDecodeError(f"{path.name}: cannot decode video: {exc}") from None
    if frame is None:
        raise MediaDecodeError(f"{path.name}: no frame at {second:.1f} s")
    image = frame.to_image()
    # Phones store portrait video sideways with a display rotation; show it as played.
    rotation = getattr(frame, "rotation", 0) or 0
    return image.rotate(rotation, expand=True) if rotation else image


def _frame_at(frames: Iterable[av.VideoFrame], second: float) -> av.VideoFrame | None:
    last = None
    for frame in frames:
        if frame.time is not None and frame.time + 1e-3 >= second:
            return frame
        last = frame
    return last


def still_image(path: Path) -> Image.Image:
    """The image itself (the first frame of an animated one), fully decoded."""
    try:
        with Image.open(path) as image:
            image.draft("RGB", (MAX_SIDE * 2, MAX_SIDE * 2))
            image.load()
            return image.copy()
    except (OSError, Image.DecompressionBombError, ValueError) as exc:
        raise MediaDecodeError(f"{path.name}: cannot decode image: {exc}") from None
