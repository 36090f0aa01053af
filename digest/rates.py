"""The headline numbers: claims in the last 24 hours per group and channel, against the
daily averages of the 7 and 28 days before them (the 24 hours themselves excluded, so a
busy day does not raise its own baseline). Claims are counted as scoring/counts.py does."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from digest.content import Headline, Rate, Shift
from scoring.counts import By, Countable, counts

MAX_CHANNELS = 12
TOTAL = "all groups"


def headline(
    claims: Sequence[Countable], start: datetime, end: datetime, zone: ZoneInfo,
    shifts: Sequence[Shift] = (),
) -> Headline:  # fmt: skip
    """Rates of every group and the busiest channels, from claims spanning [start - 28 d, end)."""
    last = [c for c in claims if start <= c.posted_at < end]
    week = [c for c in claims if start - timedelta(days=7) <= c.posted_at < start]
    month = [c for c in claims if start - timedelta(days=28) <= c.posted_at < start]
    groups = _rates(last, week, month, "group", zone)
    channels = _rates(last, week, month, "channel", zone)
    return Headline(
        total=Rate(
            TOTAL,
            sum(r.last_24h for r in groups),
            sum(r.avg_7d for r in groups),
            sum(r.avg_28d for r in groups),
        ),
        groups=tuple(groups),
        channels=tuple(channels[:MAX_CHANNELS]),
        shifts=tuple(shifts),
    )


def _rates(
    last: Sequence[Countable], week: Sequence[Countable], month: Sequence[Countable],
    by: By, zone: ZoneInfo,
) -> list[Rate]:  # fmt: skip
    now, before_7, before_28 = (_totals(part, by, zone) for part in (last, week, month))
    rates = [
        Rate(key, now[key], before_7[key] / 7, before_28[key] / 28)
        for key in set(now) | set(before_7) | set(before_28)
    ]
    return sorted(rates, key=lambda r: (-r.last_24h, -r.avg_28d, r.name))


def _totals(claims: Sequence[Countable], by: By, zone: ZoneInfo) -> Counter[str]:
    totals: Counter[str] = Counter()
    for count in counts(claims, "day", by, zone):
        totals[count.key] += count.claims
    return totals
