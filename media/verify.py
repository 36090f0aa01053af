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

4. measure how alike their detail looks and moves (`detail`, `fine_motion`): large
   shapes (hills, a dark sky) are shared by launches at one spot or on two nights.

All of it on the 32x32 thumbnails stored in the fingerprints, over the whole frame and
over its middle band (captions and tickers move too); `same_footage` decides.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import cv2
import numpy as np
from numpy.typing import NDArray

from config.settings import MediaSettings
from media.align import Alignment
from media.fingerprint import VideoFingerprint
from media.geometry import Transform, band, estimate_transform, ncc_each, standardised, warp
from media.motion import details, moves_alike, pixel_agreement

PAIR_SLACK_S = 0.3  # an aligned frame pair is at most this far from the fitted line
FULL_EVIDENCE_S = 6.0  # segments this long need only media.min_detail_motion...
SHORT_PENALTY = 0.1  # ...shorter ones this much more per missing second
STRONG_MOTION, OVERLAY_SLACK = 0.7, 0.1  # the overlay-tolerant path for long segments
STILL_DETAIL = 0.8  # a clip that barely moves must match in detail, not only in outline
MIN_DETAIL = 0.25  # every copy's detail correlates; other footage's does not (about 0)
BANDS = ((0.0, 1.0), (0.12, 0.72))
RETIME_S, RETIME_STEP_S = 0.8, 0.04
PLAIN_SPEED_SLACK = 0.01  # mean NCC a retimed fit must beat speed 1 by
# A retimed line (speed off 1 by more than RETIMED) has one more freedom to fit motion
# with: it must look alike as well. Retimed copies on the benchmark: appearance >= 0.78;
# another launch at the same site, sped up to fit: 0.67.
RETIMED, RETIMED_APPEARANCE = 0.02, 0.75


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


def same_footage(evidence: Evidence, settings: MediaSettings, still: bool) -> bool:
    """The decision: looks alike under one transform and moves alike, detail included."""
    s, duration = settings, evidence.line.a_end - evidence.line.a_start
    if still:
        return evidence.appearance >= s.still_appearance
    if duration < s.min_seconds:
        return False
    if evidence.motion_energy < s.min_motion_energy:  # nothing moves: only looks can tell
        return evidence.appearance >= s.still_appearance and evidence.detail >= STILL_DETAIL
    if evidence.appearance < s.min_appearance or evidence.motion < s.min_motion:
        return False
    if abs(evidence.line.speed - 1.0) > RETIMED and evidence.appearance < RETIMED_APPEARANCE:
        return False  # a free speed lets two launches' plumes rise in step: must look alike too
    if evidence.detail < MIN_DETAIL:  # moves alike (a flash, a cut) but is not the same picture
        return False
    # a short segment has few independent moments: it must agree more closely
    shortfall = max(0.0, FULL_EVIDENCE_S - duration)
    if evidence.fine_motion >= s.min_detail_motion + SHORT_PENALTY * shortfall:
        return True
    # overlays (tickers, banners) blur the detail; long, strongly shared motion is enough
    return (
        duration >= FULL_EVIDENCE_S
        and evidence.motion >= STRONG_MOTION
        and evidence.fine_motion >= s.min_detail_motion - OVERLAY_SLACK
    )


def aligned_pairs(
    a: VideoFingerprint, b: VideoFingerprint, line: Alignment
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Indices (into a, into b) of frames of a in the segment and b's frame at that time."""
    ia = np.flatnonzero((a.times >= line.a_start - 1e-3) & (a.times <= line.a_end + 1e-3))
    if not len(ia) or not len(b.times):
        return ia[:0], ia[:0]
    wanted = line.speed * a.times[ia].astype(np.float64) + line.offset
    ib, close = _nearest(b.times, wanted)
    return ia[close], ib[close]


def _nearest(
    times: NDArray[np.floating], wanted: NDArray[np.float64]
) -> tuple[NDArray[np.intp], NDArray[np.bool_]]:
    """The index of the frame nearest each wanted second, and whether it is near enough."""
    last = len(times) - 1  # b may be a single frame: a photo
    right = np.clip(np.searchsorted(times, wanted), 0, last)
    left = np.clip(right - 1, 0, last)
    nearest = np.where(np.abs(times[left] - wanted) < np.abs(times[right] - wanted), left, right)
    return nearest, np.abs(times[nearest] - wanted) <= PAIR_SLACK_S


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
    warped, mask = warp(thumbs_b[ib], transform)
    size = mask.shape[0]
    regions = [mask & band(size, rows) for rows in BANDS]
    appearance = max(float(np.median(ncc_each(qa, warped, m))) for m in regions)
    shots = a.shots[ia]
    motion, energy = max((moves_alike(qa, warped, m, shots) for m in regions), key=lambda m: m[0])
    inner = cv2.erode(mask.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    inner_regions = [inner & band(size, rows) for rows in BANDS]
    fine_a, fine_b = details(qa), details(warped)
    fine = max(pixel_agreement(fine_a, fine_b, m, shots) for m in inner_regions)
    detail = max(float(np.median(ncc_each(fine_a, fine_b, m))) for m in inner_regions)
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
    warped, mask = warp(thumbs_b[ib], transform)
    return line, transform, float(np.mean(ncc_each(thumbs_a[ia], warped, mask)))


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
    warped, mask = warp(thumbs_b, transform)
    inside = np.flatnonzero((a.times >= line.a_start - 1e-3) & (a.times <= line.a_end + 1e-3))
    if not len(inside) or not len(b.times):
        return line
    similarity = _ncc_matrix(thumbs_a[inside], warped, mask)  # segment frames x b frames
    deltas = np.arange(-RETIME_S, RETIME_S + 1e-9, RETIME_STEP_S)
    # b's frame nearest to each segment frame, for every trial offset at once
    at = line.speed * a.times[inside].astype(np.float64)
    nearest, close = _nearest(b.times, at[None, :] + (line.offset + deltas)[:, None])
    rows = np.arange(len(inside))
    best, best_score = line, -2.0
    for k, delta in enumerate(deltas):
        if close[k].sum() < max(2, 0.4 * len(inside)):
            continue
        pairs = similarity[rows[close[k]], nearest[k, close[k]]]
        score = float(pairs.sum() / len(pairs))
        if score > best_score + 1e-4 or (abs(delta) < 1e-9 and score >= best_score - 1e-4):
            best, best_score = _shifted(line, float(delta)), score
    return best


def _ncc_matrix(
    a: NDArray[np.float32], b: NDArray[np.float32], mask: NDArray[np.bool_]
) -> NDArray[np.float32]:
    """NCC of every frame of a with every frame of b over the masked pixels."""
    za, zb = standardised(a, mask), standardised(b, mask)
    return np.asarray(za @ zb.T, np.float32)


def _shifted(line: Alignment, delta: float) -> Alignment:
    return replace(
        line, offset=line.offset + delta, b_start=line.b_start + delta, b_end=line.b_end + delta
    )
