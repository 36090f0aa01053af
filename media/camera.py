"""Copy or another camera: a re-upload is an affine image of its original; a second camera is not.

A crop, a zoom, a tilt, a mirror, a letterbox or a caption bar maps every point of one
frame onto the other by one affine transform. A second phone filming the same launch from
another spot sees the ground in perspective: its frames are a homography (or worse) of
the first camera's. When the two views are close (the same hills, similar framing), the
thumbnails verification works on cannot tell them apart, and the pair is accepted as a
copy.

So on a few aligned frame pairs of an accepted copy, SIFT keypoints are matched at
WIDTH pixels and the matches fitted twice, by an affine map and by a homography. Noise
alone (compression, a frame off in time) lets the homography's two extra parameters
gain little; perspective lets them gain a lot. An F-test on the two fits' residuals
measures that gain, and the fitted maps' difference at the corners says whether it is
large enough to matter (`effect_px`). Another camera must show both, in most frame pairs.
A pair with too little texture to measure (night, fog) stays a copy.

On the benchmark corpus's 814 copy pairs: median F up to 56 where the effect stays under
2 px, at most 27 where it reaches 2 px; a second angle's pairs: F 68-471, 2.0-3.7 px.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from claimwatch.errors import MediaDecodeError
from media.frames import frames_at
from storage.records import Segment

PAIRS = 5  # aligned frame pairs measured per clip pair
GRID_S = 0.5  # measured seconds are rounded to this grid, so a file's frames are reused
FEATURES = 1500
RATIO = 0.75
MATCH_PX = 3.0  # RANSAC threshold of the homography that keeps plausible matches...
AFFINE_PX = 3.0  # ...and of the affine map the two fits are then compared on
MIN_POINTS = 20  # matched points a frame pair needs to be measured
MIN_FRAMES = 3  # measured frame pairs a verdict needs
MIN_SECONDS = 1.0  # shorter segments (photos) are not measured
MIN_F = 55.0  # median F-ratio of another camera...
MIN_EFFECT_PX = 2.0  # ...and median gap between the two fits at the corners
CACHED_FRAMES = 300  # SIFT features of this many frames are kept (about 60 MB at most)

# points (n, 2) and SIFT descriptors, kept as bytes: OpenCV's are whole numbers 0..255
Keypoints = tuple[NDArray[np.float32], NDArray[np.uint8]]


@dataclass(frozen=True)
class CameraEvidence:
    """How much better a homography than an affine map fits two clips' aligned frames."""

    frames: int  # frame pairs measured
    f_ratio: float  # median over frame pairs
    effect_px: float  # median over frame pairs, pixels at WIDTH

    @property
    def other_camera(self) -> bool:
        return (
            self.frames >= MIN_FRAMES and self.f_ratio >= MIN_F and self.effect_px >= MIN_EFFECT_PX
        )


class CameraCheck:
    """Measures accepted copies for perspective between them; caches features per frame."""

    def __init__(self, path_of: Callable[[str], Path]) -> None:
        self._path_of = path_of
        self._features: OrderedDict[tuple[str, float, bool], Keypoints | None] = OrderedDict()
        self._lock = threading.Lock()  # threads measure different files; the cache is shared
        self._local = threading.local()  # a SIFT detector and a matcher per thread

    def evidence(
        self, a: str, b: str, segments: Sequence[Segment], mirrored: bool
    ) -> CameraEvidence | None:
        """Measure the longest segment of a copy of `a` in `b`; None when unreadable."""
        if not segments:
            return None
        segment = max(segments, key=lambda s: s.a_end - s.a_start)
        if segment.a_end - segment.a_start < MIN_SECONDS:
            return None  # a photo, or a moment: too little to measure
        a_times = _grid_times(segment.a_start, segment.a_end)
        b_times = [_mapped(segment, t) for t in a_times]
        try:
            ka = self._keypoints(a, a_times, mirrored)
            kb = self._keypoints(b, b_times, False)
        except (MediaDecodeError, OSError, KeyError, cv2.error):
            return None  # unreadable now: no verdict, the copy stands
        try:
            pairs = [self._measure(x, y) for x, y in zip(ka, kb, strict=True)]
        except cv2.error:  # a degenerate fit: no verdict, the copy stands
            return None
        measured = [m for m in pairs if m is not None]
        if not measured:
            return CameraEvidence(0, 0.0, 0.0)
        f_ratios, effects = zip(*measured, strict=True)
        return CameraEvidence(len(measured), float(np.median(f_ratios)), float(np.median(effects)))

    def _keypoints(
        self, key: str, times: Sequence[float], mirrored: bool
    ) -> list[Keypoints | None]:
        with self._lock:
            wanted = [t for t in times if (key, t, mirrored) not in self._features]
        if wanted:
            frames = frames_at(self._path_of(key), wanted)
            detected = [self._detect(frame, mirrored) for frame in frames]
            with self._lock:
                for t, keypoints in zip(wanted, detected, strict=True):
                    self._features[(key, t, mirrored)] = keypoints
        with self._lock:
            found = [self._features.get((key, t, mirrored)) for t in times]
            for t in times:
                if (key, t, mirrored) in self._features:
                    self._features.move_to_end((key, t, mirrored))
            while len(self._features) > CACHED_FRAMES:
                self._features.popitem(last=False)
        return found

    def _tools(self) -> tuple[Any, cv2.BFMatcher]:
        if not hasattr(self._local, "sift"):
            self._local.sift = cv2.SIFT_create(nfeatures=FEATURES)  # type: ignore[attr-defined]
            self._local.matcher = cv2.BFMatcher(cv2.NORM_L2)
        return self._local.sift, self._local.matcher

    def _detect(self, frame: NDArray[np.uint8] | None, mirrored: bool) -> Keypoints | None:
        if frame is None:
            return None
        if mirrored:
            frame = np.ascontiguousarray(frame[:, ::-1])
        points, descriptors = self._tools()[0].detectAndCompute(frame, None)
        if descriptors is None or len(points) < MIN_POINTS:
            return None
        return np.array([p.pt for p in points], np.float32), descriptors.astype(np.uint8)

    def _measure(self, a: Keypoints | None, b: Keypoints | None) -> tuple[float, float] | None:
        """(F-ratio, effect) of one frame pair, or None with too few good matches."""
        if a is None or b is None:
            return None
        pairs = self._tools()[1].knnMatch(b[1].astype(np.float32), a[1].astype(np.float32), k=2)
        good = [p[0] for p in pairs if len(p) == 2 and p[0].distance < RATIO * p[1].distance]
        if len(good) < MIN_POINTS:
            return None
        pb = b[0][[m.queryIdx for m in good]].astype(np.float64)
        pa = a[0][[m.trainIdx for m in good]].astype(np.float64)
        _, plausible = cv2.findHomography(pb, pa, cv2.RANSAC, MATCH_PX)
        if plausible is None:
            return None
        keep = plausible.ravel() > 0
        _, inliers = cv2.estimateAffine2D(
            pb[keep], pa[keep], method=cv2.RANSAC, ransacReprojThreshold=AFFINE_PX
        )
        if inliers is None or int(inliers.sum()) < MIN_POINTS:
            return None
        chosen = inliers.ravel() > 0
        return affine_or_homography(pb[keep][chosen], pa[keep][chosen])


def affine_or_homography(
    src: NDArray[np.float64], dst: NDArray[np.float64]
) -> tuple[float, float] | None:
    """How much better a homography maps src onto dst than an affine map does.

    Returns the F-ratio of the two least-squares fits (2 more parameters for 2n residuals)
    and the largest gap between them at the corners of the points' bounding box.
    """
    n = len(src)
    design = np.c_[src, np.ones(n)]
    affine, *_ = np.linalg.lstsq(design, dst, rcond=None)
    rss_affine = float(((dst - design @ affine) ** 2).sum())
    homography, _ = cv2.findHomography(src, dst, 0)
    if homography is None:
        return None
    projected = cv2.perspectiveTransform(src.reshape(-1, 1, 2), homography).reshape(-1, 2)
    rss_homography = float(((dst - projected) ** 2).sum())
    if rss_homography <= 1e-9:
        return None
    f_ratio = ((rss_affine - rss_homography) / 2) / (rss_homography / (2 * n - 8))
    low, high = src.min(axis=0), src.max(axis=0)
    corners = np.array([[low[0], low[1]], [high[0], low[1]], [high[0], high[1]], [low[0], high[1]]])
    by_h = cv2.perspectiveTransform(corners.reshape(-1, 1, 2), homography).reshape(-1, 2)
    by_a = np.c_[corners, np.ones(4)] @ affine
    return f_ratio, float(np.abs(by_h - by_a).max())


def _grid_times(start: float, end: float) -> list[float]:
    """PAIRS seconds spread over the inner 80% of [start, end], on the GRID_S grid."""
    inner = np.linspace(start + 0.1 * (end - start), end - 0.1 * (end - start), PAIRS)
    snapped = np.clip(np.round(inner / GRID_S) * GRID_S, start, end)
    return sorted({round(float(t), 3) for t in snapped})


def _mapped(segment: Segment, t: float) -> float:
    span = segment.a_end - segment.a_start
    share = (t - segment.a_start) / span if span > 0 else 0.0
    return round(segment.b_start + share * (segment.b_end - segment.b_start), 3)
