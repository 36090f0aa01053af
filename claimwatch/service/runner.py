"""The service loop: lock the archive, schedule the jobs, serve the review page, stop cleanly.

SIGTERM or SIGINT stops it: no new job starts, the review page stops accepting requests,
jobs in flight get `service.shutdown_seconds` to finish their batch. A job still running
after that is abandoned; its open transaction rolls back, so nothing is half-written.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler

import config
from claimwatch.service.jobs import JobSpec, guarded
from claimwatch.service.lock import ServiceLock
from storage import Store

log = logging.getLogger("claimwatch.service")


def scheduler_for(
    store: Store, settings: config.Settings, jobs: list[JobSpec]
) -> BackgroundScheduler:
    """Jobs never overlap themselves, and runs missed during downtime collapse into one."""
    scheduler = BackgroundScheduler(
        timezone=UTC, job_defaults={"max_instances": 1, "coalesce": True}
    )
    now = datetime.now(UTC)
    for spec in jobs:
        extra: dict[str, Any] = {"next_run_time": now} if spec.run_at_start else {}
        scheduler.add_job(
            guarded,
            spec.trigger,
            args=(store, settings, spec),
            id=spec.name,
            name=spec.name,
            misfire_grace_time=spec.misfire_grace_s,
            **spec.trigger_args,
            **extra,
        )
    return scheduler


def serve_until_stopped(
    store: Store,
    settings: config.Settings,
    jobs: list[JobSpec],
    make_web: Callable[[BaseScheduler], Any] | None,
    stop: threading.Event,
) -> None:
    """Run until `stop` is set (by a signal or a caller), then shut down within the budget.

    `make_web` builds the web server (a uvicorn.Server) once the scheduler exists, so its
    /health can tell whether the scheduler runs.
    """
    with ServiceLock(store.engine, store.data_dir):
        scheduler = scheduler_for(store, settings, jobs)
        scheduler.start()
        web = make_web(scheduler) if make_web is not None else None
        server_thread = _start_web(web) if web is not None else None
        log.info(
            "service started",
            extra={
                "jobs": ",".join(j.name for j in jobs),
                "web": web is not None,
                "pid": os.getpid(),
            },
        )
        stop.wait()
        log.info("service stopping")
        if web is not None:
            web.should_exit = True
        _shutdown(scheduler, settings.service.shutdown_seconds)
        if server_thread is not None:
            server_thread.join(timeout=5)
    log.info("service stopped")


def install_signal_handlers(stop: threading.Event) -> None:
    def handler(signum: int, _frame: Any) -> None:
        log.info("signal received", extra={"signal": signal.Signals(signum).name})
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def _start_web(server: Any) -> threading.Thread:
    thread = threading.Thread(target=server.run, name="review-web", daemon=True)
    thread.start()
    return thread


def _shutdown(scheduler: BackgroundScheduler, budget_s: float) -> None:
    """Wait for jobs in flight up to the budget; past it, leave them to roll back."""
    closer = threading.Thread(target=scheduler.shutdown, kwargs={"wait": True}, daemon=True)
    closer.start()
    deadline = time.monotonic() + budget_s
    closer.join(timeout=max(0.0, deadline - time.monotonic()))
    if closer.is_alive():
        log.warning(
            "jobs still running at shutdown; their open batches roll back",
            extra={"budget_s": budget_s},
        )
