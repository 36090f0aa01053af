"""Search over post text that forgives Arabic spelling variants.

Posts spell the same word many ways (hamza or not, ta marbuta or ha, vowelled or bare),
which SQL LIKE cannot see on the text as posted. So each post's text is also kept
normalised (by the caller's function, scoring/arabic.py's `normalize`) in `post_search`,
and the words are matched there in SQL; only the hits become full records. The date
range and channel narrow the same query.

That table is derived, never evidence: a post without a row, or whose row predates its
latest revision or the normaliser's current `version`, is read, normalised and matched
here instead, and its row is written for the next search.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, true
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from claimwatch.display import displayable
from storage.channels import named_ids
from storage.convert import stored_post
from storage.database import insert_for
from storage.media_store import MediaStore
from storage.models import PostRow, PostSearchRow, RevisionRow
from storage.records import StoredPost

CHUNK = 2000
SEPARATOR = "\n"  # between the first and the latest text; normalised text has no newline

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Candidate:
    """A post the query returned: a hit, or one whose stored search text is out of date."""

    post_id: int
    posted_at: datetime
    stale: _Stale | None


@dataclass(frozen=True)
class _Stale:
    revision_id: int
    text: str
    latest: str | None


class PostSearch:
    """Finds posts whose text holds every word of a query, after normalisation."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        media: MediaStore,
        normalise: Callable[[str], str],
        version: int = 1,
    ) -> None:
        self._sessions = sessions
        self._media = media
        self._normalise = normalise
        self._version = version  # of `normalise`: stored texts of another version are redone

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
        wanted = [self._searchable(word).strip() for word in words]
        wanted = [w for w in wanted if w]
        hits = []
        for post_id in self._hits(wanted, since, until, channel):
            hits.append(post_id)
            if len(hits) > limit:
                break
        with self._sessions() as session:
            rows = {r.id: r for r in session.scalars(select(PostRow).where(PostRow.id.in_(hits)))}
            found = [stored_post(session, rows[i], self._media) for i in hits[:limit]]
        return found, len(hits) > limit

    def prepare(self) -> int:
        """Store the search text of every post without one or with an out-of-date one.

        The service does this after each scoring run, so searches find the texts ready.
        Returns how many were stored.
        """
        chunks = self._chunks([], None, None, None, stale_only=True)
        return sum(len(redone) for _, redone, kept in chunks if kept)

    def _hits(
        self, wanted: list[str], since: datetime | None, until: datetime | None, channel: str | None
    ) -> Iterator[int]:
        """Ids of matching posts, newest first, chunk by chunk."""
        for candidates, redone, _ in self._chunks(wanted, since, until, channel):
            for found in candidates:
                text = redone.get(found.post_id)
                if text is None or all(w in text[1] for w in wanted):
                    yield found.post_id

    def _chunks(
        self,
        wanted: list[str],
        since: datetime | None,
        until: datetime | None,
        channel: str | None,
        stale_only: bool = False,
    ) -> Iterator[tuple[list[_Candidate], dict[int, tuple[int, str]], bool]]:
        """Each chunk of `_chunk`'s posts, with the search texts redone for the out-of-date
        ones (post id -> revision, text) and whether they were stored; stored before the
        chunk is handed out, so a caller that stops reading keeps them."""
        last: tuple[datetime, int] | None = None
        while True:
            with self._sessions() as session:
                channels = None if not channel else named_ids(session, channel)
                query = _chunk(wanted, self._version, since, until, channels, last, stale_only)
                candidates = [_candidate(row) for row in session.execute(query)]
            redone = {
                c.post_id: (c.stale.revision_id, self._text_of(c.stale))
                for c in candidates
                if c.stale is not None
            }
            yield candidates, redone, self._keep(redone)
            if len(candidates) < CHUNK:
                return
            last = (candidates[-1].posted_at, candidates[-1].post_id)

    def _text_of(self, stale: _Stale) -> str:
        texts = (stale.text,) if stale.latest is None else (stale.text, stale.latest)
        return SEPARATOR.join(self._searchable(t) for t in texts)

    def _searchable(self, text: str) -> str:
        return displayable(self._normalise(text)).replace("\x00", "").replace(SEPARATOR, " ")

    def _keep(self, redone: dict[int, tuple[int, str]]) -> bool:
        """Store recomputed search texts; a failure only means recomputing them next time."""
        if not redone:
            return True
        rows = [
            {"post_id": post_id, "revision_id": revision, "version": self._version, "text": text}
            for post_id, (revision, text) in redone.items()
        ]
        try:
            with self._sessions.begin() as session:
                insert = insert_for(session, PostSearchRow)
                session.execute(
                    insert.on_conflict_do_update(
                        index_elements=["post_id"],
                        set_={
                            "revision_id": insert.excluded.revision_id,
                            "version": insert.excluded.version,
                            "text": insert.excluded.text,
                        },
                    ),
                    rows,
                )
        except SQLAlchemyError as exc:
            log.warning("search texts of %d posts not stored: %s", len(rows), exc)
            return False
        return True


def _candidate(row: Any) -> _Candidate:
    post_id, posted_at, stale, revision_id, text, latest = row
    return _Candidate(post_id, posted_at, _Stale(revision_id or 0, text, latest) if stale else None)


def _chunk(
    wanted: list[str],
    version: int,
    since: datetime | None,
    until: datetime | None,
    channels: list[int] | None,
    after: tuple[datetime, int] | None,
    stale_only: bool = False,
) -> Select[Any]:
    """One chunk of matching or out-of-date posts (only the latter: `stale_only`), newest first.

    Each row: id, posted_at, whether the stored search text is out of date, and for
    those the latest revision's id and the first and latest texts.
    """
    latest_id = (
        select(func.max(RevisionRow.id))
        .where(RevisionRow.post_id == PostRow.id)
        .correlate(PostRow)
        .scalar_subquery()
    )
    stale = or_(
        PostSearchRow.post_id.is_(None),
        PostSearchRow.version != version,
        PostSearchRow.revision_id != func.coalesce(latest_id, 0),
    )
    latest_text = select(RevisionRow.text).where(RevisionRow.id == latest_id).scalar_subquery()
    matched: ColumnElement[bool] = (
        and_(*(PostSearchRow.text.contains(w, autoescape=True) for w in wanted))
        if wanted
        else true()
    )
    query = (
        select(PostRow.id, PostRow.posted_at, stale, latest_id, PostRow.text, latest_text)
        .outerjoin(PostSearchRow, PostSearchRow.post_id == PostRow.id)
        .where(stale if stale_only else or_(stale, matched))
        .order_by(PostRow.posted_at.desc(), PostRow.id.desc())
        .limit(CHUNK)
    )
    if since is not None:
        query = query.where(PostRow.posted_at >= since)
    if until is not None:
        query = query.where(PostRow.posted_at < until)
    if channels is not None:
        query = query.where(PostRow.channel_id.in_(channels))
    if after is not None:
        posted_at, post_id = after
        query = query.where(
            (PostRow.posted_at < posted_at)
            | ((PostRow.posted_at == posted_at) & (PostRow.id < post_id))
        )
    return query
