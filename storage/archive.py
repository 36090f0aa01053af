"""The post archive: channels, posts, their revisions and media links, and checkpoints.

Ingesting is idempotent. A post seen again with other text, or another attachment (a poll's
question, options or closed flag: storage/attachments.py), gains a revision; what was first
seen is never overwritten. A source that cannot see attachments (the web preview) leaves
the one held in place; a poll's changing vote counts are not kept, so they revise nothing.
A batch and its checkpoint commit in one transaction. A batch of another channel than the
one archived under its handle is refused whole (storage/channels.py). A handle names its
channel in any case: lookups by handle go through storage/channels.py, and a batch is filed
under the spelling first archived.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from claimwatch.errors import InputError
from storage.attachments import same
from storage.channels import archived_channel, ensure_same_channel, named_ids
from storage.convert import stored_post, stored_posts
from storage.database import chunks
from storage.media_store import MediaStore, StoredFile
from storage.models import (
    ChannelRow,
    CheckpointRow,
    MediaRow,
    PostMediaRow,
    PostRow,
    RevisionRow,
)
from storage.post_media import REFUSED, link_media, put_file
from storage.records import (
    Batch,
    Channel,
    IngestResult,
    Platform,
    Post,
    StoredPost,
    closest,
    possible_id,
)
from storage.timeutil import as_utc, utcnow


class Archive:
    """Posts as the platforms showed them, kept as evidence."""

    def __init__(self, sessions: sessionmaker[Session], media: MediaStore) -> None:
        self._sessions = sessions
        self._media = media

    def ingest(self, batch: Batch) -> IngestResult:
        """Store a batch and then its checkpoint, all in one transaction.

        Raises ChannelIdMismatchError, storing nothing, when the batch's channel is not
        the one archived under its handle: checked before any media file is copied, and
        again inside the transaction in case the handle was named meanwhile.
        """
        with self._sessions() as session:
            ensure_same_channel(
                session,
                archived_channel(session, batch.channel.platform, batch.channel.handle),
                batch.channel,
            )
        media_result, stored = self._store_files(batch.posts)
        with self._sessions.begin() as session:
            channel = _upsert_channel(session, batch.channel)
            result = media_result + _ingest_posts(session, channel, batch.posts, stored)
            if batch.checkpoint is not None:  # under the archived spelling, as the posts
                _put_checkpoint(
                    session, batch.checkpoint.source, channel.handle, batch.checkpoint.value
                )
        return result

    def _store_files(
        self, posts: Sequence[Post]
    ) -> tuple[IngestResult, dict[int, StoredFile | str]]:
        """Copy media into the store before the transaction; files are idempotent by hash."""
        stored: dict[int, StoredFile | str] = {}
        errors: list[str] = []
        for post in posts:
            for ref in post.media:
                entry = put_file(self._media, ref)
                if isinstance(entry, str):
                    errors.append(f"{post.channel}/{post.message_id}: {entry[len(REFUSED) :]}")
                if entry is not None:
                    stored[id(ref)] = entry
        return IngestResult(errors=tuple(errors)), stored

    def get(self, post_id: int) -> StoredPost | None:
        if not possible_id(post_id):
            return None
        with self._sessions() as session:
            row = session.get(PostRow, post_id)
            return None if row is None else stored_post(session, row, self._media)

    def get_many(self, post_ids: Collection[int]) -> dict[int, StoredPost]:
        """The archived posts among `post_ids`, by id."""
        found: dict[int, StoredPost] = {}
        wanted = [post_id for post_id in post_ids if possible_id(post_id)]
        with self._sessions() as session:
            for part in chunks(wanted):
                rows = session.scalars(select(PostRow).where(PostRow.id.in_(part))).all()
                found.update((p.id, p) for p in stored_posts(session, rows, self._media))
        return found

    def find(self, platform: str, channel: str, message_id: int) -> StoredPost | None:
        with self._sessions() as session:
            row = session.scalar(
                select(PostRow).where(
                    PostRow.channel_id.in_(named_ids(session, channel, platform)),
                    PostRow.message_id == message_id,
                )
            )
            return None if row is None else stored_post(session, row, self._media)

    def iter_posts(
        self, since: datetime | None = None, channel: str | None = None, chunk: int = 500
    ) -> Iterator[StoredPost]:
        """Every post, oldest first, optionally from `since` and for one channel."""
        query = select(PostRow.id).order_by(PostRow.posted_at, PostRow.id)
        if since is not None:
            query = query.where(PostRow.posted_at >= since)
        with self._sessions() as session:
            if channel is not None:
                query = query.where(PostRow.channel_id.in_(named_ids(session, channel)))
            ids = list(session.scalars(query))
        for start in range(0, len(ids), chunk):
            part = ids[start : start + chunk]
            with self._sessions() as session:
                rows = {
                    r.id: r for r in session.scalars(select(PostRow).where(PostRow.id.in_(part)))
                }
                for post_id in part:
                    yield stored_post(session, rows[post_id], self._media)

    def posts_with_media(self, sha256: str) -> list[StoredPost]:
        """Posts that carry the media file `sha256`, first posted first."""
        with self._sessions() as session:
            rows = session.scalars(
                select(PostRow)
                .join(PostMediaRow, PostMediaRow.post_id == PostRow.id)
                .where(PostMediaRow.media_sha256 == sha256)
                .order_by(PostRow.posted_at, PostRow.id)
            ).unique()
            return stored_posts(session, list(rows), self._media)

    def mark_deleted(self, platform: str, channel: str, message_ids: Sequence[int]) -> int:
        """Record that these posts are gone from the platform; they stay in the archive."""
        now = utcnow()
        with self._sessions.begin() as session:
            rows = session.scalars(
                select(PostRow).where(
                    PostRow.channel_id.in_(named_ids(session, channel, platform)),
                    PostRow.message_id.in_(list(message_ids)),
                    PostRow.deleted_at.is_(None),
                )
            ).all()
            for row in rows:
                row.deleted_at = now
            return len(rows)

    def recent_message_ids(self, platform: str, channel: str, limit: int) -> list[int]:
        """The newest `limit` message ids of a channel not yet known to be deleted."""
        with self._sessions() as session:
            return list(
                session.scalars(
                    select(PostRow.message_id)
                    .where(
                        PostRow.channel_id.in_(named_ids(session, channel, platform)),
                        PostRow.deleted_at.is_(None),
                    )
                    .order_by(PostRow.message_id.desc())
                    .limit(limit)
                )
            )

    def checkpoint(self, source: str, channel: str) -> str | None:
        """Where `source` stopped on the channel `channel` names in any case."""
        with self._sessions() as session:
            rows = session.scalars(select(CheckpointRow).where(CheckpointRow.source == source))
            row = closest(rows, channel, lambda r: r.channel)
            return None if row is None else row.value

    def channels(self) -> list[Channel]:
        with self._sessions() as session:
            rows = session.scalars(select(ChannelRow).order_by(ChannelRow.id))
            return [_channel_record(row) for row in rows]

    def counts(self) -> dict[str, int]:
        """Rows per archive table."""
        with self._sessions() as session:
            return {
                "channels": session.scalar(select(func.count()).select_from(ChannelRow)) or 0,
                "posts": session.scalar(select(func.count()).select_from(PostRow)) or 0,
                "revisions": session.scalar(select(func.count()).select_from(RevisionRow)) or 0,
                "deleted_posts": session.scalar(
                    select(func.count()).select_from(PostRow).where(PostRow.deleted_at.isnot(None))
                )
                or 0,
                "media_files": session.scalar(select(func.count()).select_from(MediaRow)) or 0,
                "media_missing": session.scalar(
                    select(func.count())
                    .select_from(PostMediaRow)
                    .where(PostMediaRow.media_sha256.is_(None))
                )
                or 0,
            }


def _upsert_channel(session: Session, channel: Channel) -> ChannelRow:
    row = archived_channel(session, channel.platform, channel.handle, lock=True)
    ensure_same_channel(session, row, channel)
    if row is None:
        row = ChannelRow(platform=channel.platform, handle=channel.handle, created_at=utcnow())
        session.add(row)
    row.external_id = channel.external_id or row.external_id
    row.title = channel.title or row.title
    row.group_name = channel.group or row.group_name
    session.flush()
    return row


def _ingest_posts(
    session: Session,
    channel: ChannelRow,
    posts: Sequence[Post],
    stored: dict[int, StoredFile | str],
) -> IngestResult:
    """Store the posts of a batch: those new to the archive inserted together, those seen
    before checked for a new text one by one. A batch naming one message twice is taken a
    post at a time, so its second copy is checked against the first."""
    for post in posts:
        if post.posted_at.tzinfo is None:
            raise InputError(f"post {post.channel}/{post.message_id} has a date without a zone")
    ids = [post.message_id for post in posts]
    if len(set(ids)) < len(ids):
        one_by_one = (_ingest_posts(session, channel, [post], stored) for post in posts)
        return sum(one_by_one, IngestResult())
    known: dict[int, PostRow] = {}
    for part in chunks(ids):
        query = select(PostRow).where(
            PostRow.channel_id == channel.id, PostRow.message_id.in_(part)
        )
        known.update((row.message_id, row) for row in session.scalars(query))
    now = utcnow()
    result = IngestResult()
    fresh = [(_new_post_row(channel, p, now), p) for p in posts if p.message_id not in known]
    session.add_all(row for row, _post in fresh)
    session.flush()
    for row, post in fresh:
        media_stored, missing = link_media(session, row, post, stored, links={})
        result += IngestResult(new_posts=1, media_stored=media_stored, media_missing=missing)
    for post in posts:
        if post.message_id in known:
            result += _seen_again(session, known[post.message_id], post, stored, now)
    return result


def _seen_again(
    session: Session, row: PostRow, post: Post, stored: dict[int, StoredFile | str], now: datetime
) -> IngestResult:
    """A post archived before: a revision when its text changed, its counts refreshed and
    media that were missing completed."""
    revised = _maybe_revise(session, row, post, now)
    row.last_seen_at = now
    row.views = post.views if post.views is not None else row.views
    row.forwards = post.forwards if post.forwards is not None else row.forwards
    media_stored, missing = link_media(session, row, post, stored)
    return IngestResult(
        new_revisions=int(revised),
        unchanged=int(not revised),
        media_stored=media_stored,
        media_missing=missing,
    )


def _new_post_row(channel: ChannelRow, post: Post, now: datetime) -> PostRow:
    return PostRow(
        channel_id=channel.id,
        message_id=post.message_id,
        posted_at=post.posted_at,
        text=post.text,
        source=post.source,
        url=post.url,
        views=post.views,
        forwards=post.forwards,
        forwarded_from=post.forwarded_from,
        forwarded_from_id=post.forwarded_from_id,
        reply_to=post.reply_to,
        grouped_id=post.grouped_id,
        edited_at=post.edited_at,
        author=post.author,
        attachment=post.attachment,
        first_seen_at=now,
        last_seen_at=now,
        deleted_at=None,
    )


def _maybe_revise(session: Session, row: PostRow, post: Post, now: datetime) -> bool:
    """Add a revision when the text or attachment differs from the latest we hold, unless it
    is a version we already hold from before the latest edit (an older export read again
    after a newer one): that would make a stale version the post's current one. A post
    read without an attachment keeps the one held: its source could not see it."""
    held = session.execute(
        select(RevisionRow.text, RevisionRow.attachment)
        .where(RevisionRow.post_id == row.id)
        .order_by(RevisionRow.id)
    ).all()
    versions = [(row.text, row.attachment), *((text, attached) for text, attached in held)]
    attachment = post.attachment if post.attachment is not None else versions[-1][1]
    seen = [_same_version(v, post.text, attachment) for v in versions]
    if seen[-1] or (any(seen) and _not_after_last_edit(row, post)):
        return False
    session.add(
        RevisionRow(
            post_id=row.id,
            text=post.text,
            attachment=attachment,
            edited_at=post.edited_at,
            seen_at=now,
            source=post.source,
        )
    )
    row.edited_at = post.edited_at or row.edited_at
    return True


def _same_version(version: tuple[str, str | None], text: str, attachment: str | None) -> bool:
    return version[0] == text and same(version[1], attachment)


def _not_after_last_edit(row: PostRow, post: Post) -> bool:
    """Whether `post` was read before the post's latest known edit (no edit time: before
    any edit); with no edit time held, nothing can be told, and a revision is added."""
    if row.edited_at is None:
        return False
    return post.edited_at is None or as_utc(post.edited_at) <= as_utc(row.edited_at)


def _put_checkpoint(session: Session, source: str, channel: str, value: str) -> None:
    row = session.get(CheckpointRow, (source, channel))
    if row is None:
        session.add(CheckpointRow(source=source, channel=channel, value=value, updated_at=utcnow()))
    else:
        row.value, row.updated_at = value, utcnow()


def _channel_record(row: ChannelRow) -> Channel:
    return Channel(
        platform=cast(Platform, row.platform),
        handle=row.handle,
        external_id=row.external_id,
        title=row.title,
        group=row.group_name,
    )
