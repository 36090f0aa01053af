"""The service loop: lock the archive, schedule the jobs, serve the review page, stop cleanly.

SIGTERM or SIGINT stops it: no new job starts, the review page stops accepting requests,
jobs in flight get `service.shutdown_seconds` to finish their batch. A job still running
after that is abandoned: the process exits at once (`exit_now`), so its open transaction
rolls back and nothing is half-written; the next start picks up from the last committed
checkpoint. Without the hard exit Python would wait for the job's thread at exit.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.exc import SQLAlchemyError

import config
from claimwatch.errors import ServiceError
from claimwatch.service.health import service_checks
from claimwatch.service.jobs import JobSpec, guarded, running
from claimwatch.service.lock import AlreadyRunningError, ServiceLock
from storage import Store

log = logging.getLogger("claimwatch.service")
WEB_START_SECONDS = 15.0
# How often the service checks that it still holds its lock (PostgreSQL drops it with the
# connection when the database restarts).
LOCK_CHECK_SECONDS = 30.0
WAKE_SECONDS = 0.25
# The review page's share of the budget: requests in flight get this long to finish.
WEB_GRACE_SECONDS = 2
# Made by `make_web` from the service's extra /health checks: a uvicorn.Server.
WebFactory = Callable[[Sequence[Callable[[Store], str | None]]], Any]


@dataclass(frozen=True)
class Stopped:
    """How the service stopped: jobs still running when the budget ran out, time taken,
    and whether it stopped because another service took its lock."""

    abandoned: tuple[str, ...]
    seconds: float
    lock_lost: bool = False


def scheduler_for(
    store: Store, settings: config.Settings, jobs: list[JobSpec]
) -> BackgroundScheduler:
    """Jobs never overlap themselves, and runs missed while busy collapse into one."""
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
    make_web: WebFactory | None,
    stop: threading.Event,
) -> Stopped:
    """Run until `stop` is set (by a signal or a caller), then shut down within the budget.

    Raises AlreadyRunningError when another service holds the archive, and ServiceError
    when the review page cannot listen; in both cases no job has run.
    """
    with ServiceLock(store.engine, store.data_dir) as lock:
        scheduler = scheduler_for(store, settings, jobs)
        web = make_web(service_checks(settings, scheduler, lock)) if make_web is not None else None
        server_thread = _start_web(web) if web is not None else None
        scheduler.start()
        log.info(
            "service started",
            extra={
                "jobs": ",".join(j.name for j in jobs),
                "web": _address(web) if web is not None else "off",
                "lock": str(lock.path) if store.engine.dialect.name == "sqlite" else "advisory",
                "pid": os.getpid(),
            },
        )
        lost = _hold_until(stop, lock)
        stopped = _stop(scheduler, web, server_thread, settings.service.shutdown_seconds)
        return replace(stopped, lock_lost=lost)


def install_signal_handlers(stop: threading.Event) -> None:
    """SIGTERM/SIGINT set `stop`; a second one while stopping exits at once.

    Forked media workers inherit the handler; there it does nothing, so a Ctrl-C that
    reaches the whole process group lets them finish the file the service waits for.
    """
    received: list[int] = []
    service_pid = os.getpid()

    def handler(signum: int, _frame: Any) -> None:
        if os.getpid() != service_pid:
            return
        received.append(signum)
        name = signal.Signals(signum).name
        if len(received) > 1:
            log.warning("second signal: exiting now", extra={"signal": name})
            exit_now(1)
        log.info("signal received", extra={"signal": name})
        # Event.set takes a lock the interrupted main thread may hold; set it from a thread.
        threading.Thread(target=stop.set, name="stop", daemon=True).start()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def exit_now(code: int) -> None:
    """Leave without waiting for job threads: their transactions roll back."""
    for child in multiprocessing.active_children():
        child.kill()  # media workers: their results would have nowhere to go
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _hold_until(stop: threading.Event, lock: ServiceLock) -> bool:
    """Wait for `stop`, keeping the lock; True if another service took it meanwhile.

    The main thread wakes every WAKE_SECONDS: when the kernel hands SIGTERM to another
    thread, Python runs the handler only once the main thread runs again, and a main
    thread asleep in one long wait would not stop the service in time.
    """
    next_check = time.monotonic() + LOCK_CHECK_SECONDS
    while not stop.wait(min(WAKE_SECONDS, LOCK_CHECK_SECONDS)):
        if time.monotonic() < next_check:
            continue
        next_check = time.monotonic() + LOCK_CHECK_SECONDS
        try:
            lock.keep()
        except AlreadyRunningError:
            log.error("another service took this archive's lock while ours was lost; stopping")
            return True
        except SQLAlchemyError as exc:  # the database is down: check again later
            log.warning("cannot check the service lock", extra={"error": str(exc)})
    return False


def _start_web(server: Any) -> threading.Thread:
    """Serve in a thread; fail the start, before any job runs, if the port cannot be had."""
    thread = threading.Thread(target=server.run, name="review-web", daemon=True)
    thread.start()
    deadline = time.monotonic() + WEB_START_SECONDS
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    if not server.started:
        server.should_exit = True
        raise ServiceError(
            f"the review page cannot listen on {_address(server)} (see the log line above: "
            "is another program using the port?); set review.port, or run with --no-web"
        )
    return thread


def _stop(
    scheduler: BackgroundScheduler,
    web: Any,
    server_thread: threading.Thread | None,
    budget_s: float,
) -> Stopped:
    """Stop the web page and the scheduler together; wait for jobs in flight up to the budget."""
    started = time.monotonic()
    log.info("service stopping", extra={"running": ",".join(running()) or "none"})
    if web is not None:
        web.should_exit = True
    closer = threading.Thread(
        target=scheduler.shutdown, kwargs={"wait": True}, name="scheduler-stop", daemon=True
    )
    closer.start()
    closer.join(timeout=budget_s)
    if server_thread is not None:
        server_thread.join(timeout=max(0.1, budget_s - (time.monotonic() - started)))
    abandoned = tuple(running()) if closer.is_alive() else ()
    seconds = round(time.monotonic() - started, 2)
    if abandoned:
        log.warning(
            "jobs still running at the end of the shutdown budget are abandoned; what they "
            "had not committed is done again at the next start",
            extra={"jobs": ",".join(abandoned), "budget_s": budget_s},
        )
    log.info("service stopped", extra={"seconds": seconds})
    return Stopped(abandoned, seconds)


def _address(server: Any) -> str:
    return f"{server.config.host}:{server.config.port}"
