"""Archived text made fit to show: on the review page, in the digest, on a terminal, as JSON.

The archive keeps every text as it came, also one holding half an emoji: an unpaired
UTF-16 surrogate, which a JSON source yields when X cut a text inside an emoji. No page,
email or terminal can carry that half in UTF-8, so whatever claimwatch renders as text
passes through `displayable` (the half is shown as U+FFFD) and whatever it writes as JSON
through `json_text` (the half stays, as its \\u escape, so a JSON reader gets the archived
text back exactly).
"""

from __future__ import annotations

import json
import re
from typing import Any

_HALVES = re.compile("[\ud800-\udfff]")


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
