"""Media factors: no footage, fresh footage, recycled footage, shared footage, same scene.

Footage is recycled when a copy of it was posted at least recycle_gap_hours before the
claim (the same attack's video reposted within hours is not recycling). An analyst's
"recycled" on the match makes it stronger; "not_same" or "legitimate" removes it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from claimwatch.phrase import Part, fields
from claimwatch.text import counted
from config.settings import ScoringSettings
from scoring.case import Appearance, ClaimCase, MediaCheck, Signal
from storage.records import mentioned

RULED_OUT = ("not_same", "legitimate")
CONFIRMED = "recycled"


def signals(case: ClaimCase, settings: ScoringSettings) -> list[Signal]:
    if not case.media:
        return [Signal("media_none", 1.0, ("No photo or video is attached to the claim.",))]
    cutoff = case.claim.posted_at - timedelta(hours=settings.recycle_gap_hours)
    found = _recycled(case, cutoff) + _ruled_out(case) + _same_scene(case, cutoff)
    found += _shared(case)
    if not any(s.value for s in found):
        found.append(_fresh_or_unchecked(case.media))
    return found


def _earlier(appearances: tuple[Appearance, ...], cutoff: datetime) -> list[Appearance]:
    kept = [a for a in appearances if a.posted_at <= cutoff]
    kept = [a for a in kept if a.match is None or a.match.status not in RULED_OUT]
    return sorted(kept, key=lambda a: a.posted_at)


def _recycled(case: ClaimCase, cutoff: datetime) -> list[Signal]:
    earlier = [a for m in case.media for a in _earlier(m.copies, cutoff)]
    if not earlier:
        return []
    confirmed = [a for a in earlier if a.match is not None and a.match.status == CONFIRMED]
    first = min(confirmed or earlier, key=lambda a: a.posted_at)
    days = (case.claim.posted_at - first.posted_at).total_seconds() / 86400
    how = "the same file" if first.match is None else "a copy of footage"
    text = (
        f"The footage is {how} first posted by ", *mentioned(first.channel),
        f" on {first.posted_at:%Y-%m-%d}, {days:.0f} days before this claim",
    )  # fmt: skip
    if confirmed:
        return [
            Signal(
                "media_recycled_confirmed",
                1.0,
                (*text, "; an analyst confirmed it."),
                first.evidence(),
            )
        ]
    return [Signal("media_recycled", 1.0, (*text, " (not yet reviewed)."), first.evidence())]


def _ruled_out(case: ClaimCase) -> list[Signal]:
    """Matches an analyst ruled out stay visible, with no weight, so the reason is shown."""
    found = []
    for check in case.media:
        for other in check.copies + check.same_scene:
            if other.match is None or other.match.status not in RULED_OUT:
                continue
            text = (
                "An analyst ruled the match with ", *mentioned(other.channel),
                f"'s post of {other.posted_at:%Y-%m-%d} '{other.match.status}': it does not "
                "count.",
            )  # fmt: skip
            found.append(Signal("media_recycled", 0.0, text, other.evidence()))
    return found


def _same_scene(case: ClaimCase, cutoff: datetime) -> list[Signal]:
    earlier = [a for m in case.media for a in _earlier(m.same_scene, cutoff)]
    if not earlier:
        return []
    first = earlier[0]
    confirmed = any(a.match is not None and a.match.status == CONFIRMED for a in earlier)
    text = (
        "The footage shows the same scene as ", *mentioned(first.channel),
        f"'s post of {first.posted_at:%Y-%m-%d} (a lead, "
        + ("confirmed by an analyst)." if confirmed else "not yet reviewed)."),
    )  # fmt: skip
    return [Signal("media_same_scene", 2.0 if confirmed else 1.0, text, first.evidence())]


def _shared(case: ClaimCase) -> list[Signal]:
    if not case.shared:
        return []
    count = len(case.shared)
    return [
        Signal(
            "media_shared",
            float(min(count, 3)),
            (f"The same footage is attached to {counted(count, 'other claim')}.",),
            tuple(other.evidence() for other in case.shared[:5]),
        )
    ]


def _fresh_or_unchecked(media: tuple[MediaCheck, ...]) -> Signal:
    unchecked = [m for m in media if m.status != "done"]
    if not unchecked:
        many = len(media) > 1
        return Signal(
            "media_fresh",
            1.0,
            (f"The {'footage' if many else 'video or photo'} matches nothing posted earlier.",),
        )
    reasons = sorted({m.error or m.status for m in unchecked})
    text: list[Part] = [f"{len(unchecked)} of {len(media)} media items not checked yet ("]
    return Signal("media_fresh", 0.0, (*text, *fields(reasons), ")."))
