"""Where an archived file was posted: the posts that carry it, first posted first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage import Store


@dataclass(frozen=True)
class PostedAt:
    channel: str
    message_id: int
    posted_at: datetime
    url: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "message_id": self.message_id,
            "posted_at": self.posted_at.isoformat(),
            "url": self.url,
        }


def posts_carrying(store: Store, sha256: str) -> tuple[PostedAt, ...]:
    """The posts that carry the archived file `sha256`, first posted first."""
    return tuple(
        PostedAt(p.post.channel, p.post.message_id, p.post.posted_at, p.post.url)
        for p in store.archive.posts_with_media(sha256)
    )
