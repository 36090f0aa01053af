"""The service's own health checks and figures, added to the review page's /health.

Each check returns a problem in a few words, or None. The figures say when each job last
succeeded and failed, how much work waits, and how many sources fail, but not which
channels are watched nor any error text: /health answers anyone who can reach the port.
Details (which error, which channel) are in `claimwatch status`, for operators on the
machine.
"""

from __future__ import annotations

import shutil
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, get_args

from apscheduler.schedulers.base import STATE_RUNNING, BaseScheduler
from sqlalchemy.exc import SQLAlchemyError

import digest.service as digest
from claimwatch.service.jobs import STATUS_SOURCE
from claimwatch.service.lock import ServiceLock
from claimwatch.status import queues
from config import Settings
from config.settings import CollectMethod
from storage import Store
from storage.status import Health
from storage.timeutil import utcnow

HealthCheck = Callable[[Store], str | None]
DIGEST_DELIVERY = (digest.STATUS_SOURCE, digest.STATUS_CHANNEL)
COLLECT_METHODS: tuple[str, ...] = get_args(CollectMethod)

MIN_FREE_BYTES = 1024**3


def disk_space(store: Store) -> str | None:
    free = shutil.disk_usage(store.data_dir).free
    return (
        f"under {MIN_FREE_BYTES // 1024**3} GiB free in the data directory"
        if free < MIN_FREE_BYTES
        else None
    )


def failing_jobs(scheduled: frozenset[str]) -> HealthCheck:
    """Scheduled jobs whose last run failed, and the digest while its day is not delivered
    (its job succeeds while it waits to retry, so the digest's own line is what tells).
    A job taken off the schedule (say `alerts.live = false`) no longer counts."""

    def check(store: Store) -> str | None:
        failing = [
            "digest delivery" if h.source == digest.STATUS_SOURCE else h.channel
            for h in store.status.all()
            if failing_now(h)
            and (
                (h.source == STATUS_SOURCE and h.channel in scheduled)
                or ((h.source, h.channel) == DIGEST_DELIVERY and "digest" in scheduled)
            )
        ]
        return f"jobs failing: {', '.join(sorted(failing))}" if failing else None

    return check


def failing_now(health: Health) -> bool:
    """Its last run failed (an error newer than its last success)."""
    if health.last_error_at is None:
        return False
    return health.last_success_at is None or health.last_error_at > health.last_success_at


def service_details(store: Store) -> dict[str, Any]:
    """Job times, queue sizes, and how many channels and other stages (digest delivery,
    claim extraction, alert feed ...) fail, for /health; empty if the database is down
    (the database check says so)."""
    try:
        board = store.status.all()
        waiting = queues(store)
    except SQLAlchemyError:
        return {}
    jobs = {
        h.channel: {
            "last_success_at": _iso(h.last_success_at),
            "last_error_at": _iso(h.last_error_at),
            "failing": failing_now(h),
        }
        for h in board
        if h.source == STATUS_SOURCE
    }
    channels = [h for h in board if h.source in COLLECT_METHODS]
    stages = [h for h in board if h.source not in (*COLLECT_METHODS, STATUS_SOURCE)]
    return {"jobs": jobs, "queues": waiting, "channels": _tally(channels), "stages": _tally(stages)}


def _tally(rows: list[Health]) -> dict[str, int]:
    counts = Counter("failing" if failing_now(h) else "ok" for h in rows)
    return {"ok": counts["ok"], "failing": counts["failing"]}


def collection_recent(settings: Settings) -> HealthCheck:
    """Some channel was collected within three intervals (plus ten minutes); every channel
    failing at once (network down, blocked address) fails /health, one dead channel not."""
    methods = {c.method for c in settings.channels if c.enabled}
    window = timedelta(minutes=3 * settings.service.collect_minutes + 10)
    started = time.monotonic()

    def check(store: Store) -> str | None:
        if not methods or time.monotonic() - started < window.total_seconds():
            return None
        times = [h.last_success_at for h in store.status.all() if h.source in methods]
        latest = max((t for t in times if t is not None), default=None)
        if latest is not None and utcnow() - latest < window:
            return None
        return f"no channel collected in the last {window.total_seconds() / 60:.0f} minutes"

    return check


def scheduler_running(scheduler: BaseScheduler) -> HealthCheck:
    def check(_store: Store) -> str | None:
        return None if scheduler.state == STATE_RUNNING else "scheduler not running"

    return check


def lock_held(lock: ServiceLock) -> HealthCheck:
    """A lost lock (its database connection dropped) would let a second service start."""

    def check(_store: Store) -> str | None:
        try:
            return None if lock.held() else "service lock lost"
        except SQLAlchemyError:
            return "service lock unknown (database unreachable)"

    return check


def service_checks(
    settings: Settings, scheduler: BaseScheduler, lock: ServiceLock
) -> tuple[HealthCheck, ...]:
    """What the service adds to the review page's /health."""
    scheduled = frozenset(job.id for job in scheduler.get_jobs())
    return (
        disk_space,
        failing_jobs(scheduled),
        collection_recent(settings),
        scheduler_running(scheduler),
        lock_held(lock),
    )


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
