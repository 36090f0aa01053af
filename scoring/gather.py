"""Gather a claim's case file from the store: its post, footage, alerts, verdicts, neighbours.

A `ScoringRun` loads what every claim needs once (all claims in time order, verdicts on
them, the alert history's extent) so that scoring thousands of claims costs a few queries
per claim, not a scan per claim.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from config.settings import ScoringSettings
from scoring.arabic import normalize
from scoring.case import Appearance, ClaimCase, MediaCheck, OtherClaim, TrackRecord
from scoring.corroboration import BASE_RATE_DAYS, AlertIndex, check_alerts, search_window
from storage import Store
from storage.alerts import AlertSpan
from storage.post_media import FINGERPRINTED_KINDS
from storage.records import Match, StoredClaim, StoredPost, Verdict

# Two texts are the same claim when this share of their word triples is shared.
REPOST_SIMILARITY = 0.8
_URL = re.compile(r"https?://\S+|t\.me/\S+|@\w+")
_WORD = re.compile(r"\w+")


@dataclass
class ScoringRun:
    """What one scoring pass loads once and shares between claims."""

    store: Store
    settings: ScoringSettings
    claims: list[StoredClaim]
    verdicts: dict[int, list[Verdict]]
    alerts: AlertIndex
    by_post: dict[int, StoredClaim] = field(default_factory=dict)
    by_channel: dict[tuple[str, str], list[StoredClaim]] = field(default_factory=dict)
    _times: list[datetime] = field(default_factory=list)
    _shingles: dict[int, frozenset[tuple[str, ...]]] = field(default_factory=dict)
    _posts_with: dict[str, list[StoredPost]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.claims.sort(key=lambda c: (c.posted_at, c.id))
        self._times = [c.posted_at for c in self.claims]
        self.by_post = {c.post_id: c for c in self.claims}
        channels: dict[tuple[str, str], list[StoredClaim]] = defaultdict(list)
        for claim in self.claims:
            channels[claim.platform, claim.channel].append(claim)
        self.by_channel = dict(channels)

    def between(self, start: datetime, end: datetime) -> list[StoredClaim]:
        """Claims posted from `start` to `end` inclusive, oldest first."""
        low = bisect.bisect_left(self._times, start)
        high = bisect.bisect_right(self._times, end)
        return self.claims[low:high]

    def shingles(self, claim: StoredClaim) -> frozenset[tuple[str, ...]]:
        if claim.id not in self._shingles:
            words = _WORD.findall(_URL.sub(" ", normalize(claim.text)))
            self._shingles[claim.id] = frozenset(zip(words, words[1:], words[2:], strict=False))
        return self._shingles[claim.id]

    def posts_with(self, sha256: str) -> list[StoredPost]:
        if sha256 not in self._posts_with:
            self._posts_with[sha256] = self.store.archive.posts_with_media(sha256)
        return self._posts_with[sha256]


def load_run(
    store: Store, settings: ScoringSettings, scored: Collection[int] | None = None
) -> ScoringRun:
    """Load what scoring needs; alerts only around the claims in `scored` (default: all)."""
    claims = store.claims.list(newest_first=False)
    verdicts = store.claims.verdicts([c.id for c in claims])
    windows = [
        search_window(c.extraction, c.posted_at, settings)[:2]
        for c in claims if scored is None or c.id in scored
    ]  # fmt: skip
    if not windows:
        empty = AlertIndex((), AlertSpan(0, None, None))
        return ScoringRun(store, settings, claims, verdicts, empty)
    start = min(w[0] for w in windows) - timedelta(days=BASE_RATE_DAYS)
    end = max(w[1] for w in windows)
    return ScoringRun(store, settings, claims, verdicts, AlertIndex.load(store.alerts, start, end))


def gather(run: ScoringRun, claim: StoredClaim) -> ClaimCase:
    """The case file of `claim`; its track record is filled in by the pipeline."""
    post = run.store.archive.get(claim.post_id)
    if post is None:
        raise LookupError(f"claim {claim.id}: its post {claim.post_id} is not in the archive")
    media = tuple(_media_checks(run, post))
    settings = run.settings
    return ClaimCase(
        claim=claim,
        post=post,
        media=media,
        shared=tuple(_shared(run, claim, media)),
        alerts=check_alerts(run.alerts, claim.extraction, claim.posted_at, settings),
        verdicts=tuple(run.verdicts.get(claim.id, ())),
        burst=tuple(_burst(run, claim)),
        reposts=tuple(_reposts(run, claim)),
        track=TrackRecord(claim.channel, settings.prior_alpha, settings.prior_beta),
    )


def _media_checks(run: ScoringRun, post: StoredPost) -> list[MediaCheck]:
    files = {str(f.path): f for f in post.media}
    checks: list[MediaCheck] = []
    for ref in post.post.media:
        if ref.kind not in FINGERPRINTED_KINDS:
            continue
        stored = files.get(str(ref.path)) if ref.path is not None else None
        if stored is None:
            checks.append(MediaCheck(None, "missing", ref.missing or "file not archived"))
            continue
        copies, scenes = _appearances(run, post.id, stored.sha256)
        checks.append(MediaCheck(stored.sha256, stored.status, stored.error, copies, scenes))
    return checks


def _appearances(
    run: ScoringRun, post_id: int, sha256: str
) -> tuple[tuple[Appearance, ...], tuple[Appearance, ...]]:
    """Other posts with this very file or a copy of it, and posts showing the same scene."""
    copies = [_appearance(p, sha256) for p in run.posts_with(sha256) if p.id != post_id]
    scenes: list[Appearance] = []
    for match in run.store.matches.for_media(sha256):
        other = match.b if match.a == sha256 else match.a
        found = [_appearance(p, other, match) for p in run.posts_with(other) if p.id != post_id]
        (copies if match.kind == "copy" else scenes).extend(found)
    return tuple(sorted(copies, key=_when)), tuple(sorted(scenes, key=_when))


def _appearance(post: StoredPost, sha256: str, match: Match | None = None) -> Appearance:
    return Appearance(post.id, post.post.channel, post.post.posted_at, sha256, match)


def _when(appearance: Appearance) -> datetime:
    return appearance.posted_at


def _shared(run: ScoringRun, claim: StoredClaim, media: tuple[MediaCheck, ...]) -> list[OtherClaim]:
    """Other claims carrying the same footage, posted more than the recycle gap apart."""
    gap = timedelta(hours=run.settings.recycle_gap_hours)
    found: dict[int, OtherClaim] = {}
    for check in media:
        for other in check.copies:
            if other.match is not None and other.match.status in ("not_same", "legitimate"):
                continue
            sibling = run.by_post.get(other.post_id)
            if sibling is None or sibling.id == claim.id:
                continue
            if abs(sibling.posted_at - claim.posted_at) > gap:
                found[sibling.id] = _other(sibling)
    return sorted(found.values(), key=lambda o: o.posted_at)


def _burst(run: ScoringRun, claim: StoredClaim) -> list[OtherClaim]:
    """Claims of the same channel posted within burst_minutes of this one."""
    window = timedelta(minutes=run.settings.burst_minutes)
    return [
        _other(c)
        for c in run.between(claim.posted_at - window, claim.posted_at + window)
        if c.id != claim.id and (c.platform, c.channel) == (claim.platform, claim.channel)
    ]


def _reposts(run: ScoringRun, claim: StoredClaim) -> list[OtherClaim]:
    """Claims posted earlier on other channels with the same text, date and targets.

    Claims follow one template, so near-identical text alone would join two different
    operations; the extracted date and targets must agree too.
    """
    mine = run.shingles(claim)
    if not mine:
        return []
    start = claim.posted_at - timedelta(days=run.settings.repost_days)
    found = []
    for other in run.between(start, claim.posted_at):
        if other.channel == claim.channel or other.id == claim.id:
            continue
        if other.posted_at == claim.posted_at and other.id > claim.id:
            continue
        if _gist(other) != _gist(claim):
            continue
        theirs = run.shingles(other)
        if theirs and len(mine & theirs) / len(mine | theirs) >= REPOST_SIMILARITY:
            found.append(_other(other))
    return found


def _gist(claim: StoredClaim) -> tuple[object, ...]:
    extraction = claim.extraction
    return (extraction.claimed_date, sorted(t.name for t in extraction.targets))


def _other(claim: StoredClaim) -> OtherClaim:
    return OtherClaim(claim.id, claim.post_id, claim.channel, claim.posted_at)
