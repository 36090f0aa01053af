"""Claim counts per day and week, per group and channel, and where the daily rate changed.

Plain functions for the digest and the review page. Days are the claimants' days
(Asia/Baghdad by default). Group counts count a claim once even when several of the
group's channels post the same text that day; channel counts count every post.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal, Protocol, TypeVar
from zoneinfo import ZoneInfo

from scoring.arabic import normalize
from scoring.changepoint import ChangePoint, change_points
from storage import Store
from storage.claim_outlines import CountedClaim
from storage.records import mention

By = Literal["group", "channel"]
Period = Literal["day", "week"]
UNKNOWN_GROUP = "(unknown group)"
BAGHDAD = ZoneInfo("Asia/Baghdad")


class Countable(Protocol):
    """A claim as counting sees it: a full StoredClaim or a storage CountedClaim."""

    @property
    def id(self) -> int: ...
    @property
    def posted_at(self) -> datetime: ...
    @property
    def channel(self) -> str: ...
    @property
    def group(self) -> str | None: ...
    @property
    def text(self) -> str: ...


C = TypeVar("C", bound=Countable)


@dataclass(frozen=True)
class PeriodCount:
    """Claims of one group or channel in the day or week starting `start`."""

    start: date
    key: str
    claims: int


@dataclass(frozen=True)
class RateChange:
    """A change point in one group's or channel's daily claim rate."""

    key: str
    point: ChangePoint

    def describe(self) -> str:
        return f"{self.key}: {self.point.describe()}"


def counts(
    claims: Sequence[Countable],
    period: Period = "week",
    by: By = "group",
    zone: ZoneInfo = BAGHDAD,
    week_start: int = 0,
) -> list[PeriodCount]:
    """Claims per period and key, sorted by period then key; weeks start on `week_start`."""
    return count_moments(_keyed(claims, by, zone), period, zone, week_start)


def counts_and_changes(
    claims: Sequence[Countable], period: Period = "week", by: By = "group", zone: ZoneInfo = BAGHDAD
) -> tuple[list[PeriodCount], list[RateChange]]:
    """`counts` and `rate_changes` of the same claims, reading their texts once."""
    keyed = _keyed(claims, by, zone)
    return count_moments(keyed, period, zone), moment_changes(keyed, zone)


def count_moments(
    keyed: Iterable[tuple[str, datetime]],
    period: Period = "week",
    zone: ZoneInfo = BAGHDAD,
    week_start: int = 0,
) -> list[PeriodCount]:
    """Counts of (key, moment) pairs per period and key, sorted by period then key."""
    tally: Counter[tuple[date, str]] = Counter()
    for key, moment in keyed:
        day = moment.astimezone(zone).date()
        tally[_period_start(day, period, week_start), key] += 1
    return [PeriodCount(start, key, n) for (start, key), n in sorted(tally.items())]


def daily_series(
    claims: Sequence[Countable], first: date, last: date, zone: ZoneInfo = BAGHDAD
) -> list[int]:
    """Claims per day from `first` to `last` inclusive, zeros included."""
    return _series([claim.posted_at for claim in claims], first, last, zone)


def _series(moments: Iterable[datetime], first: date, last: date, zone: ZoneInfo) -> list[int]:
    series = [0] * ((last - first).days + 1)
    for moment in moments:
        index = (moment.astimezone(zone).date() - first).days
        if 0 <= index < len(series):
            series[index] += 1
    return series


def rate_changes(
    claims: Sequence[Countable], by: By = "group", zone: ZoneInfo = BAGHDAD, min_days: int = 7
) -> list[RateChange]:
    """Change points in each group's (or channel's) daily claim rate, in date order."""
    return moment_changes(_keyed(claims, by, zone), zone, min_days)


def moment_changes(
    keyed: Iterable[tuple[str, datetime]], zone: ZoneInfo = BAGHDAD, min_days: int = 7
) -> list[RateChange]:
    """Change points in the daily rate of each key's moments, in date order."""
    groups: dict[str, list[datetime]] = {}
    for key, moment in keyed:
        groups.setdefault(key, []).append(moment)
    found: list[RateChange] = []
    for key, moments in sorted(groups.items()):
        days = [moment.astimezone(zone).date() for moment in moments]
        series = _series(moments, min(days), max(days), zone)
        found.extend(RateChange(key, p) for p in change_points(series, min(days), min_days))
    return sorted(found, key=lambda change: (change.point.day, change.key))


def claims_between(
    store: Store, first: date | None = None, last: date | None = None, zone: ZoneInfo = BAGHDAD
) -> list[CountedClaim]:
    """Claims posted on the claimants' days `first` to `last` inclusive, oldest first."""
    # No bound from the calendar's first day: its midnight east of UTC falls before year 1.
    since = datetime.combine(first, time(0), tzinfo=zone) if first and first > date.min else None
    until = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone) if last else None
    return store.claims.counted(since, until)


def weekly_counts(
    store: Store, first: date | None = None, last: date | None = None, by: By = "group",
    zone: ZoneInfo = BAGHDAD, week_start: int = 0,
) -> list[PeriodCount]:  # fmt: skip
    """Claims per week for the digest and the review page."""
    return counts(claims_between(store, first, last, zone), "week", by, zone, week_start)


def daily_counts(
    store: Store, first: date | None = None, last: date | None = None, by: By = "group",
    zone: ZoneInfo = BAGHDAD,
) -> list[PeriodCount]:  # fmt: skip
    """Claims per day for the digest and the review page."""
    return counts(claims_between(store, first, last, zone), "day", by, zone)


def _period_start(day: date, period: Period, week_start: int) -> date:
    if period == "day":
        return day
    return day - timedelta(days=(day.weekday() - week_start) % 7)


def _key(claim: Countable, by: By) -> str:
    if by == "channel":
        return mention(claim.channel)
    return claim.group or UNKNOWN_GROUP


def _keyed(claims: Sequence[Countable], by: By, zone: ZoneInfo) -> list[tuple[str, datetime]]:
    """Each counted claim's key and moment."""
    return [(_key(claim, by), claim.posted_at) for claim in _distinct(claims, by, zone)]


def _distinct(claims: Sequence[C], by: By, zone: ZoneInfo) -> list[C]:
    """For group counts, one text posted the same day by several channels counts once."""
    if by == "channel":
        return list(claims)
    seen: set[tuple[str, date, str]] = set()
    kept = []
    for claim in sorted(claims, key=lambda c: (c.posted_at, c.id)):
        text = " ".join(normalize(claim.text).split())
        day = claim.posted_at.astimezone(zone).date()
        text_hash = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        key = (_key(claim, by), day, text_hash)
        if key not in seen:
            seen.add(key)
            kept.append(claim)
    return kept
