"""Archive fixtures for scoring tests: posts (with media files) ingested through the store."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from storage import Store
from storage.records import Batch, Channel, MediaRef, Post, StoredPost


def add_post(
    store: Store,
    message_id: int,
    posted_at: datetime,
    text: str,
    channel: str = "sabreen",
    media: Path | None = None,
    group: str = "Islamic Resistance in Iraq",
) -> StoredPost:
    """Ingest one post (with a video file when `media` is given) and return it as stored."""
    refs = (MediaRef("video", path=media, file_name=media.name, mime="video/mp4"),) if media else ()
    post = Post("telegram", channel, message_id, posted_at, text, "telegram-web", media=refs)
    store.archive.ingest(Batch(Channel("telegram", channel, group=group), (post,)))
    stored = store.archive.find("telegram", channel, message_id)
    assert stored is not None
    return stored


def video_file(folder: Path, name: str, content: bytes) -> Path:
    """A stand-in media file: scoring reads matches and statuses, never the pixels."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content)
    return path
