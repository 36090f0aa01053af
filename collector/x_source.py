"""The `x` source: an account's posts through the X API v2 (needs a bearer token).

The timeline runs newest first and pages backwards with `pagination_token`; a run reads
every page newer than the checkpoint (`since_id`), then yields them oldest first, so the
checkpoint only advances over stored posts. A first run reads `first_run_pages` pages, or
back to the channel's `since` date: X bills every post read.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from claimwatch.display import displayable
from claimwatch.errors import SourceError
from collector.base import Source
from collector.media_download import MediaDownloader
from collector.recheck import Recheck, Rechecking
from collector.refetch import Refetching, download_again, from_url
from collector.staging import Staging
from collector.x_api import TIMELINE_FIELDS, XApi
from collector.x_convert import Includes, XMedia, answer_tweets, tweet_media, tweet_post, x_id
from storage.media_retries import PendingMedia
from storage.records import Batch, Channel, Checkpoint, MediaRef, Post

NOT_FOUND = "https://api.twitter.com/2/problems/resource-not-found"
MAX_PAGES = 1_000  # X serves an account's newest 3,200 posts: 640 pages at the least size


class XSource(Source, Rechecking, Refetching):
    """Posts of X accounts."""

    name = "x"
    account_wait = "X's rate limit on the account (its bearer token)"

    def __init__(
        self,
        api: XApi,
        media: MediaDownloader,
        staging: Staging,
        *,
        page_size: int = 20,
        first_run_pages: int = 1,
        exclude: Sequence[str] = (),
        recheck_recent: int = 0,
    ) -> None:
        self._api = api
        self._media = media
        self._staging = staging
        self.page_size = page_size
        self.first_run_pages = first_run_pages
        self.exclude = tuple(exclude)
        self.recheck_recent = recheck_recent
        self._users: dict[str, Channel] = {}

    def download_again(
        self, channel: Channel, items: Sequence[PendingMedia]
    ) -> Iterator[tuple[PendingMedia, MediaRef]]:
        return download_again(self._staging, items, from_url(self._media))

    def fetch(self, channel: Channel, checkpoint: str | None) -> Iterator[Batch]:
        info = self._user(channel)
        tweets = self._timeline(info, checkpoint)
        for start in range(0, len(tweets), self.page_size):
            part = tweets[start : start + self.page_size]
            top = max(int(tweet["id"]) for tweet, _ in part)
            with self._staging.folder() as folder:
                posts = tuple(self._post(info, tweet, includes, folder) for tweet, includes in part)
                yield Batch(info, posts, Checkpoint(self.name, channel.handle, str(top)))

    def recheck(self, channel: Channel, message_ids: Sequence[int]) -> Recheck:
        """Look the posts up again; X answers resource-not-found for deleted ones."""
        info = self._user(channel)
        deleted: list[int] = []
        posts: list[Post] = []
        for start in range(0, len(message_ids), 100):
            asked = message_ids[start : start + 100]
            body = self._api.get("/2/tweets", {"ids": ",".join(map(str, asked)), **TIMELINE_FIELDS})
            includes = Includes.of(body)
            posts.extend(
                tweet_post(info.handle, t, includes)
                for t in answer_tweets(body, "/2/tweets")
                if _latest_version(t)
            )
            deleted.extend(_not_found(body, asked))
        return Recheck(deleted=tuple(deleted), posts=tuple(posts), channel=info)

    def _timeline(
        self, info: Channel, checkpoint: str | None
    ) -> list[tuple[dict[str, Any], Includes]]:
        """Every post newer than the checkpoint, oldest first, each with its expansions."""
        params: dict[str, str | int] = {"max_results": self.page_size, **TIMELINE_FIELDS}
        if checkpoint:
            params["since_id"] = checkpoint
        elif info.since is not None:
            params["start_time"] = info.since.strftime("%Y-%m-%dT%H:%M:%SZ")
        if self.exclude:
            params["exclude"] = ",".join(self.exclude)
        found: list[tuple[dict[str, Any], Includes]] = []
        path = f"/2/users/{info.external_id}/tweets"
        tokens: set[str] = set()
        for page in range(MAX_PAGES):
            body = self._api.get(path, params)
            if "data" not in body and body.get("errors"):
                # A protected or suspended account answers 200 with errors and no posts.
                raise SourceError(f"X will not show the posts of @{info.handle}: {_detail(body)}")
            includes = Includes.of(body)
            found.extend((tweet, includes) for tweet in answer_tweets(body, path))
            token = _next_token(body, path)
            limited = not checkpoint and info.since is None
            if token is None or (limited and page + 1 >= self.first_run_pages):
                return sorted(found, key=lambda item: int(item[0]["id"]))
            if token in tokens:
                # Every page is billed, and storing what was read would move the
                # checkpoint past the posts on the pages never reached.
                raise SourceError(
                    f"X named the same next page twice (pagination_token "
                    f"{displayable(token)[:40]!r}) for "
                    f"@{info.handle}; stopped rather than read it again"
                )
            params["pagination_token"] = token
            tokens.add(token)
        raise SourceError(f"X kept naming a next page of @{info.handle} after {MAX_PAGES} pages")

    def _user(self, channel: Channel) -> Channel:
        if channel.handle not in self._users:
            body = self._api.get(f"/2/users/by/username/{channel.handle}")
            user = body.get("data")
            if not isinstance(user, dict) or x_id(user.get("id")) is None:
                problem = _detail(body, "no such account")
                raise SourceError(f"X account @{channel.handle} cannot be read: {problem}")
            name = user.get("name")
            self._users[channel.handle] = replace(
                channel,
                external_id=user["id"],
                title=name if isinstance(name, str) and name else channel.title,
            )
        return self._users[channel.handle]

    def _post(
        self, channel: Channel, tweet: dict[str, Any], includes: Includes, folder: Path
    ) -> Post:
        media = tuple(self._download(item, folder) for item in tweet_media(tweet, includes))
        return replace(tweet_post(channel.handle, tweet, includes), media=media)

    def _download(self, item: XMedia, folder: Path) -> MediaRef:
        if item.url is None:
            return MediaRef(kind=item.kind, duration=item.duration, missing=item.missing)
        return self._media.fetch(
            item.url,
            folder,
            item.kind,
            duration=item.duration,
            width=item.width,
            height=item.height,
        )


def _next_token(body: dict[str, Any], path: str) -> str | None:
    """The token of the next older page; None on the last page. An answer whose `meta`
    cannot be read is refused: taken as the last page, it would skip older posts."""
    meta = body.get("meta")
    meta = {} if meta is None else meta
    if not isinstance(meta, dict):
        raise SourceError(f"X answered {path} with 'meta' that is not an object")
    token = meta.get("next_token")
    if token is not None and not (isinstance(token, str) and token):
        raise SourceError(f"X answered {path} with a next_token that is not text")
    return token


def _not_found(body: dict[str, Any], asked: Sequence[int]) -> list[int]:
    """The posts among `asked` that a lookup says do not exist (deleted)."""
    errors = body.get("errors")
    gone = [
        x_id(error.get("resource_id"))
        for error in (errors if isinstance(errors, list) else [])
        if isinstance(error, dict) and error.get("type") == NOT_FOUND
    ]
    return [found for found in gone if found is not None and found in asked]


def _detail(body: dict[str, Any], otherwise: str = "X gave no reason") -> str:
    """What the first error of an answer says, for the operator."""
    errors = body.get("errors")
    first = errors[0] if isinstance(errors, list) and errors else {}
    found = first.get("detail") or first.get("title") if isinstance(first, dict) else None
    return displayable(str(found or otherwise))[:300]


def _latest_version(tweet: dict[str, Any]) -> bool:
    """Looking up an edited post's first id answers its first text: not a new revision."""
    history = tweet.get("edit_history_tweet_ids")
    return not isinstance(history, list) or not history or history[-1] == tweet.get("id")
