"""A post's media: files copied into the store and the links that tie them to the post.

A file is copied before the post's transaction (the store is idempotent by hash); a link
that was recorded missing is completed when its file arrives later (a retried download).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimwatch.errors import InputError
from storage.media_store import MediaStore, StoredFile
from storage.models import MediaRow, PostMediaRow, PostRow
from storage.records import MediaRef, Post
from storage.timeutil import utcnow

FINGERPRINTED_KINDS = frozenset({"video", "photo", "animation", "video_message", "gif"})
REFUSED = "refused: "  # how a file the store would not take is recorded


def link_media(
    session: Session,
    row: PostRow,
    post: Post,
    stored: dict[int, StoredFile | str],
    links: dict[int, PostMediaRow] | None = None,
) -> tuple[int, int]:
    """Link each media item; a link that was missing is completed when the file arrives.
    `links` are the post's links by position when known (none, for a post just added)."""
    existing = links
    if existing is None:
        query = select(PostMediaRow).where(PostMediaRow.post_id == row.id)
        existing = {link.position: link for link in session.scalars(query)}
    new_files = missing = 0
    for position, ref in enumerate(post.media):
        link = existing.get(position)
        if link is not None and link.media_sha256 is not None:
            continue
        entry = stored.get(id(ref))
        sha: str | None = None
        reason: str | None = entry if isinstance(entry, str) else None
        if isinstance(entry, StoredFile):
            sha = media_row(session, entry, ref)
        else:
            reason = reason or ref.missing or "no file was delivered"

        if link is None:
            session.add(
                PostMediaRow(
                    post_id=row.id,
                    position=position,
                    kind=ref.kind,
                    media_sha256=sha,
                    url=ref.url,
                    file_name=ref.file_name,
                    missing=reason,
                )
            )
        else:
            link.media_sha256, link.missing = sha, reason
        new_files += sha is not None
        missing += sha is None
    return new_files, missing


def put_file(media: MediaStore, ref: MediaRef) -> StoredFile | str | None:
    """The file a collector delivered with `ref`, copied into the store; the reason it was
    refused ("refused: ..."); or None when no file came."""
    if ref.path is None or ref.missing is not None:
        return None
    try:
        return media.put(ref.path, ref.file_name, ref.mime)
    except (InputError, OSError) as exc:
        return f"{REFUSED}{exc}"


def media_row(session: Session, entry: StoredFile, ref: MediaRef) -> str:
    """The sha256 of a stored file, adding its media row if it is new to the archive."""
    sha = entry.sha256
    if session.get(MediaRow, sha) is None:
        session.add(
            MediaRow(
                sha256=sha,
                kind=ref.kind,
                mime=ref.mime,
                size=entry.size,
                path=entry.relative_path,
                duration=ref.duration,
                width=ref.width,
                height=ref.height,
                status="pending" if ref.kind in FINGERPRINTED_KINDS else "skipped",
                error=None,
                created_at=utcnow(),
            )
        )
        session.flush()
    return sha
