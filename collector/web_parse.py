"""Telegram's public web preview (t.me/s/<channel>) read into plain records.

Only the markup facts in the collection reference are relied on. A page without the
channel's message list, or a post without an id or a date, raises SourceError naming the
page: a half-read post must never reach the archive as if it were the whole post.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from claimwatch.errors import SourceError
from collector.web_media import WebMedia, album_items, post_media, skipped, whole_number
from storage.records import BIGINT_MAX

TEXT = ".tgme_widget_message_text.js-message_text"
_COUNT = re.compile(r"([0-9]+(?:\.[0-9]+)?)([KMB]?)")


@dataclass(frozen=True)
class WebPost:
    """One message as the preview shows it; an album item is a message of its own."""

    message_id: int
    posted_at: datetime | None
    text: str
    url: str | None
    views: int | None = None
    edited: bool = False
    author: str | None = None
    forwarded_from: str | None = None
    forwarded_from_id: str | None = None
    reply_to: int | None = None
    grouped_id: int | None = None
    media: tuple[WebMedia, ...] = ()
    service: bool = False


@dataclass(frozen=True)
class WebPage:
    """One page of a channel's preview, posts oldest first."""

    slug: str | None
    title: str | None
    channel_id: str | None
    posts: tuple[WebPost, ...]
    before: int | None

    @property
    def ids(self) -> list[int]:
        return [post.message_id for post in self.posts]


def parse_page(html: str, where: str) -> WebPage:
    """Read a t.me/s page; raises SourceError when it is not a channel's message list."""
    tree = LexborHTMLParser(html)
    history = tree.css_first(".tgme_channel_history")
    if history is None:
        raise SourceError(
            f"{where}: no message list (.tgme_channel_history) on the page; it is not a "
            "channel preview, or Telegram changed its markup"
        )
    nodes = history.css("div.tgme_widget_message[data-post]")
    posts = [post for node in nodes for post in _message(node, where)]
    first = nodes[0] if nodes else None
    return WebPage(
        slug=_post_ref(first, where)[0] if first else None,
        title=_text_of(tree.css_first(".tgme_channel_info_header_title")),
        channel_id=_channel_id(first.attributes.get("data-view") if first else None),
        posts=tuple(sorted(posts, key=lambda p: p.message_id)),
        before=_cursor(tree, where),
    )


def embed_state(html: str) -> str:
    """'deleted', 'present' or 'unknown' for a single-post embed page."""
    tree = LexborHTMLParser(html)
    if tree.css_first("div.tgme_widget_message_error") is not None:
        return "deleted"
    if tree.css_first("div.tgme_widget_message[data-post]") is not None:
        return "present"
    return "unknown"


def _message(node: LexborNode, where: str) -> list[WebPost]:
    slug, message_id = _post_ref(node, where)
    where = f"{where} post {slug}/{message_id}"
    date = node.css_first("a.tgme_widget_message_date time[datetime]")
    if "service_message" in (node.attributes.get("class") or "").split():
        return [WebPost(message_id, _date(date, where) if date else None, "", None, service=True)]
    if date is None:
        raise SourceError(f"{where} has no date (a.tgme_widget_message_date time)")
    text = _text(node)
    origin = _forward(node.css_first(".tgme_widget_message_forwarded_from"))
    post = WebPost(
        message_id,
        posted_at=_date(date, where),
        text=text,
        url=date.parent.attributes.get("href") if date.parent else None,
        views=parse_count(_text_of(node.css_first("span.tgme_widget_message_views"))),
        edited=_edited(node.css_first("span.tgme_widget_message_meta")),
        author=_text_of(node.css_first(".tgme_widget_message_from_author")),
        forwarded_from=origin[0],
        forwarded_from_id=origin[1],
        reply_to=_reply_to(node.css_first("a.tgme_widget_message_reply[href]"), slug),
    )
    items = album_items(node, where)
    if not items:
        return [replace(post, media=post_media(node, where))]
    caption_id = message_id if message_id in [item[0] for item in items] else items[0][0]
    return [
        replace(
            post,
            message_id=item_id,
            url=url,
            grouped_id=message_id,
            media=media,
            text=text if item_id == caption_id else "",
        )
        for item_id, url, media in items
    ]


def _post_ref(node: LexborNode, where: str) -> tuple[str, int]:
    value = node.attributes.get("data-post") or ""
    slug, _, number = value.rpartition("/")
    found = whole_number(number)
    if not slug or found is None:
        raise SourceError(f"{where}: a message has a malformed data-post {value!r}")
    return slug, found


def _date(node: LexborNode, where: str) -> datetime:
    value = node.attributes.get("datetime") or ""
    try:
        posted = datetime.fromisoformat(value)
    except ValueError:
        raise SourceError(f"{where} has a malformed date {value!r}") from None
    if posted.tzinfo is None:
        raise SourceError(f"{where} has a date without a time zone {value!r}")
    return posted


def _text(node: LexborNode) -> str:
    """The message text: the innermost text blocks, links as their text, <br> as newline."""
    blocks = [b for b in node.css(TEXT) if not skipped(b, node)]
    innermost = [b for b in blocks if not _descendants(b, TEXT)]
    return "\n".join("".join(_flatten(block)) for block in innermost)


def _descendants(node: LexborNode, selector: str) -> list[LexborNode]:
    """Matches below `node` (lexbor's css() also matches the node itself)."""
    return [match for match in node.css(selector) if match.mem_id != node.mem_id]


def _flatten(node: LexborNode) -> list[str]:
    """The texts below `node` in order, <br> as a newline. Walked with a stack of its own,
    not by recursion: a page may nest tags deeper than Python's recursion limit."""
    out: list[str] = []
    waiting = _children(node)
    while waiting:
        child = waiting.pop()
        if child.tag == "-text":
            out.append(child.text_content or "")
        elif child.tag == "br":
            out.append("\n")
        else:
            waiting.extend(_children(child))
    return out


def _children(node: LexborNode) -> list[LexborNode]:
    """The children of `node`, last first (the order `_flatten` takes them off)."""
    return list(node.iter(include_text=True))[::-1]


def _edited(meta: LexborNode | None) -> bool:
    if meta is None:
        return False
    own = "".join(c.text_content or "" for c in meta.iter(include_text=True) if c.tag == "-text")
    return "edited" in own.lower()


def _forward(block: LexborNode | None) -> tuple[str | None, str | None]:
    if block is None:
        return None, None
    name = block.css_first(".tgme_widget_message_forwarded_from_name")
    label = _text_of(name) if name else _text_of(block)
    if name is None and label and label.lower().startswith("forwarded from"):
        label = label[len("forwarded from") :].strip() or None
    href = name.attributes.get("href") if name else None
    origin = urlsplit(href).path.strip("/") if href else None
    return label, origin or None


def _reply_to(anchor: LexborNode | None, slug: str) -> int | None:
    if anchor is None:
        return None
    parts = urlsplit(anchor.attributes.get("href") or "").path.strip("/").split("/")
    if len(parts) == 2 and parts[0].lower() == slug.lower():
        return whole_number(parts[1])
    return None


def _cursor(tree: LexborHTMLParser, where: str) -> int | None:
    more = tree.css_first("a.tme_messages_more[data-before]")
    if more is None:
        return None
    value = more.attributes.get("data-before") or ""
    cursor = whole_number(value)
    if cursor is None:
        raise SourceError(f"{where}: the older-posts link has a malformed cursor {value!r}")
    return cursor


def _channel_id(data_view: str | None) -> str | None:
    """The channel id in a message's data-view (base64url JSON without padding, key c)."""
    if not data_view:
        return None
    try:
        raw = base64.urlsafe_b64decode(data_view + "=" * (-len(data_view) % 4))
        value = json.loads(raw).get("c")
    except (binascii.Error, ValueError, AttributeError, RecursionError):
        return None
    return str(value) if isinstance(value, int) else None


def parse_count(text: str | None) -> int | None:
    """'987' -> 987, '12.3K' -> 12300, '1.48M' -> 1480000; None when absent or unreadable."""
    if not text:
        return None
    found = _COUNT.fullmatch(text.strip().upper().replace(",", ""))
    if found is None:
        return None
    scale = {"K": 1_000, "M": 1_000_000, "B": 1_000_000_000}.get(found[2], 1)
    count = round(float(found[1]) * scale)
    return count if count <= BIGINT_MAX else None


def _text_of(node: LexborNode | None) -> str | None:
    if node is None:
        return None
    return node.text(deep=True).strip() or None
