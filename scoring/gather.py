"""Gather a claim's case file from the store: its post, footage, alerts, verdicts, neighbours.

A `ScoringRun` loads what every claim needs once (the claims in time order, verdicts on
them, the outlines of their channels' claims, the alert history's extent) so that scoring
thousands of claims costs a few queries per claim, not a scan per claim, and scoring one
claim reads its neighbours, not the archive.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from config.settings import ScoringSettings
from scoring.arabic import normalize
from scoring.case import Appearance, ClaimCase, MediaCheck, OtherClaim, TrackRecord
from scoring.corroboration import BASE_RATE_DAYS, AlertIndex, check_alerts, search_window
from storage import Store
from storage.alerts import AlertSpan
from storage.claim_outlines import ClaimOutline
from storage.post_media import FINGERPRINTED_KINDS
from storage.records import Match, StoredClaim, StoredPost, Verdict

# Two texts are the same claim when this share of their word triples is shared.
REPOST_SIMILARITY = 0.8
# Scoring up to this many claims reads only them and their neighbours in time; more, and
# reading every claim at once is cheaper.
NEIGHBOURHOOD_MAX = 500
EPSILON = timedelta(microseconds=1)
_URL = re.compile(r"https?://\S+|t\.me/\S+|@\w+")
_WORD = re.compile(r"\w+")


@dataclass
class ScoringRun:
    """What one scoring pass loads once and shares between claims.

    `claims` are read in full: every claim, or (to score a few) those claims and every
    claim posted near them, which is all their burst and repost factors look at.
    `outlines` hold every claim of the channels concerned, for their track records.
    """

    store: Store
    settings: ScoringSettings
    claims: list[StoredClaim]
    verdicts: dict[int, list[Verdict]]
    alerts: AlertIndex
    outlines: dict[tuple[str, str], list[ClaimOutline]] = field(default_factory=dict)
    by_post: dict[int, StoredClaim | None] = field(default_factory=dict)
    _times: list[datetime] = field(default_factory=list)
    _shingles: dict[int, frozenset[tuple[str, ...]]] = field(default_factory=dict)
    _posts_with: dict[str, list[StoredPost]] = field(default_factory=dict)
    _posts: dict[int, StoredPost] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.claims.sort(key=lambda c: (c.posted_at, c.id))
        self._times = [c.posted_at for c in self.claims]
        self.by_post = {c.post_id: c for c in self.claims}

    def between(self, start: datetime, end: datetime) -> list[StoredClaim]:
        """Claims posted from `start` to `end` inclusive, oldest first."""
        low = bisect.bisect_left(self._times, start)
        high = bisect.bisect_right(self._times, end)
        return self.claims[low:high]

    def read_posts(self, claims: Iterable[StoredClaim]) -> None:
        """Read the posts of these claims at once, before gathering their cases."""
        missing = [c.post_id for c in claims if c.post_id not in self._posts]
        self._posts.update(self.store.archive.get_many(missing))

    def post(self, post_id: int) -> StoredPost | None:
        """The archived post (read now unless `read_posts` read it)."""
        if post_id not in self._posts:
            found = self.store.archive.get(post_id)
            if found is None:
                return None
            self._posts[post_id] = found
        return self._posts[post_id]

    def claim_of_post(self, post_id: int) -> StoredClaim | None:
        """The claim the post makes, if it makes one (read from the store when not loaded)."""
        if post_id not in self.by_post:
            found = self.store.claims.for_post(post_id)
            self.by_post[post_id] = found if found and found.extraction.is_claim else None
        return self.by_post[post_id]

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
    store: Store,
    settings: ScoringSettings,
    scored: Collection[int] | None = None,
    loaded: list[StoredClaim] | None = None,
) -> ScoringRun:
    """Load what scoring the claims in `scored` (default: all) needs.

    `loaded` is every claim, when the caller has read them already. Without it, a few
    claims to score are read with their neighbours in time only (a verdict on one claim
    must not read a whole archive), and more than NEIGHBOURHOOD_MAX with everything.
    """
    if loaded is None and scored is not None and len(scored) <= NEIGHBOURHOOD_MAX:
        claims = _neighbourhood(store, settings, scored)
        channels = {(c.platform, c.channel) for c in claims if c.id in scored}
        outlines = store.claims.outlines(channels) if channels else []
    else:
        claims = loaded if loaded is not None else store.claims.list(newest_first=False)
        outlines = [ClaimOutline.of(c) for c in claims]
    verdicts = store.claims.verdicts({c.id for c in claims} | {o.id for o in outlines})
    by_channel: dict[tuple[str, str], list[ClaimOutline]] = defaultdict(list)
    for outline in outlines:
        by_channel[outline.platform, outline.channel].append(outline)
    windows = [
        search_window(c.extraction, c.posted_at, settings)[:2]
        for c in claims if scored is None or c.id in scored
    ]  # fmt: skip
    if not windows:
        alerts = AlertIndex((), AlertSpan(0, None, None))
    else:
        start = min(w[0] for w in windows) - timedelta(days=BASE_RATE_DAYS)
        alerts = AlertIndex.load(store.alerts, start, max(w[1] for w in windows))
    return ScoringRun(store, settings, list(claims), verdicts, alerts, dict(by_channel))


def _neighbourhood(
    store: Store, settings: ScoringSettings, scored: Collection[int]
) -> list[StoredClaim]:
    """The claims in `scored` and every claim their burst and repost factors can see."""
    targets = store.claims.list(ids=scored, newest_first=False)
    before = max(timedelta(days=settings.repost_days), timedelta(minutes=settings.burst_minutes))
    after = timedelta(minutes=settings.burst_minutes)
    spans = sorted((c.posted_at - before, c.posted_at + after) for c in targets)
    merged: list[tuple[datetime, datetime]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    found = {c.id: c for c in targets}
    for start, end in merged:  # `between` is inclusive: read just past `end`
        for claim in store.claims.list(since=start, until=end + EPSILON, newest_first=False):
            found.setdefault(claim.id, claim)
    return list(found.values())


def gather(run: ScoringRun, claim: StoredClaim) -> ClaimCase:
    """The case file of `claim`; its track record is filled in by the pipeline."""
    post = run.post(claim.post_id)
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
            sibling = run.claim_of_post(other.post_id)
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
    date, targets = claim.extraction.claimed_date, _targets(claim)
    found = []
    for other in run.between(start, claim.posted_at):
        if other.channel == claim.channel or other.id == claim.id:
            continue
        if other.posted_at == claim.posted_at and other.id > claim.id:
            continue
        if other.extraction.claimed_date != date or _targets(other) != targets:
            continue
        theirs = run.shingles(other)
        if theirs and len(mine & theirs) / len(mine | theirs) >= REPOST_SIMILARITY:
            found.append(_other(other))
    return found


def _targets(claim: StoredClaim) -> list[str]:
    """The target names, which a re-post of the claim repeats (with its claimed date)."""
    return sorted(t.name for t in claim.extraction.targets)


def _other(claim: StoredClaim) -> OtherClaim:
    return OtherClaim(claim.id, claim.post_id, claim.channel, claim.posted_at)
