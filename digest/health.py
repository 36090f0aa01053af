"""Collection health as the digest reports it: what is failing now, and how media
processing stands, from the same records `claimwatch status` shows."""

from __future__ import annotations

from digest.content import Health, Problem
from storage import Store

FAILED_MEDIA_SHOWN = 3


def collection_health(store: Store) -> Health:
    """Sources and jobs failing now (most failures first) and media by processing state."""
    problems = [
        Problem(h.source, h.channel, h.failures, h.last_error or "", h.last_error_at)
        for h in store.status.all()
        if h.failures > 0
    ]
    problems.sort(key=lambda p: (-p.failures, p.source, p.channel))
    failed = store.media.with_status("failed", limit=FAILED_MEDIA_SHOWN)
    return Health(
        problems=tuple(problems),
        media=dict(sorted(store.media.status_counts().items())),
        failed_media=tuple(f"{m.sha256[:12]}: {m.error or 'no error recorded'}" for m in failed),
    )
