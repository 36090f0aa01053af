"""Picking the matches that stand when many patterns match overlapping stretches of a post.

Places and groups are each found by dozens of spellings at once; a longer spelling wins over
the shorter ones inside it ("ميناء حيفا" over "حيفا"). A post may name thousands of them,
so each candidate is checked against its two neighbours among those already kept, not all.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from typing import Protocol, TypeVar


class Span(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=Span)


def longest_first(candidates: Iterable[S]) -> list[S]:
    """The candidates that overlap no longer one (nor, at equal length, an earlier one),
    in text order."""
    kept: list[S] = []
    starts: list[int] = []  # kept spans never overlap, so their ends are in order too
    for hit in sorted(candidates, key=lambda hit: (hit.start - hit.end, hit.start)):
        i = bisect_right(starts, hit.start)
        if (i and kept[i - 1].end > hit.start) or (i < len(kept) and kept[i].start < hit.end):
            continue
        starts.insert(i, hit.start)
        kept.insert(i, hit)
    return kept
