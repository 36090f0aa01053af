"""What `claimwatch status` and the /health endpoint report."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from typing import Any

from scoring.extract import EXTRACTOR_VERSION
from storage import Store
from storage.status import Health


def collect_status(store: Store, accounts: Mapping[str, str]) -> dict[str, Any]:
    """Counts per table, media by processing state, work waiting, checkpoints, the periods
    the alert history covers in full (outside them claims are not checked against alerts),
    and the health of every source and job (source "job": the service's scheduled jobs),
    with `not_before` set on a channel the platform asked to leave alone until then and
    `wait_for` saying whom that wait holds. `accounts` are the labels of the accounts the
    configuration reads with, by source (collector.sources.accounts)."""
    return {
        "archive": store.archive.counts(),
        "media": store.media.status_counts(),
        "queues": queues(store),
        "disk": disk(store),
        "checkpoints": [
            {"source": s, "channel": c, "value": v, "updated_at": t.isoformat()}
            for s, c, v, t in store.status.checkpoints()
        ],
        "alert_periods": [
            {"source": p.source, "from": p.start.isoformat(), "to": p.end.isoformat()}
            for p in store.alerts.periods()
        ],
        "health": [
            {
                "source": h.source,
                "channel": h.channel,
                "last_success_at": h.last_success_at.isoformat() if h.last_success_at else None,
                "last_error_at": h.last_error_at.isoformat() if h.last_error_at else None,
                "last_error": h.last_error,
                "failures": h.failures,
                "detail": h.detail,
                "not_before": h.not_before.isoformat() if h.not_before else None,
                "wait_for": wait_for(h, accounts),
            }
            for h in store.status.all()
        ],
    }


def wait_for(health: Health, accounts: Mapping[str, str]) -> str | None:
    """Whom a channel's wait holds: the account configured now, another account (after a
    switch of session or token, the configured one reads the channel), every account (a
    wait saved before accounts were kept), or the channel alone (the web preview)."""
    if health.not_before is None:
        return None
    if health.wait_account is None:
        return "every account" if health.source in accounts else "this channel"
    if health.wait_account == accounts.get(health.source):
        return "this account"
    return "another account"


def disk(store: Store) -> dict[str, Any]:
    """Free space where media and thumbnails are written (the service fails /health under
    1 GiB)."""
    free = shutil.disk_usage(store.data_dir).free
    return {"data_dir": str(store.data_dir), "free_gib": round(free / 1024**3, 1)}


def queues(store: Store) -> dict[str, int]:
    """Work the service has still to do: media to fingerprint (new, or again after an
    upgrade of the fingerprint), posts to read for claims."""
    from media.fingerprint import ALGORITHM  # decoding libraries: only when asked

    return {
        "media_pending": store.media.status_counts().get("pending", 0),
        "media_older_fingerprints": store.fingerprints.count_missing(ALGORITHM),
        "posts_to_extract": len(store.claims.posts_to_extract(EXTRACTOR_VERSION)),
    }
