"""Frame pairs of two fingerprints whose windows are within a Hamming radius.

The index only nominates candidate videos (it holds a few windows per archived frame);
two candidates are then compared exhaustively, every window of one against every window
of the other, so a crop is found whichever of the two videos is the cropped one. The
mirrored comparison uses video a's mirrored hashes against b's plain ones.

Each frame of a keeps its few closest frames of b, weighted by closeness: in a still
shot a frame resembles every frame of the shot a little, and the true partner most.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from media.align import Hits
from media.fingerprint import VideoFingerprint

_CHUNK_CELLS = 4_000_000  # bound the (frames x windows)^2 distance matrix per step
PER_FRAME = 6
SHARE_BITS = 1.5  # a pair 1.5 bits worse than the frame's best gets e^-1 of its share


def frame_hits(
    a: VideoFingerprint,
    b: VideoFingerprint,
    radius: int,
    mirrored: bool,
    weights: NDArray[np.float64] | None = None,
    nearest: NDArray[np.uint8] | None = None,
) -> Hits:
    """Every (frame of a, frame of b) with some pair of windows within `radius` bits.

    `nearest` is `closest_distances` of the same two fingerprints, when already known.
    """
    if nearest is None:
        nearest = closest_distances(a.mirrored if mirrored else a.hashes, b.hashes)
    keep = min(PER_FRAME, nearest.shape[1])
    if not keep:
        return Hits(np.zeros(0), np.zeros(0), np.zeros(0))
    top = np.argpartition(nearest, keep - 1, axis=1)[:, :keep]
    distance = np.take_along_axis(nearest, top, axis=1)
    share = np.exp(-(distance - distance.min(axis=1, keepdims=True)) / SHARE_BITS)
    share /= share.sum(axis=1, keepdims=True)
    i, slot = np.nonzero(distance <= radius)
    j, d = top[i, slot], distance[i, slot].astype(np.float64)
    frame_weight = np.ones(len(i)) if weights is None else weights[i]
    weight = frame_weight * (1.0 - d / (2.0 * (radius + 1)))
    return Hits(
        a.times[i].astype(np.float64),
        b.times[j].astype(np.float64),
        weight,
        weight * share[i, slot],
    )


def closest_distances(qa: NDArray[np.uint64], qb: NDArray[np.uint64]) -> NDArray[np.uint8]:
    """(frames of a, frames of b): the smallest distance between any of their windows."""
    windows = qb.shape[1]
    target = qb.ravel()
    out = np.empty((len(qa), len(qb)), np.uint8)
    step = max(1, _CHUNK_CELLS // max(1, qa.shape[1] * len(target)))
    for start in range(0, len(qa), step):
        part = qa[start : start + step]
        d = np.bitwise_count(part[:, :, None] ^ target[None, None, :]).min(axis=1)
        out[start : start + step] = d.reshape(len(part), len(qb), windows).min(axis=2)
    return out
