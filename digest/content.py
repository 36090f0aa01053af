"""What one day's digest says, as plain data: gathered from the store, then rendered.

Nothing here is formatted or escaped yet; text from posts is kept verbatim and escaped
only by the templates, so the HTML and the plain-text part say exactly the same things.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from claimwatch.phrase import Phrase
from claimwatch.text import counted
from review.describe import Summary


@dataclass(frozen=True)
class Rate:
    """Claims of one group or channel: the last 24 h against its daily averages before."""

    name: str
    last_24h: int
    avg_7d: float
    avg_28d: float


@dataclass(frozen=True)
class Shift:
    """A change point: from `on`, `subject` claimed `after` a day instead of `before`."""

    subject: str
    on: date
    before: float
    after: float


@dataclass(frozen=True)
class Headline:
    total: Rate
    groups: tuple[Rate, ...]
    channels: tuple[Rate, ...]
    shifts: tuple[Shift, ...] = ()


@dataclass(frozen=True)
class Weekly:
    """Claims per week per group: `counts[group][i]` in the week starting `weeks[i]`."""

    weeks: tuple[date, ...]
    counts: dict[str, tuple[int, ...]]


@dataclass(frozen=True)
class ClaimLine:
    """One new claim: when, where, what it says in English, and how credible it looks."""

    id: int
    posted_at: datetime
    channel: str
    group: str | None
    gist: Summary
    text: str
    score: float | None
    label: str | None
    reasons: tuple[Phrase, ...]
    url: str


@dataclass(frozen=True)
class FootageSide:
    """One of two matching media files: where and when it was first posted, a keyframe."""

    sha256: str
    channel: str | None
    posted_at: datetime | None
    thumbnail: bytes | None  # JPEG; None when no frame could be cut (see `missing`)
    missing: str | None = None


@dataclass(frozen=True)
class FootageLine:
    """Footage flagged as recycled: the earlier and the later post of the same video."""

    match_id: int
    kind: str
    similarity: float
    earlier: FootageSide
    later: FootageSide
    url: str


@dataclass(frozen=True)
class TrackMove:
    """A channel whose track record (share of its claims that held up) moved."""

    channel: str
    before: float
    after: float
    judged: int  # outcomes behind the record: verdicts, alert checks, recycled footage


@dataclass(frozen=True)
class Problem:
    """A collection source or job that is failing now."""

    source: str
    channel: str
    failures: int
    last_error: str
    since: datetime | None


@dataclass(frozen=True)
class Health:
    problems: tuple[Problem, ...]
    media: dict[str, int]
    failed_media: tuple[str, ...] = ()  # a few of the errors, so the reader sees why


@dataclass(frozen=True)
class Digest:
    """Everything the digest of `day` shows, for the 24 hours [start, end)."""

    day: date
    start: datetime
    end: datetime
    timezone: str
    headline: Headline
    weekly: Weekly
    claims: tuple[ClaimLine, ...]
    claims_left_out: int
    footage: tuple[FootageLine, ...]
    footage_left_out: int
    same_scene_flagged: int  # of the footage flagged (left out included), second cameras
    awaiting_review: int
    moves: tuple[TrackMove, ...]
    health: Health
    review_url: str
    notes: tuple[str, ...] = field(default=())  # sections that could not be gathered, and why

    @property
    def footage_flagged(self) -> int:
        return len(self.footage) + self.footage_left_out

    @property
    def recycled_flagged(self) -> int:
        """Of the footage flagged, copies (the rest are same-scene leads)."""
        return self.footage_flagged - self.same_scene_flagged

    @property
    def footage_summary(self) -> str:
        """ "2 recycled footage, 1 same-scene lead": a second camera's view is not a copy."""
        copies, leads = self.recycled_flagged, self.same_scene_flagged
        parts = [f"{copies} recycled footage"] if copies or not leads else []
        return ", ".join(parts + ([counted(leads, "same-scene lead")] if leads else []))
