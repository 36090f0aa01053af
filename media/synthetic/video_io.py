"""Reading and writing video files with PyAV, for the synthetic footage tools.

Frames are BGR uint8 arrays (OpenCV's layout). Files are H.264 yuv420p in MP4, the form
Telegram and X deliver, so the matcher is tested on what it will really decode; tests
also write HEVC (what phones record) and VP9 (WebM) re-encodes.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from fractions import Fraction
from pathlib import Path
from types import TracebackType
from typing import cast

import av
import numpy as np

# Encoder options by encoder, from (crf, preset). One encoder thread each: frame threads
# make the bytes depend on CPU timing, and the corpus must be the same file on every run.
ENCODERS: dict[str, Callable[[int, str], dict[str, str]]] = {
    "libx264": lambda crf, preset: {"crf": str(crf), "preset": preset, "threads": "1"},
    "libx265": lambda crf, preset: {
        "crf": str(crf),
        "preset": preset,
        "x265-params": "log-level=error:pools=none:frame-threads=1",
    },
    "libvpx-vp9": lambda crf, _preset: {
        "crf": str(crf),
        "b": "0",
        "deadline": "realtime",
        "threads": "1",
    },
}


class VideoWriter:
    """Encode BGR frames into a video file (H.264 unless `encoder` says otherwise) at a
    fixed frame rate."""

    def __init__(
        self,
        path: Path,
        width: int,
        height: int,
        fps: float,
        crf: int = 20,
        preset: str = "veryfast",
        encoder: str = "libx264",
    ) -> None:
        if width % 2 or height % 2:
            raise ValueError(f"yuv420p video needs even sides, got {width}x{height}")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._container = av.open(str(path), "w")
        rate = Fraction(fps).limit_denominator(1001)
        self._stream = cast(av.VideoStream, self._container.add_stream(encoder, rate=rate))
        self._stream.width, self._stream.height = width, height
        self._stream.pix_fmt = "yuv420p"
        self._stream.options = dict(ENCODERS[encoder](crf, preset))
        self._stream.codec_context.thread_count = 1
        self.frames = 0

    def write(self, frame: np.ndarray) -> None:
        video = av.VideoFrame.from_ndarray(np.ascontiguousarray(frame), format="bgr24")
        video.pts = self.frames
        self.frames += 1
        for packet in self._stream.encode(video):
            self._container.mux(packet)

    def close(self) -> None:
        for packet in self._stream.encode():
            self._container.mux(packet)
        self._container.close()

    def __enter__(self) -> VideoWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
        if error is not None:
            self.path.unlink(missing_ok=True)


def probe(path: Path) -> tuple[int, int, float, int]:
    """(width, height, fps, frame count) of a video, counting decoded frames."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        fps = float(stream.average_rate or stream.guessed_rate or 25)
        count = sum(1 for _ in container.decode(stream))
        return stream.codec_context.width, stream.codec_context.height, fps, count


def read_frames(path: Path) -> tuple[float, Generator[np.ndarray, None, None]]:
    """The frame rate and a generator of BGR frames of a video."""
    container = av.open(str(path))
    stream = container.streams.video[0]
    stream.thread_type = "AUTO"
    fps = float(stream.average_rate or stream.guessed_rate or 25)

    def frames() -> Generator[np.ndarray, None, None]:
        try:
            for frame in container.decode(stream):
                yield frame.to_ndarray(format="bgr24")
        finally:
            container.close()

    return fps, frames()
