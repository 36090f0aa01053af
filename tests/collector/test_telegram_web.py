"""The telegram-web source against a fake t.me: archive, pagination, failures, rechecks."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from collector.run import CollectReport, collect
from collector.sources import open_sources
from config.settings import Settings
from storage import Store
from storage.records import StoredPost
from tests.collector.clock import FakeClock
from tests.collector.conftest import MakeSettings, channel
from tests.collector.fake_tme import FakeTme, Reply, media_bytes


def run(store: Store, settings: Settings, clock: FakeClock) -> CollectReport:
    sources = open_sources(settings, clock=clock)
    try:
        return collect(store, settings, sources)
    finally:
        sources.close()


def test_a_first_run_archives_every_post_with_its_media(
    store: Store, make_settings: MakeSettings, clock: FakeClock, tme: FakeTme
) -> None:
    settings = make_settings(channel("testchan", group="Kataib Hezbollah"))
    report = run(store, settings, clock)

    (only,) = report.channels
    assert (only.error, only.new_posts, only.batches) == (None, 13, 3)
    assert (only.media_stored, only.media_missing) == (9, 3)
    assert store.archive.checkpoint("telegram-web", "testchan") == "114"
    assert [r for r in tme.requests if r.startswith("/s/")] == [
        "/s/testchan",
        "/s/testchan?before=108",
        "/s/testchan?before=103",
    ]
    ids = [p.post.message_id for p in store.archive.iter_posts(channel="testchan")]
    assert sorted(ids) == list(range(101, 114))
    (channel_row,) = store.archive.channels()
    assert (channel_row.external_id, channel_row.title, channel_row.group) == (
        "-1001234567890",
        "Test Channel",
        "Kataib Hezbollah",
    )
    assert not any((settings.storage.data_dir / "staging").iterdir())


def test_every_field_reaches_the_archive(
    store: Store, make_settings: MakeSettings, clock: FakeClock
) -> None:
    run(store, make_settings(channel("testchan")), clock)

    def post(message_id: int) -> StoredPost:
        found = store.archive.find("telegram", "testchan", message_id)
        assert found is not None
        return found

    hostile = post(101)
    assert hostile.post.text.startswith('Warning <script>alert("x")</script> & bold 🔥\n')
    assert hostile.post.posted_at == datetime(2024, 1, 27, 6, 5, tzinfo=UTC)
    assert (hostile.post.source, hostile.post.views) == ("telegram-web", 987)
    assert post(103).post.forwarded_from_id == "otherchan/55"
    assert post(104).post.reply_to == 101
    assert [post(i).post.grouped_id for i in (105, 106, 107)] == [105, 105, 105]
    video = post(106)
    assert [m.kind for m in video.post.media] == ["video", "thumbnail"]
    assert video.post.media[0].file_name == "3f9a1c.mp4"
    assert video.media[0].path.read_bytes() == media_bytes("3f9a1c.mp4")
    assert video.media[0].status == "pending" and video.media[1].status == "skipped"
    edited = post(109)
    assert edited.post.author == "Abu Ali"
    assert edited.post.edited_at == datetime.fromtimestamp(clock.now, UTC)
    assert post(108).post.edited_at is None


def test_refused_and_missing_media_keep_their_post_and_say_why(
    store: Store, make_settings: MakeSettings, clock: FakeClock, tme: FakeTme
) -> None:
    run(store, make_settings(channel("testchan")), clock)
    too_big = store.archive.find("telegram", "testchan", 110)
    oversized = store.archive.find("telegram", "testchan", 111)
    off_host = store.archive.find("telegram", "testchan", 112)
    assert too_big and oversized and off_host
    video, thumb = too_big.post.media
    assert video.path is None and "Media is too big" in (video.missing or "")
    assert thumb.path is not None
    (poster,) = oversized.post.media
    assert poster.path is None
    assert "more than the collection limit of 1.0 MB (collect.max_media_mb)" in (
        poster.missing or ""
    )
    (tracker,) = off_host.post.media
    assert tracker.missing == (
        "refused: evil.example is not one of the platform's hosts (127.0.0.1)"
    )
    assert off_host.post.text == "Map of the targets"


def test_a_second_run_fetches_nothing_new(
    store: Store, make_settings: MakeSettings, clock: FakeClock, tme: FakeTme
) -> None:
    settings = make_settings(channel("testchan"))
    run(store, settings, clock)
    before = len(tme.requests)
    report = run(store, settings, clock)
    assert (report.channels[0].new_posts, report.channels[0].batches) == (0, 0)
    assert tme.requests[before:] == ["/s/testchan"]
    assert store.archive.counts()["posts"] == 13


def test_a_later_run_adds_new_posts_and_records_edits_and_deletions(
    store: Store, make_settings: MakeSettings, clock: FakeClock, tme: FakeTme
) -> None:
    settings = make_settings(channel("testchan"), collect={"recheck_recent": 30})
    run(store, settings, clock)
    tme.page("/s/testchan", "testchan_later.html")
    report = run(store, settings, clock)

    (only,) = report.channels
    assert (only.error, only.new_posts, only.revisions, only.deleted) == (None, 1, 1, 1)
    assert store.archive.checkpoint("telegram-web", "testchan") == "115"
    edited = store.archive.find("telegram", "testchan", 109)
    assert edited is not None
    assert [r.text for r in edited.revisions] == [
        "Corrected statement",
        "Corrected statement, second version",
    ]
    gone = store.archive.find("telegram", "testchan", 112)
    assert gone is not None and gone.deleted_at is not None
    assert gone.post.text == "Map of the targets"
    assert store.archive.find("telegram", "testchan", 111).deleted_at is None  # type: ignore[union-attr]
    assert "/testchan/112?embed=1&mode=tme" in tme.requests


def test_the_since_date_bounds_a_first_run(
    store: Store, make_settings: MakeSettings, clock: FakeClock, tme: FakeTme
) -> None:
    run(store, make_settings(channel("testchan", since="2024-01-28")), clock)
    ids = sorted(p.post.message_id for p in store.archive.iter_posts())
    assert ids == [108, 109, 110, 111, 112, 113]
    assert "/s/testchan?before=103" not in tme.requests


def test_a_channel_without_preview_fails_alone(
    store: Store, make_settings: MakeSettings, clock: FakeClock, tme: FakeTme
) -> None:
    tme.route("/s/privchan", Reply(302, headers={"Location": "/privchan"}))
    tme.page("/privchan", "channel_no_preview.html")
    settings = make_settings(channel("privchan"), channel("testchan"))
    report = run(store, settings, clock)

    private, public = report.channels
    assert private.error is not None
    assert private.error.startswith("t.me/privchan has no public web preview")
    assert 'method = "telegram"' in private.error
    assert (public.error, public.new_posts) == (None, 13)
    health = {(h.source, h.channel): h for h in store.status.all()}
    assert health["telegram-web", "privchan"].failures == 1
    assert health["telegram-web", "privchan"].last_error == private.error
    assert health["telegram-web", "testchan"].last_success_at is not None


def test_a_short_429_is_waited_out(
    store: Store, make_settings: MakeSettings, clock: FakeClock, tme: FakeTme
) -> None:
    tme.page("/s/flakychan", "flakychan.html")
    page = tme.routes["/s/flakychan"][0]
    tme.route("/s/flakychan", Reply(429, b"slow down", {"Retry-After": "3"}), page)
    report = run(store, make_settings(channel("flakychan")), clock)
    assert (report.channels[0].error, report.channels[0].new_posts) == (None, 1)
    assert clock.slept == [4.0]


def test_a_long_429_reschedules_the_channel(
    store: Store, make_settings: MakeSettings, clock: FakeClock, tme: FakeTme
) -> None:
    tme.route("/s/busychan", Reply(429, b"", {"Retry-After": "5000"}))
    report = run(store, make_settings(channel("busychan"), channel("testchan")), clock)
    busy, other = report.channels
    assert busy.error == (f"{tme.url}/s/busychan answered HTTP 429; asked to wait 5000 s")
    assert other.new_posts == 13
    assert clock.slept == []


def test_server_errors_are_retried_then_reported(
    store: Store, make_settings: MakeSettings, clock: FakeClock, tme: FakeTme
) -> None:
    tme.route("/s/downchan", Reply(503, b"down"))
    report = run(store, make_settings(channel("downchan")), clock)
    assert report.channels[0].error == (
        f"{tme.url}/s/downchan answered HTTP 503 (gave up after 3 attempts)"
    )
    assert tme.requests.count("/s/downchan") == 3
    assert len(clock.slept) == 2 and clock.slept[1] > clock.slept[0] / 2


def test_a_malformed_page_fails_with_a_clear_error(
    store: Store, make_settings: MakeSettings, clock: FakeClock, tme: FakeTme
) -> None:
    tme.page("/s/brokenchan", "malformed.html")
    report = run(store, make_settings(channel("brokenchan")), clock)
    assert report.channels[0].error == (
        f"{tme.url}/s/brokenchan: no message list (.tgme_channel_history) on the page; it is "
        "not a channel preview, or Telegram changed its markup"
    )
    assert store.archive.counts()["posts"] == 0


def test_a_page_that_breaks_off_is_fetched_again(
    store: Store, make_settings: MakeSettings, clock: FakeClock, tme: FakeTme
) -> None:
    tme.page("/s/flakychan", "flakychan.html")
    page = tme.routes["/s/flakychan"][0]
    broken = Reply(page.status, page.body, page.headers, cut=len(page.body) // 2)
    tme.route("/s/flakychan", broken, page)
    report = run(store, make_settings(channel("flakychan")), clock)
    assert (report.channels[0].error, report.channels[0].new_posts) == (None, 1)
    assert tme.requests.count("/s/flakychan") == 2


def test_a_page_that_always_breaks_off_is_reported_after_the_retries(
    store: Store, make_settings: MakeSettings, clock: FakeClock, tme: FakeTme
) -> None:
    tme.route("/s/flakychan", Reply(200, b"<html>" * 100, cut=10))
    report = run(store, make_settings(channel("flakychan")), clock)
    error = report.channels[0].error or ""
    assert error.startswith(f"{tme.url}/s/flakychan could not be fetched: ")
    assert error.endswith("(gave up after 3 attempts)")


def test_a_redirect_loop_is_named(
    store: Store, make_settings: MakeSettings, clock: FakeClock, tme: FakeTme
) -> None:
    tme.route("/s/loopchan", Reply(302, b"", {"Location": "/s/loopchan"}))
    report = run(store, make_settings(channel("loopchan")), clock)
    assert report.channels[0].error == f"{tme.url}/s/loopchan redirected too many times"


def test_a_body_that_cannot_be_decoded_is_named(
    store: Store, make_settings: MakeSettings, clock: FakeClock, tme: FakeTme
) -> None:
    tme.route("/s/gzipchan", Reply(200, b"not gzip at all", {"Content-Encoding": "gzip"}))
    report = run(store, make_settings(channel("gzipchan")), clock)
    assert (report.channels[0].error or "").startswith(
        f"{tme.url}/s/gzipchan sent a body that cannot be decoded: "
    )


def flakychan_with(tme: FakeTme, old: bytes, new: bytes) -> None:
    """Serve flakychan's page with `old` written as `new`."""
    tme.page("/s/flakychan", "flakychan.html")
    page = tme.routes["/s/flakychan"][0]
    page.body = page.body.replace(old, new)


@pytest.mark.parametrize("views", ["1e400", "9" * 30])
def test_a_view_count_beyond_belief_keeps_the_post_without_a_count(
    store: Store, make_settings: MakeSettings, clock: FakeClock, tme: FakeTme, views: str
) -> None:
    flakychan_with(tme, b">1.2K<", f">{views}<".encode())
    report = run(store, make_settings(channel("flakychan")), clock)
    stored = store.archive.find("telegram", "flakychan", 7)
    assert (report.channels[0].error, report.channels[0].new_posts) == (None, 1)
    assert stored is not None and (stored.post.text, stored.post.views) == ("Only post", None)


@pytest.mark.parametrize("number", ["²", "9" * 30])
def test_a_message_id_that_is_not_a_plain_number_is_named(
    store: Store, make_settings: MakeSettings, clock: FakeClock, tme: FakeTme, number: str
) -> None:
    flakychan_with(tme, b'data-post="flakychan/7"', f'data-post="flakychan/{number}"'.encode())
    report = run(store, make_settings(channel("flakychan")), clock)
    assert report.channels[0].error == (
        f"{tme.url}/s/flakychan: a message has a malformed data-post 'flakychan/{number}'"
    )
