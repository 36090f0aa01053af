"""X API v2 answers turned into posts; the best mp4 of each video.

An edited X post gets a new id; its first id (`edit_history_tweet_ids[0]`) is kept as
the message id so edits become revisions of one post, and the original posting time is
read from that id (X ids carry their creation time).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from claimwatch.errors import SourceError
from storage.records import Post

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
        found = body.get("includes") or {}
        return cls(
            {m.get("media_key", ""): m for m in found.get("media", [])},
            {t.get("id", ""): t for t in found.get("tweets", [])},
            {u.get("id", ""): u for u in found.get("users", [])},
        )


def tweet_post(handle: str, tweet: dict[str, Any], includes: Includes) -> Post:
    """The post of one tweet, without media (see `tweet_media`)."""
    try:
        version = int(tweet["id"])
        history = tweet.get("edit_history_tweet_ids") or [tweet["id"]]
        first = int(history[0])
        created = datetime.fromisoformat(tweet["created_at"].replace("Z", "+00:00"))
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise SourceError(f"X post {tweet.get('id')!r} of @{handle} is malformed: {exc}") from None
    metrics = tweet.get("public_metrics") or {}
    refs = {r.get("type"): r.get("id") for r in tweet.get("referenced_tweets") or []}
    origin = includes.tweets.get(refs.get("retweeted") or "", {})
    author = includes.users.get(origin.get("author_id", ""), {})
    return Post(
        platform="x",
        channel=handle,
        message_id=first,
        posted_at=created if first == version else snowflake_time(first),
        text=(tweet.get("note_tweet") or {}).get("text") or tweet.get("text", ""),
        source="x",
        url=f"https://x.com/{handle}/status/{first}",
        views=metrics.get("impression_count"),
        forwards=metrics.get("retweet_count"),
        forwarded_from=f"@{author['username']}" if author.get("username") else None,
        forwarded_from_id=refs.get("retweeted"),
        reply_to=int(refs["replied_to"]) if str(refs.get("replied_to", "")).isdigit() else None,
        edited_at=created if first != version else None,
    )


def tweet_media(tweet: dict[str, Any], includes: Includes) -> list[XMedia]:
    """The tweet's media (a repost's are the original's), videos as their best mp4."""
    refs = {r.get("type"): r.get("id") for r in tweet.get("referenced_tweets") or []}
    holder = includes.tweets.get(refs.get("retweeted") or "", tweet)
    keys = (holder.get("attachments") or {}).get("media_keys") or []
    items: list[XMedia] = []
    for key in keys:
        media = includes.media.get(key)
        if media is None:
            items.append(XMedia("photo", None, missing=f"X did not expand media {key}"))
            continue
        items.extend(_media_items(media))
    return items


def _media_items(media: dict[str, Any]) -> list[XMedia]:
    size = {"width": media.get("width"), "height": media.get("height")}
    if media.get("type") == "photo":
        return [XMedia("photo", media.get("url"), **size)]
    kind = "animation" if media.get("type") == "animated_gif" else "video"
    duration = media["duration_ms"] / 1000 if media.get("duration_ms") else None
    url = best_mp4(media.get("variants") or [])
    main = XMedia(
        kind,
        url,
        duration,
        **size,
        missing=None if url else "X offered no mp4 variant of this video",
    )
    thumb = media.get("preview_image_url")
    return [main, XMedia("thumbnail", thumb)] if thumb else [main]


def best_mp4(variants: list[dict[str, Any]]) -> str | None:
    """The URL of the highest-bit-rate video/mp4 variant."""
    mp4 = [v for v in variants if v.get("content_type") == "video/mp4" and v.get("url")]
    if not mp4:
        return None
    return str(max(mp4, key=lambda v: v.get("bit_rate") or 0)["url"])


def snowflake_time(tweet_id: int) -> datetime:
    """When an X id was made: its top bits count milliseconds since X's epoch."""
    return datetime.fromtimestamp(((tweet_id >> 22) + X_EPOCH_MS) / 1000, UTC)
