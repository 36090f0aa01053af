"""The collector tests' fake X API v2 (FakeX) served over HTTP on 127.0.0.1, for a real
`claimwatch run` process: API paths are answered as api.x.com would, anything else is a
media file looked up by its full local URL. The bearer token the service sends is checked
against the one the test configured, then handed to FakeX as the token it expects.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from claimwatch.demo.posts import claim
from tests.collector.fake_x import FakeX, tweet
from tests.service.channel import photo

HANDLE = "warcube"
CLAIMS = (
    ("فجر اليوم", "هدفاً حيوياً في طبريا المحتلة"),
    ("مساء اليوم", "هدفاً في أم الرشراش (إيلات) المحتلة"),
    ("ظهر اليوم", "قاعدة رامون الجوية"),
)


class XServer:
    """FakeX on a free port until `close`; `url` is the API base and the media host."""

    def __init__(self, fake: FakeX, token: str) -> None:
        self.fake = fake
        self.token = token
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def answer(self, path: str, headers: dict[str, str]) -> httpx.Response:
        if path.startswith("/2/"):
            sent = headers.get("authorization", "")
            known = "Bearer test-token" if sent == f"Bearer {self.token}" else "refused"
            request = httpx.Request(
                "GET", f"https://api.x.com{path}", headers={"authorization": known}
            )
        else:
            request = httpx.Request("GET", f"{self.url}{path}")
        return self.fake.handle(request)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def claims_account(server: XServer) -> int:
    """Three claims by @warcube, each with a photo on the local media host; posts made."""
    fake = server.fake
    for n, (when, target) in enumerate(CLAIMS, start=1):
        url = f"{server.url}/media/x{n}.jpg"
        fake.media[f"3_{n}"] = {"media_key": f"3_{n}", "type": "photo", "url": url}
        fake.files[url] = photo(seed=50 + n)
        fake.tweets.append(tweet(n, claim(when, target), attachments={"media_keys": [f"3_{n}"]}))
    return len(CLAIMS)


def _handler(server: XServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            response = server.answer(self.path, headers)
            self.send_response(response.status_code)
            for key in ("content-type", "x-rate-limit-remaining", "x-rate-limit-reset"):
                if key in response.headers:
                    self.send_header(key, response.headers[key])
            self.send_header("Content-Length", str(len(response.content)))
            self.end_headers()
            self.wfile.write(response.content)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
