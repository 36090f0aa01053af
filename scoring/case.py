"""The case file of one claim: every piece of evidence the factors weigh, gathered once.

Gathering (scoring/gather.py) reads the store; factors (scoring/factors/) are pure
functions of a `ClaimCase`, so each factor is tested without a database and the same
case can be scored again under other weights (calibration).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from claimwatch.phrase import Phrase
from storage.records import Alert, EvidenceRef, Match, StoredClaim, StoredPost, Verdict, mentioned


def posted_by(channel: str, at: datetime) -> Phrase:
    """An evidence label for a post or claim: the channel's handle a field, then the time."""
    return (*mentioned(channel), f", {at:%Y-%m-%d %H:%M} UTC")


@dataclass(frozen=True)
class Appearance:
    """Another post carrying the same footage: the very same file, or a matched one."""

    post_id: int
    channel: str
    posted_at: datetime
    sha256: str
    match: Match | None = None

    def evidence(self) -> tuple[EvidenceRef, ...]:
        post = EvidenceRef("post", str(self.post_id), posted_by(self.channel, self.posted_at))
        if self.match is None or self.match.id is None:
            return (post,)
        found = f"{self.match.kind} match, similarity {self.match.similarity:.2f}"
        return (post, EvidenceRef("match", str(self.match.id), (f"{found}, {self.match.status}",)))


@dataclass(frozen=True)
class MediaCheck:
    """One visual media item of the claim and the other posts that carry its footage."""

    sha256: str | None
    status: str
    error: str | None = None
    copies: tuple[Appearance, ...] = ()
    same_scene: tuple[Appearance, ...] = ()


@dataclass(frozen=True)
class AlertCheck:
    """The search for alerts around the claimed place and time, and what it found."""

    start: datetime
    end: datetime
    areas: tuple[str, ...]
    categories: tuple[str, ...]
    alerts: tuple[Alert, ...]
    covered: bool
    claimed_window: tuple[datetime, datetime] | None = None
    # The chance of a match as telling as the one found, and the areas it was measured over
    # (scoring/corroboration.py: `chance`).
    base_rate: float | None = None
    base_areas: tuple[str, ...] = ()


@dataclass(frozen=True)
class OtherClaim:
    """Another claim that bears on this one (a burst, a re-post, shared footage)."""

    id: int
    post_id: int
    channel: str
    posted_at: datetime

    def evidence(self) -> EvidenceRef:
        return EvidenceRef("claim", str(self.id), posted_by(self.channel, self.posted_at))


@dataclass(frozen=True)
class TrackRecord:
    """A channel's record: a Beta prior updated by its other claims' outcomes."""

    channel: str
    prior_alpha: float
    prior_beta: float
    confirmed: int = 0
    false: int = 0
    corroborated: int = 0
    uncorroborated: int = 0
    recycled: int = 0
    credit: float = 0.3
    debit: float = 0.1
    max_shift: float = 1.5

    @property
    def alpha(self) -> float:
        return self.prior_alpha + self.confirmed + self.credit * self.corroborated

    @property
    def beta(self) -> float:
        missing = self.debit * self.uncorroborated
        return self.prior_beta + self.false + self.credit * self.recycled + missing

    @property
    def mean(self) -> float:
        return self.alpha / (self.alpha + self.beta)

    @property
    def prior_mean(self) -> float:
        return self.prior_alpha / (self.prior_alpha + self.prior_beta)

    @property
    def shift(self) -> float:
        """Log-odds moved from the prior, at most `max_shift` either way, rounded so that tiny
        changes do not churn scores."""
        shift = _logit(self.mean) - _logit(self.prior_mean)
        return round(max(-self.max_shift, min(self.max_shift, shift)), 1)


@dataclass(frozen=True)
class ClaimCase:
    """Everything known about one claim when it is scored."""

    claim: StoredClaim
    post: StoredPost
    media: tuple[MediaCheck, ...]
    shared: tuple[OtherClaim, ...]
    alerts: AlertCheck
    verdicts: tuple[Verdict, ...]
    burst: tuple[OtherClaim, ...]
    reposts: tuple[OtherClaim, ...]
    track: TrackRecord


@dataclass(frozen=True)
class Signal:
    """A factor before weighting: a feature's value for this claim and why, each name from a
    channel or an analyst in the explanation a field of its own."""

    feature: str
    value: float
    explanation: Phrase
    evidence: tuple[EvidenceRef, ...] = ()


def _logit(p: float) -> float:
    return math.log(p / (1 - p))
