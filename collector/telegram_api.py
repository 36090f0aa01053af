"""The `telegram` source: the Telegram API through Telethon, with a logged-in user session.

Incremental by message id (`min_id`, oldest first), full-resolution media, forwards with
origin ids, counts, edit dates. FLOOD_WAIT answers are slept through when short and turn
into a rescheduling when long, of every channel read with the session: Telegram imposes
the wait on the account. Posts already converted in the batch are yielded first, so a
long wait never throws work away. A session logged out or ended elsewhere stops every
further request of the process until someone logs in again.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from telethon import errors, utils
from telethon.tl import types

from claimwatch.errors import RateLimitedError, SourceError
from collector.base import Source
from collector.pacing import Clock
from collector.recheck import Recheck, Rechecking
from collector.refetch import Refetching, download_again
from collector.staging import Staging
from collector.telethon_convert import is_post, media_kind, media_meta, message_post
from collector.telethon_link import TelegramLink
from collector.waits import honoured
from storage.media_retries import PendingMedia
from storage.records import Batch, Channel, Checkpoint, MediaRef, Post

T = TypeVar("T")


class TelegramApiSource(Source, Rechecking, Refetching):
    """Posts read through the Telegram API."""

    name = "telegram"
    account_wait = "Telegram's FLOOD_WAIT on the account (its session)"
    by_url = False  # a file is asked for again by its message

    def __init__(
        self,
        link: Callable[[], TelegramLink],
        staging: Staging,
        clock: Clock,
        *,
        max_bytes: int,
        batch_size: int = 100,
        flood_max_wait: float = 900,
        flood_retries: int = 3,
        recheck_recent: int = 0,
    ) -> None:
        self._open_link = link
        self._opened: TelegramLink | None = None
        self._staging = staging
        self._clock = clock
        self.max_bytes = max_bytes
        self.batch_size = batch_size
        self.flood_max_wait = flood_max_wait
        self.flood_retries = flood_retries
        self.recheck_recent = recheck_recent
        self._entities: dict[str, tuple[Any, Channel]] = {}
        self._logged_out: str | None = None
        self._held_until = 0.0  # a FLOOD_WAIT on the session runs until then (clock time)

    @property
    def _link(self) -> TelegramLink:
        """The process's Telethon client, started on first use."""
        if self._opened is None:
            self._opened = self._open_link()
        return self._opened

    def fetch(self, channel: Channel, checkpoint: str | None) -> Iterator[Batch]:
        entity, info = self._entity(channel)
        last = _last_id(checkpoint, channel)
        since = channel.since if last == 0 else None
        while True:
            messages = self._call(
                f"reading {channel.handle}",
                _messages_after,
                self._link.client,
                entity,
                last,
                self.batch_size,
                since,
            )
            if not messages:
                return
            with self._staging.folder() as folder:
                posts, done, stopped = self._convert(info, entity, messages, folder)
                if done > last:
                    yield Batch(info, tuple(posts), Checkpoint(self.name, info.handle, str(done)))
                if stopped is not None:
                    raise stopped
            last, since = done, None
            if len(messages) < self.batch_size:
                return

    def recheck(self, channel: Channel, message_ids: Sequence[int]) -> Recheck:
        """get_messages(ids=...) answers None for each message that is gone."""
        entity, info = self._entity(channel)
        ids = list(message_ids)
        found = self._call(
            f"re-reading {channel.handle}", self._link.client.get_messages, entity, ids=ids
        )
        # Telegram may leave out the ids it no longer has instead of answering None for them.
        present = {message.id for message in found if message is not None}
        deleted = tuple(i for i in ids if i not in present)
        posts = tuple(message_post(info.handle, m, ()) for m in found if is_post(m))
        return Recheck(deleted=deleted, posts=posts, channel=info)

    def download_again(
        self, channel: Channel, items: Sequence[PendingMedia]
    ) -> Iterator[tuple[PendingMedia, MediaRef]]:
        """Read each message again (its file reference is fresh) and download its file."""

        def fetch(item: PendingMedia, folder: Path) -> MediaRef:
            found = self._message_file(channel, item.message_id, folder)
            gone = f"{channel.handle}/{item.message_id} is gone; its file was never saved"
            return found or MediaRef(kind=item.kind, missing=gone)

        return download_again(self._staging, items, fetch)

    def current(self, channel: Channel) -> Channel:
        return self._entity(channel)[1]

    def message_media(self, channel: Channel, message_id: int, folder: Path) -> MediaRef:
        """One message's file, for a video the web preview will not serve."""
        return self._message_file(channel, message_id, folder) or MediaRef(
            kind="video",
            missing=(
                f"too big for the web preview, and the Telegram API has no file for "
                f"{channel.handle}/{message_id}"
            ),
        )

    def _message_file(self, channel: Channel, message_id: int, folder: Path) -> MediaRef | None:
        """The file of a message read afresh (a fresh file reference), or None without one."""
        entity, _ = self._entity(channel)
        found = self._call(
            f"reading {channel.handle}/{message_id}",
            self._link.client.get_messages,
            entity,
            ids=[message_id],
        )
        message = found[0] if found else None
        refs = self._media(entity, message, folder) if is_post(message) else ()
        return refs[0] if refs else None

    def _convert(
        self, channel: Channel, entity: Any, messages: list[Any], folder: Path
    ) -> tuple[list[Post], int, SourceError | None]:
        """Posts of `messages`, the last id done, and what stopped us (a long wait, a
        session logged out), if anything."""
        posts: list[Post] = []
        done = 0
        for message in messages:
            try:
                media = self._media(entity, message, folder) if is_post(message) else ()
            except SourceError as exc:  # only what must stop the channel gets out of _media
                return posts, done, exc
            if is_post(message):
                posts.append(message_post(channel.handle, message, media))
            done = message.id
        return posts, done, None

    def _media(self, entity: Any, message: Any, folder: Path) -> tuple[MediaRef, ...]:
        kind = media_kind(message)
        if kind is None:
            return ()
        meta = media_meta(message, kind)
        if meta.size is not None and meta.size > self.max_bytes:
            return (replace(meta, missing=_too_large(meta.size, self.max_bytes)),)
        target = folder / f"{message.id}{message.file.ext or ''}"
        try:
            saved = self._download(entity, message, target)
        except SourceError as exc:
            if isinstance(exc, RateLimitedError) or self._logged_out is not None:
                raise
            return (replace(meta, missing=f"download failed: {exc}"),)
        size = saved.stat().st_size
        if size > self.max_bytes:
            saved.unlink()
            return (replace(meta, missing=_too_large(size, self.max_bytes)),)
        return (replace(meta, path=saved, size=size),)

    def _download(self, entity: Any, message: Any, target: Path) -> Path:
        what = f"downloading the file of message {message.id}"
        client = self._link.client
        try:
            saved = self._call(what, client.download_media, message, file=str(target))
        except errors.FileReferenceExpiredError:
            # File references expire after a while; a fresh copy of the message has a new one.
            fresh = self._call(what, client.get_messages, entity, ids=[message.id])
            if not fresh or fresh[0] is None:
                raise SourceError(
                    f"message {message.id} vanished before its file was saved"
                ) from None
            try:
                saved = self._call(what, client.download_media, fresh[0], file=str(target))
            except errors.FileReferenceExpiredError:
                raise SourceError(
                    f"the file reference of message {message.id} expired again after the "
                    "message was read afresh (self-destructing media cannot be saved)"
                ) from None
        if saved is None:
            raise SourceError(f"Telegram returned no file for message {message.id}")
        return Path(saved)

    def _entity(self, channel: Channel) -> tuple[Any, Channel]:
        if self._logged_out is not None:
            raise SourceError(self._logged_out)
        # Connects again when Telethon gave up reconnecting after an outage (it stays
        # disconnected then); costs no request while connected.
        self._link.ensure_authorized()
        if channel.handle not in self._entities:
            entity = self._call(
                f"resolving {channel.handle}", self._link.client.get_entity, channel.handle
            )
            if isinstance(entity, types.User):  # reading it would read a private chat
                raise SourceError(
                    f"{channel.handle} names a user account, not a channel: the channel gave up "
                    "or lost this username (or it was mistyped); find the channel's new "
                    "username, or disable it"
                )
            info = Channel(
                channel.platform,
                channel.handle,
                str(utils.get_peer_id(entity)),
                getattr(entity, "title", None) or channel.title,
                channel.group,
                channel.since,
            )
            self._entities[channel.handle] = (entity, info)
        return self._entities[channel.handle]

    def _call(
        self, what: str, call: Callable[..., Coroutine[Any, Any, T]], *args: Any, **kwargs: Any
    ) -> T:
        """Run a Telegram call, sleeping through short FLOOD_WAITs with jitter."""
        if self._logged_out is not None:
            raise SourceError(self._logged_out)
        left = self._held_until - self._clock.time()
        if left > 0:  # the wait is the session's: no call of any channel may be made
            raise RateLimitedError(
                f"Telegram's FLOOD_WAIT on this session runs {left:,.0f} s more; "
                f"{what} waits till then",
                left,
            )
        for attempt in range(self.flood_retries + 1):
            try:
                return self._link.run(call(*args, **kwargs))
            except (errors.FloodWaitError, errors.FloodPremiumWaitError) as exc:
                if exc.seconds > self.flood_max_wait or attempt == self.flood_retries:
                    self._held_until = self._clock.time() + honoured(exc.seconds)[0]
                    raise RateLimitedError(
                        f"Telegram asks to wait {exc.seconds} s (FLOOD_WAIT) before {what}; "
                        "the channel is rescheduled",
                        float(exc.seconds),
                    ) from None
                self._clock.sleep(exc.seconds + self._clock.jittered(min(exc.seconds, 10) + 1))
            except errors.FileReferenceExpiredError:
                raise
            except (errors.UnauthorizedError, errors.AuthKeyError) as exc:
                self._logged_out = _logged_out(what, exc)
                raise SourceError(self._logged_out) from None
            except errors.RPCError as exc:
                raise SourceError(f"Telegram refused {what}: {exc}") from None
            except (ValueError, ConnectionError, OSError) as exc:
                raise SourceError(f"{what} failed: {exc}") from None
        raise AssertionError("unreachable")


async def _messages_after(
    client: Any, entity: Any, min_id: int, limit: int, since: Any
) -> list[Any]:
    """The `limit` oldest messages after `min_id` (and after `since`, when given)."""
    return [
        m
        async for m in client.iter_messages(
            entity, limit=limit, min_id=min_id, reverse=True, offset_date=since
        )
    ]


def _last_id(checkpoint: str | None, channel: Channel) -> int:
    if checkpoint is None:
        return 0
    if not checkpoint.isdigit():
        raise SourceError(
            f"telegram checkpoint of {channel.handle} is {checkpoint!r}, not a message id"
        )
    return int(checkpoint)


def _logged_out(what: str, exc: Exception) -> str:
    return (
        f"the Telegram session was logged out or revoked ({what}: {exc}): it was ended "
        "from another device, expired, or the account was banned. "
        "Nothing more is asked of Telegram until you log in again: run `claimwatch login` "
        "(stop `claimwatch run` first; it holds the session)"
    )


def _too_large(size: int, limit: int) -> str:
    return (
        f"too large: {size / 1048576:.1f} MB is more than the collection limit of "
        f"{limit / 1048576:.1f} MB (collect.max_media_mb); not downloaded"
    )
