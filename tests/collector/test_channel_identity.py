"""Collection checks that a handle still names the channel archived under it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from claimwatch.importing import import_tg_export
from storage import Store
from storage.records import Batch, Channel, Checkpoint, Post
from tests.collector.clock import FakeClock
from tests.collector.conftest import MakeSettings, channel
from tests.collector.fake_tme import PAGES, FakeTme, Reply, serve_testchan
from tests.collector.test_telegram_web import run
from tests.exports import message, write_export

WHEN = datetime(2023, 5, 1, tzinfo=UTC)


def test_a_channel_imported_from_its_export_is_collected_from_its_preview(
    store: Store, make_settings: MakeSettings, clock: FakeClock, tme: FakeTme, tmp_path: Path
) -> None:
    write_export(tmp_path / "export", [message(1, "من التصدير"), message(2, "بيان")])
    import_tg_export(store, tmp_path / "export", "testchan")  # id 1234567890, bare
    serve_testchan(tme, -1234567890)  # the preview gives the same id negated

    (only,) = run(store, make_settings(channel("testchan")), clock).channels

    assert (only.error, only.new_posts) == (None, 13)
    assert [c.handle for c in store.archive.channels()] == ["testchan"]
    assert store.archive.counts()["posts"] == 15


def test_a_handle_that_passed_to_another_channel_is_refused_before_any_recheck(
    store: Store, make_settings: MakeSettings, clock: FakeClock, tme: FakeTme
) -> None:
    """The new channel's ids restart below the checkpoint: nothing is new, and a recheck of
    the archived ids would read the other channel's posts as edits and deletions."""
    old = Channel("telegram", "testchan", "-1009999999", "The banned channel")
    posts = tuple(
        Post("telegram", "testchan", i, WHEN + timedelta(hours=i), f"old {i}", "telegram-web")
        for i in range(110, 117)
    )
    store.archive.ingest(Batch(old, posts, Checkpoint("telegram-web", "testchan", "116")))
    deleted = (PAGES / "embed_deleted.html").read_bytes()
    for gone in (115, 116):
        tme.route(f"/testchan/{gone}?embed=1&mode=tme", Reply(body=deleted))
    settings = make_settings(channel("testchan"), collect={"recheck_recent": 30})

    (only,) = run(store, settings, clock).channels

    assert only.error is not None and "nothing was stored" in only.error
    assert "9999999" in only.error and "1234567890" in only.error
    assert (only.new_posts, only.revisions, only.deleted) == (0, 0, 0)
    for i in range(110, 117):
        kept = store.archive.find("telegram", "testchan", i)
        assert kept is not None and kept.deleted_at is None
        assert [r.text for r in kept.revisions] == [f"old {i}"]
    (health,) = store.status.all()
    assert health.last_error == only.error
