"""The service's own health checks, added to the review page's /health.

Each returns a problem in a few words, or None. Details (which error, since when) are in
`claimwatch status`, which only operators on the machine can run.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable

from apscheduler.schedulers.base import STATE_RUNNING, BaseScheduler

from storage import Store

MIN_FREE_BYTES = 1024**3


def disk_space(store: Store) -> str | None:
    free = shutil.disk_usage(store.data_dir).free
    return (
        f"under {MIN_FREE_BYTES // 1024**3} GiB free in the data directory"
        if free < MIN_FREE_BYTES
        else None
    )


def failing_jobs(store: Store) -> str | None:
    failing = [
        h.channel
        for h in store.status.all()
        if h.source == "job"
        and h.last_error_at is not None
        and (h.last_success_at is None or h.last_error_at > h.last_success_at)
    ]
    return f"jobs failing: {', '.join(sorted(failing))}" if failing else None


def scheduler_running(scheduler: BaseScheduler) -> Callable[[Store], str | None]:
    def check(_store: Store) -> str | None:
        return None if scheduler.state == STATE_RUNNING else "scheduler not running"

    return check
