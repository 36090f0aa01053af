"""Turn table rows into the plain records that leave storage/."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.media_store import MediaStore
from storage.models import ChannelRow, MediaRow, PostMediaRow, PostRow, RevisionRow
from storage.records import (
    MediaFile,
    MediaRef,
    MediaStatus,
    Platform,
    Post,
    Revision,
    SourceName,
    StoredPost,
)


def media_record(row: MediaRow, store: MediaStore) -> MediaFile:
    return MediaFile(
        sha256=row.sha256,
        kind=row.kind,
        mime=row.mime,
        size=row.size,
        path=store.path(row.path),
        duration=row.duration,
        width=row.width,
        height=row.height,
        status=cast(MediaStatus, row.status),
        error=row.error,
    )


def stored_post(session: Session, row: PostRow, store: MediaStore) -> StoredPost:
    """The archived post: its first-seen fields, current text, media and revisions."""
    return stored_posts(session, [row], store)[0]


def stored_posts(session: Session, rows: Sequence[PostRow], store: MediaStore) -> list[StoredPost]:
    """`stored_post` of each row, reading the revisions, media and channels of all in three
    queries."""
    ids = [row.id for row in rows]
    revisions: dict[int, list[RevisionRow]] = defaultdict(list)
    for revision in session.scalars(
        select(RevisionRow).where(RevisionRow.post_id.in_(ids)).order_by(RevisionRow.id)
    ):
        revisions[revision.post_id].append(revision)
    links: dict[int, list[tuple[PostMediaRow, MediaRow | None]]] = defaultdict(list)
    for link, media in session.execute(
        select(PostMediaRow, MediaRow)
        .outerjoin(MediaRow, MediaRow.sha256 == PostMediaRow.media_sha256)
        .where(PostMediaRow.post_id.in_(ids))
        .order_by(PostMediaRow.post_id, PostMediaRow.position)
    ):
        links[link.post_id].append((link, media))
    wanted = {row.channel_id for row in rows}
    channels = {
        c.id: c for c in session.scalars(select(ChannelRow).where(ChannelRow.id.in_(wanted)))
    }
    return [
        _stored(channels[row.channel_id], row, revisions[row.id], links[row.id], store)
        for row in rows
    ]


def _stored(
    channel: ChannelRow,
    row: PostRow,
    revisions: list[RevisionRow],
    links: list[tuple[PostMediaRow, MediaRow | None]],
    store: MediaStore,
) -> StoredPost:
    refs = tuple(
        MediaRef(
            kind=link.kind,
            url=link.url,
            file_name=link.file_name,
            missing=link.missing,
            path=store.path(media.path) if media else None,
            mime=media.mime if media else None,
            size=media.size if media else None,
        )
        for link, media in links
    )
    latest = revisions[-1] if revisions else row
    post = Post(
        platform=cast(Platform, channel.platform),
        channel=channel.handle,
        message_id=row.message_id,
        posted_at=row.posted_at,
        text=latest.text,
        source=cast(SourceName, row.source),
        url=row.url,
        views=row.views,
        forwards=row.forwards,
        forwarded_from=row.forwarded_from,
        forwarded_from_id=row.forwarded_from_id,
        reply_to=row.reply_to,
        grouped_id=row.grouped_id,
        edited_at=row.edited_at,
        author=row.author,
        media=refs,
        attachment=latest.attachment,
    )
    first = Revision(row.text, row.first_seen_at, None, row.attachment)
    later = (Revision(r.text, r.seen_at, r.edited_at, r.attachment) for r in revisions)
    history = (first, *later)
    return StoredPost(
        id=row.id,
        post=post,
        first_seen_at=row.first_seen_at,
        deleted_at=row.deleted_at,
        group=channel.group_name,
        media=tuple(media_record(media, store) for _, media in links if media is not None),
        revisions=history,
    )
