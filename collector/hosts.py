"""Which hosts a platform serves media from; a URL anywhere else is refused.

Post markup and API answers are hostile input: a media URL in them must not make the
collector fetch from an arbitrary server (an internal address, a tracking host). The
allowed hosts come from settings, so a mirror or a test server is configured, not coded.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit


class HostPolicy:
    """Host patterns: `example.org` matches that host, `*.example.org` its subdomains."""

    def __init__(self, patterns: Iterable[str]) -> None:
        self.patterns = tuple(p.strip().lower().rstrip(".") for p in patterns if p.strip())

    def refusal(self, url: str) -> str | None:
        """Why `url` may not be fetched, or None when it may."""
        try:
            url.encode("utf-8")  # half an emoji cannot be sent in a request
            parts = urlsplit(url)
            host = (parts.hostname or "").rstrip(".")
        except ValueError:
            return f"refused: {url!r} is not a valid URL"
        if parts.scheme not in ("http", "https"):
            return f"refused: {url!r} is not an http(s) URL"
        if parts.username or parts.password:
            return f"refused: {url!r} carries a user name or password"
        if not any(_matches(host, pattern) for pattern in self.patterns):
            allowed = ", ".join(self.patterns) or "none configured"
            return f"refused: {host or repr(url)} is not one of the platform's hosts ({allowed})"
        return None


def _matches(host: str, pattern: str) -> bool:
    if pattern.startswith("*."):
        return host.endswith(pattern[1:])
    return host == pattern
