"""The service's media job keeps one matcher between runs: a run with nothing new does not
read every fingerprint back, copies are still found, and fingerprints added by another
process (`claimwatch media process`) make it rebuild."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

import config
from claimwatch import status
from claimwatch.service import schedule
from claimwatch.service.schedule import MediaJob
from media.process import process_pending
from storage import Store
from storage.models import FingerprintRow
from storage.records import Batch, Channel, MediaRef, Post
from storage.timeutil import utcnow
from tests.review.clips import pattern_clip


def archive(store: Store, folder: Path, message_id: int, seed: int, lead_in: int = 0) -> None:
    """A post with a 6-second clip; the same seed with a lead-in is a re-cut of it."""
    path = pattern_clip(folder / f"{message_id}.mp4", 6 + lead_in, seed, lead_in=lead_in)
    when = utcnow() - timedelta(hours=100 - message_id)
    media = (MediaRef("video", path=path, mime="video/mp4"),)
    post = Post("telegram", "irqres", message_id, when, "text", "telegram-web", media=media)
    store.archive.ingest(Batch(Channel("telegram", "irqres"), (post,)))


def test_the_media_job_reuses_its_matcher_until_another_process_adds_fingerprints(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = config.with_data_dir(config.Settings(), store.data_dir)
    builds: list[int] = []
    real = schedule.archive_matcher

    def counted(*args: object, **kwargs: object) -> object:
        builds.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(schedule, "archive_matcher", counted)
    job = MediaJob()
    archive(store, tmp_path, 1, seed=1)
    archive(store, tmp_path, 2, seed=2)
    assert job(store, settings).fingerprinted == 2 and len(builds) == 1
    assert job(store, settings).fingerprinted == 0 and len(builds) == 1

    archive(store, tmp_path, 3, seed=1, lead_in=2)  # post 1's footage again, re-cut
    report = job(store, settings)
    assert (report.fingerprinted, report.copies, report.recycled) == (1, 1, 1)
    assert len(builds) == 1

    archive(store, tmp_path, 4, seed=4)
    process_pending(store, settings, workers=1)  # another process fingerprints it
    job(store, settings)
    assert len(builds) == 2


def test_after_an_upgrade_of_the_fingerprint_new_footage_is_not_held_up(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files fingerprinted by an older algorithm are done again a few per run, after the
    new ones, so a new post's recycled footage is still found within a run."""
    settings = config.with_data_dir(config.Settings(), store.data_dir)
    for message_id in (1, 2, 3):
        archive(store, tmp_path, message_id, seed=message_id)
    process_pending(store, settings, workers=1)
    with store.sessions.begin() as session:
        session.execute(update(FingerprintRow).values(algorithm="cw-vphash-v1"))
    assert status.queues(store)["media_older_fingerprints"] == 3
    monkeypatch.setattr(schedule, "OLDER_PER_RUN", 1)

    archive(store, tmp_path, 4, seed=1, lead_in=2)  # post 1's footage again, re-cut
    job = MediaJob()
    first = job(store, settings)
    assert first.fingerprinted == 2  # the new post's file, then the oldest of the three
    assert (first.copies, first.recycled) == (1, 1)  # post 1's file is done first
    assert status.queues(store)["media_older_fingerprints"] == 2
    assert [job(store, settings).fingerprinted for _ in range(3)] == [1, 1, 0]
    assert status.queues(store)["media_older_fingerprints"] == 0
