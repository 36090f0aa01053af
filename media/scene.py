"""Same scene, other camera: local features that survive a change of viewpoint.

A second phone filming the same launch shows the same hills, rocks and launcher from
another spot: its frames are not a transform of the first clip's, so perceptual hashes
do not meet, but ORB keypoints on the terrain do, and RANSAC finds the homography that
maps one view of the ground onto the other. Such pairs are reported as `same_scene`
leads for an analyst, never as copies.

The channel's logo and captions also match from clip to clip, so inliers must spread
over a good part of the frame, not cluster in a corner. Features are taken from a few
frames of each file (away from the intro) and cached per file.

At night the terrain is a few grey levels above black and ORB's FAST corners hardly fire
there, so a dark frame's local contrast is equalised (CLAHE) before keypoints are found:
two night views of one launch then share enough of them. Daylight frames are used as
decoded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray

from media.fingerprint import VideoFingerprint
from media.frames import WIDTH, frames_at
from storage.records import Segment

FEATURES = 700
RATIO = 0.75
SPREAD = 0.12  # inliers' bounding box must cover this share of the frame
PICKS = (0.3, 0.5, 0.7, 0.9)
DARK_MEAN = 60.0  # a frame darker than this on average is equalised first
CLAHE_CLIP, CLAHE_TILES = 2.0, (8, 8)


@dataclass(frozen=True)
class Features:
    """ORB keypoints of a few frames of one file."""

    times: tuple[float, ...]
    points: tuple[NDArray[np.float32], ...]
    descriptors: tuple[NDArray[np.uint8], ...]
    size: tuple[int, int]


@dataclass(frozen=True)
class SceneEvidence:
    """The best frame pair's RANSAC inliers and the seconds it was found at."""

    inliers: int
    a_time: float
    b_time: float


def pick_times(fingerprint: VideoFingerprint) -> list[float]:
    """A few seconds spread over the clip's footage (its informative frames)."""
    if not len(fingerprint.times):
        return []
    times = np.quantile(fingerprint.times.astype(np.float64), PICKS)
    return sorted({round(float(t), 2) for t in times})


def features(path: Path, times: Sequence[float]) -> Features:
    """ORB features of the frames of `path` shown at `times` (a still: its only frame)."""
    wanted = sorted(times)
    shown = frames_at(path, wanted, nearest=False)
    return describe([(t, f) for t, f in zip(wanted, shown, strict=True) if f is not None])


def describe(frames: Sequence[tuple[float, NDArray[np.uint8]]]) -> Features:
    """ORB features of greyscale working frames, each with the second it is shown at."""
    orb = cv2.ORB_create(nfeatures=FEATURES)  # type: ignore[attr-defined]
    clahe = cv2.createCLAHE(clipLimit=CLAHE_CLIP, tileGridSize=CLAHE_TILES)
    points, descriptors, kept = [], [], []
    for t, frame in frames:
        seen = clahe.apply(frame) if float(frame.mean()) < DARK_MEAN else frame
        keypoints, desc = orb.detectAndCompute(seen, None)
        if desc is None or len(keypoints) < 8:
            continue
        kept.append(t)
        points.append(np.array([k.pt for k in keypoints], np.float32))
        descriptors.append(desc)
    size = frames[0][1].shape[::-1] if frames else (WIDTH, WIDTH)
    return Features(tuple(kept), tuple(points), tuple(descriptors), (int(size[0]), int(size[1])))


def compare_scenes(a: Features, b: Features, min_inliers: int) -> SceneEvidence | None:
    """The frame pair of a and b sharing the most well-spread RANSAC inliers, if enough.

    Matching is measured from a's frame onto b's and, when that is not enough, from b's
    onto a's, so the answer does not depend on which file is given first.
    """
    matcher = cv2.BFMatcher(cv2.NORM_HAMMING)
    best: SceneEvidence | None = None
    for ta, pa, da in zip(a.times, a.points, a.descriptors, strict=True):
        for tb, pb, db in zip(b.times, b.points, b.descriptors, strict=True):
            inliers = _inliers(matcher, pa, da, pb, db, a.size)
            if inliers < min_inliers:
                inliers = max(inliers, _inliers(matcher, pb, db, pa, da, b.size))
            if inliers >= min_inliers and (best is None or inliers > best.inliers):
                best = SceneEvidence(inliers, ta, tb)
    return best


def _inliers(
    matcher: cv2.BFMatcher,
    pa: NDArray[np.float32],
    da: NDArray[np.uint8],
    pb: NDArray[np.float32],
    db: NDArray[np.uint8],
    size: tuple[int, int],
) -> int:
    pairs = matcher.knnMatch(da, db, k=2)
    good = [p[0] for p in pairs if len(p) == 2 and p[0].distance < RATIO * p[1].distance]
    if len(good) < 12:
        return 0
    src = pa[[m.queryIdx for m in good]]
    dst = pb[[m.trainIdx for m in good]]
    homography, mask = cv2.findHomography(src, dst, cv2.RANSAC, 6.0)
    if homography is None or mask is None:
        return 0
    inlier_points = src[mask.ravel() > 0]
    if not _plausible(np.asarray(homography, np.float64)) or _spread(inlier_points, size) < SPREAD:
        return 0
    return int(mask.sum())


def _plausible(homography: NDArray[np.float64]) -> bool:
    """A view change, not a collapse: the homography keeps areas within 1/5..5."""
    scale = abs(float(np.linalg.det(homography[:2, :2])))
    return 0.2 <= scale <= 5.0


def _spread(points: NDArray[np.float32], size: tuple[int, int]) -> float:
    if len(points) < 4:
        return 0.0
    span = points.max(axis=0) - points.min(axis=0)
    return float(span[0] * span[1]) / float(size[0] * size[1])


def lead_segment(evidence: SceneEvidence) -> Segment:
    """Where the lead was seen: the two frames that share the scene."""
    return Segment(evidence.a_time, evidence.a_time, evidence.b_time, evidence.b_time)
