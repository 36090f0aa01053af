"""Scheduled jobs: plain functions taking (store, settings), wrapped so that each run is logged,
recorded in `claimwatch status`, and a failure never stops the other jobs.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import config
from claimwatch.errors import ClaimwatchError
from storage import Store

log = logging.getLogger("claimwatch.service")
JobFunction = Callable[[Store, config.Settings], Any]
STATUS_SOURCE = "job"

_running: dict[str, float] = {}
_running_lock = threading.Lock()


@dataclass(frozen=True)
class JobSpec:
    """A job: its function and when it runs (APScheduler trigger name and arguments).

    `misfire_grace_s` None means a run that is late for any reason still happens (once:
    the scheduler coalesces missed runs).
    """

    name: str
    function: JobFunction
    trigger: str
    trigger_args: dict[str, Any]
    misfire_grace_s: int | None = None
    run_at_start: bool = True


def guarded(store: Store, settings: config.Settings, spec: JobSpec) -> None:
    """Run one job; record its success or its error where an operator sees it, then return."""
    started = time.monotonic()
    with _running_lock:
        _running[spec.name] = started
    try:
        outcome = spec.function(store, settings)
    except Exception as exc:  # a failing job must never stop the scheduler or other jobs
        seconds = round(time.monotonic() - started, 2)
        log.exception("job failed", extra={"job": spec.name, "seconds": seconds})
        _record(store.status.failure, spec.name, describe(exc))
        return
    finally:
        with _running_lock:
            _running.pop(spec.name, None)
    seconds = round(time.monotonic() - started, 2)
    detail = summarise(outcome)
    log.info("job done", extra={"job": spec.name, "seconds": seconds, "outcome": detail})
    _record(store.status.success, spec.name, detail)


def describe(exc: Exception) -> str:
    """Our own errors are written for the operator; anything else is a bug, named as such."""
    if isinstance(exc, ClaimwatchError):
        return str(exc)
    return f"unexpected {type(exc).__name__}: {exc}"


def running() -> dict[str, float]:
    """Jobs in flight in this process: name -> seconds since they started."""
    now = time.monotonic()
    with _running_lock:
        return {name: round(now - started, 1) for name, started in _running.items()}


def summarise(outcome: Any) -> str:
    """A short one-line account of what a job returned, for logs and `claimwatch status`."""
    if outcome is None:
        return "ok"
    if hasattr(outcome, "summary") and callable(outcome.summary):
        return str(outcome.summary())[:300]
    return str(outcome)[:300]


def _record(write: Callable[[str, str, str], None], name: str, detail: str) -> None:
    try:
        write(STATUS_SOURCE, name, detail)
    except Exception:  # the database may be what failed; the log line is all we can leave
        log.exception("could not record a job's outcome", extra={"job": name})
