"""Jinja2 rendering with autoescaping always on, and the filters the pages share.

Every value from the archive is hostile text: autoescape is forced for every template,
whatever its file name, and no filter marks text safe. Shown among other words, it goes in
<bdi> through `contained`, so no bidi control in it reorders the words around it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse

from claimwatch.display import contained, displayable
from review.csrf import csrf_token
from review.describe import describe
from scoring.present import part_of_day_words
from storage.attachments import summary_lines
from storage.records import same_handle

TEMPLATES = Path(__file__).parent / "templates"
PLATFORM_HOSTS = frozenset({"t.me", "telegram.me", "x.com", "twitter.com", "mobile.twitter.com"})
# Explicit direction marks, embeddings, overrides and isolates (U+202E and friends).
BIDI_CONTROLS = dict.fromkeys(
    map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"), "\ufffd"
)


class Templates:
    """Renders the page templates for a request."""

    def __init__(self) -> None:
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(
            when=when,
            day=day,
            seconds=seconds,
            percent=percent,
            plain=plain,
            platform_url=platform_url,
            attachment_lines=summary_lines,
            contained=contained,
            part_of_day=part_of_day_words,
        )
        self.env.tests["same_handle"] = same_handle  # a channel filter typed in any case
        self.env.globals["query"] = query
        # A claim summary, a factor's explanation or evidence label, each field isolated:
        # summary(describe(claim.extraction)), summary(factor.explanation), summary(ref.label).
        macros: Any = self.env.get_template("_summary.html").module
        self.env.globals["describe"] = describe
        self.env.globals["summary"] = macros.summary

    def render(
        self, request: Request, name: str, values: Mapping[str, Any], status: int = 200
    ) -> HTMLResponse:
        page = {
            "request": request,
            "user": request.scope.get("user"),
            "csrf_token": csrf_token(request.session),
            **values,
        }
        html = displayable(self.env.get_template(name).render(page))
        return HTMLResponse(html, status_code=status)


def plain(value: str | None) -> str:
    """Text for places that cannot isolate it (titles, options): bidi controls shown as �."""
    return "" if value is None else value.translate(BIDI_CONTROLS)


def platform_url(value: str | None) -> str | None:
    """A post's address on its platform, only when it is an https link to the platform.

    Addresses come with the posts; anything else (javascript:, other hosts) is shown as
    text and never becomes a live link.
    """
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme != "https" or (parts.hostname or "") not in PLATFORM_HOSTS:
        return None
    if parts.username or parts.password or parts.port:
        return None
    return value


def when(value: datetime | None) -> str:
    return "" if value is None else value.strftime("%Y-%m-%d %H:%M UTC")


def day(value: datetime | None) -> str:
    return "" if value is None else value.strftime("%Y-%m-%d")


def seconds(value: float | None) -> str:
    if value is None:
        return "?"
    whole = round(value)
    return f"{whole // 60}:{whole % 60:02d}"


def percent(value: float | None) -> str:
    return "?" if value is None else f"{value * 100:.0f}%"


def query(base: Mapping[str, Any], **changes: Any) -> str:
    """A query string from `base` with `changes`, dropping empty values."""
    merged = {**base, **changes}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "")})
