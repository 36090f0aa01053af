"""Which jobs the service runs and when: each is the function behind a CLI command.

collect  -> `claimwatch collect --once`     every service.collect_minutes
media    -> `claimwatch media process`      every service.media_minutes
score    -> `claimwatch claims score`       every service.score_minutes
alerts   -> live Home Front Command alerts  every service.alerts_minutes (when [alerts] live)
digest   -> `claimwatch digest --send`      checked every service.digest_check_minutes;
                                            sends each day once, at [digest] send_at
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import config
from claimwatch.service.jobs import JobSpec
from collector.run import collect
from collector.sources import SourceSet
from digest.service import send_due_digest
from media.process import process_pending
from scoring.alerts_import import collect_alerts
from scoring.pipeline import score_claims
from storage import Store


def build_jobs(settings: config.Settings, sources: SourceSet) -> list[JobSpec]:
    """The service's jobs; `sources` stay open for the life of the service (one Telegram client)."""
    service = settings.service

    def collect_job(store: Store, settings: config.Settings) -> Any:
        return collect(store, settings, sources)

    def digest_job(store: Store, settings: config.Settings) -> Any:
        return send_due_digest(store, settings, datetime.now(UTC))

    jobs = [
        _every("collect", collect_job, service.collect_minutes),
        _every("media", process_pending, service.media_minutes),
        _every("score", score_claims, service.score_minutes),
    ]
    if settings.alerts.live:
        jobs.append(_every("alerts", collect_alerts, service.alerts_minutes))
    if settings.digest.enabled:
        jobs.append(_every("digest", digest_job, service.digest_check_minutes))
    return jobs


def _every(name: str, function: Any, minutes: float) -> JobSpec:
    return JobSpec(name, function, "interval", {"seconds": max(1.0, minutes * 60)})
