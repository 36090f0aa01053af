"""Cross-site request forgery protection for every request that changes something.

Every POST (or PUT, PATCH, DELETE) made with a session must carry the session's token,
either in the `csrf_token` form field or in the `X-CSRF-Token` header (for scripts). The
check sits in one middleware in front of all routes, so no route can forget it; requests
authenticated by an API token carry no ambient credential and need none.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ErrorPage = Callable[[Request, int, str], Response]

FIELD = "csrf_token"
HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_FORM_BYTES = 64 * 1024
REFUSED = (
    "This form has expired or did not come from this site, so nothing was changed. "
    "Go back, reload the page and try again."
)


def csrf_token(session: MutableMapping[str, Any]) -> str:
    """The session's token, made on first use."""
    token = session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


class CSRFProtection:
    """Refuses state-changing requests whose token is missing or wrong, with a 403 shown
    as `error_page` shows every other error."""

    def __init__(self, app: ASGIApp, error_page: ErrorPage) -> None:
        self.app = app
        self.error_page = error_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] in SAFE_METHODS
            or scope.get("auth_via") == "token"
        ):
            await self.app(scope, receive, send)
            return
        expected = scope.get("session", {}).get("csrf")
        headers = Headers(scope=scope)
        if _same(headers.get(HEADER), expected):
            await self.app(scope, receive, send)
            return
        body, complete = await _read_body(receive)
        if not complete:
            await self._refuse(scope, receive, send, 413, "The form is too large.")
            return
        if not _form_token_ok(headers, body, expected):
            await self._refuse(scope, receive, send, 403, REFUSED)
            return
        await self.app(scope, _replay(body, receive), send)

    async def _refuse(
        self, scope: Scope, receive: Receive, send: Send, status: int, message: str
    ) -> None:
        response = self.error_page(Request(scope, receive), status, message)
        await response(scope, receive, send)


def _same(given: str | None, expected: object) -> bool:
    if not given or not isinstance(expected, str):
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def _form_token_ok(headers: Headers, body: bytes, expected: object) -> bool:
    if headers.get("content-type", "").split(";")[0].strip() != "application/x-www-form-urlencoded":
        return False
    try:
        fields = parse_qs(body.decode("utf-8"), max_num_fields=200)
    except (UnicodeDecodeError, ValueError):
        return False
    given = fields.get(FIELD, [])
    return len(given) == 1 and _same(given[0], expected)


async def _read_body(receive: Receive) -> tuple[bytes, bool]:
    """The whole request body, or (partial, False) once it passes MAX_FORM_BYTES."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"".join(chunks), True
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_FORM_BYTES:
            return b"", False
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), True


def _replay(body: bytes, upstream: Receive) -> Receive:
    """Hands the body already read to the route, then passes on later messages."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return await upstream()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive
