"""Local features of archived files, kept on disk so each file is read for them once.

Same-scene leads compare every new file with the footage posted within days of it. The
ORB features of those earlier files (a few frames decoded, keypoints found on each) cost
far more than the comparing, and the service processes new media every few minutes: it
would decode the same neighbours again on every run. Like keyframes, features are
derived data, written whole to `<data>/features/<ab>/<sha256>.npz` with the seconds they
were asked for, and made again when their file is missing, damaged, from another version
of the detector, or taken at other seconds (a new fingerprint algorithm picks others).
Files are read without pickle: a damaged or planted file is refused, never run. Only
archived files, named by their SHA-256, are kept: any other key (a file from outside the
archive) is neither looked up nor written.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from media.derived import write_atomically
from media.frames import WIDTH
from media.scene import FEATURES, Features
from storage.media_store import is_sha256

# what the stored features depend on: bump it when the detector or its frames change
VERSION = np.array([2, FEATURES, WIDTH], np.int64)  # 2: dark frames equalised


class FeatureCache:
    """Features by media SHA-256, under one folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get(self, sha256: str, asked: Sequence[float]) -> Features | None:
        """The stored features of the file taken at `asked` seconds, or None when there
        are none to trust."""
        if not is_sha256(sha256):
            return None
        try:
            with np.load(self._path(sha256), allow_pickle=False) as stored:
                if not (
                    np.array_equal(stored["version"], VERSION)
                    and np.array_equal(stored["asked"], np.asarray(asked, np.float64))
                ):
                    return None
                return _features(dict(stored))
        except (OSError, ValueError, KeyError, zipfile.BadZipFile):
            return None

    def put(self, sha256: str, asked: Sequence[float], features: Features) -> None:
        """Keep the features of the file taken at `asked` seconds, replacing older ones."""
        if not is_sha256(sha256):
            return

        def write(handle: BinaryIO) -> None:
            times = np.asarray(asked, np.float64)
            np.savez(handle, version=VERSION, asked=times, **_arrays(features))

        write_atomically(self._path(sha256), write)

    def _path(self, sha256: str) -> Path:
        return self.folder / sha256[:2] / f"{sha256}.npz"


def _arrays(features: Features) -> dict[str, Any]:  # np.savez's keywords
    return {
        "times": np.asarray(features.times, np.float64),
        "counts": np.array([len(p) for p in features.points], np.int64),
        "points": np.concatenate([*features.points, np.zeros((0, 2), np.float32)]),
        "descriptors": np.concatenate([*features.descriptors, np.zeros((0, 32), np.uint8)]),
        "size": np.asarray(features.size, np.int64),
    }


def _features(stored: dict[str, np.ndarray]) -> Features:
    counts, points, descriptors = stored["counts"], stored["points"], stored["descriptors"]
    times, size = stored["times"], stored["size"]
    if (
        len(counts) != len(times)
        or bool((counts < 0).any())
        or int(counts.sum()) != len(points)
        or points.shape[1:] != (2,)
        or descriptors.shape != (len(points), 32)
        or points.dtype != np.float32
        or descriptors.dtype != np.uint8
        or size.shape != (2,)
    ):
        raise ValueError("stored features are damaged")
    if not len(times):
        return Features((), (), (), (int(size[0]), int(size[1])))
    bounds = np.cumsum(counts)[:-1]
    return Features(
        tuple(float(t) for t in times),
        tuple(np.split(points, bounds)),
        tuple(np.split(descriptors, bounds)),
        (int(size[0]), int(size[1])),
    )
