"""What `claimwatch status` and the /health endpoint report."""

from __future__ import annotations

from typing import Any

from storage import Store


def collect_status(store: Store) -> dict[str, Any]:
    """Counts per table, media by processing state, checkpoints, and source/job health."""
    return {
        "archive": store.archive.counts(),
        "media": store.media.status_counts(),
        "checkpoints": [
            {"source": s, "channel": c, "value": v, "updated_at": t.isoformat()}
            for s, c, v, t in store.status.checkpoints()
        ],
        "health": [
            {
                "source": h.source,
                "channel": h.channel,
                "last_success_at": h.last_success_at.isoformat() if h.last_success_at else None,
                "last_error_at": h.last_error_at.isoformat() if h.last_error_at else None,
                "last_error": h.last_error,
                "failures": h.failures,
            }
            for h in store.status.all()
        ],
    }
