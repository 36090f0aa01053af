"""A channel configured, imported or renamed in another case of its handle is collected
into the one channel archived under it: no second archive, no refusal."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from claimwatch.importing import import_tg_export
from storage import Store, open_store
from storage.models import ChannelRow
from storage.records import Batch, Channel, Post
from tests.collector.clock import FakeClock
from tests.collector.conftest import MakeSettings, channel
from tests.collector.fake_tme import FakeTme, serve_testchan
from tests.collector.test_collect_cli import config_file, invoke
from tests.collector.test_telegram_web import run
from tests.exports import message, write_export

WHEN = datetime(2024, 10, 27, tzinfo=UTC)


def handles(store: Store) -> list[str]:
    return [c.handle for c in store.archive.channels()]


def answer_in_any_case(tme: FakeTme, handle: str, spelling: str) -> None:
    """t.me serves a channel's preview under any case of its username."""
    for path, replies in list(tme.routes.items()):
        if path.startswith(f"/s/{handle}"):
            tme.routes[path.replace(handle, spelling)] = replies


def test_a_channel_configured_in_another_case_is_collected_into_its_archive(
    store: Store, make_settings: MakeSettings, clock: FakeClock, tme: FakeTme, tmp_path: Path
) -> None:
    write_export(tmp_path / "export", [message(1, "من التصدير"), message(2, "بيان")])
    import_tg_export(store, tmp_path / "export", "testchan")  # id 1234567890
    serve_testchan(tme, -1234567890)
    answer_in_any_case(tme, "testchan", "TestChan")
    store.status.failure("telegram-web", "TestChan", "refused as another channel")
    settings = make_settings(channel("https://t.me/TestChan"), collect={"recheck_recent": 30})

    (first,) = run(store, settings, clock).channels
    tme.page("/s/testchan", "testchan_later.html", -1234567890)
    (later,) = run(store, settings, clock).channels

    assert (first.channel, first.error, first.new_posts) == ("testchan", None, 13)
    assert (later.error, later.new_posts, later.revisions, later.deleted) == (None, 1, 1, 1)
    assert handles(store) == ["testchan"]
    assert store.archive.counts()["posts"] == 16
    gone = store.archive.find("telegram", "TestChan", 112)
    assert gone is not None and gone.deleted_at is not None
    assert store.archive.checkpoint("telegram-web", "testchan") == "115"
    assert [(h.source, h.channel, h.failures) for h in store.status.all()] == [
        ("telegram-web", "testchan", 0)
    ]
    assert not [r for r in tme.requests if "TestChan" in r]


def test_a_channel_archived_without_an_id_is_not_archived_again_under_another_case(
    store: Store, make_settings: MakeSettings, clock: FakeClock, tme: FakeTme
) -> None:
    answer_in_any_case(tme, "testchan", "TESTCHAN")
    seen = tuple(
        Post("telegram", "testchan", i, WHEN + timedelta(hours=i), f"post {i}", "telegram-web")
        for i in (102, 103)
    )
    store.archive.ingest(Batch(Channel("telegram", "testchan"), seen))

    (only,) = run(store, make_settings(channel("TESTCHAN")), clock).channels

    assert (only.error, only.new_posts) == (None, 11)
    assert handles(store) == ["testchan"]
    assert store.archive.counts()["posts"] == 13


def test_a_channel_archived_twice_before_case_was_ignored_is_collected_into_one(
    store: Store, make_settings: MakeSettings, clock: FakeClock
) -> None:
    run(store, make_settings(channel("testchan")), clock)
    with store.sessions.begin() as session:
        session.add(ChannelRow(platform="telegram", handle="TESTCHAN", created_at=WHEN))

    (only,) = run(store, make_settings(channel("testchan")), clock).channels

    assert (only.error, only.new_posts) == (None, 0)
    assert "also archived as TESTCHAN" in only.problems[0]
    assert "claimwatch channels rename telegram TESTCHAN TESTCHAN_old" in only.problems[0]
    assert handles(store) == ["testchan", "TESTCHAN"]
    assert store.archive.counts()["posts"] == 13


def test_an_export_imported_under_another_case_joins_the_archived_channel(
    store: Store, tmp_path: Path
) -> None:
    write_export(tmp_path / "first", [message(1, "أول")])
    write_export(tmp_path / "second", [message(1, "أول"), message(2, "ثان")])
    write_export(tmp_path / "no_id", [message(3, "ثالث")], id=None)
    import_tg_export(store, tmp_path / "first", "sabreen_news")

    known = import_tg_export(store, tmp_path / "second", "Sabreen_News")
    unknown = import_tg_export(store, tmp_path / "no_id", "SABREEN_NEWS")

    assert (known.channels, known.result.new_posts) == (("sabreen_news",), 1)
    assert (unknown.channels, unknown.result.new_posts) == (("sabreen_news",), 1)
    assert handles(store) == ["sabreen_news"]
    assert store.archive.counts()["posts"] == 3


def test_collect_and_rename_on_the_command_line_ignore_case(tmp_path: Path, tme: FakeTme) -> None:
    config = config_file(tmp_path, tme, channel("testchan"))
    write_export(tmp_path / "other", [message(1, "other")], id=999)
    invoke("--config", str(config), "import", "tg-export", str(tmp_path / "other"),
           "--channel", "otherchan")  # fmt: skip

    code, out = invoke("--config", str(config), "collect", "--once", "--channel", "@TestChan")
    assert code == 0 and "telegram-web testchan: 13 new" in out
    code, out = invoke("--config", str(config), "channels", "rename", "telegram", "TESTCHAN",
                       "TestChan")  # fmt: skip
    assert code == 0
    assert (
        "renamed telegram testchan to TestChan: 13 posts, 1 checkpoint, 1 status row moved; "
        "it is shown as TestChan from now on"
    ) in out
    code, out = invoke("--config", str(config), "channels", "rename", "telegram", "testchan",
                       "OtherChan")  # fmt: skip
    assert code == 1 and "OtherChan is taken" in out and "(as otherchan)" in out

    code, out = invoke("--config", str(config), "status", "--json")
    assert [h["channel"] for h in json.loads(out)["health"]] == ["TestChan"]
    store = open_store(f"sqlite:///{tmp_path / 'data' / 'claimwatch.db'}", tmp_path / "data", 1)
    try:
        assert handles(store) == ["otherchan", "TestChan"]
        assert store.archive.counts()["posts"] == 14
        assert store.archive.checkpoint("telegram-web", "TestChan") == "114"
    finally:
        store.close()
