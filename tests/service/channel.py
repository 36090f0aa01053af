"""A channel of attack claims with real (tiny) photos and videos, served as t.me/s pages.

The pages go on the collector tests' FakeTme, so its `hold` can stop the service in the
middle of a batch. Pages hold PAGE posts, newest page first with a `before` cursor, as
t.me shows a channel; every media file is a real JPEG or MP4 a few KB long, different
per post, so the media job has something to fingerprint.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
from PIL import Image

from claimwatch.demo.posts import claim
from storage.timeutil import utcnow
from tests.collector.fake_tme import FakeTme, Reply
from tests.review.clips import pattern_clip

HANDLE = "irqres"
PAGE = 3
FIRST_ID = 201
TARGETS = (
    ("فجر اليوم", "هدفاً حيوياً في طبريا المحتلة"),
    ("صباح اليوم", "هدفاً في أم الرشراش (إيلات) المحتلة"),
    ("ظهر اليوم", "هدفاً حيوياً في الجولان المحتل"),
    ("عصر اليوم", "قاعدة رامون الجوية"),
    ("مساء اليوم", "هدفاً حيوياً في حيفا المحتلة"),
)
STATEMENT = "بيان: تبارك المقاومة الإسلامية في العراق العمليات البطولية لإخوتنا في لبنان."


@dataclass(frozen=True)
class MediaFile:
    name: str
    kind: str  # "photo" or "video"
    body: bytes

    @property
    def mime(self) -> str:
        return "video/mp4" if self.kind == "video" else "image/jpeg"


@dataclass(frozen=True)
class ChannelPost:
    message_id: int
    posted_at: datetime
    text: str
    media: tuple[MediaFile, ...] = ()


def make_posts(count: int, folder: Path, videos: tuple[int, ...] = (1, 4)) -> list[ChannelPost]:
    """`count` posts from FIRST_ID, an hour apart and ending an hour ago: claims with a
    photo each, a statement every fourth post, a video on the posts at `videos`."""
    start = utcnow().replace(microsecond=0) - timedelta(hours=count + 1)
    posts = []
    for n in range(count):
        when, target = TARGETS[n % len(TARGETS)]
        text = STATEMENT if n % 4 == 3 else claim(when, target)
        media = [MediaFile(f"p{FIRST_ID + n}.jpg", "photo", photo(seed=n))]
        if n in videos:
            media.append(MediaFile(f"v{FIRST_ID + n}.mp4", "video", video(folder, seed=n)))
        posts.append(ChannelPost(FIRST_ID + n, start + timedelta(hours=n), text, tuple(media)))
    return posts


def photo(seed: int) -> bytes:
    blocks = np.random.default_rng(seed).integers(0, 255, size=(6, 8, 3), dtype=np.uint8)
    pixels = np.kron(blocks, np.ones((8, 8, 1), dtype=np.uint8))
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="JPEG", quality=90)
    return out.getvalue()


def video(folder: Path, seed: int) -> bytes:
    return pattern_clip(folder / f"clip{seed}.mp4", seconds=2, seed=100 + seed).read_bytes()


def serve(fake: FakeTme, posts: list[ChannelPost]) -> None:
    """Put the channel's pages and files on `fake` (again after posts were added)."""
    ids = [p.message_id for p in posts]
    by_id = {p.message_id: p for p in posts}
    tops = [None] + [ids[i] for i in range(len(ids) - PAGE, 0, -PAGE)]
    for before in tops:
        shown = [i for i in ids if before is None or i < before][-PAGE:]
        path = f"/s/{HANDLE}" + (f"?before={before}" if before else "")
        more = shown[0] if shown[0] > ids[0] else None
        body = page(fake.url, [by_id[i] for i in shown], more)
        fake.route(path, Reply(body=body.encode(), headers={"Content-Type": "text/html"}))
    for post in posts:
        for item in post.media:
            fake.file(item.name, item.body, item.mime)


def page(base: str, posts: list[ChannelPost], more: int | None) -> str:
    cursor = (
        f'<a class="tme_messages_more js-messages_more" href="/s/{HANDLE}?before={more}" '
        f'data-before="{more}"></a>'
        if more is not None
        else ""
    )
    body = "".join(message(base, post) for post in posts)
    return (
        '<!DOCTYPE html><html><body><div class="tgme_channel_info_header_title">'
        f'<span dir="auto">Islamic Resistance</span></div><section class="tgme_channel_history">'
        f"{cursor}{body}</section></body></html>"
    )


def message(base: str, post: ChannelPost) -> str:
    link = f"https://t.me/{HANDLE}/{post.message_id}"
    text = html.escape(post.text).replace("\n", "<br/>")
    media = "".join(media_html(base, item) for item in post.media)
    return (
        f'<div class="tgme_widget_message_wrap"><div class="tgme_widget_message" '
        f'data-post="{HANDLE}/{post.message_id}">{media}'
        f'<div class="tgme_widget_message_text js-message_text" dir="auto">{text}</div>'
        '<span class="tgme_widget_message_views">1.2K</span>'
        '<span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" '
        f'href="{link}"><time datetime="{post.posted_at.isoformat()}"></time></a></span>'
        "</div></div>"
    )


def media_html(base: str, item: MediaFile) -> str:
    url = f"{base}/file/{item.name}"
    if item.kind == "video":
        return (
            '<a class="tgme_widget_message_video_player js-message_video_player">'
            f'<video class="tgme_widget_message_video js-message_video" src="{url}"></video>'
            '<div class="message_video_play js-message_video_play"></div>'
            '<time class="message_video_duration js-message_video_duration">0:02</time></a>'
        )
    return f'<a class="tgme_widget_message_photo_wrap" style="background-image:url(\'{url}\')"></a>'
