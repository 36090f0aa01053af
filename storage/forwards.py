"""The original of a forwarded post, when the archive holds it.

A forward repeats a statement as its channel first posted it, so the statement's "today"
is the day of the original, not of the forward a day later. Sources name the original in
`forwarded_from_id`: the web preview as "<handle>/<message id>" (or "c/<channel id>/<message
id>"), the Telegram API as "<channel id>/<message id>", X as the re-posted post's id with
its author in `forwarded_from`. The archive does not keep the original's date with the
forward; it knows it when it follows the original's channel too.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from storage.database import chunks
from storage.models import ChannelRow, PostRow
from storage.records import canonical_channel_id, handle_key

_MESSAGE_ID = re.compile(r"[0-9]{1,18}")
Key = tuple[int, int]  # (channel row id, message id)


def originals(session: Session, post_ids: Collection[int]) -> dict[int, datetime]:
    """For each of these posts that forwards an archived post: when the original was posted."""
    channels = _Channels(session)
    wanted: dict[Key, list[int]] = {}
    for part in chunks(list(post_ids)):
        for row in session.execute(_forwards().where(PostRow.id.in_(part))):
            key = channels.origin(row.platform, row.forwarded_from, row.forwarded_from_id)
            if key is not None:
                wanted.setdefault(key, []).append(row.id)
    by_channel: dict[int, list[int]] = {}
    for channel_id, message_id in wanted:
        by_channel.setdefault(channel_id, []).append(message_id)
    found: dict[int, datetime] = {}
    for channel_id, messages in by_channel.items():
        for part in chunks(messages):
            query = select(PostRow.message_id, PostRow.posted_at).where(
                PostRow.channel_id == channel_id, PostRow.message_id.in_(part)
            )
            for message_id, posted_at in session.execute(query):
                found.update(dict.fromkeys(wanted[channel_id, message_id], posted_at))
    return found


def forwards_of(session: Session, post_ids: Collection[int]) -> set[int]:
    """The archived forwards of any of these posts."""
    keys: set[Key] = set()
    for part in chunks(list(post_ids)):
        query = select(PostRow.channel_id, PostRow.message_id).where(PostRow.id.in_(part))
        keys.update((channel, message) for channel, message in session.execute(query))
    if not keys:
        return set()
    channels = _Channels(session)
    found = set()
    for row in session.execute(_forwards()):
        key = channels.origin(row.platform, row.forwarded_from, row.forwarded_from_id)
        if key is not None and key in keys:
            found.add(row.id)
    return found


def _forwards() -> Select[int, str, str | None, str | None]:
    return (
        select(PostRow.id, ChannelRow.platform, PostRow.forwarded_from, PostRow.forwarded_from_id)
        .join(ChannelRow, ChannelRow.id == PostRow.channel_id)
        .where(PostRow.forwarded_from_id.is_not(None))
    )


class _Channels:
    """The archive's channels by platform and handle (in any case), and by channel id."""

    def __init__(self, session: Session) -> None:
        self._by_handle: dict[tuple[str, str], int] = {}
        self._by_id: dict[tuple[str, str], int] = {}
        query = select(
            ChannelRow.id, ChannelRow.platform, ChannelRow.handle, ChannelRow.external_id
        )
        for row_id, platform, handle, external_id in session.execute(query.order_by(ChannelRow.id)):
            self._by_handle.setdefault((platform, handle_key(handle)), row_id)
            canonical = canonical_channel_id(external_id)
            if canonical is not None:
                self._by_id.setdefault((platform, canonical), row_id)

    def origin(self, platform: str, name: str | None, origin: str | None) -> Key | None:
        """The (channel row, message id) a forward names as its original, if archived:
        `name` and `origin` are the forward's `forwarded_from` and `forwarded_from_id`."""
        parts = (origin or "").split("/")
        if platform == "x":
            handle = handle_key((name or "").removeprefix("@"))
            return self._key(self._by_handle.get((platform, handle)), origin)
        if len(parts) == 3 and parts[0] == "c":
            channel = self._by_id.get((platform, canonical_channel_id(parts[1]) or ""))
        elif len(parts) == 2 and re.fullmatch(r"-?[0-9]+", parts[0]):
            channel = self._by_id.get((platform, canonical_channel_id(parts[0]) or ""))
        elif len(parts) == 2:
            channel = self._by_handle.get((platform, handle_key(parts[0])))
        else:
            return None
        return self._key(channel, parts[-1])

    @staticmethod
    def _key(channel: int | None, message: str | None) -> Key | None:
        if channel is None or message is None or not _MESSAGE_ID.fullmatch(message):
            return None
        return channel, int(message)
