"""When a digest is due, which 24 hours it covers, and when a failed one may be retried.

The digest of day D covers the 24 hours before D's send time (07:00 Asia/Baghdad by
default), whenever it is actually sent: a digest sent late after downtime, or previewed
a week later, shows the same window. Pure functions of the clock, so tests need no waiting.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from storage.digests import DigestRecord

# Days missed while the service was down are caught up, oldest first, up to this many
# (today included); anything older is sent on request with `claimwatch digest --send --date`.
CATCH_UP_DAYS = 3
# A 'sending' row older than this belongs to a process that died mid-send.
LEASE = timedelta(minutes=15)
# A failed day is tried again after 5 min, then 10, 20 ... at most every 2 hours.
FIRST_RETRY = timedelta(minutes=5)
LONGEST_RETRY = timedelta(hours=2)


def window(day: date, send_time: time, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC [start, end) the digest of `day` covers: the 24 hours before its send time."""
    end = datetime.combine(day, send_time, tzinfo=zone).astimezone(UTC)
    return end - timedelta(hours=24), end


def due_day(now: datetime, send_time: time, zone: ZoneInfo) -> date:
    """The latest day whose send time has passed at `now`."""
    today = now.astimezone(zone).date()
    if window(today, send_time, zone)[1] <= now:
        return today
    return today - timedelta(days=1)


def covering_day(moment: datetime, send_time: time, zone: ZoneInfo) -> date:
    """The day whose digest covers `moment`."""
    return due_day(moment, send_time, zone) + timedelta(days=1)


def busiest_day(moments: Iterable[datetime], send_time: time, zone: ZoneInfo) -> date | None:
    """The day whose digest covers most of `moments` (the latest such day), for previews."""
    days = Counter(covering_day(moment, send_time, zone) for moment in moments)
    return max(days, key=lambda day: (days[day], day)) if days else None


def days_to_send(
    now: datetime, send_time: time, zone: ZoneInfo, last_sent: date | None
) -> list[date]:
    """The days a scheduled run should make sure of, oldest first.

    Only the due day on a first run (nothing sent yet to these recipients); after
    downtime, every day since the last one sent, up to CATCH_UP_DAYS.
    """
    due = due_day(now, send_time, zone)
    if last_sent is None or last_sent >= due:
        return [due]
    first = max(last_sent + timedelta(days=1), due - timedelta(days=CATCH_UP_DAYS - 1))
    return [first + timedelta(days=n) for n in range((due - first).days + 1)]


def ready(record: DigestRecord, now: datetime) -> bool:
    """May a run try to send this record now?"""
    if record.status == "sent":
        return False
    if record.status == "pending":
        return True
    since = now - (record.attempted_at or record.created_at)
    if record.status == "sending":
        return since >= LEASE
    return since >= retry_delay(record.attempts)


def retry_delay(runs: int) -> timedelta:
    """How long a day that failed in `runs` runs waits before the next run tries it."""
    return min(FIRST_RETRY * 2 ** min(max(runs - 1, 0), 10), LONGEST_RETRY)


def recipients_key(recipients: Sequence[str]) -> str:
    """One spelling of a recipient list, so reordering the config does not resend."""
    return ", ".join(sorted({address.strip().lower() for address in recipients if address.strip()}))
