"""Which stream of a file is its footage, and how to read its frames safely and upright.

Shared by fingerprinting (decode.py), the frames compared for the camera check and the
same-scene search (frames.py) and the review page's keyframes (thumbnails.py), so all
three read the same stream the same way.
"""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
from numpy.typing import NDArray
from PIL import Image

from claimwatch.errors import MediaDecodeError

COVER = av.stream.Disposition.attached_pic  # a file's cover picture, kept as a video stream
# Codecs of a picture stored as a one-frame video stream (a cover, a poster) beside the footage.
STILL_CODECS = frozenset({"png", "mjpeg", "bmp", "webp", "tiff", "gif"})
# Frames above Pillow's decompression-bomb size (about 89 megapixels; 8K video is 33) are
# refused: a few hundred kilobytes of 12000x12000 video take gigabytes to decode.
MAX_FRAME_PIXELS = Image.MAX_IMAGE_PIXELS or 89_478_485


def check_frame_size(path: Path, width: int, height: int) -> None:
    """Refuse video whose frames are too large to decode safely."""
    if width * height > MAX_FRAME_PIXELS:
        raise MediaDecodeError(
            f"{path.name}: frames of {width}x{height} are too large to decode safely "
            f"(more than {MAX_FRAME_PIXELS / 1e6:.0f} megapixels)"
        )


def size_limit() -> dict[str, str]:
    """Decoder options refusing any frame above MAX_FRAME_PIXELS, also one a stream
    switches to midway (check_frame_size sees only the first size)."""
    return {"max_pixels": str(MAX_FRAME_PIXELS)}


def footage_stream(path: Path, container: av.container.InputContainer) -> av.VideoStream:
    """The file's footage: of its video streams, not a cover picture, and among several the
    longest, then the default one, then a moving one, then the largest picture. A file
    that opens with a one-frame picture stream is still read for its footage.

    Raises MediaDecodeError when the file has no video stream but a cover picture.
    """
    streams = [s for s in container.streams.video if not s.disposition & COVER]
    if not streams:
        covered = " (only a cover picture)" if container.streams.video else ""
        raise MediaDecodeError(f"{path.name}: not an image and has no video stream{covered}")
    return max(streams, key=_footage_rank)


def _footage_rank(stream: av.VideoStream) -> tuple[float, int, bool, bool, int]:
    duration = (
        float(stream.duration * stream.time_base) if stream.duration and stream.time_base else 0.0
    )
    context = stream.codec_context
    return (
        duration,
        stream.frames,
        bool(stream.disposition & av.stream.Disposition.default),
        context.name not in STILL_CODECS,
        context.width * context.height,
    )


def quarter_turns(frame: av.VideoFrame) -> int:
    """Quarter turns (counterclockwise) that show `frame` as played: phones store
    portrait video sideways with a display rotation."""
    return round((frame.rotation or 0) / 90) % 4


def upright(pixels: NDArray[np.uint8], frame: av.VideoFrame) -> NDArray[np.uint8]:
    """`pixels` scaled from `frame`, turned the way the frame is shown."""
    turns = quarter_turns(frame)
    return np.ascontiguousarray(np.rot90(pixels, turns)) if turns else pixels
