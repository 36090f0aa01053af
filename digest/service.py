"""Send the daily digest exactly once per day and recipient list, whatever happens.

`send_due_digest` is what the background service calls every few minutes; `send_day` is
what `claimwatch digest --send` calls. Both take the day's record atomically before
composing anything (see storage/digests.py), so two service processes never both send,
a run that finds the day sent does nothing, and a failure leaves the record 'failed' for
a later run to retry (schedule.retry_delay) and a line in `claimwatch status`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from claimwatch.errors import ClaimwatchError, DeliveryDeferredError, DeliveryError
from config.settings import Settings
from digest import delivery, schedule
from digest.compose import Composed, compose
from digest.gather import gather
from storage import Store
from storage.digests import DigestRecord

log = logging.getLogger("claimwatch.digest")
Sleep = Callable[[float], None]
DayStatus = Literal["sent", "failed", "already sent", "busy", "waiting"]
STATUS_SOURCE, STATUS_CHANNEL = "digest", "daily"


@dataclass(frozen=True)
class DayOutcome:
    """What a run did about one day's digest."""

    day: date
    status: DayStatus
    detail: str = ""
    size: int | None = None
    not_reached: tuple[str, ...] = ()  # recipients the server refused while others got it


@dataclass(frozen=True)
class DigestOutcome:
    """What one scheduled run did, day by day (several days only after downtime)."""

    days: tuple[DayOutcome, ...] = ()
    note: str = ""

    @property
    def sent(self) -> tuple[date, ...]:
        return tuple(d.day for d in self.days if d.status == "sent")

    def summary(self) -> str:
        parts = [f"{d.day}: {d.status}" + (f" ({d.detail})" if d.detail else "") for d in self.days]
        return "; ".join(([self.note] if self.note else []) + parts) or "nothing to do"


def send_due_digest(
    store: Store, settings: Settings, now: datetime, sleep: Sleep = time.sleep
) -> DigestOutcome:
    """Send the due day's digest unless it went already, and days missed during downtime."""
    options = settings.digest
    if not options.enabled:
        return DigestOutcome(note="the digest is disabled (digest.enabled = false)")
    key = schedule.recipients_key(options.recipients)
    days = schedule.days_to_send(now, options.send_time, options.zone, store.digests.last_sent(key))
    # a day tried and not sent (its server was down) is not forgotten when the next comes due
    due = days[-1]
    earliest = due - timedelta(days=schedule.CATCH_UP_DAYS - 1)
    days = sorted({*days, *store.digests.unsent_days(key, earliest, due)})
    outcomes: list[DayOutcome] = []
    for day in days:
        outcomes.append(send_day(store, settings, day, now, sleep))
        if outcomes[-1].status == "failed":
            break  # the server refused one day: the others wait for the next run
    return DigestOutcome(tuple(outcomes))


def send_day(
    store: Store,
    settings: Settings,
    day: date,
    now: datetime,
    sleep: Sleep = time.sleep,
    again: bool = False,
) -> DayOutcome:
    """Send the digest of `day` now if no other run sent it or is sending it.

    With `again`, a digest already sent goes once more (an operator's explicit request).
    """
    key = schedule.recipients_key(settings.digest.recipients)
    record = store.digests.ensure(day, key, now)
    waiting = _not_now(record, now, again)
    if waiting is not None:
        return waiting
    taken = store.digests.take(record, now, resend=again)
    if taken is None:
        return DayOutcome(day, "busy", "another process took this digest first")
    return _send_taken(store, settings, taken, now, sleep)


def compose_day(store: Store, settings: Settings, day: date, now: datetime) -> Composed:
    """The digest of `day` as it would be sent at `now`, without sending it."""
    return compose(gather(store, settings, day), settings, now)


def _not_now(record: DigestRecord, now: datetime, again: bool) -> DayOutcome | None:
    if record.status == "sent" and not again:
        return DayOutcome(record.day, "already sent", f"at {record.sent_at:%Y-%m-%d %H:%M} UTC")
    if record.status == "sending" and not schedule.ready(record, now):
        return DayOutcome(record.day, "busy", "another process is sending it")
    if record.status == "failed" and not again and not schedule.ready(record, now):
        retry_at = (record.attempted_at or now) + schedule.retry_delay(record.attempts)
        return DayOutcome(record.day, "waiting", f"retry after {retry_at:%H:%M} UTC")
    return None


def _send_taken(
    store: Store, settings: Settings, taken: DigestRecord, now: datetime, sleep: Sleep
) -> DayOutcome:
    day = taken.day
    try:
        composed = compose_day(store, settings, day, now)
        refused = deliver(composed, settings, sleep)
    except Exception as exc:
        # Record every failure where the operator sees it; a bug is also re-raised for the log.
        error = str(exc) if isinstance(exc, ClaimwatchError) else f"{type(exc).__name__}: {exc}"
        store.digests.mark_failed(taken, error)
        store.status.failure(STATUS_SOURCE, STATUS_CHANNEL, f"digest of {day}: {error}")
        if not isinstance(exc, ClaimwatchError):
            raise
        return DayOutcome(day, "failed", error)
    store.digests.mark_sent(taken, now, str(composed.message["Message-ID"]))
    detail = _delivered(settings.digest.recipients, refused, composed.size)
    if refused:
        store.status.failure(STATUS_SOURCE, STATUS_CHANNEL, f"digest of {day} sent {detail}")
    else:
        store.status.success(STATUS_SOURCE, STATUS_CHANNEL, f"digest of {day} sent: {detail}")
    log.info("digest sent", extra={"day": str(day), "bytes": composed.size})
    return DayOutcome(day, "sent", detail, composed.size, tuple(refused))


def _delivered(recipients: Sequence[str], refused: dict[str, str], size: int) -> str:
    """How far the message went: to every recipient, or to some and refused for whom."""
    if not refused:
        return f"{len(recipients)} recipients, {size // 1024} KB"
    refusals = "; ".join(f"{a}: {why}" for a, why in refused.items())
    reached = len(recipients) - len(refused)
    return f"to {reached} of {len(recipients)} recipients, {size // 1024} KB; not to {refusals}"


def deliver(composed: Composed, settings: Settings, sleep: Sleep) -> dict[str, str]:
    """Hand the message over, retrying what may work later with doubling pauses: the whole
    message until the server takes it, then only the recipients it deferred (greylisting,
    a full mailbox), so nobody gets it twice. Returns who never got it, and why."""
    attempts, pause = settings.digest.attempts, settings.digest.retry_seconds
    waiting, taken = list(settings.digest.recipients), False
    refused: dict[str, str] = {}
    for attempt in range(1, attempts + 1):
        last = attempt == attempts
        try:
            answer = delivery.send(composed.message, settings.smtp, waiting)
        except DeliveryError as exc:
            final = last or not isinstance(exc, DeliveryDeferredError)
            if final and not taken:
                raise
            if final:  # the others have it: these recipients are refused, not the digest
                return {**refused, **dict.fromkeys(waiting, str(exc))}
            log.warning("digest delivery deferred", extra={"attempt": attempt, "error": str(exc)})
        else:
            taken = True
            refused.update({a: str(why) for a, why in answer.items() if not why.temporary})
            waiting = [a for a, why in answer.items() if why.temporary]
            if not waiting or last:
                return {**refused, **{a: str(answer[a]) for a in waiting}}
            log.warning("digest deferred for some recipients", extra={"recipients": waiting})
        sleep(pause * 2 ** (attempt - 1))
    raise AssertionError("unreachable: the last attempt returns or raises")
