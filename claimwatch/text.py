"""Counts in the words analysts read: "1 claim", "3 claims", "1 match", "2 matches"."""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """`n` and the noun, singular only for exactly one; `plural` for irregular nouns."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"
