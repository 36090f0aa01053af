"""Counts read as English in every summary line."""

from __future__ import annotations

from claimwatch.text import counted


def test_one_is_singular_and_every_other_count_plural() -> None:
    assert counted(1, "claim") == "1 claim"
    assert counted(0, "claim") == "0 claims"
    assert counted(2, "match", "matches") == "2 matches"
    assert counted(1, "match", "matches") == "1 match"
    assert counted(12345, "post") == "12,345 posts"
