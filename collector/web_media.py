"""The media of a web-preview post: photos, videos with their thumbnails, album items.

URLs are only read here, never fetched; the downloader checks each against the
platform's hosts. A video too big for the preview has no file URL, only its thumbnail and
the preview's own label ("Media is too big"), which becomes the `missing` reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from selectolax.lexbor import LexborNode

from claimwatch.errors import SourceError

PHOTO = "a.tgme_widget_message_photo_wrap"
VIDEO = ".tgme_widget_message_video_player"
TOO_BIG_HINT = "the web preview does not serve this file"
SKIPPED_SUBTREES = ("media_not_supported_cont", "tgme_widget_message_reply")
_NUMBER = re.compile(r"[0-9]{1,18}")  # ASCII digits that fit a signed 64-bit integer


@dataclass(frozen=True)
class WebMedia:
    """A media item as the preview shows it; `url` is None when the preview has no file."""

    kind: str
    url: str | None
    duration: float | None = None
    missing: str | None = None


def whole_number(text: str) -> int | None:
    """A message id or other whole number of the markup (ASCII digits, 64-bit); else None."""
    return int(text) if _NUMBER.fullmatch(text) else None


def album_items(node: LexborNode, where: str) -> list[tuple[int, str, tuple[WebMedia, ...]]]:
    """(message id, link, media) of each album item, in order; empty when not an album."""
    wrap = node.css_first(".tgme_widget_message_grouped_wrap")
    if wrap is None or skipped(wrap, node):
        return []
    items = []
    for item in wrap.css(".grouped_media_wrap"):
        link = urlsplit(item.attributes.get("href") or "")
        path = link.path.strip("/").split("/")
        item_id = whole_number(path[1]) if len(path) == 2 else None
        if item_id is None:
            raise SourceError(f"{where}: an album item has no message link (…/<id>?single)")
        url = f"{link.scheme}://{link.netloc}{link.path}"
        items.append((item_id, url, _item_media(item)))
    return items


def post_media(node: LexborNode, where: str) -> tuple[WebMedia, ...]:
    """The media of a post that is not an album."""
    media: list[WebMedia] = []
    for item in node.css(
        f"{PHOTO}, {VIDEO}, audio.tgme_widget_message_voice, .tgme_widget_message_document_wrap"
    ):
        if skipped(item, node) or _inside_link_preview(item, node):
            continue
        media.extend(_item_media(item))
    return tuple(media)


def _item_media(item: LexborNode) -> tuple[WebMedia, ...]:
    classes = (item.attributes.get("class") or "").split()
    if "tgme_widget_message_video_player" in classes:
        return _video(item)
    if "tgme_widget_message_photo_wrap" in classes:
        url = style_url(item.attributes.get("style"))
        return (WebMedia("photo", url, missing=None if url else "the preview shows no file"),)
    if item.tag == "audio":
        duration = _text(
            item.parent.css_first(".tgme_widget_message_voice_duration") if item.parent else None
        )
        return (WebMedia("voice", item.attributes.get("src"), parse_duration(duration)),)
    return (
        WebMedia(
            "document",
            None,
            missing=(
                "documents are not offered by the web preview; collect this channel with "
                'method = "telegram" to archive them'
            ),
        ),
    )


def _video(player: LexborNode) -> tuple[WebMedia, ...]:
    video = player.css_first("video.tgme_widget_message_video[src]")
    duration = parse_duration(_text(player.css_first("time.message_video_duration")))
    thumb = style_url(
        (player.css_first("i.tgme_widget_message_video_thumb") or player).attributes.get("style")
    )
    animated = video is not None and player.css_first(".message_video_play") is None
    kind = "animation" if animated else "video"
    if video is not None:
        main = WebMedia(kind, video.attributes.get("src"), duration)
    else:
        label = _text(player.css_first(".message_media_not_supported_label")) or "no file"
        main = WebMedia(kind, None, duration, missing=f"{label} ({TOO_BIG_HINT})")
    return (main, WebMedia("thumbnail", thumb)) if thumb else (main,)


def skipped(node: LexborNode, root: LexborNode) -> bool:
    """Is `node` inside a duplicate copy or a quoted reply within the message `root`?"""
    return _inside(node, root, SKIPPED_SUBTREES)


def _inside_link_preview(node: LexborNode, root: LexborNode) -> bool:
    return _inside(node, root, ("tgme_widget_message_link_preview",))


def _inside(node: LexborNode, root: LexborNode, classes: tuple[str, ...]) -> bool:
    parent = node.parent
    while parent is not None and parent.mem_id != root.mem_id:
        if set(classes) & set((parent.attributes.get("class") or "").split()):
            return True
        parent = parent.parent
    return False


def style_url(style: str | None) -> str | None:
    """The URL in a `background-image:url('...')` style attribute."""
    if not style:
        return None
    start = style.find("url(")
    if start < 0:
        return None
    end = style.find(")", start)
    value = style[start + 4 : end if end > 0 else None].strip().strip("'\"")
    return value or None


def parse_duration(text: str | None) -> float | None:
    """'0:22' -> 22.0, '1:02:03' -> 3723.0; None when absent or unreadable."""
    if not text:
        return None
    seconds = 0.0
    for part in text.strip().split(":"):
        number = whole_number(part)
        if number is None:
            return None
        seconds = seconds * 60 + number
    return seconds


def _text(node: LexborNode | None) -> str | None:
    if node is None:
        return None
    return node.text(deep=True).strip() or None
