"""The demo's collection stage: the sample channel collected live, as `claimwatch collect`.

The channel is served by a local stand-in of its t.me/s page and collected into an
archive of its own (so the other stages' figures stay those of the import), three times:
a first run, a second that finds nothing new, and one after the channel edited a post,
deleted one and posted again.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import config
from claimwatch.demo.sample import HANDLE
from claimwatch.demo.tme import LocalPreview
from claimwatch.text import counted
from collector.run import ChannelReport, collect
from collector.sources import open_sources
from collector.tg_export import read_export
from config.settings import ChannelSettings
from storage import open_store


def collect_live(
    export_dir: Path, data_dir: Path, settings: config.Settings
) -> tuple[dict[str, Any], list[str]]:
    (chat,) = read_export(export_dir)
    posts = tuple(chat.posts())
    preview = LocalPreview(HANDLE, posts)
    settings = _settings(settings, data_dir, preview.url)
    store = open_store(settings.storage.url, data_dir, settings.storage.max_media_bytes)
    sources = open_sources(settings)
    try:
        first = collect(store, settings, sources).channels[0]
        second = collect(store, settings, sources).channels[0]
        _channel_moves_on(preview)
        later = collect(store, settings, sources).channels[0]
    finally:
        sources.close()
        store.close()
        preview.close()
    return _summary(first, second, later, len(posts))


def _settings(settings: config.Settings, data_dir: Path, url: str) -> config.Settings:
    return replace(
        config.with_data_dir(settings, data_dir),
        telegram=replace(settings.telegram, web_url=url, media_hosts=("127.0.0.1",)),
        collect=replace(settings.collect, throttle_seconds=0.0, recheck_recent=20),
        channels=(ChannelSettings(HANDLE, group="Islamic Resistance in Iraq"),),
    )


def _channel_moves_on(preview: LocalPreview) -> None:
    """An edit, a deletion and a new post among the newest posts."""
    *_, edited, deleted, last = sorted(preview.posts.values(), key=lambda p: p.message_id)
    preview.posts[edited.message_id] = replace(edited, text=edited.text + "\n(تصحيح)")
    del preview.posts[deleted.message_id]
    new = replace(
        last,
        message_id=last.message_id + 1,
        media=(),
        posted_at=last.posted_at + timedelta(hours=1),
        text="بيان جديد",
    )
    preview.posts[new.message_id] = new


def _summary(
    first: ChannelReport, second: ChannelReport, later: ChannelReport, served: int
) -> tuple[dict[str, Any], list[str]]:
    data = {
        "posts_served": served, "first_run": _counts(first), "second_run": _counts(second),
        "later_run": _counts(later), "errors": [r.error for r in (first, second, later)
                                               if r.error],
    }  # fmt: skip
    lines = [
        f"collected {counted(first.new_posts, 'post')} and "
        f"{counted(first.media_stored, 'media file')} from a local "
        f"stand-in of t.me/s/{HANDLE} ({first.batches} pages, each stored with its checkpoint)",
        f"a second run fetched nothing new ({second.new_posts} new posts)",
        f"after the channel edited a post, deleted one and posted again: {later.new_posts} new "
        f"post, {later.revisions} revision, {later.deleted} deletion (the deleted post is kept)",
    ]
    return data, lines


def _counts(report: ChannelReport) -> dict[str, int]:
    return {"new_posts": report.new_posts, "revisions": report.revisions,
            "media_stored": report.media_stored, "media_missing": report.media_missing,
            "deleted": report.deleted, "batches": report.batches}  # fmt: skip
