"""The telegram source with a fake client handing out real Telethon messages."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from telethon.tl import types

from claimwatch.errors import RateLimitedError, SourceError
from collector.pacing import Clock
from collector.run import CollectReport, collect
from collector.sources import SourceSet, channel_record, open_sources, telegram_login
from collector.staging import Staging
from collector.telegram_api import TelegramApiSource
from collector.telethon_link import TelegramLink, close_links, shared_link
from config.settings import ChannelSettings, Settings
from storage import Store
from storage.records import StoredPost
from tests.collector.clock import FakeClock
from tests.collector.conftest import MakeSettings, channel
from tests.collector.fake_telegram import (
    ORIGIN_ID,
    START,
    FakeClient,
    channel_entity,
    forward_from_channel,
    message,
    photo,
    service,
    video,
)
from tests.collector.test_media_retry import pause_is_over

MB = 1024 * 1024


def channel_messages() -> tuple[list[object], dict[int, bytes]]:
    """Text, photo, an album, a forward, a reply, an edit, a pin, big, gif and round videos."""
    files = {i: f"file of message {i} ".encode() * 50 for i in range(1, 13)}
    messages: list[object] = [
        message(1, "<b>Warning</b> <script>alert(1)</script>", views=1500, forwards=12),
        message(2, "Photo of the launch", media=photo(20, len(files[2]))),
        message(3, "Album caption", media=photo(30, len(files[3])), grouped_id=777),
        message(4, "", media=video(40, len(files[4]), name="clip.mp4"), grouped_id=777),
        message(5, "", media=photo(50, len(files[5])), grouped_id=777),
        message(6, "Statement", fwd_from=forward_from_channel(ORIGIN_ID, 77)),
        message(7, "Follow-up", reply_to=types.MessageReplyHeader(reply_to_msg_id=1)),
        message(8, "Corrected", edit_date=START + timedelta(hours=2), post_author="Abu Ali"),
        service(9),
        message(10, "Full recording", media=video(100, 3 * MB, name="full.mp4")),
        message(11, "", media=video(110, len(files[11]), name=None, gif=True)),
        message(12, "", media=video(120, len(files[12]), name=None, round_message=True)),
    ]
    return messages, files


@pytest.fixture
def fake() -> Iterator[FakeClient]:
    messages, files = channel_messages()
    yield FakeClient(messages, files)
    close_links()


def api_settings(make_settings: MakeSettings, **collect: object) -> Settings:
    return make_settings(
        channel("testchan", "telegram"),
        telegram={"batch_size": 4, "flood_max_wait": 600},
        collect={"recheck_recent": 0, **collect},
    )


def run(store: Store, settings: Settings, fake: FakeClient, clock: Clock) -> CollectReport:
    sources = open_sources(settings, clock=clock, telegram_client=lambda: fake)
    try:
        return collect(store, settings, sources)
    finally:
        sources.close()


def stored(store: Store, message_id: int) -> StoredPost:
    found = store.archive.find("telegram", "testchan", message_id)
    assert found is not None
    return found


def test_a_first_run_archives_every_message_in_batches(
    store: Store, make_settings: MakeSettings, clock: FakeClock, fake: FakeClient
) -> None:
    report = run(store, api_settings(make_settings), fake, clock)
    (only,) = report.channels
    assert (only.error, only.new_posts, only.batches) == (None, 11, 3)
    assert (only.media_stored, only.media_missing) == (6, 1)
    assert store.archive.checkpoint("telegram", "testchan") == "12"
    (row,) = store.archive.channels()
    assert (row.external_id, row.title) == ("-1001234567890", "Test Channel")

    first = stored(store, 1).post
    assert first.text == "<b>Warning</b> <script>alert(1)</script>"
    assert (first.views, first.forwards, first.source) == (1500, 12, "telegram")
    assert first.url == "https://t.me/testchan/1"
    assert first.posted_at == START + timedelta(minutes=1)
    assert [stored(store, i).post.grouped_id for i in (3, 4, 5)] == [777, 777, 777]
    assert [stored(store, i).post.text for i in (3, 4, 5)] == ["Album caption", "", ""]
    forward = stored(store, 6).post
    assert (forward.forwarded_from, forward.forwarded_from_id) == ("Origin", "-1000000555000/77")
    assert stored(store, 7).post.reply_to == 1
    edited = stored(store, 8).post
    assert (edited.edited_at, edited.author) == (START + timedelta(hours=2), "Abu Ali")
    assert store.archive.find("telegram", "testchan", 9) is None


def test_media_are_full_files_with_what_telegram_declares(
    store: Store, make_settings: MakeSettings, clock: FakeClock, fake: FakeClient
) -> None:
    run(store, api_settings(make_settings), fake, clock)
    picture = stored(store, 2)
    assert picture.media[0].path.read_bytes() == fake.files[2]
    assert (picture.media[0].kind, picture.media[0].mime) == ("photo", "image/jpeg")
    assert (picture.media[0].width, picture.media[0].height) == (1280, 720)
    clip = stored(store, 4)
    assert (clip.post.media[0].kind, clip.post.media[0].file_name) == ("video", "clip.mp4")
    assert (clip.media[0].duration, clip.media[0].mime) == (12.0, "video/mp4")
    assert stored(store, 11).post.media[0].kind == "animation"
    assert stored(store, 12).post.media[0].kind == "video_message"
    (big,) = stored(store, 10).post.media
    assert big.path is None
    assert big.missing == (
        "too large: 3.0 MB is more than the collection limit of 1.0 MB "
        "(collect.max_media_mb); not downloaded"
    )
    assert fake.calls["download_media"] == 6


def test_a_second_run_fetches_nothing_new(
    store: Store, make_settings: MakeSettings, clock: FakeClock, fake: FakeClient
) -> None:
    settings = api_settings(make_settings)
    run(store, settings, fake, clock)
    downloads = fake.calls["download_media"]
    report = run(store, settings, fake, clock)
    assert (report.channels[0].new_posts, report.channels[0].batches) == (0, 0)
    assert fake.calls["download_media"] == downloads


def test_a_short_flood_wait_is_slept_through(
    store: Store, make_settings: MakeSettings, clock: FakeClock, fake: FakeClient
) -> None:
    fake.floods[("download_media", 3)] = 30
    fake.floods[("iter_messages", 2)] = 45
    report = run(store, api_settings(make_settings), fake, clock)
    assert (report.channels[0].error, report.channels[0].new_posts) == (None, 11)
    assert sum(1 for s in clock.slept if 30 <= s < 45) == 1
    assert sum(1 for s in clock.slept if 45 <= s < 60) == 1


def test_a_long_flood_wait_stores_what_was_read_and_reschedules(
    store: Store, make_settings: MakeSettings, clock: FakeClock, fake: FakeClient
) -> None:
    settings = api_settings(make_settings)
    fake.floods[("download_media", 4)] = 5000  # message 5, first of the second batch
    report = run(store, settings, fake, clock)

    (only,) = report.channels
    assert only.error == (
        "Telegram asks to wait 5000 s (FLOOD_WAIT) before downloading the file of message 5; "
        "the channel is rescheduled"
    )
    assert only.new_posts == 4
    assert store.archive.checkpoint("telegram", "testchan") == "4"
    health = {h.channel: h for h in store.status.all()}
    assert health["testchan"].failures == 1

    clock.now += 5000  # the wait asked for is over (collector.waits keeps it till then)
    again = run(store, settings, fake, clock)
    assert (again.channels[0].error, again.channels[0].new_posts) == (None, 7)
    ids = sorted(p.post.message_id for p in store.archive.iter_posts())
    assert ids == [1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12]
    assert store.archive.checkpoint("telegram", "testchan") == "12"


def test_deletions_and_edits_are_found_by_rechecking(
    store: Store, make_settings: MakeSettings, clock: FakeClock, fake: FakeClient
) -> None:
    settings = api_settings(make_settings, recheck_recent=20)
    run(store, settings, fake, clock)
    fake.deleted.add(2)
    edited = fake.messages[8]
    edited.message, edited.edit_date, edited.views = (
        "Corrected again",
        START + timedelta(hours=5),
        99,
    )
    report = run(store, settings, fake, clock)

    (only,) = report.channels
    assert (only.error, only.new_posts, only.revisions, only.deleted) == (None, 0, 1, 1)
    gone = stored(store, 2)
    assert gone.deleted_at is not None and gone.post.text == "Photo of the launch"
    assert len(gone.media) == 1
    revised = stored(store, 8)
    assert [r.text for r in revised.revisions] == ["Corrected", "Corrected again"]
    assert revised.revisions[-1].edited_at == START + timedelta(hours=5)
    assert revised.post.views == 99
    assert len(stored(store, 4).media) == 1


def test_an_expired_file_reference_is_renewed(
    store: Store, make_settings: MakeSettings, clock: FakeClock, fake: FakeClient
) -> None:
    fake.expired.add(2)
    run(store, api_settings(make_settings), fake, clock)
    assert stored(store, 2).media[0].path.read_bytes() == fake.files[2]


def test_a_file_that_failed_to_download_is_fetched_again_by_a_later_run(
    store: Store, make_settings: MakeSettings, clock: FakeClock, fake: FakeClient
) -> None:
    fake.broken[2] = 1
    settings = api_settings(make_settings)
    first = run(store, settings, fake, clock)
    (photo,) = stored(store, 2).post.media
    assert photo.path is None
    assert photo.missing == (
        "download failed: downloading the file of message 2 failed: Connection reset by peer"
    )
    assert first.channels[0].media_recovered == 0

    second = run(store, settings, fake, clock)

    assert second.channels[0].media_recovered == 1
    assert stored(store, 2).media[0].path.read_bytes() == fake.files[2]
    assert stored(store, 2).post.media[0].missing is None


def test_no_file_is_fetched_again_once_the_handle_names_another_channel(
    store: Store, make_settings: MakeSettings, clock: FakeClock, fake: FakeClient
) -> None:
    """Files are asked for by message id: another channel's message 2 is another file."""
    fake.broken[2] = 1
    settings = api_settings(make_settings)
    run(store, settings, fake, clock)
    fake.entity = channel_entity(channel_id=4242424242, title="Another channel")

    (again,) = run(store, settings, fake, clock).channels

    assert again.error is not None and "nothing was stored" in again.error
    assert "4242424242" in again.error and again.media_recovered == 0
    (photo,) = stored(store, 2).post.media
    assert photo.path is None and photo.missing is not None


def test_a_file_whose_message_is_gone_is_not_asked_for_again(
    store: Store, make_settings: MakeSettings, clock: FakeClock, fake: FakeClient
) -> None:
    fake.broken[2] = 1
    settings = api_settings(make_settings)
    run(store, settings, fake, clock)
    fake.deleted.add(2)
    run(store, settings, fake, clock)
    (photo,) = stored(store, 2).post.media
    assert photo.missing == "testchan/2 is gone; its file was never saved"
    asked = fake.calls["get_messages"]
    run(store, settings, fake, clock)
    assert fake.calls["get_messages"] == asked


def test_a_session_that_is_not_logged_in_says_what_to_do(
    store: Store, make_settings: MakeSettings, clock: FakeClock, fake: FakeClient
) -> None:
    fake.authorized = False
    report = run(store, api_settings(make_settings), fake, clock)
    assert report.channels[0].error == (
        "the Telegram session is not logged in: run `claimwatch login` first"
    )


def test_an_unknown_channel_fails_with_the_reason(
    store: Store, make_settings: MakeSettings, clock: FakeClock, fake: FakeClient
) -> None:
    settings = make_settings(channel("nochan", "telegram"), channel("testchan", "telegram"))
    report = run(store, settings, fake, clock)
    missing, present = report.channels
    assert missing.error == 'resolving nochan failed: No user has "nochan" as username'
    assert present.new_posts == 11


def test_the_api_fetches_videos_too_big_for_the_web_preview(
    store: Store, make_settings: MakeSettings, clock: FakeClock, tme: object
) -> None:
    big = b"the full recording " * 1000
    client = FakeClient([message(110, "Full recording", media=video(7, len(big)))], {110: big})
    settings = make_settings(channel("testchan"))
    report = run(store, settings, client, clock)
    assert report.channels[0].error is None
    too_big = stored(store, 110)
    assert too_big.post.source == "telegram-web"
    assert [m.kind for m in too_big.post.media] == ["video", "thumbnail"]
    assert too_big.media[0].path.read_bytes() == big
    close_links()


@pytest.mark.parametrize("failing", ["download_media", "get_messages"])
def test_a_too_big_video_the_api_failed_to_fetch_arrives_on_a_later_run(
    store: Store, make_settings: MakeSettings, clock: FakeClock, tme: object, failing: str
) -> None:
    big = b"the full recording " * 1000
    client = FakeClient([message(110, "Full recording", media=video(7, len(big)))], {110: big})
    if failing == "download_media":
        client.broken[110] = 1  # the download breaks off once
    else:
        client.unreachable = 1  # reading the message fails once
    settings = make_settings(channel("testchan"))

    first = run(store, settings, client, clock)
    before = stored(store, 110).post
    (video_ref, _) = before.media
    assert video_ref.path is None and (video_ref.missing or "").startswith("download failed:")
    assert "Connection reset by peer" in (video_ref.missing or "")
    assert first.channels[0].media_recovered == 0

    pause_is_over(store)
    second = run(store, settings, client, clock)

    assert second.channels[0].media_recovered == 1
    recovered = stored(store, 110)
    assert recovered.post.media[0].missing is None
    assert recovered.media[0].path.read_bytes() == big
    assert recovered.post.text == before.text  # the post itself is as it was
    close_links()


def test_the_api_source_is_off_without_credentials(
    store: Store, make_settings: MakeSettings, clock: FakeClock
) -> None:
    settings = make_settings(channel("testchan", "telegram"))
    sources = open_sources(settings, clock=clock)
    report = collect(store, settings, sources)
    assert report.channels[0].error == (
        "the Telegram API is not configured: set telegram.api_id and "
        "CLAIMWATCH_TELEGRAM_API_HASH, then run `claimwatch login`"
    )
    assert isinstance(sources, SourceSet) and "telegram" not in sources.available


def test_login_relays_the_prompts_and_keeps_the_session_private(
    make_settings: MakeSettings, fake: FakeClient
) -> None:
    settings = make_settings()
    who, path = telegram_login(
        settings,
        phone=lambda: "+15551234567",
        code=lambda: "12345",
        password=lambda: "secret",
        make_client=lambda: fake,
    )
    assert who == "Ana Lyst (@analyst)"
    assert fake.signed_in == ("+15551234567", "12345", "secret")
    assert path == settings.storage.data_dir / "claimwatch.session"
    assert path.stat().st_mode & 0o777 == 0o600


def test_one_client_per_session_file(tmp_path: Path, fake: FakeClient) -> None:
    made: list[FakeClient] = []

    def make() -> FakeClient:
        made.append(fake)
        return fake

    links = [shared_link(tmp_path / "a.session", make) for _ in range(3)]
    assert links[0] is links[1] is links[2] and len(made) == 1


def test_the_source_yields_the_read_posts_before_a_long_wait(tmp_path: Path) -> None:
    messages, files = channel_messages()
    client = FakeClient(messages, files)
    client.floods[("download_media", 2)] = 5000
    link = TelegramLink(lambda: client)
    source = TelegramApiSource(lambda: link, Staging(tmp_path), FakeClock(), max_bytes=MB)
    batches = source.fetch(channel_record(ChannelSettings("testchan", "telegram")), None)
    first = next(batches)
    assert [p.message_id for p in first.posts] == [1, 2]
    assert first.checkpoint is not None and first.checkpoint.value == "2"
    assert all(ref.path and ref.path.exists() for p in first.posts for ref in p.media)
    with pytest.raises(RateLimitedError, match="FLOOD_WAIT"):
        next(batches)
    assert not any(tmp_path.iterdir())
    link.close()
    assert first.posts[0].posted_at.tzinfo is UTC


def test_a_session_in_use_by_another_process_is_refused(tmp_path: Path, fake: FakeClient) -> None:
    held = os.open(tmp_path / "a.lock", os.O_CREAT | os.O_RDWR)
    fcntl.flock(held, fcntl.LOCK_EX)  # as another process holding the session would
    try:
        with pytest.raises(SourceError, match="is in use by another claimwatch process"):
            shared_link(tmp_path / "a.session", lambda: fake)
    finally:
        os.close(held)
    assert shared_link(tmp_path / "a.session", lambda: fake).client is fake


def test_a_long_flood_wait_holds_every_later_call_of_the_session(tmp_path: Path) -> None:
    """The web preview fetches too-big videos through the same session: while Telegram's
    wait on the account runs, that is not asked either."""
    messages, files = channel_messages()
    client = FakeClient(messages, files)
    client.floods[("download_media", 2)] = 5000
    clock = FakeClock()
    link = TelegramLink(lambda: client)
    source = TelegramApiSource(lambda: link, Staging(tmp_path), clock, max_bytes=4 * MB)
    record = channel_record(ChannelSettings("testchan", "telegram"))
    batches = source.fetch(record, None)
    next(batches)
    with pytest.raises(RateLimitedError, match="FLOOD_WAIT"):
        next(batches)
    asked = sum(client.calls.values())

    folder = tmp_path / "big"
    folder.mkdir()
    clock.now += 1000
    with pytest.raises(RateLimitedError, match="4,000 s more") as held:
        source.message_media(record, 10, folder)
    assert held.value.retry_after == 4000
    assert sum(client.calls.values()) == asked  # Telegram was not asked

    clock.now += 4000
    assert source.message_media(record, 10, folder).path is not None
    link.close()
