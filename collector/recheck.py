"""The second, optional interface of a source: re-reading posts it already delivered.

Deletion events are unreliable (Telethon only sees them for joined channels, and drops
them under load; the web preview and X send none), so deletions and edits are found by
asking the platform again about the newest archived posts.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass

from storage.records import Channel, Post


@dataclass(frozen=True)
class Recheck:
    """What the platform says now about posts we hold.

    `posts` carry current text, views and edit marks but no media: storing them adds a
    revision when the text changed and never touches the archived media. `channel` is the
    channel as the platform described it (with its id), so that the archive can refuse
    the answer when the handle now names another channel.
    """

    deleted: tuple[int, ...] = ()
    posts: tuple[Post, ...] = ()
    channel: Channel | None = None


class Rechecking(ABC):
    """A source that can re-read the posts it delivered."""

    recheck_recent: int = 0

    @abstractmethod
    def recheck(self, channel: Channel, message_ids: Sequence[int]) -> Recheck:
        """Ask the platform about `message_ids` of `channel` (the newest archived ones)."""
