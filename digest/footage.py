"""Footage newly flagged as recycled: matches found in the digest's 24 hours, or footage
posted in them that had been posted before; each with a keyframe of both files at the
moment they match, and where and when each was first posted."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from claimwatch.errors import MediaDecodeError
from digest.content import FootageLine, FootageSide
from digest.images import small_jpeg
from media.thumbnails import thumbnail
from review.match_view import first_posted, keyframes
from storage import Store
from storage.records import Match, StoredPost

PAGE = 100
NEVER = datetime.max.replace(tzinfo=UTC)  # a file no archived post carries
NO_FRAME = "no frame could be cut from this file"
SHOWN_STATUSES = frozenset({"pending", "recycled"})  # an analyst's "not the same" drops it


def new_matches(store: Store, start: datetime, end: datetime) -> list[Match]:
    """Matches flagged in [start, end), and matches of footage posted then that had been
    posted before (an archive imported late is flagged long after its posts); oldest first.
    Matches an analyst already dismissed are left out."""
    found = {m.id: m for m in _flagged_between(store, start, end)}
    for post in _posted_between(store, start, end):
        for media in post.media:
            for match in store.matches.for_media(media.sha256):
                other = match.b if match.a == media.sha256 else match.a
                if _first_posted_at(store, other) < post.post.posted_at:
                    found.setdefault(match.id, match)
    shown = [m for m in found.values() if m.status in SHOWN_STATUSES]
    return sorted(shown, key=lambda m: (m.created_at or start, m.id or 0))


def _flagged_between(store: Store, start: datetime, end: datetime) -> Iterator[Match]:
    offset = 0
    while True:
        page = store.matches.list(limit=PAGE, offset=offset)
        for match in page:
            if match.created_at is None or match.created_at < start:
                return
            if match.created_at < end:
                yield match
        if len(page) < PAGE:
            return
        offset += PAGE


def _posted_between(store: Store, start: datetime, end: datetime) -> Iterator[StoredPost]:
    for post in store.archive.iter_posts(since=start):
        if post.post.posted_at >= end:
            return
        yield post


def reposted_at(store: Store, match: Match) -> datetime | None:
    """When the footage was recycled: the first post of whichever file was posted later."""
    times = [_first_posted_at(store, match.a), _first_posted_at(store, match.b)]
    latest = max(times)
    return None if latest == NEVER else latest


def _first_posted_at(store: Store, sha256: str) -> datetime:
    posts = store.archive.posts_with_media(sha256)
    return posts[0].post.posted_at if posts else NEVER


def footage_lines(store: Store, matches: list[Match], review_url: str) -> list[FootageLine]:
    """The digest's lines for `matches`. Files no frame could be cut from are recorded in
    `claimwatch status` (digest/thumbnails) until a digest cuts every keyframe it needs."""
    lines = [footage_line(store, match, review_url) for match in matches]
    undecodable = [
        side for line in lines for side in (line.earlier, line.later) if side.missing == NO_FRAME
    ]
    if lines and not undecodable:
        store.status.success("digest", "thumbnails")
    return lines


def footage_line(store: Store, match: Match, review_url: str) -> FootageLine:
    """Both sides of `match`, the one posted first on the left."""
    assert match.id is not None
    a_posts = store.archive.posts_with_media(match.a)
    b_posts = store.archive.posts_with_media(match.b)
    frame = keyframes(match)[0]
    a = _side(store, match.a, a_posts, frame.a)
    b = _side(store, match.b, b_posts, frame.b)
    earlier, later = (b, a) if first_posted(match, a_posts, b_posts) == match.b else (a, b)
    return FootageLine(
        match_id=match.id,
        kind=match.kind,
        similarity=match.similarity,
        earlier=earlier,
        later=later,
        url=f"{review_url}/matches/{match.id}" if review_url else "",
    )


def _side(store: Store, sha256: str, posts: list[StoredPost], second: float) -> FootageSide:
    first = posts[0] if posts else None
    picture, missing = _keyframe(store, sha256, second)
    return FootageSide(
        sha256=sha256,
        channel=first.post.channel if first else None,
        posted_at=first.post.posted_at if first else None,
        thumbnail=picture,
        missing=missing,
    )


def _keyframe(store: Store, sha256: str, second: float) -> tuple[bytes | None, str | None]:
    """A small JPEG of the frame, or why there is none (recorded for `claimwatch status`)."""
    media = store.media.get(sha256)
    if media is None or not media.path.is_file():
        return None, "media file not in the archive"
    try:
        path = thumbnail(media, second, thumbs_dir(store))
        return small_jpeg(path.read_bytes()), None
    except (MediaDecodeError, OSError) as exc:
        store.status.failure("digest", "thumbnails", f"{sha256[:12]}: {exc}")
        return None, NO_FRAME


def thumbs_dir(store: Store) -> Path:
    """The keyframe cache the review page fills too, so each frame is cut once."""
    return store.data_dir / "thumbs"
