"""Scheduled jobs: plain functions taking (store, settings), wrapped so that each run is logged,
recorded in `claimwatch status`, and a failure never stops the other jobs.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import config
from storage import Store

log = logging.getLogger("claimwatch.service")
JobFunction = Callable[[Store, config.Settings], Any]


@dataclass(frozen=True)
class JobSpec:
    """A job: its function and when it runs (APScheduler trigger name and arguments)."""

    name: str
    function: JobFunction
    trigger: str
    trigger_args: dict[str, Any]
    misfire_grace_s: int | None = None
    run_at_start: bool = True


def guarded(store: Store, settings: config.Settings, spec: JobSpec) -> None:
    """Run one job; record its success or its error where an operator sees it, then return."""
    started = time.monotonic()
    try:
        outcome = spec.function(store, settings)
    except Exception as exc:  # a failing job must never stop the scheduler or other jobs
        seconds = round(time.monotonic() - started, 2)
        log.exception("job failed", extra={"job": spec.name, "seconds": seconds})
        store.status.failure("job", spec.name, f"{type(exc).__name__}: {exc}")
        return
    seconds = round(time.monotonic() - started, 2)
    detail = summarise(outcome)
    log.info("job done", extra={"job": spec.name, "seconds": seconds, "outcome": detail})
    store.status.success("job", spec.name, detail)


def summarise(outcome: Any) -> str:
    """A short one-line account of what a job returned, for logs and `claimwatch status`."""
    if outcome is None:
        return "ok"
    if hasattr(outcome, "summary") and callable(outcome.summary):
        return str(outcome.summary())
    return str(outcome)[:300]
