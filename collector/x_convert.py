"""X API v2 answers turned into posts; the best mp4 of each video.

An edited X post gets a new id; its first id (`edit_history_tweet_ids[0]`) is kept as
the message id so edits become revisions of one post, and the original posting time is
read from that id (X ids carry their creation time).

An answer is checked as it is read, like any input from outside: a post without a
usable id, date or text is refused by name, and a count or size of the wrong type or
beyond what the archive holds is dropped, so a bad value never fails a batch half-way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from claimwatch.display import displayable
from claimwatch.errors import SourceError
from storage.records import BIGINT_MAX, INT_MAX, Post

X_EPOCH_MS = 1288834974657


@dataclass(frozen=True)
class XMedia:
    kind: str
    url: str | None
    duration: float | None = None
    width: int | None = None
    height: int | None = None
    missing: str | None = None


@dataclass(frozen=True)
class Includes:
    """The expansions of one answer, looked up by key."""

    media: dict[str, dict[str, Any]]
    tweets: dict[str, dict[str, Any]]
    users: dict[str, dict[str, Any]]

    @classmethod
    def of(cls, body: dict[str, Any]) -> Includes:
        found = _mapping(body.get("includes"))
        return cls(
            _keyed(found.get("media"), "media_key"),
            _keyed(found.get("tweets"), "id"),
            _keyed(found.get("users"), "id"),
        )


def answer_tweets(body: dict[str, Any], where: str) -> list[dict[str, Any]]:
    """The posts of an answer (`data`); raises SourceError when it is not a list of posts
    each with an id, naming the request `where`."""
    data = body.get("data") or []
    if not isinstance(data, list) or not all(
        isinstance(t, dict) and x_id(t.get("id")) is not None for t in data
    ):
        raise SourceError(f"X answered {where} with a malformed list of posts")
    return data


def x_id(value: Any) -> int | None:
    """An X id (a string of ASCII digits) the archive can hold; None for anything else."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if number <= BIGINT_MAX else None


def tweet_post(handle: str, tweet: dict[str, Any], includes: Includes) -> Post:
    """The post of one tweet, without media (see `tweet_media`)."""
    version = _required_id(tweet, tweet.get("id"), handle, "no usable 'id'")
    history = tweet.get("edit_history_tweet_ids") or [tweet.get("id")]
    first = _required_id(
        tweet, history[0] if isinstance(history, list) else None, handle, "no usable first id"
    )
    created = _created(tweet, handle)
    refs = _references(tweet)
    origin = includes.tweets.get(refs.get("retweeted") or "", {})
    author = includes.users.get(_text(origin.get("author_id")) or "", {})
    metrics = _mapping(tweet.get("public_metrics"))
    username = _text(author.get("username"))
    return Post(
        platform="x",
        channel=handle,
        message_id=first,
        posted_at=created if first == version else snowflake_time(first),
        text=_post_text(tweet, handle),
        source="x",
        url=f"https://x.com/{handle}/status/{first}",
        views=_count(metrics.get("impression_count")),
        forwards=_count(metrics.get("retweet_count")),
        forwarded_from=f"@{username}" if username else None,
        forwarded_from_id=refs.get("retweeted"),
        reply_to=x_id(refs.get("replied_to")),
        edited_at=created if first != version else None,
    )


def tweet_media(tweet: dict[str, Any], includes: Includes) -> list[XMedia]:
    """The tweet's media (a repost's are the original's), videos as their best mp4."""
    holder = includes.tweets.get(_references(tweet).get("retweeted") or "", tweet)
    keys = _mapping(holder.get("attachments")).get("media_keys") or []
    if not isinstance(keys, list):
        return [XMedia("photo", None, missing="X sent media keys that cannot be read")]
    items: list[XMedia] = []
    for key in keys:
        media = includes.media.get(key) if isinstance(key, str) else None
        if media is None:
            shown = displayable(str(key))[:40]
            items.append(XMedia("photo", None, missing=f"X did not expand media {shown}"))
            continue
        items.extend(_media_items(media))
    return items


def _media_items(media: dict[str, Any]) -> list[XMedia]:
    size: dict[str, Any] = {
        "width": _count(media.get("width"), INT_MAX),
        "height": _count(media.get("height"), INT_MAX),
    }
    if media.get("type") == "photo":
        return [XMedia("photo", _text(media.get("url")), **size)]
    kind = "animation" if media.get("type") == "animated_gif" else "video"
    milliseconds = _number(media.get("duration_ms"))
    duration = milliseconds / 1000 if milliseconds else None
    variants = media.get("variants")
    url = best_mp4(variants if isinstance(variants, list) else [])
    main = XMedia(
        kind,
        url,
        duration,
        **size,
        missing=None if url else "X offered no mp4 variant of this video",
    )
    thumb = _text(media.get("preview_image_url"))
    return [main, XMedia("thumbnail", thumb)] if thumb else [main]


def best_mp4(variants: list[Any]) -> str | None:
    """The URL of the highest-bit-rate video/mp4 variant."""
    mp4 = [
        v
        for v in variants
        if isinstance(v, dict) and v.get("content_type") == "video/mp4" and _text(v.get("url"))
    ]
    if not mp4:
        return None
    return str(max(mp4, key=lambda v: _number(v.get("bit_rate")) or 0)["url"])


def snowflake_time(tweet_id: int) -> datetime:
    """When an X id was made: its top bits count milliseconds since X's epoch."""
    return datetime.fromtimestamp(((tweet_id >> 22) + X_EPOCH_MS) / 1000, UTC)


def _required_id(tweet: dict[str, Any], value: Any, handle: str, problem: str) -> int:
    found = x_id(value)
    if found is None:
        raise _malformed(tweet, handle, problem)
    return found


def _created(tweet: dict[str, Any], handle: str) -> datetime:
    value = tweet.get("created_at")
    try:
        created = datetime.fromisoformat(value.replace("Z", "+00:00"))  # type: ignore[union-attr]
    except (AttributeError, TypeError, ValueError):
        raise _malformed(tweet, handle, "no usable 'created_at'") from None
    if created.tzinfo is None:  # X writes UTC with a Z; without a zone the instant is unknown
        raise _malformed(tweet, handle, "'created_at' has no time zone")
    return created


def _post_text(tweet: dict[str, Any], handle: str) -> str:
    """The whole text: a long post's is in `note_tweet`, `text` holds its first part."""
    whole = _mapping(tweet.get("note_tweet")).get("text")
    text = whole if isinstance(whole, str) and whole else tweet.get("text", "")
    if not isinstance(text, str):
        raise _malformed(tweet, handle, "'text' is not text")
    return text


def _references(tweet: dict[str, Any]) -> dict[str, str]:
    """The ids of the posts this one reposts, quotes or answers, by type."""
    found = tweet.get("referenced_tweets")
    return {
        ref["type"]: ref["id"]
        for ref in (found if isinstance(found, list) else [])
        if isinstance(ref, dict) and _text(ref.get("type")) and x_id(ref.get("id")) is not None
    }


def _malformed(tweet: dict[str, Any], handle: str, problem: str) -> SourceError:
    shown = displayable(repr(tweet.get("id"))[:40])
    return SourceError(f"X post {shown} of @{handle} is malformed: {problem}")


def _count(value: Any, limit: int = BIGINT_MAX) -> int | None:
    """A count or size as the archive holds it; None when absent, not a whole number or
    beyond belief."""
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    return value if 0 <= value <= limit else None


def _number(value: Any) -> float | None:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    return value if math.isfinite(value) and value >= 0 else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _keyed(items: Any, key: str) -> dict[str, dict[str, Any]]:
    """The objects of a list by the text in their `key`; anything else is left out."""
    if not isinstance(items, list):
        return {}
    return {item[key]: item for item in items if isinstance(item, dict) and _text(item.get(key))}
