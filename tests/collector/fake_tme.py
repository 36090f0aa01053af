"""A stand-in for t.me and its CDN on 127.0.0.1: saved preview pages and media files.

Routes map a request path with its query to replies; a list of replies is served in
order (the last repeats). `hold` makes a route block until released, to catch a
collector in the middle of a batch.
"""

from __future__ import annotations

import base64
import contextlib
import json
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGES = Path(__file__).parent / "pages"


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    chunked: bool = False
    cut: int | None = None  # bytes of the body sent before the connection drops


class FakeTme:
    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.requests: list[str] = []
        self.arrived: defaultdict[str, threading.Event] = defaultdict(threading.Event)
        self.hold: dict[str, threading.Event] = {}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def route(self, path: str, *replies: Reply) -> None:
        self.routes[path] = list(replies)

    def page(self, path: str, name: str, channel_id: int | None = None) -> None:
        """Serve a saved page; `channel_id` replaces the channel id in its posts' data-view."""
        text = (PAGES / name).read_text(encoding="utf-8").replace("@BASE@", self.url)
        if channel_id is not None:
            text = _DATA_VIEW.sub(lambda m: f'data-view="{_view(m[1], channel_id)}"', text)
        self.route(path, Reply(body=text.encode(), headers={"Content-Type": "text/html"}))

    def file(self, name: str, body: bytes, content_type: str, chunked: bool = False) -> None:
        self.route(
            f"/file/{name}",
            Reply(body=body, headers={"Content-Type": content_type}, chunked=chunked),
        )

    def close(self) -> None:
        for event in self.hold.values():
            event.set()
        self._server.shutdown()
        self._server.server_close()

    def reply_for(self, path: str) -> Reply:
        self.requests.append(path)
        self.arrived[path].set()
        if path in self.hold:
            self.hold[path].wait(60)
        key = path if path in self.routes else path.split("?")[0]
        replies = self.routes.get(key)
        if not replies:
            return Reply(404, b"not found")
        return replies.pop(0) if len(replies) > 1 else replies[0]


_DATA_VIEW = re.compile(r'data-view="([^"]+)"')


def _view(data_view: str, channel_id: int) -> str:
    view = json.loads(base64.urlsafe_b64decode(data_view + "=" * (-len(data_view) % 4)))
    text = json.dumps({**view, "c": channel_id}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(text).decode().rstrip("=")


def _handler(fake: FakeTme) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            reply = fake.reply_for(self.path)
            self.send_response(reply.status)
            for key, value in reply.headers.items():
                self.send_header(key, value)
            try:
                if reply.chunked:
                    self._chunked(reply.body)
                elif reply.cut is not None:
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body[: reply.cut])
                    self.close_connection = True
                else:
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

        def _chunked(self, body: bytes) -> None:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for start in range(0, len(body), 65536):
                part = body[start : start + 65536]
                self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")

        def handle(self) -> None:
            # The collector hangs up early on a refused oversized file.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                super().handle()

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


MEDIA = {
    "photo102.jpg": "image/jpeg",
    "album105.jpg": "image/jpeg",
    "album107.jpg": "image/jpeg",
    "thumb106.jpg": "image/jpeg",
    "thumb108.jpg": "image/jpeg",
    "thumb110.jpg": "image/jpeg",
    "photo113.jpg": "image/jpeg",
    "3f9a1c.mp4": "video/mp4",
    "7c1e02.mp4": "video/mp4",
}
HUGE = 3 * 1024 * 1024


def media_bytes(name: str) -> bytes:
    """Distinct small bytes per file, so each is its own entry in the media store."""
    return (f"{name} ".encode()) * 200


def serve_testchan(fake: FakeTme, channel_id: int | None = None) -> None:
    """The channel `testchan`: three pages, an embed of a deleted post, and its media.

    `channel_id`: the id its pages give (by default -1001234567890).
    """
    fake.page("/s/testchan", "testchan.html", channel_id)
    fake.page("/s/testchan?before=108", "testchan_before_108.html", channel_id)
    fake.page("/s/testchan?before=103", "testchan_before_103.html", channel_id)
    fake.page("/testchan/112?embed=1&mode=tme", "embed_deleted.html")
    for name, mime in MEDIA.items():
        fake.file(name, media_bytes(name), mime)
    fake.file("huge111.jpg", b"\xff" * HUGE, "image/jpeg", chunked=True)
