"""The health check: the one page answered without a log-in, for monitors and the service.

A check is a plain function of the store that returns a problem in a few words, or None
when all is well. The background service adds its own (scheduler alive, last collection
recent) by passing more checks to `create_app`. The answer names failing checks but shows
no detail, since anyone who can reach the port may ask; the service adds only figures that
say nothing of the archive's content or watch list (job times, queue sizes, source counts).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from storage import Store

HealthCheck = Callable[[Store], str | None]
# Non-secret operational figures (job times, queue sizes) the background service adds.
HealthDetails = Callable[[Store], dict[str, Any]]
log = logging.getLogger(__name__)


def database_reachable(store: Store) -> str | None:
    try:
        with store.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        log.error("health: database unreachable: %s", exc)
        return "database unreachable"
    return None


DEFAULT_CHECKS: tuple[HealthCheck, ...] = (database_reachable,)


def health(
    store: Store,
    checks: Sequence[HealthCheck] = DEFAULT_CHECKS,
    details: HealthDetails | None = None,
) -> dict[str, Any]:
    """{"status": "ok"} or {"status": "failing", "problems": [...]} from every check,
    with the `details` figures beside them when given."""
    problems = [problem for check in checks if (problem := check(store)) is not None]
    report: dict[str, Any] = (
        {"status": "failing", "problems": problems} if problems else {"status": "ok"}
    )
    return {**report, **details(store)} if details is not None else report
