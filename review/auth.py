"""Who is asking: the logged-in analyst (session cookie) or a notebook (API token).

Everything but the health check, the log-in page and static files needs one of them.
Pages redirect to the log-in page and come back afterwards; the API answers 401.
"""

from __future__ import annotations

import html
import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from review.tokens import Tokens, password_mark
from storage.users import User

PUBLIC_PATHS = frozenset({"/health", "/login"})
PUBLIC_PREFIXES = ("/static/",)


class Authentication:
    """Puts the user's name in scope["user"] and how they proved it in scope["auth_via"]."""

    def __init__(
        self, app: ASGIApp, find_user: Callable[[str], User | None], tokens: Tokens,
        session_seconds: int,
    ) -> None:  # fmt: skip
        self.app = app
        self.find_user = find_user
        self.tokens = tokens
        self.session_seconds = session_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        name, via = await self._identify(scope)
        scope["user"], scope["auth_via"] = name, via
        if name is None and _cross_site_page_visit(scope):
            await _bounce(scope, send)
            return
        if name is None and not _is_public(scope["path"]):
            await _challenge(scope, send)
            return
        await self.app(scope, receive, send)

    async def _identify(self, scope: Scope) -> tuple[str | None, str | None]:
        authorization = Headers(scope=scope).get("authorization", "")
        if authorization.lower().startswith("bearer "):
            found = self.tokens.read(authorization[7:].strip())
            if found is not None and await self._valid(*found):
                return found[0], "token"
            return None, None
        session: dict[str, Any] = scope.get("session", {})
        name, mark, at = session.get("user"), session.get("mark"), session.get("at")
        if not (isinstance(name, str) and isinstance(mark, str) and isinstance(at, int | float)):
            return None, None
        if not self._fresh(at):
            return None, None
        return (name, "session") if await self._valid(name, mark, at) else (None, None)

    def _fresh(self, at: float) -> bool:
        """Logged in less than review.session_hours ago: using the page does not extend it."""
        return 0 <= time.time() - at < self.session_seconds

    async def _valid(self, name: str, mark: str, since: float | None = None) -> bool:
        """The user still exists, has not changed password since this proof was made and,
        for a session begun at `since`, has not signed out since."""
        user = await run_in_threadpool(self.find_user, name)
        if user is None or password_mark(user) != mark:
            return False
        out = user.signed_out_at
        return since is None or out is None or since > out.timestamp()


def _is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


async def _challenge(scope: Scope, send: Send) -> None:
    if scope["path"].startswith("/api/"):
        body = json.dumps({"error": "log-in required: send 'Authorization: Bearer <token>'"})
        await _send(
            send,
            401,
            body.encode(),
            [
                (b"content-type", b"application/json"),
                (b"www-authenticate", b"Bearer"),
            ],
        )
        return
    if scope["method"] in ("GET", "HEAD"):
        location = "/login?next=" + quote(_target(scope), safe="")
    elif scope["path"] == "/logout":
        location = "/login"
    else:
        # A form sent after the log-in expired: nothing was saved. After logging in, the
        # analyst comes back to the form's page, since its address takes no GET.
        location = "/login?expired=1&next=" + quote(_form_page(scope), safe="")
    await _send(send, 303, b"", [(b"location", location.encode("latin-1"))])


def _cross_site_page_visit(scope: Scope) -> bool:
    """A page opened from another site (a link in the digest email, say).

    The session cookie is SameSite=Strict, so the browser leaves it out of exactly this
    request: the analyst may well be logged in. Answering with the log-in page would also
    replace their session cookie.
    """
    headers = Headers(scope=scope)
    return (
        scope["method"] == "GET"
        and headers.get("sec-fetch-site") == "cross-site"
        and headers.get("sec-fetch-mode", "navigate") == "navigate"
        and not scope["path"].startswith(("/api/", "/static/", "/health"))
    )


async def _bounce(scope: Scope, send: Send) -> None:
    """Open the same address again from this site, which sends the Strict cookie along."""
    raw = scope.get("raw_path") or scope["path"].encode()
    query = scope["query_string"]
    target = quote(raw.decode("latin-1") + ("?" + query.decode("latin-1") if query else ""),
                   safe="/?=&%+-_.~")  # fmt: skip
    body = BOUNCE.format(url=html.escape(target, quote=True)).encode()
    await _send(send, 200, body, [(b"content-type", b"text/html; charset=utf-8")])


BOUNCE = (
    '<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0; url={url}">'
    '<title>claimwatch</title><p><a href="{url}">Continue to claimwatch</a></p>\n'
)


def _target(scope: Scope) -> str:
    query = scope["query_string"].decode("latin-1")
    return scope["path"] + ("?" + query if query else "")


def _form_page(scope: Scope) -> str:
    """The page a form posted from: forms post to their page's address plus an action
    (/matches/3/verdict?status=all comes from /matches/3?status=all)."""
    page = scope["path"].rstrip("/").rsplit("/", 1)[0] or "/"
    query = scope["query_string"].decode("latin-1")
    return page + ("?" + query if query else "")


async def _send(send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    headers = [*headers, (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a path on this site only, never another site."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    if any(ch in target for ch in "\\\r\n\t") or any(ord(ch) < 0x20 for ch in target):
        return "/"
    return target
