"""A stand-in for Telethon's TelegramClient at the collector's edge.

It hands out REAL telethon.tl messages (built by the helpers below, finished the way
Telethon finishes them), and fails on cue: FLOOD_WAIT on the n-th call of a method,
expired file references, deleted messages, a session that is not logged in or that was
ended elsewhere, a network outage after which Telethon gives up reconnecting.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from telethon import errors, utils
from telethon.tl import types

CHANNEL_ID = 1234567890
ORIGIN_ID = 555000
START = datetime(2024, 2, 1, 6, 0, tzinfo=UTC)


def channel_entity(
    channel_id: int = CHANNEL_ID, title: str = "Test Channel", username: str = "testchan"
) -> types.Channel:
    return types.Channel(
        id=channel_id,
        title=title,
        photo=types.ChatPhotoEmpty(),
        date=START - timedelta(days=400),
        broadcast=True,
        access_hash=42,
        username=username,
    )


def message(
    message_id: int, text: str = "", minutes: int | None = None, **fields: Any
) -> types.Message:
    date = START + timedelta(minutes=message_id if minutes is None else minutes)
    return types.Message(
        id=message_id,
        peer_id=types.PeerChannel(CHANNEL_ID),
        date=date,
        message=text,
        post=True,
        **fields,
    )


def service(message_id: int) -> types.MessageService:
    return types.MessageService(
        id=message_id,
        peer_id=types.PeerChannel(CHANNEL_ID),
        date=START + timedelta(minutes=message_id),
        action=types.MessageActionPinMessage(),
    )


def photo(media_id: int, size: int) -> types.MessageMediaPhoto:
    sizes: list[Any] = [types.PhotoSize("m", 320, 180, 900), types.PhotoSize("y", 1280, 720, size)]
    return types.MessageMediaPhoto(
        photo=types.Photo(
            id=media_id, access_hash=1, file_reference=b"ref", date=START, sizes=sizes, dc_id=2
        )
    )


def video(
    media_id: int,
    size: int,
    name: str | None = "launch.mp4",
    duration: float = 12.0,
    gif: bool = False,
    round_message: bool = False,
) -> types.MessageMediaDocument:
    attributes: list[Any] = [
        types.DocumentAttributeVideo(duration, 1280, 720, round_message=round_message)
    ]
    if name:
        attributes.append(types.DocumentAttributeFilename(name))
    if gif:
        attributes.append(types.DocumentAttributeAnimated())
    document = types.Document(
        id=media_id,
        access_hash=1,
        file_reference=b"ref",
        date=START,
        mime_type="video/mp4",
        size=size,
        dc_id=2,
        attributes=attributes,
    )
    return types.MessageMediaDocument(document=document, video=not gif, round=round_message)


def forward_from_channel(channel_id: int, post: int) -> types.MessageFwdHeader:
    return types.MessageFwdHeader(
        date=START - timedelta(days=1), from_id=types.PeerChannel(channel_id), channel_post=post
    )


class _EntityCache:
    def get(self, key: Any) -> None:
        return None


class FakeClient:
    """Async methods with TelegramClient's names and the arguments the collector uses."""

    def __init__(self, messages: list[Any], files: dict[int, bytes] | None = None) -> None:
        self.messages = {m.id: m for m in messages}
        self.files = files or {}
        self.entity = channel_entity()
        self.others: dict[str, types.Channel] = {}  # more channels by username, with no posts
        self.resolved: list[str] = []  # the handles asked for, in order
        self.entities = {
            utils.get_peer_id(e): e for e in (self.entity, channel_entity(ORIGIN_ID, "Origin"))
        }
        self.deleted: set[int] = set()
        self.floods: dict[tuple[str, int], int] = {}
        self.premium_floods: dict[tuple[str, int], int] = {}  # FLOOD_PREMIUM_WAIT, downloads
        self.refused: dict[str, Exception] = {}  # every call of a method fails so, while set
        self.drops: set[tuple[str, int]] = set()  # the n-th call finds the network down
        self.offline = False  # connecting fails
        self.expired: set[int] = set()
        self.stale: set[int] = set()  # file references no fresh read renews (self-destructing)
        self.omits_deleted = False  # get_messages leaves deleted ids out instead of None
        self.broken: Counter[int] = Counter()  # downloads of a message that fail first
        self.unreachable = 0  # reads of single messages that fail first
        self.calls: Counter[str] = Counter()
        self.authorized = True
        self.connected = False
        self.signed_in: tuple[str, str, str] | None = None
        self._self_id = 999
        self._mb_entity_cache = _EntityCache()

    def _call(self, name: str) -> None:
        self.calls[name] += 1
        if not self.connected:  # as Telethon's sender, once it gave up reconnecting
            raise ConnectionError("Cannot send requests while disconnected")
        if (name, self.calls[name]) in self.drops:
            self.connected = False
            raise ConnectionError("Automatic reconnection failed 5 time(s)")
        if name in self.refused:
            raise self.refused[name]
        seconds = self.floods.pop((name, self.calls[name]), None)
        if seconds is not None:
            raise errors.FloodWaitError(None, capture=seconds)
        seconds = self.premium_floods.pop((name, self.calls[name]), None)
        if seconds is not None:
            raise errors.FloodPremiumWaitError(None, capture=seconds)

    def _finished(self, found: Any) -> Any:
        found._finish_init(self, self.entities, None)
        return found

    def is_connected(self) -> bool:
        return self.connected

    async def connect(self) -> None:
        if self.offline:
            raise ConnectionError("Connection to Telegram failed 5 time(s)")
        self.connected = True

    async def disconnect(self) -> None:
        self.connected = False

    async def is_user_authorized(self) -> bool:
        return self.authorized

    async def get_entity(self, handle: str) -> types.Channel:
        self.resolved.append(handle)
        self._call("get_entity")
        if handle in self.others:
            return self.others[handle]
        if handle != self.entity.username:
            raise ValueError(f'No user has "{handle}" as username')
        return self.entity

    async def iter_messages(
        self,
        entity: Any,
        limit: int | None = None,
        *,
        min_id: int = 0,
        reverse: bool = False,
        offset_date: datetime | None = None,
    ) -> AsyncIterator[Any]:
        self._call("iter_messages")
        assert reverse and (entity is self.entity or entity in self.others.values())
        mine = self.messages if entity is self.entity else {}
        ids = sorted(i for i in mine if i > min_id and i not in self.deleted)
        if offset_date is not None:
            ids = [i for i in ids if self.messages[i].date > offset_date]
        for found in ids[:limit]:
            yield self._finished(self.messages[found])

    async def get_messages(self, entity: Any, ids: list[int]) -> list[Any]:
        self._call("get_messages")
        if self.unreachable > 0:
            self.unreachable -= 1
            raise ConnectionError("Connection reset by peer")
        found = [
            None
            if i in self.deleted or i not in self.messages
            else self._finished(self.messages[i])
            for i in ids
        ]
        return [m for m in found if m is not None] if self.omits_deleted else found

    async def download_media(self, found: Any, file: str) -> str:
        self._call("download_media")
        if self.broken[found.id] > 0:
            self.broken[found.id] -= 1
            raise ConnectionError("Connection reset by peer")
        if found.id in self.expired or found.id in self.stale:
            self.expired.discard(found.id)
            raise errors.FileReferenceExpiredError(None)
        Path(file).write_bytes(self.files[found.id])
        return file

    async def start(
        self,
        phone: Callable[[], str],
        code_callback: Callable[[], str],
        password: Callable[[], str],
    ) -> FakeClient:
        self.signed_in = (phone(), code_callback(), password())
        self.authorized = True
        return self

    async def get_me(self) -> types.User:
        return types.User(id=4242, first_name="Ana", last_name="Lyst", username="analyst")
