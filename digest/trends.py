"""Claims per week per group for the chart, and the change points worth a note."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from digest.content import Shift, Weekly
from digest.rates import UNATTRIBUTED
from storage import Store

WEEKS = 12


def weekly(store: Store, end: datetime, zone: ZoneInfo, weeks: int = WEEKS) -> Weekly:
    """Claims per group in each of the `weeks` local weeks (Monday first) up to `end`."""
    last_monday = end.astimezone(zone).date()
    last_monday -= timedelta(days=last_monday.weekday())
    starts = tuple(last_monday - timedelta(weeks=n) for n in reversed(range(weeks)))
    since = datetime.combine(starts[0], datetime.min.time(), tzinfo=zone)
    counts: dict[str, Counter[int]] = {}
    for claim in store.claims.list(since=since, until=end, newest_first=False):
        week = (claim.posted_at.astimezone(zone).date() - starts[0]).days // 7
        counts.setdefault(claim.group or UNATTRIBUTED, Counter())[week] += 1
    return Weekly(starts, {group: tuple(c[i] for i in range(weeks)) for group, c in counts.items()})


def shifts(store: Store, end: datetime) -> list[Shift]:
    return []
