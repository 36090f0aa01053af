"""The `telegram-web` source: a channel's public web preview, no account needed.

The preview shows the newest page first and links to older pages through its own
`before` cursor. A run walks back from the newest page to the last checkpoint, then
yields the pages oldest first, one batch per page, downloading media per batch. So the
checkpoint only ever advances over posts that are stored. The walk itself is held in
memory (post records only, no media), so a crash during it costs the requests, not data.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from claimwatch.errors import NoPreviewError, RateLimitedError, SourceError
from collector.base import Source
from collector.http import Http
from collector.media_download import MediaDownloader
from collector.recheck import Recheck, Rechecking
from collector.refetch import Refetching, download_again, from_url
from collector.staging import Staging
from collector.web_media import TOO_BIG_HINT, WebMedia
from collector.web_parse import WebPage, WebPost, embed_state, parse_page
from storage.media_retries import PASSING, PendingMedia
from storage.records import Batch, Channel, Checkpoint, MediaRef, Post

RECHECK_PAGES = 3


class MediaFallback(Protocol):
    """Another way to fetch a message's file: the Telegram API, for videos too big here.

    Answers a MediaRef (with `missing` when there is no file); raises SourceError when
    it cannot ask, RateLimitedError when asked to wait.
    """

    def message_media(self, channel: Channel, message_id: int, folder: Path) -> MediaRef: ...


class TelegramWebSource(Source, Rechecking, Refetching):
    """Posts from https://t.me/s/<channel>."""

    name = "telegram-web"

    def __init__(
        self,
        http: Http,
        media: MediaDownloader,
        staging: Staging,
        *,
        base_url: str = "https://t.me",
        recheck_recent: int = 0,
        fallback: MediaFallback | None = None,
    ) -> None:
        self._http = http
        self._media = media
        self._staging = staging
        self._base = base_url.rstrip("/")
        self.recheck_recent = recheck_recent
        self.fallback = fallback
        self.by_url = fallback is None  # with the API, a too-big video is asked for by id

    def download_again(
        self, channel: Channel, items: Sequence[PendingMedia]
    ) -> Iterator[tuple[PendingMedia, MediaRef]]:
        """From the link's URL, or through the Telegram API for a video the preview won't serve."""
        stored_url = from_url(self._media)

        def fetch(item: PendingMedia, folder: Path) -> MediaRef:
            if item.url:
                return stored_url(item, folder)
            unserved = MediaRef(kind=item.kind, missing=TOO_BIG_HINT)
            return self._from_api(channel, item.message_id, unserved, folder)

        return download_again(self._staging, items, fetch)

    def fetch(self, channel: Channel, checkpoint: str | None) -> Iterator[Batch]:
        last = _last_id(checkpoint, channel)
        pages = self._walk(channel, last)
        info = _described(channel, pages[0])
        for page in reversed(pages):
            top = max(page.ids, default=0)
            if top <= last:
                continue
            fresh = [p for p in page.posts if p.message_id > last and _wanted(p, channel)]
            with self._staging.folder() as folder:
                posts = tuple(self._post(info, p, folder) for p in fresh)
                yield Batch(info, posts, Checkpoint(self.name, channel.handle, str(top)))
            last = top

    def recheck(self, channel: Channel, message_ids: Sequence[int]) -> Recheck:
        """Re-read the newest pages; an id missing there is deleted once its embed says so."""
        if not message_ids:
            return Recheck()
        seen: dict[int, WebPost] = {}
        url = self._page_url(channel)
        info = channel
        for _ in range(RECHECK_PAGES):
            page = self._page(url, channel)
            info = _described(info, page)
            seen.update((post.message_id, post) for post in page.posts)
            if not page.ids or min(page.ids) <= min(message_ids) or page.before is None:
                break
            url = self._page_url(channel, page.before)
        low = min(seen, default=None)
        if low is None:
            return Recheck(channel=info)
        gone = [i for i in message_ids if i not in seen and i >= low and self._deleted(channel, i)]
        current = [seen[i] for i in message_ids if i in seen and not seen[i].service]
        posts = tuple(self._convert(channel, post, ()) for post in current)
        return Recheck(deleted=tuple(gone), posts=posts, channel=info)

    def _walk(self, channel: Channel, last: int) -> list[WebPage]:
        """Pages from the newest back to the one holding the checkpoint (or `since`)."""
        pages = [self._page(self._page_url(channel), channel)]
        while True:
            page = pages[-1]
            if not page.ids or min(page.ids) <= last or page.before is None:
                return pages
            oldest = next((p.posted_at for p in page.posts if p.posted_at), None)
            if channel.since is not None and oldest is not None and oldest < channel.since:
                return pages
            if len(pages) > 1 and page.before >= (pages[-2].before or 0):
                raise SourceError(
                    f"{self._page_url(channel)}: the older-posts cursor stopped "
                    f"going back (before={page.before}); refusing to loop"
                )
            pages.append(self._page(self._page_url(channel, page.before), channel))

    def _page(self, url: str, channel: Channel) -> WebPage:
        response = self._http.get(url)
        if not urlsplit(str(response.url)).path.startswith(urlsplit(self._base).path + "/s/"):
            raise NoPreviewError(
                f"t.me/{channel.handle} has no public web preview ({url} led to "
                f"{response.url}); it is private, restricted or gone: collect it with "
                'method = "telegram"'
            )
        if response.status_code != 200:
            raise SourceError(f"{url} answered HTTP {response.status_code}")
        return parse_page(response.text, url)

    def _page_url(self, channel: Channel, before: int | None = None) -> str:
        url = f"{self._base}/s/{channel.handle}"
        return url if before is None else f"{url}?before={before}"

    def _deleted(self, channel: Channel, message_id: int) -> bool:
        url = f"{self._base}/{channel.handle}/{message_id}?embed=1&mode=tme"
        response = self._http.get(url)
        return response.status_code == 200 and embed_state(response.text) == "deleted"

    def _post(self, channel: Channel, post: WebPost, folder: Path) -> Post:
        return self._convert(
            channel, post, tuple(self._ref(channel, post, m, folder) for m in post.media)
        )

    def _ref(self, channel: Channel, post: WebPost, item: WebMedia, folder: Path) -> MediaRef:
        if item.url is not None:
            return self._media.fetch(item.url, folder, item.kind, duration=item.duration)
        missing = MediaRef(kind=item.kind, duration=item.duration, missing=item.missing)
        if item.kind != "video":
            return missing
        return self._from_api(channel, post.message_id, missing, folder)

    def _from_api(
        self, channel: Channel, message_id: int, unserved: MediaRef, folder: Path
    ) -> MediaRef:
        """The file through the Telegram API; when the API fails, a reason worth a retry."""
        if self.fallback is None:
            return unserved
        try:
            return self.fallback.message_media(channel, message_id, folder)
        except RateLimitedError:
            raise
        except SourceError as exc:
            reason = f"{PASSING}: {unserved.missing}; the Telegram API failed too: {exc}"
            return replace(unserved, missing=reason)

    def _convert(self, channel: Channel, post: WebPost, media: tuple[MediaRef, ...]) -> Post:
        assert post.posted_at is not None  # only service messages lack a date
        return Post(
            platform="telegram",
            channel=channel.handle,
            message_id=post.message_id,
            posted_at=post.posted_at.astimezone(UTC),
            text=post.text,
            source="telegram-web",
            url=post.url,
            views=post.views,
            forwarded_from=post.forwarded_from,
            forwarded_from_id=post.forwarded_from_id,
            reply_to=post.reply_to,
            grouped_id=post.grouped_id,
            author=post.author,
            media=media,
            # The preview shows that a post was edited, not when: the first time we saw
            # the mark is the latest the edit can have happened.
            edited_at=datetime.fromtimestamp(self._http.clock.time(), UTC) if post.edited else None,
        )


def _last_id(checkpoint: str | None, channel: Channel) -> int:
    if checkpoint is None:
        return 0
    if not checkpoint.isdigit():
        raise SourceError(
            f"telegram-web checkpoint of {channel.handle} is {checkpoint!r}, not a message id"
        )
    return int(checkpoint)


def _wanted(post: WebPost, channel: Channel) -> bool:
    if post.service or post.posted_at is None:
        return False
    return channel.since is None or post.posted_at >= channel.since


def _described(channel: Channel, page: WebPage) -> Channel:
    return Channel(
        channel.platform,
        channel.handle,
        page.channel_id or channel.external_id,
        page.title or channel.title,
        channel.group,
        channel.since,
    )
