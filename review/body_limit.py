"""A cap on request bodies, refused with 413 the way every other error is shown.

Starlette's own cap answers in plain text, without the security headers; under /api/ a
notebook expects JSON like every other error there, and a person expects the error page.
A body that says it is too large is refused before any route runs; one that turns out too
large while it is read stops the route that reads it.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ErrorPage = Callable[[Request, int, str], Response]


class BodyTooLargeError(HTTPException):
    """Raised while a body is read, past the cap: the route's error handler shows it."""

    def __init__(self, max_bytes: int) -> None:
        message = f"The request is too large: at most {max_bytes:,} bytes are accepted."
        super().__init__(413, message)


class BodyLimit:
    """Refuses request bodies over `max_bytes` with a 413 shown by `error_page`."""

    def __init__(self, app: ASGIApp, max_bytes: int, error_page: ErrorPage) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.error_page = error_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _declared(scope) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        received, started = 0, False

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise BodyTooLargeError(self.max_bytes)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited, watched)
        except BodyTooLargeError:
            if started:
                raise
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = BodyTooLargeError(self.max_bytes).detail
        await self.error_page(Request(scope, receive), 413, message)(scope, receive, send)


def _declared(scope: Scope) -> int:
    """The Content-Length the client sent; 0 when it sent none (or nonsense)."""
    value = Headers(scope=scope).get("content-length", "")
    return int(value) if value.isdigit() else 0
