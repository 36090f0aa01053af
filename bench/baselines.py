"""What an analyst would otherwise reach for, implemented as its documentation says.

(a) OpenCV reads every frame, imagehash.phash hashes one frame per second, and a pair
    matches vPDQ-style when a large enough share of one video's frames has a close hash
    in the other. (b) The `videohash` package: one 64-bit hash per video (ffmpeg frame
    extraction, collage, wavelet hash), compared by Hamming distance. (c) perception's
    TMK+PDQF video hasher (TMKL2), compared by its own distance.

Each method gives a similarity score per pair (higher is more alike); report.py picks
each method's threshold so that no negative pair matches, then measures recall. CPU
counts this process and its children (videohash runs ffmpeg).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import imagehash
import numpy as np
from PIL import Image

from bench.parallel import cpu_seconds, map_files

Pair = tuple[str, str]


@dataclass
class Method:
    """One matcher's per-file signatures, their CPU cost, and per-setting pair scores."""

    name: str
    label: str
    signatures: dict[str, Any] = field(default_factory=dict)
    cpu_s: float = 0.0
    match_cpu_s: float = 0.0
    error: str = ""
    settings: dict[str, dict[Pair, float]] = field(default_factory=dict)


def signatures(method: Method, paths: dict[str, Path], compute: Callable[[Path], Any]) -> Method:
    """Compute `compute(path)` for every file on every core, counting the CPU it takes."""
    method.signatures, method.cpu_s, method.error = map_files(compute, paths)
    return method


# (a) OpenCV + imagehash.phash at 1 frame/s, vPDQ-style share-of-frames rule


def opencv_phash(path: Path) -> np.ndarray:
    """pHash of one frame per second, reading every frame with OpenCV as users do."""
    capture = cv2.VideoCapture(str(path))
    fps = capture.get(cv2.CAP_PROP_FPS) or 25.0
    hashes, index, next_second = [], 0, 0
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        if index >= round(next_second * fps):
            image = Image.fromarray(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
            hashes.append(int(str(imagehash.phash(image)), 16))
            next_second += 1
        index += 1
    capture.release()
    return np.array(hashes, np.uint64)


PHASH_DISTANCES = (4, 6, 8, 10, 12, 14, 16)


def phash_scores(method: Method, pairs: list[Pair]) -> None:
    """Scores for each frame distance and rule: the share of frames with a close hash.

    `both`: vPDQ's rule, each video's share must pass (the score is the smaller share);
    `either`: the shorter video contained in the longer one (the larger share).
    """
    for d in PHASH_DISTANCES:
        method.settings[f"both,d<={d}"] = {}
        method.settings[f"either,d<={d}"] = {}
    for a, b in pairs:
        ha, hb = method.signatures[a], method.signatures[b]
        if len(ha) == 0 or len(hb) == 0:
            dist_a, dist_b = np.full(1, 64), np.full(1, 64)
        else:
            grid = np.bitwise_count(ha[:, None] ^ hb[None, :])
            dist_a, dist_b = grid.min(axis=1), grid.min(axis=0)
        for d in PHASH_DISTANCES:
            share_a, share_b = float((dist_a <= d).mean()), float((dist_b <= d).mean())
            method.settings[f"both,d<={d}"][(a, b)] = min(share_a, share_b)
            method.settings[f"either,d<={d}"][(a, b)] = max(share_a, share_b)


# (b) videohash


def videohash_hash(path: Path) -> str:
    """The videohash package's 64-bit hash of a video (it shells out to ffmpeg)."""
    import PIL.Image

    if not hasattr(PIL.Image, "ANTIALIAS"):
        # videohash 3.0.1 still calls the resampling filter by its pre-Pillow-10 name
        PIL.Image.ANTIALIAS = PIL.Image.LANCZOS  # type: ignore[attr-defined]
    from videohash import VideoHash

    storage = Path(tempfile.mkdtemp(prefix="videohash-"))
    try:
        # videohash only recognises a directory by its trailing separator
        return str(VideoHash(path=str(path), storage_path=f"{storage}{os.sep}").hash)
    finally:
        shutil.rmtree(storage, ignore_errors=True)


def hamming_scores(method: Method, pairs: list[Pair]) -> None:
    """Score = minus the Hamming distance of two '0b...' hash strings."""
    bits = {k: np.frombuffer(v[2:].encode(), np.uint8) for k, v in method.signatures.items()}
    method.settings["hamming"] = {(a, b): -float((bits[a] != bits[b]).sum()) for a, b in pairs}


# (c) perception TMKL2


_HASHER: list[Any] = []


def perception_tmkl2(path: Path) -> Any:
    """The TMKL2 vector of a video (one hasher per worker process)."""
    if not _HASHER:
        _HASHER.append(perception_hasher())
    return _HASHER[0].compute(str(path), hash_format="vector")


def perception_hasher() -> Any:
    """TMKL2, skipping frames PHashF cannot hash (it returns None for a flat frame, such
    as the black first frame of an intro, and TMKL2 then fails; TMKL1 already skips them)."""
    from perception.hashers import TMKL2

    class TMKL2SkippingFlatFrames(TMKL2):
        def process_frame(
            self, frame: Any, frame_index: Any, frame_timestamp: Any, state: Any = None
        ) -> Any:
            state = state or {"features": [], "timestamps": []}
            vector = self.frame_hasher.compute(frame, hash_format="vector")
            if vector is not None:
                state["features"].append(vector)
                state["timestamps"].append(frame_timestamp)
            return state

    return TMKL2SkippingFlatFrames()


def perception_scores(method: Method, pairs: list[Pair], hasher: Any) -> None:
    """Score = minus TMKL2's own distance (1 - its normalised correlation)."""
    sig = method.signatures
    method.settings["tmkl2"] = {
        (a, b): -float(np.ravel(hasher.compute_distance(sig[a], sig[b], hash_format="vector"))[0])
        for a, b in pairs
    }


def _scored(method: Method, score: Callable[[], None]) -> Method:
    """Score the pairs unless signatures failed, timing the CPU comparing takes."""
    if not method.error:
        started = cpu_seconds()
        score()
        method.match_cpu_s = cpu_seconds() - started
    return method


def run_phash(paths: dict[str, Path], pairs: list[Pair]) -> Method:
    label = "OpenCV + imagehash pHash 1 fps, vPDQ share rule"
    method = signatures(Method("opencv_phash", label), paths, opencv_phash)
    return _scored(method, lambda: phash_scores(method, pairs))


def run_videohash(paths: dict[str, Path], pairs: list[Pair]) -> Method:
    label = "videohash 3.0 (ffmpeg, 64-bit collage hash)"
    method = signatures(Method("videohash", label), paths, videohash_hash)
    return _scored(method, lambda: hamming_scores(method, pairs))


def run_perception(paths: dict[str, Path], pairs: list[Pair]) -> Method:
    method = Method("perception_tmkl2", "perception TMKL2 (TMK+PDQF, 15 fps)")
    try:
        hasher = perception_hasher()
    except Exception as error:  # not installable here: the table says so
        method.error = f"perception not available: {type(error).__name__}: {error}"
        return method
    signatures(method, paths, perception_tmkl2)
    return _scored(method, lambda: perception_scores(method, pairs, hasher))


BASELINES: dict[str, Callable[[dict[str, Path], list[Pair]], Method]] = {
    "phash": run_phash,
    "videohash": run_videohash,
    "perception": run_perception,
}
