"""Response headers that keep hostile archive content inert in the analyst's browser.

Post text, channel names and file names come from armed groups' channels. Templates
escape them; these headers are the second wall: no inline or foreign script runs, the page
cannot be framed, the browser never guesses a content type, and no address leaks out.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "media-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


class SecurityHeaders:
    """Adds the headers above to every response (a route's own CSP is kept when stricter)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    if name not in headers:
                        headers[name] = value
                if "cache-control" not in headers:
                    # Pages show evidence and who reviewed it: keep them out of caches.
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HostCheck:
    """Refuses requests for other host names, so a DNS-rebinding page cannot reach us."""

    def __init__(self, app: ASGIApp, allowed: frozenset[str] | None) -> None:
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.allowed is None:
            await self.app(scope, receive, send)
            return
        host = _host(scope)
        if host in self.allowed:
            await self.app(scope, receive, send)
            return
        body = (
            f"This server does not answer for the host name {host!r}. Reach it by an allowed "
            "name, or set review.public_url to the address analysts use.\n"
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 421,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _host(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"host":
            host = value.decode("latin-1").lower()
            if host.startswith("["):
                return host.split("]")[0] + "]"
            return host.rsplit(":", 1)[0]
    return ""


def allowed_hosts(bind_host: str, public_url: str) -> frozenset[str] | None:
    """Loopback names, the bound address and the public URL's host; None allows any.

    Bound to every interface with no public URL, the server cannot know its own name.
    """
    from urllib.parse import urlsplit

    if bind_host in ("0.0.0.0", "::", "") and not public_url:
        return None
    names = {"127.0.0.1", "localhost", "[::1]", bind_host.lower()}
    public_host = urlsplit(public_url).hostname if public_url else None
    if public_host:
        names.add(public_host.lower())
    return frozenset(names)
