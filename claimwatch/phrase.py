"""A line of English with words from channels, posts or analysts in it, each kept apart.

A claim's summary and a score factor's explanation are our words around fields we did not
write: a channel handle, a group, a place or alert-area name, a reviewer's name or note.
Each such field stays a `Field` from the moment the line is built, and the store keeps the
parts, so whoever shows the line isolates every field (<bdi> on the review page, FSI ... PDI
in plain text, JSON and email): right-to-left text or a bidi control in one field then
cannot reorder the words, dates and numbers around it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    """Words from a channel, a post, the gazetteer or an analyst, shown isolated."""

    text: str


Part = str | Field
Phrase = tuple[Part, ...]


def told(phrase: Phrase, field: Callable[[str], str] = str) -> str:
    """The phrase as one string, each field passed through `field` (plain by default)."""
    return "".join(part if isinstance(part, str) else field(part.text) for part in phrase)


def joined(items: Iterable[Sequence[Part]], between: str = " and ") -> list[Part]:
    """The items one after another, `between` between them."""
    parts: list[Part] = []
    for item in items:
        parts += [between, *item] if parts else item
    return parts


def fields(names: Iterable[str], between: str = ", ") -> list[Part]:
    """Each name a field, `between` between them."""
    return joined(([Field(name)] for name in names), between)
