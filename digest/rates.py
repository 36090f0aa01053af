"""The headline numbers: claims in the last 24 hours per group and channel, against the
daily averages of the 7 and 28 days before them (the 24 hours themselves excluded, so a
busy day does not raise its own baseline)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from digest.content import Headline, Rate, Shift
from storage.records import StoredClaim

UNATTRIBUTED = "unattributed"
MAX_CHANNELS = 12


def headline(
    claims: Sequence[StoredClaim], start: datetime, end: datetime, shifts: Sequence[Shift] = ()
) -> Headline:
    """Rates of every group and the busiest channels; `claims` span [start - 28 d, end)."""
    groups = _rates(claims, start, end, lambda c: c.group or UNATTRIBUTED)
    channels = _rates(claims, start, end, lambda c: c.channel)
    total = _rates(claims, start, end, lambda c: "all groups")
    empty = Rate("all groups", 0, 0.0, 0.0)
    return Headline(
        total=total[0] if total else empty,
        groups=tuple(groups),
        channels=tuple(channels[:MAX_CHANNELS]),
        shifts=tuple(shifts),
    )


def _rates(
    claims: Sequence[StoredClaim],
    start: datetime,
    end: datetime,
    key: Callable[[StoredClaim], str],
) -> list[Rate]:
    last, week, month = Counter[str](), Counter[str](), Counter[str]()
    for claim in claims:
        name = key(claim)
        if start <= claim.posted_at < end:
            last[name] += 1
        elif start - timedelta(days=7) <= claim.posted_at < start:
            week[name] += 1
        if start - timedelta(days=28) <= claim.posted_at < start:
            month[name] += 1
    rates = [
        Rate(name, last[name], week[name] / 7, month[name] / 28)
        for name in set(last) | set(week) | set(month)
    ]
    return sorted(rates, key=lambda r: (-r.last_24h, -r.avg_28d, r.name))
