"""Archived text made fit to show: on the review page, in the digest, on a terminal, as JSON.

The archive keeps every text as it came, also one holding half an emoji: an unpaired
UTF-16 surrogate, which a JSON source yields when X cut a text inside an emoji. No page,
email or terminal can carry that half in UTF-8, so whatever claimwatch renders as text
passes through `displayable` (the half is shown as U+FFFD) and whatever it writes as JSON
through `json_text` (the half stays, as its \\u escape, so a JSON reader gets the archived
text back exactly).

A name or a reason from a channel shown among other words is isolated: <bdi> on a page,
`isolated` in plain text, and in both `contained`, so a bidi control in it acts on it alone.
"""

from __future__ import annotations

import json
import re
from typing import Any

_HALVES = re.compile("[\ud800-\udfff]")
FSI, PDI = "\u2068", "\u2069"  # first-strong isolate and its close
_PDF = "\u202c"
_EMBEDDINGS = "\u202a\u202b\u202d\u202e"  # LRE RLE LRO RLO, each closed by PDF
_ISOLATES = "\u2066\u2067\u2068"  # LRI RLI FSI, each closed by PDI
_OPENERS = {**dict.fromkeys(_EMBEDDINGS, _PDF), **dict.fromkeys(_ISOLATES, PDI)}
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def unpaired(text: str) -> bool:
    """Whether `text` holds a UTF-16 surrogate, which UTF-8 cannot carry."""
    return _HALVES.search(text) is not None


def displayable(text: str) -> str:
    """`text` with every unpaired surrogate as U+FFFD; two halves side by side are joined."""
    if not unpaired(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def json_text(data: Any, **options: Any) -> str:
    """`data` as JSON with non-ASCII text as it is and each surrogate as its \\u escape."""
    return _HALVES.sub(_escape, json.dumps(data, ensure_ascii=False, **options))


def _escape(half: re.Match[str]) -> str:
    return f"\\u{ord(half[0]):04x}"


def contained(text: str) -> str:
    """`text` whose bidi controls cannot reach the words shown after it.

    Right-to-left overrides, embeddings and isolates act until they are closed, so a name
    holding U+202E turns around everything after it. Shown here, each one `text` opens is
    closed at its end, and a closing isolate (U+2069) with nothing of `text`'s own to close
    is shown as U+FFFD: it would end the isolation around the text, a browser's <bdi> too.
    Inside the text the controls still act, so it reads as its author laid it out; the
    archive keeps it as it came.
    """
    if not _BIDI.search(text):
        return text
    shown: list[str] = []
    closers: list[str] = []  # what closes each control still open, innermost last
    for char in text:
        if char in _OPENERS:
            closers.append(_OPENERS[char])
        elif char == _PDF and closers and closers[-1] == _PDF:
            closers.pop()
        elif char == PDI and PDI in closers:
            while closers.pop() != PDI:
                pass
        elif char == PDI:
            char = "\ufffd"
        shown.append(char)
    return "".join(shown) + "".join(reversed(closers))


def isolated(text: str) -> str:
    """`text` contained and wrapped in FSI ... PDI, for plain text where no <bdi> can go:
    its direction is its own, and it cannot reorder the line around it."""
    return FSI + contained(text) + PDI
