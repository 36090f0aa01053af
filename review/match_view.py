"""Everything one queue item shows, gathered from the store: both posts, their claims,
the keyframes to compare, the segment timeline and the decision history."""

from __future__ import annotations

from dataclasses import dataclass

from review.describe import Summary, describe
from review.timeline import Timeline, layout
from scoring.pipeline import claims_for_media
from storage import Store
from storage.records import Match, MediaFile, StoredClaim, StoredPost, Verdict

KEYFRAME_FRACTIONS = (0.2, 0.7)
MAX_KEYFRAMES = 4


@dataclass(frozen=True)
class Side:
    """One of the two media files, with the first post that carried it."""

    name: str
    sha256: str
    media: MediaFile | None
    post: StoredPost | None
    more_posts: int
    claim: StoredClaim | None
    first: bool

    @property
    def summary(self) -> Summary | None:
        return describe(self.claim.extraction) if self.claim else None

    @property
    def is_video(self) -> bool:
        from media.thumbnails import is_video

        return self.media is not None and is_video(self.media)


@dataclass(frozen=True)
class Keyframe:
    """Seconds in A and in B that the match says show the same thing."""

    a: float
    b: float


@dataclass(frozen=True)
class MatchView:
    match: Match
    a: Side
    b: Side
    keyframes: tuple[Keyframe, ...]
    timeline: Timeline
    claims: tuple[StoredClaim, ...]
    verdicts: tuple[Verdict, ...]

    @property
    def id(self) -> int:
        assert self.match.id is not None
        return self.match.id

    @property
    def gap(self) -> str | None:
        """How long after the first post the other file was posted, in words."""
        if self.a.post is None or self.b.post is None:
            return None
        seconds = abs((self.b.post.post.posted_at - self.a.post.post.posted_at).total_seconds())
        return duration_words(seconds)


def duration_words(seconds: float) -> str:
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = int(seconds // size)
            return f"{count} {unit}{'s' * (count != 1)}"
    return "less than a minute"


def match_view(store: Store, match: Match) -> MatchView:
    assert match.id is not None
    a_posts = store.archive.posts_with_media(match.a)
    b_posts = store.archive.posts_with_media(match.b)
    first = first_posted(match, a_posts, b_posts)
    a = _side(store, "A", match.a, a_posts, first == match.a)
    b = _side(store, "B", match.b, b_posts, first == match.b)
    durations = (a.media.duration if a.media else None, b.media.duration if b.media else None)
    claim_ids = list(
        dict.fromkeys(claims_for_media(store, match.a) + claims_for_media(store, match.b))
    )
    return MatchView(
        match=match,
        a=a,
        b=b,
        keyframes=keyframes(match),
        timeline=layout(match.segments, *durations),
        claims=tuple(store.claims.list(ids=claim_ids)) if claim_ids else (),
        verdicts=tuple(store.verdicts.for_target("match", match.id)),
    )


def first_posted(match: Match, a_posts: list[StoredPost], b_posts: list[StoredPost]) -> str | None:
    """The hash of the media posted first: as the match says, else by the posts' dates."""
    if match.first_posted in (match.a, match.b):
        return match.first_posted
    if match.first_posted in ("a", "b"):
        return match.a if match.first_posted == "a" else match.b
    if not a_posts or not b_posts:
        return None
    when_a, when_b = a_posts[0].post.posted_at, b_posts[0].post.posted_at
    if when_a == when_b:
        return None
    return match.a if when_a < when_b else match.b


def keyframes(match: Match) -> tuple[Keyframe, ...]:
    """Matching moments to show side by side, from the longest segments first."""
    longest = sorted(match.segments, key=lambda s: s.a_end - s.a_start, reverse=True)
    frames = [
        Keyframe(
            max(0.0, s.a_start + f * (s.a_end - s.a_start)),
            max(0.0, s.b_start + f * (s.b_end - s.b_start)),
        )
        for s in longest
        for f in KEYFRAME_FRACTIONS
    ]
    return tuple(frames[:MAX_KEYFRAMES]) or (Keyframe(0.0, 0.0),)


def _side(store: Store, name: str, sha: str, posts: list[StoredPost], first: bool) -> Side:
    post = posts[0] if posts else None
    return Side(
        name=name,
        sha256=sha,
        media=store.media.get(sha),
        post=post,
        more_posts=max(0, len(posts) - 1),
        claim=store.claims.for_post(post.id) if post else None,
        first=first,
    )
