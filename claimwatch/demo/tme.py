"""A local stand-in for a channel's public web preview, for the demo's collection stage.

The demo runs offline, so it serves the sample channel's posts the way t.me/s shows a
channel (pages of ten, oldest first on each page, a `before` cursor to older pages) from
127.0.0.1, with the media files beside them. Post text is escaped into the page as t.me
does, and read back verbatim by the collector.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from storage.records import Post

PAGE = 10


class LocalPreview:
    """t.me/s/<handle> for one channel, on a free port until `close`."""

    def __init__(self, handle: str, posts: Sequence[Post]) -> None:
        self.handle = handle
        self.posts = {post.message_id: post for post in posts}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def respond(self, target: str) -> tuple[int, str, bytes]:
        parts = urlsplit(target)
        query = parse_qs(parts.query)
        if parts.path == f"/s/{self.handle}":
            before = int(query["before"][0]) if "before" in query else None
            return 200, "text/html; charset=utf-8", self._page(before).encode()
        if parts.path.startswith("/file/"):
            return self._file(parts.path.removeprefix("/file/"))
        if "embed" in query:
            exists = parts.path.rsplit("/", 1)[-1] in {str(i) for i in self.posts}
            body = "" if exists else '<div class="tgme_widget_message_error">Post not found</div>'
            return 200, "text/html; charset=utf-8", body.encode()
        return 404, "text/plain", b"not found"

    def _page(self, before: int | None) -> str:
        ids = sorted(i for i in self.posts if before is None or i < before)[-PAGE:]
        more = ""
        if ids and ids[0] > min(self.posts):
            more = (
                f'<a class="tme_messages_more" href="/s/{self.handle}?before={ids[0]}" '
                f'data-before="{ids[0]}"></a>'
            )
        body = "".join(self._message(self.posts[i]) for i in ids)
        return (
            f'<html><body><div class="tgme_channel_info_header_title">{self.handle}</div>'
            f'<section class="tgme_channel_history">{more}{body}</section></body></html>'
        )

    def _message(self, post: Post) -> str:
        link = f"https://t.me/{self.handle}/{post.message_id}"
        text = html.escape(post.text).replace("\n", "<br/>")
        media = "".join(
            self._media(post.message_id, i, ref.kind)
            for i, ref in enumerate(post.media)
            if ref.path
        )
        return (
            f'<div class="tgme_widget_message" data-post="{self.handle}/{post.message_id}">'
            f'{media}<div class="tgme_widget_message_text js-message_text">{text}</div>'
            f'<span class="tgme_widget_message_views">{post.views or 0}</span>'
            f'<span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" '
            f'href="{link}"><time datetime="{post.posted_at.isoformat()}"></time></a></span>'
            "</div>"
        )

    def _media(self, message_id: int, index: int, kind: str) -> str:
        url = f"{self.url}/file/{message_id}-{index}"
        if kind == "video":
            return (
                f'<a class="tgme_widget_message_video_player"><video '
                f'class="tgme_widget_message_video" src="{url}"></video>'
                '<div class="message_video_play"></div></a>'
            )
        return (
            f'<a class="tgme_widget_message_photo_wrap" '
            f"style=\"background-image:url('{url}')\"></a>"
        )

    def _file(self, name: str) -> tuple[int, str, bytes]:
        message_id, _, index = name.partition("-")
        post = self.posts.get(int(message_id)) if message_id.isdigit() else None
        ref = post.media[int(index)] if post and index.isdigit() else None
        if ref is None or ref.path is None:
            return 404, "text/plain", b"not found"
        return 200, ref.mime or "application/octet-stream", Path(ref.path).read_bytes()


def _handler(preview: LocalPreview) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, kind, body = preview.respond(self.path)
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler
