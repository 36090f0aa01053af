"""Which jobs the service runs and when: each is the function behind a CLI command.

collect  -> `claimwatch collect --once`     every service.collect_minutes
media    -> `claimwatch media process`      every service.media_minutes
score    -> `claimwatch claims score`       every service.score_minutes, then the search
                                            texts of new and edited posts (post_search.py)
alerts   -> live Home Front Command alerts  every service.alerts_minutes (when [alerts] live)
digest   -> `claimwatch digest --send`      checked every service.digest_check_minutes;
                                            sends each day once, at [digest] send_at

Every job also runs once at start, which is how downtime is caught up: collection resumes
from each channel's checkpoint, media and scoring take whatever waits, and the digest
sends each day missed (up to three, see digest.schedule) once. The digest's first check
waits one interval, so that collection and scoring have caught up before it goes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import config
from claimwatch.service.jobs import JobFunction, JobSpec
from collector.run import CollectReport, collect
from collector.sources import SourceSet
from digest.service import send_due_digest
from media.fingerprint import ALGORITHM
from media.matcher import Matcher
from media.process import archive_matcher, process_pending
from scoring.alerts_import import collect_alerts
from scoring.arabic import NORMALISER_VERSION, normalize
from scoring.pipeline import ScoreReport, score_claims
from storage import Store
from storage.post_search import PostSearch


def build_jobs(settings: config.Settings, sources: SourceSet) -> list[JobSpec]:
    """The service's jobs; `sources` stay open for the life of the service (one Telegram client)."""
    service = settings.service

    def collect_job(store: Store, settings: config.Settings) -> str:
        return collect_summary(collect(store, settings, sources))

    def digest_job(store: Store, settings: config.Settings) -> Any:
        return send_due_digest(store, settings, datetime.now(UTC))

    jobs = [
        every("collect", collect_job, service.collect_minutes),
        every("media", MediaJob(), service.media_minutes),
        every("score", score_job, service.score_minutes),
    ]
    if settings.alerts.live:
        jobs.append(every("alerts", collect_alerts, service.alerts_minutes))
    if settings.digest.enabled:
        jobs.append(every("digest", digest_job, service.digest_check_minutes, at_start=False))
    return jobs


def score_job(store: Store, settings: config.Settings) -> ScoreReport:
    """Score what waits, then make new and edited posts' text ready for search."""
    report = score_claims(store, settings)
    PostSearch(store.sessions, store.files, normalize, NORMALISER_VERSION).prepare()
    return report


# Files whose fingerprint is from an older algorithm, fingerprinted again per run (after
# an upgrade): about a minute of work on two cores, so new footage waits one run at most.
OLDER_PER_RUN = 100


class MediaJob:
    """`process_pending` with one matcher kept from run to run, so a run with nothing new
    costs a count query instead of reading every fingerprint back. When another process
    (`claimwatch media process`) added fingerprints behind its back, only those are read
    and added; were there ever fewer than it holds, it is built again."""

    def __init__(self) -> None:
        self._matcher: Matcher | None = None

    def __call__(self, store: Store, settings: config.Settings) -> Any:
        matcher = self._current(store, settings)
        return process_pending(store, settings, matcher=matcher, older_limit=OLDER_PER_RUN)

    def _current(self, store: Store, settings: config.Settings) -> Matcher:
        known = store.fingerprints.count(ALGORITHM)
        current = self._matcher
        if current is not None and len(current) == known:
            return current
        kept = current if current is not None and len(current) < known else None
        self._matcher = archive_matcher(store, settings.media, matcher=kept)
        return self._matcher


def every(name: str, function: JobFunction, minutes: float, at_start: bool = True) -> JobSpec:
    """A job run every `minutes` (at least every second), and at start unless told not to."""
    return JobSpec(
        name, function, "interval", {"seconds": max(1.0, minutes * 60)}, run_at_start=at_start
    )


def collect_summary(report: CollectReport) -> str:
    """One line for `claimwatch status`; each channel's own line is under its source."""
    failed = len(report.failed)
    skipped = sum(1 for c in report.channels if c.skipped)
    channels = len(report.channels)
    return (
        f"{channels} channel{'s' * (channels != 1)}, {report.new_posts} new posts"
        + (f", {failed} failing" if failed else "")
        + (f", {skipped} backing off" if skipped else "")
    )
