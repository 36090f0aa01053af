"""Text from channels as the database columns keep it: every string, byte for byte.

Some strings cannot be written as they are: PostgreSQL text cannot hold NUL, and neither
database takes an unpaired UTF-16 surrogate, which a JSON source yields for half an emoji
(X cuts long texts anywhere, even inside one). On both databases such characters are
written escaped with a private-use character, ESCAPE, and restored on reading:

    ESCAPE       ->  ESCAPE ESCAPE
    NUL          ->  ESCAPE "0"
    U+D800-DFFF  ->  ESCAPE "u" and the code point as four lowercase hex digits

ESCAPE is always escaped, so every ESCAPE in a stored value begins one of these. SQLite
archives made before this scheme held their text raw; migration 0006 doubled the ESCAPE
characters in them, and a raw NUL, which no escape starts with, reads back as itself.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

ESCAPE = "\ue000"
_UNWRITABLE = re.compile("[\x00" + ESCAPE + "\ud800-\udfff]")
_CANNOT_HOLD = re.compile("[\x00\ud800-\udfff]")
_ESCAPED = re.compile(ESCAPE + "(?:([0" + ESCAPE + "])|u(d[89a-f][0-9a-f]{2}))")


def replaced(text: str) -> str:
    """`text` with what a database cannot hold (NUL, half an emoji) shown as U+FFFD.

    For claimwatch's own messages (errors, job details), which may quote channel data but
    are not evidence: they are read by people, so a visible mark beats an escape.
    """
    return _CANNOT_HOLD.sub("\ufffd", text)


def escaped(text: str) -> str:
    """`text` as it is written to the database."""
    return _UNWRITABLE.sub(_escape, text)


def unescaped(stored: str) -> str:
    """The text written as `stored`."""
    if ESCAPE not in stored:
        return stored
    return _ESCAPED.sub(_unescape, stored)


def _escape(found: re.Match[str]) -> str:
    char = found[0]
    if char == ESCAPE:
        return ESCAPE + ESCAPE
    return ESCAPE + "0" if char == "\x00" else f"{ESCAPE}u{ord(char):04x}"


def _unescape(found: re.Match[str]) -> str:
    if found[2] is not None:
        return chr(int(found[2], 16))
    return "\x00" if found[1] == "0" else ESCAPE


class HostileText(TypeDecorator[str]):
    """Text from channels, kept byte for byte on every database (see the module docstring)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else escaped(value)

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else unescaped(value)
