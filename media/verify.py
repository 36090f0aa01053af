"""Is an aligned pair of clips the same footage, or only the same kind of place?

Hash alignment finds clips that look alike frame after frame. Another launch filmed at
the same spot also looks alike: same hills, same launcher, similar framing. What it
cannot share is the motion: the plume growing, the missile climbing, the cameraman's
shake. So on the aligned frames we

1. estimate the one geometric transform (zoom, rotation, shift; mirroring is known) that
   maps clip b onto clip a - a copy is cropped, scaled or tilted once, for all frames;
2. measure how alike the frames look under it (`appearance`, median NCC of thumbnails);
3. measure how alike they move (`motion`): remove each shot's still background (its
   mean frame) from both clips and correlate what is left. A copy moves identically;
   another launch, another camera or another day does not, whatever the scenery.

Both are computed on the 32x32 thumbnails stored in the fingerprints, twice: over the
whole frame and over its middle band, since captions and tickers move too.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import cv2
import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize

from media.align import Alignment
from media.fingerprint import VideoFingerprint

ZOOMS = (0.84, 1.0, 1.19)
ROTATIONS = (-4.0, 0.0, 4.0)
PAIR_SLACK_S = 0.3  # an aligned frame pair is at most this far from the fitted line
BANDS = ((0.0, 1.0), (0.12, 0.72))
DETAIL_SIGMA = 1.5  # thumbnail pixels
BALANCE = 0.5  # a pixel counts when both clips change there at least half as much
MAX_ESTIMATE_PAIRS = 8
GOOD_FIT = 0.9  # mean NCC above which no other transform is searched...
EXACT_FIT = 0.97  # ...and above which it is not even refined
RETIME_S, RETIME_STEP_S = 0.8, 0.04
PLAIN_SPEED_SLACK = 0.01  # mean NCC a retimed fit must beat speed 1 by


@dataclass(frozen=True)
class Transform:
    """b's thumbnail -> a's thumbnail: zoom and rotation about the centre, then a shift."""

    zoom: float = 1.0
    rotation: float = 0.0
    dx: float = 0.0
    dy: float = 0.0

    def matrix(self, size: int) -> NDArray[np.float64]:
        centre = ((size - 1) / 2, (size - 1) / 2)
        m = np.asarray(cv2.getRotationMatrix2D(centre, self.rotation, self.zoom), np.float64)
        m[0, 2] += self.dx
        m[1, 2] += self.dy
        return m


@dataclass(frozen=True)
class Evidence:
    """How alike two aligned clips look and move; `pairs` frame pairs were compared."""

    appearance: float
    motion: float
    motion_energy: float
    pairs: int
    transform: Transform
    line: Alignment  # the alignment, its offset re-fitted on the thumbnails
    fine_motion: float = 0.0  # motion of detail only (terrain, plume edges), see _details
    detail: float = 0.0  # how alike the detail looks (median NCC), for clips that barely move


def aligned_pairs(
    a: VideoFingerprint, b: VideoFingerprint, line: Alignment
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Indices (into a, into b) of frames of a in the segment and b's frame at that time."""
    ia = np.flatnonzero((a.times >= line.a_start - 1e-3) & (a.times <= line.a_end + 1e-3))
    if not len(ia) or not len(b.times):
        return ia[:0], ia[:0]
    wanted = line.speed * a.times[ia].astype(np.float64) + line.offset
    last = len(b.times) - 1  # b may be a single frame: a photo
    right = np.clip(np.searchsorted(b.times, wanted), 0, last)
    left = np.clip(right - 1, 0, last)
    ib = np.where(np.abs(b.times[left] - wanted) < np.abs(b.times[right] - wanted), left, right)
    close = np.abs(b.times[ib] - wanted) <= PAIR_SLACK_S
    return ia[close], ib[close]


def verify(a: VideoFingerprint, b: VideoFingerprint, line: Alignment, mirrored: bool) -> Evidence:
    """Compare clip a with clip b along `line`; `mirrored` flips a's frames first.

    Hash alignment can be a few tenths of a second off (a zooming camera makes a cropped
    frame resemble a later frame), so the offset is re-fitted on the thumbnails, together
    with the transform, before motion is compared.
    """
    thumbs_a = a.thumbs.astype(np.float32)
    if mirrored:
        thumbs_a = np.ascontiguousarray(thumbs_a[:, :, ::-1])
    thumbs_b = b.thumbs.astype(np.float32)
    trials = [line] if line.speed == 1.0 else [line, _respeeded(line, 1.0)]
    fits = [f for f in (_fit(a, b, t, thumbs_a, thumbs_b) for t in trials) if f is not None]
    if not fits:
        return Evidence(0.0, 0.0, 0.0, 0, Transform(), line)
    best = max(fits, key=lambda f: f[2])
    plain = [f for f in fits if f[0].speed == 1.0]
    if plain and plain[0][2] >= best[2] - PLAIN_SPEED_SLACK:
        best = plain[0]
    line, transform = _clipped(a, b, best[0]), best[1]
    ia, ib = aligned_pairs(a, b, line)
    qa = thumbs_a[ia]
    warped, mask = _warp(thumbs_b[ib], transform)
    bands = [mask & _band(mask.shape[0], band) for band in BANDS]
    appearance = max(float(np.median(_ncc_each(qa, warped, m))) for m in bands)
    motion, energy = max((_motion(qa, warped, m, a.shots[ia]) for m in bands), key=lambda m: m[0])
    inner = cv2.erode(mask.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    fine_a, fine_b = _details(qa), _details(warped)
    fine = max(
        _pixel_agreement(fine_a, fine_b, inner & _band(mask.shape[0], b), a.shots[ia])
        for b in BANDS
    )
    detail = max(
        float(np.median(_ncc_each(fine_a, fine_b, inner & _band(mask.shape[0], b)))) for b in BANDS
    )
    return Evidence(appearance, motion, energy, len(ia), transform, line, fine, detail)


def _fit(
    a: VideoFingerprint,
    b: VideoFingerprint,
    line: Alignment,
    thumbs_a: NDArray[np.float32],
    thumbs_b: NDArray[np.float32],
) -> tuple[Alignment, Transform, float] | None:
    """The line re-timed and the transform fitted on the thumbnails, and how well they fit."""
    ia, ib = aligned_pairs(a, b, line)
    if len(ia) == 0:
        return None
    transform = estimate_transform(thumbs_a[ia], thumbs_b[ib])
    for _ in range(2):
        retimed = _retime(a, b, line, thumbs_a, thumbs_b, transform)
        moved = abs(retimed.offset - line.offset)
        line = retimed
        if moved < 0.1:
            break
        ia, ib = aligned_pairs(a, b, line)
        transform = estimate_transform(thumbs_a[ia], thumbs_b[ib], start=transform)
    ia, ib = aligned_pairs(a, b, line)
    warped, mask = _warp(thumbs_b[ib], transform)
    return line, transform, float(np.mean(_ncc_each(thumbs_a[ia], warped, mask)))


def _respeeded(line: Alignment, speed: float) -> Alignment:
    """The same line at another speed, pivoting on the middle of its segment."""
    middle = (line.a_start + line.a_end) / 2
    offset = line.speed * middle + line.offset - speed * middle
    return replace(
        line,
        speed=speed,
        offset=offset,
        b_start=speed * line.a_start + offset,
        b_end=speed * line.a_end + offset,
    )


def _clipped(a: VideoFingerprint, b: VideoFingerprint, line: Alignment) -> Alignment:
    """The segment cut to the frames of a that have a partner in b on the line."""
    ia, _ = aligned_pairs(a, b, line)
    if not len(ia):
        return line
    start, end = float(a.times[ia[0]]), float(a.times[ia[-1]])
    return replace(
        line,
        a_start=start,
        a_end=end,
        b_start=line.speed * start + line.offset,
        b_end=line.speed * end + line.offset,
    )


def _retime(
    a: VideoFingerprint,
    b: VideoFingerprint,
    line: Alignment,
    thumbs_a: NDArray[np.float32],
    thumbs_b: NDArray[np.float32],
    transform: Transform,
) -> Alignment:
    """The line moved to the offset (within RETIME_S) where aligned thumbnails agree most."""
    warped, mask = _warp(thumbs_b, transform)
    inside = np.flatnonzero((a.times >= line.a_start - 1e-3) & (a.times <= line.a_end + 1e-3))
    similarity = _ncc_matrix(thumbs_a[inside], warped, mask)  # segment frames x b frames
    row_of = {int(i): k for k, i in enumerate(inside)}
    best, best_score = line, -2.0
    for delta in np.arange(-RETIME_S, RETIME_S + 1e-9, RETIME_STEP_S):
        trial = _shifted(line, float(delta))
        ia, ib = aligned_pairs(a, b, trial)
        if len(ia) < max(2, 0.4 * len(inside)):
            continue
        score = float(similarity[[row_of[int(i)] for i in ia], ib].mean())
        if score > best_score + 1e-4 or (abs(delta) < 1e-9 and score >= best_score - 1e-4):
            best, best_score = trial, score
    return best


def _ncc_matrix(
    a: NDArray[np.float32], b: NDArray[np.float32], mask: NDArray[np.bool_]
) -> NDArray[np.float32]:
    """NCC of every frame of a with every frame of b over the masked pixels."""
    za, zb = _standardised(a, mask), _standardised(b, mask)
    return np.asarray(za @ zb.T, np.float32)


def _standardised(frames: NDArray[np.float32], mask: NDArray[np.bool_]) -> NDArray[np.float32]:
    if not mask.any():
        return np.zeros((len(frames), 1), np.float32)
    x = frames[:, mask].astype(np.float32)
    x -= x.mean(axis=1, keepdims=True)
    norm = np.sqrt((x * x).sum(axis=1, keepdims=True))
    return np.asarray(x / np.maximum(norm, 1e-6), np.float32)


def _shifted(line: Alignment, delta: float) -> Alignment:
    return replace(
        line, offset=line.offset + delta, b_start=line.b_start + delta, b_end=line.b_end + delta
    )


def estimate_transform(
    qa: NDArray[np.float32], qb: NDArray[np.float32], start: Transform | None = None
) -> Transform:
    """The zoom/rotation/shift mapping qb's frames onto qa's best, on average.

    Without a `start`, a coarse grid (with phase correlation for the shift) seeds the
    Nelder-Mead refinement, unless the plain overlay already fits (most re-uploads).
    """
    step = max(1, len(qa) // MAX_ESTIMATE_PAIRS)
    sa, sb = qa[::step], qb[::step]
    score = _Objective(sa, sb)
    best = start or Transform()
    best_score = score(best)
    grid = () if start is not None or best_score >= GOOD_FIT else ZOOMS
    for zoom in grid:
        for rotation in ROTATIONS:
            shifted = _with_shift(sa, sb, Transform(zoom, rotation))
            value = score(shifted)
            if value > best_score:
                best, best_score = shifted, value
    if best_score >= EXACT_FIT:
        return best
    seed = np.array([best.zoom, best.rotation, best.dx, best.dy])
    result = minimize(
        lambda p: -score(Transform(*p)),
        seed,
        method="Nelder-Mead",
        options={
            "xatol": 0.02,
            "fatol": 1e-3,
            "maxiter": 18,
            "initial_simplex": seed + np.vstack([np.zeros(4), np.diag([0.03, 1.0, 0.7, 0.7])]),
        },
    )
    refined = Transform(*(float(v) for v in result.x))
    return refined if -result.fun >= best_score else best


class _Objective:
    """Mean NCC of a's frames with b's warped ones, over a fixed central region.

    The region stays inside the picture for every transform a re-upload plausibly made,
    so a's side is standardised once and each evaluation is one multi-channel warp.
    """

    def __init__(self, sa: NDArray[np.float32], sb: NDArray[np.float32]) -> None:
        self.size = sa.shape[1]
        margin = round(self.size * 0.15)
        self.core = np.zeros((self.size, self.size), bool)
        self.core[margin:-margin, margin:-margin] = True
        self.za = _standardised(sa, self.core)
        self.channels = np.ascontiguousarray(sb.transpose(1, 2, 0))

    def __call__(self, transform: Transform) -> float:
        if not 0.6 <= transform.zoom <= 1.6:
            return -1.0
        size = self.size
        warped = cv2.warpAffine(
            self.channels,
            transform.matrix(size),
            (size, size),
            flags=cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_REPLICATE,
        ).reshape(size, size, -1)
        zb = warped[self.core].T.astype(np.float32)
        zb -= zb.mean(axis=1, keepdims=True)
        zb /= np.maximum(np.sqrt((zb * zb).sum(axis=1, keepdims=True)), 1e-6)
        return float((self.za * zb).sum(axis=1).mean())


def _with_shift(sa: NDArray[np.float32], sb: NDArray[np.float32], base: Transform) -> Transform:
    """Add the shift that phase correlation of the summed spectra suggests."""
    warped, mask = _warp(sb, base)
    fa = np.fft.fft2(sa - sa.mean(axis=(1, 2), keepdims=True))
    fb = np.fft.fft2((warped - warped.mean(axis=(1, 2), keepdims=True)) * mask)
    cross = (fa * np.conj(fb)).sum(axis=0)
    peak = np.real(np.fft.ifft2(cross / (np.abs(cross) + 1e-9)))
    dy, dx = np.unravel_index(int(np.argmax(peak)), peak.shape)
    size = sa.shape[1]
    dy, dx = (dy - size if dy > size // 2 else dy), (dx - size if dx > size // 2 else dx)
    return Transform(base.zoom, base.rotation, float(dx), float(dy))


def _warp(
    frames: NDArray[np.float32], transform: Transform
) -> tuple[NDArray[np.float32], NDArray[np.bool_]]:
    """Warp a whole stack at once (frames as image channels), and where it has pixels."""
    count, size = len(frames), frames.shape[1]
    m = transform.matrix(size)
    channels = np.ascontiguousarray(frames.transpose(1, 2, 0))
    parts = [
        cv2.warpAffine(channels[:, :, i : i + 500], m, (size, size), flags=cv2.INTER_LINEAR)
        for i in range(0, count, 500)
    ]
    warped = np.concatenate([p.reshape(size, size, -1) for p in parts], axis=2)
    ones = np.ones((size, size), np.float32)
    mask = cv2.warpAffine(ones, m, (size, size), flags=cv2.INTER_LINEAR) > 0.99
    return np.ascontiguousarray(warped.transpose(2, 0, 1)), mask


def _ncc_each(
    a: NDArray[np.float32], b: NDArray[np.float32], mask: NDArray[np.bool_]
) -> NDArray[np.float64]:
    """Normalised cross-correlation of each frame pair over the masked pixels."""
    return np.asarray((_standardised(a, mask) * _standardised(b, mask)).sum(axis=1), np.float64)


def _band(size: int, band: tuple[float, float]) -> NDArray[np.bool_]:
    rows = np.zeros((size, size), bool)
    rows[round(band[0] * size) : round(band[1] * size)] = True
    return rows


def _details(frames: NDArray[np.float32]) -> NDArray[np.float32]:
    """Frames minus their blur: what is left is detail, not the horizon or the sky's glow.

    Two launches at one spot or two night launches share their large shapes (hills, a
    dark sky) and so, when both cameras drift, their large-scale motion; detail moves
    alike only in the same footage.
    """
    return np.stack([f - cv2.GaussianBlur(f, (0, 0), DETAIL_SIGMA) for f in frames])


def _pixel_agreement(
    a: NDArray[np.float32],
    b: NDArray[np.float32],
    mask: NDArray[np.bool_],
    shots: NDArray[np.uint16],
) -> float:
    """Median over pixels of how alike each pixel's changes are in a and b over time.

    A median, not one correlation over the whole frame: a caption ticker or a flare can
    dominate a single correlation; here it is a few pixels out of many. Pixels that
    barely change in either clip have no say.
    """
    if not mask.any() or len(a) < 3:
        return 0.0
    x = _moving(a, shots, mask)[:, mask].astype(np.float64)
    y = _moving(b, shots, mask)[:, mask].astype(np.float64)
    energy_x, energy_y = np.sqrt((x * x).mean(axis=0)), np.sqrt((y * y).mean(axis=0))
    energy = np.minimum(energy_x, energy_y)
    agreement = (x * y).sum(axis=0) / (np.sqrt((x * x).sum(axis=0) * (y * y).sum(axis=0)) + 1e-9)
    # an overlay (ticker, logo) changes in one clip only: its pixels are left out
    balanced = energy >= BALANCE * np.maximum(energy_x, energy_y)
    moving = balanced & (energy >= 0.25 * float(np.median(energy)))
    return float(np.median(agreement[moving])) if moving.sum() >= 8 else 0.0


def _motion(
    a: NDArray[np.float32],
    b: NDArray[np.float32],
    mask: NDArray[np.bool_],
    shots: NDArray[np.uint16],
) -> tuple[float, float]:
    """NCC of what moves in a and b within each shot, and the weaker side's motion RMS."""
    da, db = _moving(a, shots, mask), _moving(b, shots, mask)
    x, y = da[:, mask].ravel().astype(np.float64), db[:, mask].ravel().astype(np.float64)
    if len(x) < 2:
        return 0.0, 0.0
    energy = float(min(np.sqrt((x * x).mean()), np.sqrt((y * y).mean())))
    den = np.sqrt((x * x).sum() * (y * y).sum())
    return (float((x * y).sum() / den) if den > 1e-6 else 0.0), energy


def _moving(
    frames: NDArray[np.float32], shots: NDArray[np.uint16], mask: NDArray[np.bool_]
) -> NDArray[np.float32]:
    """What changes within each shot: frames minus the shot's mean frame, lightly blurred.

    Each frame's own mean is removed first: a launch flash brightens every night frame,
    and two different night launches would otherwise "move alike" at that moment.
    """
    blurred = np.stack([cv2.GaussianBlur(f, (0, 0), 0.8) for f in frames])
    blurred -= blurred[:, mask].mean(axis=1)[:, None, None]
    out = np.zeros_like(blurred)
    for shot in np.unique(shots):
        part = blurred[shots == shot]
        if len(part) > 1:
            out[shots == shot] = part - part.mean(axis=0)
    return out
