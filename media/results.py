"""What the matcher reports: typed results, never a bare score.

A copy is told from the side of the file asked about (`a`); `swapped` tells it from the
other file's side. Segments are kept within each file's duration.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from media.align import Alignment
from media.fingerprint import VideoFingerprint
from media.verify import Evidence
from storage.records import MatchKind, Segment


@dataclass(frozen=True)
class MatchResult:
    """Files `a` and `b` show the same footage (`copy`) or the same scene (`same_scene`).

    `segments` say which seconds of a show which seconds of b. `similarity` is in [0, 1];
    `appearance` and `motion` are the verification's two correlations (see verify.py).
    """

    a: str
    b: str
    kind: MatchKind
    similarity: float
    segments: tuple[Segment, ...]
    mirrored: bool = False
    speed: float = 1.0
    appearance: float = 0.0
    motion: float = 0.0
    frames: int = 0


@dataclass(frozen=True)
class Accepted:
    """A segment that passed verification, with its evidence."""

    line: Alignment
    evidence: Evidence
    mirrored: bool


def copy_result(
    key_a: str, a: VideoFingerprint, key_b: str, b: VideoFingerprint, accepted: list[Accepted]
) -> MatchResult:
    """The copy of `a` in `b` that the `accepted` segments make."""
    best = max(accepted, key=lambda x: _similarity(x.evidence))
    lines = sorted((x.evidence.line for x in accepted), key=lambda line: line.a_start)
    return MatchResult(
        key_a,
        key_b,
        "copy",
        round(_similarity(best.evidence), 3),
        tuple(_segment(line, a, b) for line in lines),
        best.mirrored,
        round(best.evidence.line.speed, 3),
        round(best.evidence.appearance, 3),
        round(best.evidence.motion, 3),
        sum(x.evidence.pairs for x in accepted),
    )


def swapped(result: MatchResult) -> MatchResult:
    """The same result told from the other file's side."""
    segments = tuple(Segment(s.b_start, s.b_end, s.a_start, s.a_end) for s in result.segments)
    speed = round(1.0 / result.speed, 3) if result.speed else result.speed
    return replace(result, a=result.b, b=result.a, segments=segments, speed=speed)


def _segment(line: Alignment, a: VideoFingerprint, b: VideoFingerprint) -> Segment:
    """The aligned seconds, kept within each file (a line may run a frame past an end)."""

    def within(t: float, duration: float) -> float:
        return float(min(max(t, 0.0), max(duration, 0.0)))

    return Segment(
        within(line.a_start, a.duration),
        within(line.a_end, a.duration),
        within(line.b_start, b.duration),
        within(line.b_end, b.duration),
    )


def _similarity(evidence: Evidence) -> float:
    if evidence.motion_energy <= 0:
        return max(0.0, min(1.0, evidence.appearance))
    return max(0.0, min(1.0, (evidence.appearance + evidence.motion) / 2))
