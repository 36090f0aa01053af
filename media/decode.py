"""Sample small greyscale frames from a video (or a still image) as cheaply as possible.

Decoding is nearly all of the cost of fingerprinting, so we decode as little as we can
without making the samples depend on where the encoder put its keyframes (a re-encode
moves them; a copy must still be found):

* Only reference frames are decoded (`skip_frame`), without the deblocking filter: the
  B-frames between them cannot change what a 4-per-second sample sees.
* Many H.264 encoders (x264 with one reference, most phone encoders) never predict a
  P-frame from a B-frame, and then skipping every B-frame ("BIDIR") decodes the same
  pixels as skipping non-reference ones ("NONREF") in half the time. Others do, and
  skipping them corrupts every later frame of the group. So the first seconds are
  decoded both ways, until they hold reference B-frames unlike their neighbours (a
  still title card proves nothing), and BIDIR is used only when both give identical
  frames ("measure and choose"), and only for H.264: HEVC and other codecs drop the
  frames whose references were skipped instead of showing them corrupted, so they
  always keep their reference B-frames. Should BIDIR still leave a gap no B-frame run
  explains, the file is decoded again without it.
* A raw stream (no container, no timestamps) is timed by counting frames, so every
  frame is decoded.
* Frames are scaled to a small square straight from the luma plane by swscale.

Measured on 720p H.264: NONREF+no deblocking is about a third of OpenCV reading every
frame; BIDIR about a fifth (bench/ prints the figures side by side).
"""

from __future__ import annotations

import itertools
import math
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
from av.video.frame import PictureType
from av.video.reformatter import VideoReformatter
from numpy.typing import NDArray
from PIL import Image, ImageOps, UnidentifiedImageError

from claimwatch.errors import MediaDecodeError
from media.boxes import unfinished_mp4
from media.streams import check_frame_size, footage_stream, size_limit, upright

WORK_SIZE = 128  # side of the square greyscale working frame
PROBE_SECONDS = 1.5  # no reference B-frame by then: BIDIR and NONREF decode alike
PROBE_FRAMES = 12  # a shorter probe can miss the drift of encoders that do predict from B-frames
# A reference B-frame that looks like its neighbours (a still title card, a black fade)
# proves nothing: a P-frame predicted from it decodes the same from the copy a decoder
# puts in its place. The probe goes on until it has seen this many that differ, and
# keeps the B-frames of a file that shows none within its first PROBE_LIMIT_SECONDS.
PROBE_MOVING_B_REFERENCES = 2
PROBE_LIMIT_SECONDS = 8.0
CHECKED_ROW_STEP = 4  # the probe compares every fourth row of luma (see _luma_checksum)
FAST_CODECS = ("h264",)  # codecs whose reference frames BIDIR may be proved to keep
# H.264 allows at most 16 B-frames in a row, so reference frames are at most 17 frames
# apart: a longer wait between BIDIR frames (one frame of slack) means frames were
# dropped, and the file is decoded again keeping its B-frames.
BIDIR_GAP_FRAMES = 18
STILL_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff"})
# A file whose frames stop this far before its declared end is truncated, not short.
TRUNCATION_SLACK_S, TRUNCATION_SLACK_RATIO = 1.5, 0.1


@dataclass(frozen=True)
class Samples:
    """Working frames of one file: (n, WORK_SIZE, WORK_SIZE) uint8 and their seconds."""

    frames: NDArray[np.uint8]
    times: NDArray[np.float64]
    duration: float
    width: int
    height: int
    still: bool
    skip_mode: str = ""


def sample_file(path: Path, rate: float = 4.0, max_samples: int = 3600) -> Samples:
    """Sample `path` at about `rate` frames per second; stills give one frame.

    Raises MediaDecodeError naming the file when it is corrupt, truncated or not media.
    """
    if not path.is_file():
        raise MediaDecodeError(f"{path.name}: no such file")
    if path.stat().st_size == 0:
        raise MediaDecodeError(f"{path.name}: empty file (0 bytes)")
    image = _open_image(path)
    if image is not None:
        return _still(path, image)
    return _sample_video(path, rate, max_samples)


def _open_image(path: Path) -> Image.Image | None:
    """The image in `path`, or None when it is not a single still image."""
    try:
        image = Image.open(path)
    except (UnidentifiedImageError, OSError):
        return None
    except Image.DecompressionBombError as exc:
        raise MediaDecodeError(f"{path.name}: image too large to decode safely: {exc}") from None
    if getattr(image, "n_frames", 1) > 1:
        image.close()
        return None
    return image


def _still(path: Path, image: Image.Image) -> Samples:
    try:
        with image:
            width, height = image.size
            image.draft("L", (WORK_SIZE * 2, WORK_SIZE * 2))  # JPEG: decode at 1/2..1/8 scale
            upright = ImageOps.exif_transpose(image).convert("L")
            small = upright.resize((WORK_SIZE, WORK_SIZE), Image.Resampling.BOX)
            frame = np.asarray(small, dtype=np.uint8)
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise MediaDecodeError(f"{path.name}: cannot decode image: {exc}") from None
    return Samples(frame[None], np.zeros(1), 0.0, width, height, still=True)


def _sample_video(path: Path, rate: float, max_samples: int) -> Samples:
    sampler: _Sampler | None = None
    try:
        with av.open(str(path)) as container:
            stream = footage_stream(path, container)
            declared = _declared_duration(container, stream)
            width, height = stream.codec_context.width, stream.codec_context.height
            check_frame_size(path, width, height)
            if declared and declared * rate > max_samples:
                rate = max_samples / declared
            sampler = _Sampler(rate)
            mode = _decode_into(path, container, stream, sampler, declared)
    except av.FFmpegError as exc:
        if sampler is not None and sampler.times:
            raise MediaDecodeError(
                f"{path.name}: truncated or corrupt after {sampler.last_time:.1f} s: {reason(exc)}"
            ) from None
        if path.suffix.lower() in STILL_SUFFIXES:  # neither a readable image nor a video
            unreadable = f"{path.name}: cannot decode image: not a readable image file"
            raise MediaDecodeError(unreadable) from None
        if unfinished_mp4(path):
            raise MediaDecodeError(
                f"{path.name}: cannot decode video: the file ends before its index (no moov "
                "box): it was cut short while downloading or recording"
            ) from None
        raise MediaDecodeError(f"{path.name}: cannot decode video: {reason(exc)}") from None
    if not sampler.times:
        raise MediaDecodeError(f"{path.name}: no decodable video frame")
    extent = sampler.last_time + sampler.frame_step
    if _stops_short(extent, declared):
        raise MediaDecodeError(
            f"{path.name}: truncated: frames stop at {extent:.1f} s of {declared:.1f} s"
        )
    return Samples(
        np.stack(sampler.frames),
        np.array(sampler.times),
        max(declared or 0.0, extent),
        width,
        height,
        still=False,
        skip_mode=mode,
    )


def _stops_short(extent: float, declared: float) -> bool:
    """Whether frames ending at `extent` stop too far before the `declared` duration (0:
    unknown) for a short file: the file was truncated, or frames were lost."""
    return bool(declared) and declared - extent > max(
        TRUNCATION_SLACK_S, TRUNCATION_SLACK_RATIO * declared
    )


def reason(exc: av.FFmpegError) -> str:
    """FFmpeg's reason without the file's full path (the message names the file already)."""
    return str(exc.strerror or exc)


def _declared_duration(container: av.container.InputContainer, stream: av.VideoStream) -> float:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    return float(container.duration or 0) / av.time_base


class _Sampler:
    """Keeps the first decoded frame at or after each 1/rate grid point."""

    def __init__(self, rate: float) -> None:
        self.step = 1.0 / rate
        self.scaler = VideoReformatter()
        self.restart()

    def restart(self) -> None:
        """Forget every frame offered so far (the file is decoded again from its start)."""
        self.next_slot = 0.0
        self.frames: list[NDArray[np.uint8]] = []
        self.times: list[float] = []
        self.last_time = -math.inf
        self.frame_step = 0.0

    def offer(self, t: float, frame: av.VideoFrame) -> None:
        if t <= self.last_time:
            return
        if self.last_time > -math.inf:
            self.frame_step = min(self.frame_step or math.inf, t - self.last_time)
        self.last_time = t
        if t + 1e-6 < self.next_slot:
            return
        self.frames.append(working_frame(frame, self.scaler))
        self.times.append(t)
        self.next_slot = (math.floor(t / self.step + 1e-6) + 1) * self.step


def working_frame(
    frame: av.VideoFrame, scaler: VideoReformatter | None = None
) -> NDArray[np.uint8]:
    """The frame as an upright WORK_SIZE square of luma.

    Pass one `scaler` for all frames of a file: it keeps swscale's context, which costs
    several times the scaling itself to set up.
    """
    scaled = (scaler or VideoReformatter()).reformat(
        frame, width=WORK_SIZE, height=WORK_SIZE, format="gray", interpolation="BILINEAR"
    )
    return upright(np.asarray(scaled.to_ndarray(), np.uint8), frame)


def _decode_into(
    path: Path,
    safe: av.container.InputContainer,
    stream: av.VideoStream,
    sampler: _Sampler,
    declared: float,
) -> str:
    """Feed every decoded reference frame of `stream` to `sampler`; returns the skip mode
    used."""
    origin = _origin(stream)
    try:
        return _decode_references(path, safe, stream, sampler, declared, origin)
    except _Untimed:  # a raw stream: frames are timed by counting them, so decode them all
        return _decode_again(path, stream.index, origin, sampler, "DEFAULT")


def _decode_references(
    path: Path,
    safe: av.container.InputContainer,
    stream: av.VideoStream,
    sampler: _Sampler,
    declared: float,
    origin: float,
) -> str:
    safe_frames = _timed_frames(safe, stream.index, "NONREF", origin)
    probe_end, reference = _probe(safe_frames, sampler)
    if reference and stream.codec_context.name in FAST_CODECS:
        # a second decoder for the fast pass: if BIDIR proves unsafe, the safe one goes on
        # from where the probe stopped instead of decoding the first seconds again
        with av.open(str(path)) as fast:
            fast_frames = _timed_frames(fast, stream.index, "BIDIR", origin)
            overflow = _same_frames(fast_frames, reference, probe_end)
            if overflow is not None:
                if _offer_unbroken(itertools.chain(overflow, fast_frames), sampler, declared):
                    return "BIDIR"
                return _decode_again(path, stream.index, origin, sampler)
    for t, frame in safe_frames:
        sampler.offer(t, frame)
    return "NONREF"


def _decode_again(
    path: Path, index: int, origin: float, sampler: _Sampler, skip: str = "NONREF"
) -> str:
    """Sample the whole file again from its start, keeping its reference B-frames (or,
    `skip` "DEFAULT", every frame)."""
    sampler.restart()
    with av.open(str(path)) as again:
        for t, frame in _timed_frames(again, index, skip, origin):
            sampler.offer(t, frame)
    return skip


def _offer_unbroken(
    frames: Iterator[tuple[float, av.VideoFrame]], sampler: _Sampler, declared: float
) -> bool:
    """Offer BIDIR frames to `sampler`; False (stopping) at a gap between two frames that
    no run of B-frames explains, or when they stop short of the `declared` duration."""
    limit = BIDIR_GAP_FRAMES * sampler.frame_step if sampler.frame_step else math.inf
    for t, frame in frames:
        if t - sampler.last_time > limit:
            return False
        sampler.offer(t, frame)
    return not _stops_short(sampler.last_time + sampler.frame_step, declared)


def _origin(stream: av.VideoStream) -> float:
    if stream.start_time is not None and stream.time_base is not None:
        return float(stream.start_time * stream.time_base)
    return 0.0


def _timed_frames(
    container: av.container.InputContainer, index: int, skip: str, origin: float
) -> Iterator[tuple[float, av.VideoFrame]]:
    stream = next(s for s in container.streams.video if s.index == index)
    context = stream.codec_context
    context.skip_frame = skip  # type: ignore[assignment]
    context.options = {"skip_loop_filter": "all", **size_limit()}
    context.thread_count = 1  # threads add CPU time; process.py uses one file per core
    rate = float(stream.average_rate or stream.guessed_rate or 25)
    for n, frame in enumerate(container.decode(stream)):
        if frame.time is not None:
            yield frame.time - origin, frame
        elif skip == "DEFAULT":  # every frame is decoded: the count is the time
            yield n / rate, frame
        else:
            raise _Untimed


class _Untimed(Exception):
    """A frame without a timestamp (a raw H.264 or HEVC stream) while frames are skipped:
    its time cannot be told by counting."""


def _probe(
    safe_frames: Iterator[tuple[float, av.VideoFrame]], sampler: _Sampler
) -> tuple[float, dict[float, int]]:
    """Decode the first seconds the safe way, sampling them; fingerprint their pixels.

    Returns the last probed second and a checksum of each frame's luma, or no checksums
    when BIDIR cannot be checked: no B-frame served as a reference (then BIDIR and NONREF
    decode the same frames), or none that differs from its neighbours did.
    """
    reference: dict[float, int] = {}
    b_references = moving = 0
    previous: int | None = None
    waiting: int | None = None  # a reference B-frame unlike the frame before it
    end = -math.inf
    for t, frame in safe_frames:
        sampler.offer(t, frame)
        checksum = reference[round(t, 4)] = _luma_checksum(frame)
        moving += waiting is not None and waiting != checksum
        waiting = None
        if frame.pict_type == PictureType.B:
            b_references += 1
            waiting = checksum if checksum != previous else None
        previous, end = checksum, t
        if moving >= PROBE_MOVING_B_REFERENCES and len(reference) >= PROBE_FRAMES:
            return end, reference
        if t >= PROBE_LIMIT_SECONDS or (t >= PROBE_SECONDS and not b_references):
            break
    return end, {}


def _same_frames(
    fast_frames: Iterator[tuple[float, av.VideoFrame]], reference: dict[float, int], end: float
) -> list[tuple[float, av.VideoFrame]] | None:
    """The fast frames read past `end` if BIDIR decoded the probe exactly, else None."""
    compared = 0
    for t, frame in fast_frames:
        if t > end:
            return [(t, frame)] if compared > 1 else None
        if reference.get(round(t, 4)) != _luma_checksum(frame):
            return None
        compared += 1
    return [] if compared > 1 else None


def _luma_checksum(frame: av.VideoFrame) -> int:
    """A checksum of every fourth row of luma: a frame decoded from a missing reference
    differs in whole 16-row macroblocks, so no difference can hide between the rows."""
    plane = frame.planes[0]
    rows = np.frombuffer(memoryview(plane), np.uint8).reshape(-1, plane.line_size)
    rows = rows[: frame.height : CHECKED_ROW_STEP, : frame.width]
    return zlib.crc32(np.ascontiguousarray(rows).data)
