"""Search over post text that forgives Arabic spelling variants.

Posts spell the same word many ways (hamza or not, ta marbuta or ha, vowelled or bare),
which SQL LIKE cannot see. So the text is read in chunks, newest first, and normalised
by the caller's function (scoring/arabic.py's `normalize`) before matching; only the hits
are turned into full records. The date range and channel narrow the scan in SQL.
Normalising is the slow part, so normalised texts are kept in a bounded cache keyed by
post and revision: a post's text only changes by gaining a revision.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, sessionmaker

from storage.convert import stored_post
from storage.media_store import MediaStore
from storage.models import ChannelRow, PostRow, RevisionRow
from storage.records import StoredPost

CHUNK = 2000
CACHE_POSTS = 50_000


class PostSearch:
    """Finds posts whose text holds every word of a query, after normalisation."""

    def __init__(
        self, sessions: sessionmaker[Session], media: MediaStore,
        normalise: Callable[[str], str], cache_posts: int = CACHE_POSTS,
    ) -> None:  # fmt: skip
        self._sessions = sessions
        self._media = media
        self._normalise = normalise
        self._cache: OrderedDict[tuple[int, int], tuple[str, ...]] = OrderedDict()
        self._cache_posts = cache_posts
        self._lock = threading.Lock()

    def find(
        self,
        words: list[str],
        since: datetime | None = None,
        until: datetime | None = None,
        channel: str | None = None,
        limit: int = 50,
    ) -> tuple[list[StoredPost], bool]:
        """Posts (newest first) whose first or latest text holds all `words` (normalised).

        Returns the hits and whether there were more than `limit`. With no words, every
        post in the range matches.
        """
        wanted = [w for w in (self._normalise(word).strip() for word in words) if w]
        hits: list[int] = []
        for post_id, texts in self._texts(since, until, channel):
            if all(any(w in text for text in texts) for w in wanted):
                hits.append(post_id)
                if len(hits) > limit:
                    break
        with self._sessions() as session:
            rows = {r.id: r for r in session.scalars(select(PostRow).where(PostRow.id.in_(hits)))}
            found = [stored_post(session, rows[i], self._media) for i in hits[:limit]]
        return found, len(hits) > limit

    def _texts(
        self, since: datetime | None, until: datetime | None, channel: str | None
    ) -> Iterator[tuple[int, tuple[str, ...]]]:
        """(post id, normalised first and latest texts), newest first."""
        last: tuple[datetime, int] | None = None
        while True:
            with self._sessions() as session:
                rows = session.execute(_chunk(since, until, channel, last)).all()
            for post_id, posted_at, text, revision_id, latest in rows:
                yield post_id, self._normalised(post_id, revision_id or 0, text, latest)
                last = (posted_at, post_id)
            if len(rows) < CHUNK:
                return

    def _normalised(
        self, post_id: int, revision_id: int, text: str, latest: str | None
    ) -> tuple[str, ...]:
        key = (post_id, revision_id)
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
                return found
        texts = tuple(self._normalise(t) for t in ((text,) if latest is None else (text, latest)))
        with self._lock:
            self._cache[key] = texts
            while len(self._cache) > self._cache_posts:
                self._cache.popitem(last=False)
        return texts


def _chunk(
    since: datetime | None,
    until: datetime | None,
    channel: str | None,
    after: tuple[datetime, int] | None,
) -> Select[Any]:
    """One chunk of (id, posted_at, first text, latest revision id and text), newest first."""
    latest_id = (
        select(func.max(RevisionRow.id))
        .where(RevisionRow.post_id == PostRow.id)
        .correlate(PostRow)
        .scalar_subquery()
    )
    latest_text = select(RevisionRow.text).where(RevisionRow.id == latest_id).scalar_subquery()
    query = (
        select(PostRow.id, PostRow.posted_at, PostRow.text, latest_id, latest_text)
        .join(ChannelRow, ChannelRow.id == PostRow.channel_id)
        .order_by(PostRow.posted_at.desc(), PostRow.id.desc())
        .limit(CHUNK)
    )
    if since is not None:
        query = query.where(PostRow.posted_at >= since)
    if until is not None:
        query = query.where(PostRow.posted_at < until)
    if channel:
        query = query.where(ChannelRow.handle == channel)
    if after is not None:
        posted_at, post_id = after
        query = query.where(
            (PostRow.posted_at < posted_at)
            | ((PostRow.posted_at == posted_at) & (PostRow.id < post_id))
        )
    return query
