"""Claims per week per group for the chart, and the recent change points worth a note.

Both come from scoring/counts.py, so the digest, the review page and the CLI count claims
the same way (a text several channels of one group post the same day counts once).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from digest.content import Shift, Weekly
from scoring.counts import Countable, counts, rate_changes

WEEKS = 12
RECENT_DAYS = 14  # a change point older than this was in an earlier digest already


def chart_start(end: datetime, zone: ZoneInfo, weeks: int = WEEKS) -> datetime:
    """The start of the first of the `weeks` local weeks (Monday first) up to `end`."""
    return datetime.combine(_mondays(end, zone, weeks)[0], time(0), tzinfo=zone)


def weekly(
    claims: Sequence[Countable], end: datetime, zone: ZoneInfo, weeks: int = WEEKS
) -> Weekly:
    """Claims per group in each local week of the chart; `claims` end before `end`."""
    mondays = _mondays(end, zone, weeks)
    shown = [c for c in claims if c.posted_at >= chart_start(end, zone, weeks)]
    series: dict[str, list[int]] = {}
    for count in counts(shown, "week", "group", zone):
        series.setdefault(count.key, [0] * weeks)[mondays.index(count.start)] = count.claims
    return Weekly(mondays, {group: tuple(values) for group, values in series.items()})


def shifts(claims: Sequence[Countable], end: datetime, zone: ZoneInfo) -> list[Shift]:
    """Each group's change points in daily claim rate of the last RECENT_DAYS days."""
    since = end.astimezone(zone).date() - timedelta(days=RECENT_DAYS)
    return [
        Shift(change.key, change.point.day, change.point.before, change.point.after)
        for change in rate_changes(claims, "group", zone)
        if change.point.day >= since
    ]


def _mondays(end: datetime, zone: ZoneInfo, weeks: int) -> tuple[date, ...]:
    last = end.astimezone(zone).date()
    last -= timedelta(days=last.weekday())
    return tuple(last - timedelta(weeks=n) for n in reversed(range(weeks)))
