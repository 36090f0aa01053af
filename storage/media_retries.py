"""Media downloads that failed for a reason that may pass, to be tried again later.

A collector that cannot fetch a file keeps the post and records the link with `missing`
saying why. When the reason may pass (a server error, a timeout, a dropped connection:
"download failed: ..."), the link keeps its URL and later collect runs try it again,
each after a longer pause and at most `collect.media_retries` times. A refused file
(another host, over the size limit) is not tried again. A file that arrives completes
the link exactly as if it had come the first time; the post itself is never touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from storage.channels import named_ids
from storage.media_store import MediaStore, StoredFile
from storage.models import PostMediaRow, PostRow
from storage.post_media import media_row, put_file
from storage.records import MediaRef, Platform
from storage.timeutil import utcnow

PASSING = "download failed"  # how a collector words a failure worth another try


@dataclass(frozen=True)
class PendingMedia:
    """A post's file that could not be downloaded yet, and how often it was retried."""

    link_id: int
    message_id: int
    kind: str
    url: str  # empty when the platform gave none (the Telegram API)
    retries: int


class MediaRetries:
    """The failed downloads of the archive that are due for another try."""

    def __init__(self, sessions: sessionmaker[Session], media: MediaStore) -> None:
        self._sessions = sessions
        self._media = media

    def due(
        self,
        platform: Platform,
        handle: str,
        most_retries: int,
        seen_before: datetime,
        *,
        by_url: bool = True,
        limit: int = 100,
    ) -> list[PendingMedia]:
        """One channel's failed downloads whose pause is over, oldest post first.

        Only posts archived before `seen_before` count: a file that has just failed all
        its attempts is not tried again in the same run. `by_url`: only links with a URL.
        """
        if most_retries <= 0:
            return []
        query = (
            select(PostMediaRow, PostRow.message_id)
            .join(PostRow, PostRow.id == PostMediaRow.post_id)
            .where(
                PostMediaRow.media_sha256.is_(None),
                PostMediaRow.missing.startswith(PASSING, autoescape=True),
                PostMediaRow.retries < most_retries,
                PostRow.first_seen_at < seen_before,
                or_(PostMediaRow.retry_after.is_(None), PostMediaRow.retry_after <= utcnow()),
            )
            .order_by(PostRow.message_id, PostMediaRow.position)
            .limit(limit)
        )
        if by_url:
            query = query.where(PostMediaRow.url.is_not(None))
        with self._sessions() as session:
            query = query.where(PostRow.channel_id.in_(named_ids(session, handle, platform)))
            return [
                PendingMedia(link.id, message_id, link.kind, link.url or "", link.retries)
                for link, message_id in session.execute(query)
            ]

    def record(self, item: PendingMedia, ref: MediaRef, pause: timedelta) -> bool:
        """Keep what another try brought; True when the file arrived and completes the link.

        A new failure replaces the reason and counts one more retry; a refused file is
        recorded as refused and not tried again.
        """
        entry = put_file(self._media, ref)
        with self._sessions.begin() as session:
            link = session.get(PostMediaRow, item.link_id)
            if link is None or link.media_sha256 is not None:
                return False  # the post's link was completed (or removed) meanwhile
            link.retries += 1
            if isinstance(entry, StoredFile):
                link.media_sha256, link.missing, link.retry_after = (
                    media_row(session, entry, ref),
                    None,
                    None,
                )
                return True
            link.missing = entry or ref.missing or "no file was delivered"
            link.retry_after = utcnow() + pause
            return False
