"""Render a Digest as HTML and as plain text, from the same data and the same order.

Post text is hostile: in HTML Jinja2 autoescaping makes markup inert, and in both parts
control characters and bidi overrides are replaced by U+FFFD, so a post cannot reorder
the lines around it; so is half an emoji, which no email can carry. Arabic is laid out
right-to-left in its own isolated block. A name or a summary's field among other words
is wrapped in FSI ... PDI (`isolate`), and so is each field of a score's reason, in both
parts alike: characters, unlike <bdi>,
survive every mail client's sanitiser, so an Arabic name keeps the words, dates and
counts after it in their place.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from claimwatch.display import displayable, isolated
from claimwatch.phrase import Phrase, told
from claimwatch.text import counted
from digest.content import Digest
from digest.trends import RECENT_DAYS

EXCERPT_CHARS = 280
# Embeddings, overrides and isolates: they reorder text after them. LRM/RLM and the
# joiners Arabic needs (ZWJ, ZWNJ) stay.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c")
# Line and paragraph breaks: in the plain-text part a name or an excerpt holding one could
# start a line of its own (a forged claim, say), so one-line fields have them as spaces.
LINE_BREAKS = dict.fromkeys(map(ord, "\n\u2028\u2029"), " ")
LABEL_COLOURS = {
    "corroborated": "#1b7a3a",
    "plausible": "#2b6cb0",
    "unverified": "#6b6b6b",
    "doubtful": "#b7791f",
    "likely false": "#c53030",
}


def render_html(digest: Digest, images: Mapping[str, str]) -> str:
    """The HTML part; `images` maps image names ("chart", "match-3-earlier") to their src."""
    return displayable(_environment().get_template("digest.html").render(d=digest, images=images))


def render_text(digest: Digest) -> str:
    """The plain-text part."""
    return displayable(_environment().get_template("digest.txt").render(d=digest))


def subject(digest: Digest, prefix: str) -> str:
    claims = len(digest.claims) + digest.claims_left_out
    parts = [counted(claims, "claim")]
    if digest.footage:
        parts.append(digest.footage_summary)
    if digest.health.problems:
        parts.append(counted(len(digest.health.problems), "collection problem"))
    return f"{prefix} Digest {digest.day:%a %d %b %Y}: {', '.join(parts)}".strip()


def clean(text: str | None, limit: int | None = None) -> str:
    """Hostile text made harmless to lay out: controls and bidi overrides become U+FFFD."""
    cleaned = "".join(
        "\ufffd"
        if ch in BIDI_CONTROLS or (unicodedata.category(ch) == "Cc" and ch not in "\n\t")
        else ch
        for ch in text or ""
    )
    if limit is not None and len(cleaned) > limit:
        return cleaned[:limit].rstrip() + "…"
    return cleaned


def line(text: str | None, limit: int | None = None) -> str:
    """`clean` text kept on one line."""
    return clean(text, limit).translate(LINE_BREAKS)


def isolate(text: str) -> str:
    """`line` text isolated from the words around it."""
    return isolated(line(text))


def column(text: str | None, width: int) -> str:
    """`line` text isolated and padded to `width` for a plain-text table."""
    shown = line(text, width)
    return isolated(shown) + " " * (width - len(shown))


def summary(parts: Phrase) -> str:
    """A claim summary or a factor's explanation in one line, each field isolated."""
    return told(parts, isolate)


def direction(text: str | None) -> str:
    """ "rtl" when the first strongly directional letter is Arabic or Hebrew, else "ltr"."""
    for ch in text or "":
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("digest", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        clean=clean,
        line=line,
        isolate=isolate,
        column=column,
        summary=summary,
        direction=direction,
        excerpt=lambda t: clean(t, EXCERPT_CHARS),
        local=_local,
        rate=_rate,
        pct=lambda v: f"{v * 100:.0f}%",
        counted=counted,
    )
    env.globals["label_colour"] = lambda label: LABEL_COLOURS.get(label or "", "#6b6b6b")
    env.globals["recent_days"] = RECENT_DAYS
    return env


def _local(moment: datetime | None, zone: str, fmt: str = "%d %b %H:%M") -> str:
    return "" if moment is None else moment.astimezone(ZoneInfo(zone)).strftime(fmt)


def _rate(value: float) -> str:
    return f"{value:.1f}"
