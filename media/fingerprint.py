"""A file's fingerprint: timestamped window pHashes of its sampled frames, and their bytes.

Like ThreatExchange's vPDQ, a video fingerprint is a sequence of (second, frame hashes).
Each hashed frame keeps:

* the imagehash-compatible pHash of every window in windows.py, and of its mirror image
  (a left-right flipped repost is found with one more lookup, no second decode);
* a 32x32 greyscale thumbnail of the bar-stripped frame, which verification uses to
  check that two aligned clips also move alike (a copy) rather than only look alike
  (another launch from the same spot);
* its shot number, so motion is compared within shots, never across a cut.

A still image is a one-frame video. The serialised form is versioned; `ALGORITHM`
travels with it so an upgrade recomputes only old fingerprints.
"""

from __future__ import annotations

import struct
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from claimwatch.errors import ClaimwatchError, MediaDecodeError
from config.settings import MediaSettings
from media.decode import sample_file
from media.normalise import normalise
from media.orphans import exit_with_parent
from media.phash import IMAGE_SIZE, bits_of, low_frequencies
from media.phash import mirrored as mirror_coefficients
from media.windows import FULL, WINDOWS, window_frames

ALGORITHM = "cw-vphash-v3"  # v3: H.264 files that open on a still card decoded right
_MAGIC = b"CWF2"
# magic, flags, windows, frames hashed, frames sampled, width, height, duration, CPU seconds
_HEADER = struct.Struct("<4sBBIIIIdd")
_STILL = 1
THUMB = IMAGE_SIZE


@dataclass(frozen=True)
class VideoFingerprint:
    """Hashes of a file's informative frames, in time order.

    `times[i]` is frame i's second from the start of the file; `hashes[i, k]` and
    `mirrored[i, k]` are the pHashes of window k (windows.WINDOWS) of frame i and of its
    mirror image; `thumbs[i]` its 32x32 thumbnail; `shots[i]` the shot it belongs to.
    `frames_sampled` counts decoded samples, blanks included; `frames_hashed` does not.
    """

    times: NDArray[np.float32]
    hashes: NDArray[np.uint64]
    mirrored: NDArray[np.uint64]
    thumbs: NDArray[np.uint8]
    shots: NDArray[np.uint16]
    duration: float
    frames_sampled: int
    still: bool = False
    seconds_to_fingerprint: float = 0.0
    width: int = 0
    height: int = 0

    @property
    def frames_hashed(self) -> int:
        return len(self.times)


def fingerprint_file(path: Path, rate: float = 4.0, max_samples: int = 3600) -> VideoFingerprint:
    """Fingerprint the video or image at `path`, sampling about `rate` frames per second.

    Raises MediaDecodeError (naming the file) when it is corrupt, truncated or not media.
    """
    started = time.process_time()
    samples = sample_file(Path(path), rate, max_samples)
    ready = normalise(samples.frames)
    keep = np.flatnonzero(ready.informative)
    views = window_frames([ready.crops[i] for i in keep])
    hashes, mirrored = _hash_windows(views)
    return VideoFingerprint(
        times=samples.times[keep].astype(np.float32),
        hashes=hashes,
        mirrored=mirrored,
        thumbs=np.clip(np.rint(views[:, FULL]), 0, 255).astype(np.uint8),
        shots=ready.shots[keep].astype(np.uint16),
        duration=float(samples.duration),
        frames_sampled=len(samples.times),
        still=samples.still,
        seconds_to_fingerprint=time.process_time() - started,
        width=samples.width,
        height=samples.height,
    )


def _hash_windows(views: NDArray[np.float32]) -> tuple[NDArray[np.uint64], NDArray[np.uint64]]:
    n, k = views.shape[:2]
    coefficients = low_frequencies(views.reshape(n * k, IMAGE_SIZE, IMAGE_SIZE))
    plain = bits_of(coefficients).reshape(n, k)
    flipped = bits_of(mirror_coefficients(coefficients)).reshape(n, k)
    return plain, flipped


def to_bytes(fingerprint: VideoFingerprint) -> bytes:
    """The compact, versioned serialisation stored in the fingerprints table."""
    fp = fingerprint
    header = _HEADER.pack(
        _MAGIC,
        _STILL if fp.still else 0,
        len(WINDOWS),
        fp.frames_hashed,
        fp.frames_sampled,
        fp.width,
        fp.height,
        fp.duration,
        fp.seconds_to_fingerprint,
    )
    return b"".join(
        (
            header,
            fp.times.astype("<f4").tobytes(),
            fp.shots.astype("<u2").tobytes(),
            fp.hashes.astype("<u8").tobytes(),
            fp.mirrored.astype("<u8").tobytes(),
            fp.thumbs.astype(np.uint8).tobytes(),
        )
    )


def from_bytes(data: bytes) -> VideoFingerprint:
    """Read a fingerprint written by `to_bytes`; refuses anything else."""
    if len(data) < _HEADER.size or data[:4] != _MAGIC:
        raise MediaDecodeError("fingerprint data is not in this claimwatch fingerprint format")
    _, flags, windows, n, sampled, width, height, duration, seconds = _HEADER.unpack_from(data)
    sizes = (4 * n, 2 * n, 8 * n * windows, 8 * n * windows, THUMB * THUMB * n)
    body = memoryview(data)[_HEADER.size :]
    if windows != len(WINDOWS) or len(body) != sum(sizes):
        raise MediaDecodeError(f"fingerprint data is damaged: {len(body)} bytes for {n} frames")
    parts, offset = [], 0
    for size in sizes:
        parts.append(body[offset : offset + size])
        offset += size
    return VideoFingerprint(
        times=np.frombuffer(parts[0], "<f4").astype(np.float32),
        shots=np.frombuffer(parts[1], "<u2").astype(np.uint16),
        hashes=np.frombuffer(parts[2], "<u8").astype(np.uint64).reshape(n, windows),
        mirrored=np.frombuffer(parts[3], "<u8").astype(np.uint64).reshape(n, windows),
        thumbs=np.frombuffer(parts[4], np.uint8).reshape(n, THUMB, THUMB).copy(),
        duration=duration,
        frames_sampled=sampled,
        still=bool(flags & _STILL),
        seconds_to_fingerprint=seconds,
        width=width,
        height=height,
    )


def fingerprint_or_error(job: tuple[Path, float, int]) -> VideoFingerprint | str:
    """(path, rate, max samples) -> the fingerprint, or the error naming what was wrong.

    For process pools: the error comes back as text instead of crossing as an exception.
    """
    path, rate, max_samples = job
    try:
        return fingerprint_file(path, rate, max_samples)
    except ClaimwatchError as exc:
        return str(exc)
    except OSError as exc:
        return f"{path.name}: cannot read: {exc.strerror or exc}"


def fingerprint_files(
    paths: Sequence[Path], settings: MediaSettings, workers: int | None = None
) -> Iterator[VideoFingerprint | str]:
    """Each file's fingerprint or error, in order, as they are done.

    `workers` processes (default `settings.workers`) take one file at a time; the CPU
    seconds a fingerprint reports are its own file's, whatever the parallelism.
    """
    jobs = [(Path(p), settings.sample_rate, settings.max_samples) for p in paths]
    count = max(1, min(workers or settings.workers, len(jobs)))
    if count == 1:
        yield from map(fingerprint_or_error, jobs)
        return
    with ProcessPoolExecutor(count, initializer=exit_with_parent) as pool:
        yield from pool.map(fingerprint_or_error, jobs, chunksize=1)
