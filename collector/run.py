"""A collect run: every configured channel from its checkpoint, each failure contained.

`collect` is a plain function taking its collaborators, so the CLI and the background
scheduler run the same code. Each batch is stored with its checkpoint in one transaction
before the next is fetched. A failing channel is logged, recorded for `claimwatch status`
and backed off (with jitter) while the others go on; a wait the platform asked for is kept
in the archive, so a later run in another process honours it too, and holds every channel
read with the same account when the platform imposed it on the account (collector.waits). A
configured handle is collected under the spelling its channel is archived under, whatever
its case in the settings.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from claimwatch.errors import ClaimwatchError, RateLimitedError, SourceError
from claimwatch.text import counted
from collector.base import Source
from collector.pacing import Clock
from collector.recheck import Rechecking
from collector.refetch import Refetching
from collector.sources import SourceSet, channel_record
from collector.waits import account_waiting, honoured, wait_end, waiting
from config.settings import ChannelSettings, CollectSettings, Settings
from storage import Store
from storage.records import Batch, Channel, IngestResult, same_handle
from storage.timeutil import utcnow

log = logging.getLogger("claimwatch.collect")
MAX_MEDIA_PAUSE = timedelta(days=1)  # the longest wait before another try of a failed file


@dataclass
class ChannelReport:
    """What one channel's collection did; `error` or `skipped` say why it stopped."""

    source: str
    channel: str
    new_posts: int = 0
    revisions: int = 0
    media_stored: int = 0
    media_missing: int = 0
    media_recovered: int = 0
    deleted: int = 0
    batches: int = 0
    error: str | None = None
    skipped: str | None = None
    problems: list[str] = field(default_factory=list)

    def add(self, result: IngestResult) -> None:
        self.new_posts += result.new_posts
        self.revisions += result.new_revisions
        self.media_stored += result.media_stored
        self.media_missing += result.media_missing
        self.problems.extend(result.errors)


@dataclass(frozen=True)
class CollectReport:
    channels: tuple[ChannelReport, ...]
    started_at: datetime
    finished_at: datetime

    @property
    def failed(self) -> tuple[ChannelReport, ...]:
        return tuple(c for c in self.channels if c.error)

    @property
    def new_posts(self) -> int:
        return sum(c.new_posts for c in self.channels)


def collect(
    store: Store,
    settings: Settings,
    sources: SourceSet,
    *,
    source: str | None = None,
    channel: str | None = None,
) -> CollectReport:
    """Collect every configured channel (or those of one source / one handle) once.

    Channels that failed recently are skipped while `sources.backoff` says so.
    """
    started = utcnow()
    reports = [
        _collect_one(store, sources, entry, settings.collect)
        for entry in selected(settings.channels, source, channel)
    ]
    return CollectReport(tuple(reports), started, utcnow())


def run_forever(
    store: Store,
    settings: Settings,
    sources: SourceSet,
    *,
    on_report: Callable[[CollectReport], None],
    stop: threading.Event | None = None,
    clock: Clock | None = None,
    source: str | None = None,
    channel: str | None = None,
) -> None:
    """Collect every `collect.interval_minutes` (jittered) until `stop` is set."""
    clock = clock or Clock()
    stop = stop or threading.Event()
    while not stop.is_set():
        on_report(collect(store, settings, sources, source=source, channel=channel))
        stop.wait(clock.jittered(settings.collect.interval_minutes * 60))


def selected(
    entries: Sequence[ChannelSettings], source: str | None, channel: str | None
) -> list[ChannelSettings]:
    """The enabled channels, narrowed to one source and/or one handle."""
    chosen = [e for e in entries if e.enabled and (source is None or e.method == source)]
    if channel is not None:
        wanted = channel.lstrip("@")
        chosen = [e for e in chosen if same_handle(channel_record(e).handle, wanted)]
    return chosen


def _collect_one(
    store: Store, sources: SourceSet, entry: ChannelSettings, pace: CollectSettings
) -> ChannelReport:
    report = ChannelReport(entry.method, entry.handle)
    started = utcnow()
    try:
        target = _archived(store, channel_record(entry), report)
        report.channel = target.handle
        report.skipped = _held(store, sources, entry.method, target.handle)
        if report.skipped:
            return report
        found = sources.available.get(entry.method)
        if found is None:
            raise SourceError(sources.unavailable.get(entry.method, "unknown source"))
        _run_channel(store, found, target, report)
        if isinstance(found, Refetching):
            _refetch(store, found, target, report, pace, started)
    except Exception as exc:  # one channel's failure must not stop the others
        _failed(store, sources, entry.method, report, exc)
        return report
    store.status.success(entry.method, report.channel, _detail(report), found.account)
    if sources.backoff:
        sources.backoff.succeeded(_key(entry.method, report.channel))
    log.info("%s %s: %s", entry.method, report.channel, _detail(report))
    return report


def _held(store: Store, sources: SourceSet, method: str, handle: str) -> str | None:
    """Why the channel is left alone this run, if it is: this process backs off after
    failures, or the platform asked for a wait (in this run or an earlier one), of the
    channel or of the whole account it is read with."""
    wait = sources.backoff.wait_left(_key(method, handle)) if sources.backoff else 0.0
    if wait > 0:
        return f"backing off after failures; next try in {wait / 60:.0f} min"
    found = sources.available.get(method)
    if found is not None and found.account_wait is not None:
        latest = store.status.latest_wait(method, found.account)
        return account_waiting(latest, found.account_wait, sources.clock)
    return waiting(store.status.not_before(method, handle), sources.clock)


def _archived(store: Store, channel: Channel, report: ChannelReport) -> Channel:
    """The channel under the spelling of its archive: posts, checkpoints, status and
    deletions all land on the channel archived under any case of the handle."""
    spelling = store.channels.spelling(channel.platform, channel.handle)
    if spelling.note:
        report.problems.append(spelling.note)
        log.warning("%s", spelling.note)
    return replace(channel, handle=spelling.handle)


def _run_channel(store: Store, source: Source, channel: Channel, report: ChannelReport) -> None:
    """Store each batch (with its checkpoint) before asking for the next; then recheck."""
    checkpoint = store.archive.checkpoint(source.name, channel.handle)
    for batch in source.fetch(channel, checkpoint):
        report.add(store.archive.ingest(batch))
        report.batches += 1
    if isinstance(source, Rechecking) and source.recheck_recent > 0:
        _recheck(store, source, channel, report)


def _recheck(store: Store, source: Rechecking, channel: Channel, report: ChannelReport) -> None:
    recent = store.archive.recent_message_ids(
        channel.platform, channel.handle, source.recheck_recent
    )
    if not recent:
        return
    found = source.recheck(channel, recent)
    # Stored first even without posts: it checks the handle still names the archived channel.
    checked = Batch(found.channel or channel, found.posts)
    report.revisions += store.archive.ingest(checked).new_revisions
    report.deleted += store.archive.mark_deleted(channel.platform, channel.handle, found.deleted)


def _refetch(
    store: Store,
    source: Refetching,
    channel: Channel,
    report: ChannelReport,
    pace: CollectSettings,
    started: datetime,
) -> None:
    """Try the channel's failed media downloads that are due again (storage.media_retries)."""
    due = store.media_retries.due(
        channel.platform, channel.handle, pace.media_retries, started, by_url=source.by_url
    )
    now = source.current(channel) if due else None
    if now is not None:  # files asked for by message id: the handle must name the same channel
        store.archive.ingest(Batch(now, ()))
    for item, ref in source.download_again(channel, due):
        pause = timedelta(minutes=pace.backoff_minutes * 2**item.retries)
        if store.media_retries.record(item, ref, min(pause, MAX_MEDIA_PAUSE)):
            report.media_recovered += 1


def _failed(
    store: Store, sources: SourceSet, method: str, report: ChannelReport, exc: Exception
) -> None:
    """Record the failure; a wait the platform asked for is kept for every later run."""
    wait, note = honoured(exc.retry_after) if isinstance(exc, RateLimitedError) else (None, None)
    if isinstance(exc, ClaimwatchError):
        report.error = f"{exc} ({note})" if note else str(exc)
        log.warning("%s %s failed: %s", method, report.channel, report.error)
    else:
        report.error = f"unexpected {type(exc).__name__}: {exc}"
        log.exception("%s %s failed unexpectedly", method, report.channel)
    until = None if wait is None else wait_end(sources.clock, wait)
    found = sources.available.get(method)
    account = found.account if found is not None else None
    store.status.failure(method, report.channel, report.error, until, account)
    if sources.backoff:
        sources.backoff.failed(_key(method, report.channel), wait)


def _key(method: str, handle: str) -> str:
    return f"{method}:{handle}"


def _detail(report: ChannelReport) -> str:
    return (
        f"{counted(report.new_posts, 'new post')}, {counted(report.revisions, 'revision')}, "
        f"{counted(report.media_stored, 'media file')}, {report.media_missing} missing, "
        f"{report.media_recovered} recovered, "
        f"{report.deleted} deleted"
    )
