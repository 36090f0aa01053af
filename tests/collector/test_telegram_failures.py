"""How the telegram source fails: sessions ended elsewhere, outages, waits, odd answers.

Each case runs `collect` against the fake client and asserts what an operator sees: the
channel's error in the report (and `claimwatch status`), what was archived, what is next.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from telethon import errors
from telethon.tl import types

from collector.pacing import Clock
from collector.run import CollectReport, collect
from collector.sources import SourceSet, open_sources
from collector.telethon_link import close_links
from config.settings import Settings
from storage import Store
from tests.collector.clock import FakeClock
from tests.collector.conftest import MakeSettings
from tests.collector.fake_telegram import FakeClient
from tests.collector.test_media_retry import pause_is_over
from tests.collector.test_telegram_api import api_settings, channel_messages, run, stored

HOURS = 3600


@pytest.fixture
def fake() -> Iterator[FakeClient]:
    messages, files = channel_messages()
    yield FakeClient(messages, files)
    close_links()


@pytest.fixture
def service(make_settings: MakeSettings, clock: FakeClock, fake: FakeClient) -> Iterator[Service]:
    started = Service(api_settings(make_settings, recheck_recent=5), fake, clock)
    yield started
    started.sources.close()


class Service:
    """One process collecting again and again, as `claimwatch run` does."""

    def __init__(self, settings: Settings, fake: FakeClient, clock: FakeClock) -> None:
        self.settings, self.clock = settings, clock
        self.sources: SourceSet = open_sources(settings, clock=clock, telegram_client=lambda: fake)

    def collect(self, store: Store) -> CollectReport:
        self.clock.now += 7 * HOURS  # past any back-off
        return collect(store, self.settings, self.sources)


@pytest.mark.parametrize(
    "ended", [errors.AuthKeyUnregisteredError(None), errors.SessionRevokedError(None)]
)
def test_a_session_ended_elsewhere_says_to_log_in_again_and_stops_asking(
    store: Store, service: Service, fake: FakeClient, ended: Exception
) -> None:
    assert service.collect(store).channels[0].new_posts == 11
    for method in ("get_entity", "iter_messages", "get_messages", "download_media"):
        fake.refused[method] = ended

    (first,) = service.collect(store).channels
    asked = sum(fake.calls.values())
    (later,) = service.collect(store).channels

    assert first.error is not None and later.error == first.error
    assert first.error.startswith("the Telegram session was logged out or revoked")
    assert "run `claimwatch login`" in first.error and "reading testchan" in first.error
    assert sum(fake.calls.values()) == asked  # Telegram is not asked again
    (health,) = store.status.all()
    assert health.last_error == first.error and health.failures == 2


def test_the_service_connects_again_after_a_network_outage(
    store: Store, service: Service, fake: FakeClient
) -> None:
    fake.drops.add(("iter_messages", 2))  # Telethon gives up reconnecting mid-channel
    (down,) = service.collect(store).channels
    assert down.error == "reading testchan failed: Automatic reconnection failed 5 time(s)"
    assert down.new_posts == 4
    fake.offline = True
    (still,) = service.collect(store).channels
    assert still.error == "connecting to Telegram failed: Connection to Telegram failed 5 time(s)"

    fake.offline = False
    (back,) = service.collect(store).channels

    assert (back.error, back.new_posts) == (None, 7)
    assert store.archive.checkpoint("telegram", "testchan") == "12"


def test_a_file_whose_reference_never_renews_does_not_stop_the_channel(
    store: Store, make_settings: MakeSettings, clock: Clock, fake: FakeClient
) -> None:
    fake.stale.add(2)  # self-destructing media: Telegram never hands the file out
    settings = api_settings(make_settings)
    (only,) = run(store, settings, fake, clock).channels

    assert (only.error, only.new_posts) == (None, 11)
    assert store.archive.checkpoint("telegram", "testchan") == "12"
    post = stored(store, 2).post
    assert post.text == "Photo of the launch" and post.media[0].path is None
    assert (post.media[0].missing or "").startswith("download failed: the file reference")

    pause_is_over(store)
    (again,) = run(store, settings, fake, clock).channels
    assert (again.error, again.media_recovered) == (None, 0)


def test_a_recheck_answer_that_leaves_deleted_messages_out(
    store: Store, make_settings: MakeSettings, clock: Clock, fake: FakeClient
) -> None:
    settings = api_settings(make_settings, recheck_recent=20)
    run(store, settings, fake, clock)
    fake.deleted.add(2)
    fake.omits_deleted = True  # Telegram may leave invalid ids out (telethon's _IDsIter)

    (only,) = run(store, settings, fake, clock).channels

    assert (only.error, only.deleted) == (None, 1)
    assert stored(store, 2).deleted_at is not None
    assert stored(store, 2).post.text == "Photo of the launch"
    assert all(stored(store, i).deleted_at is None for i in (1, 3, 4, 5, 6, 7, 8, 10, 11, 12))


def test_a_long_premium_flood_wait_on_a_download_reschedules_the_channel(
    store: Store, make_settings: MakeSettings, clock: FakeClock, fake: FakeClient
) -> None:
    fake.premium_floods[("download_media", 2)] = 3000  # the photo of message 3
    settings = api_settings(make_settings)
    (only,) = run(store, settings, fake, clock).channels

    assert only.error == (
        "Telegram asks to wait 3000 s (FLOOD_WAIT) before downloading the file of message 3; "
        "the channel is rescheduled"
    )
    assert store.archive.checkpoint("telegram", "testchan") == "2"
    clock.now += 3000  # the wait asked for is over
    (again,) = run(store, settings, fake, clock).channels
    assert (again.error, again.new_posts) == (None, 9)
    assert stored(store, 3).media[0].path.read_bytes() == fake.files[3]


def test_a_username_that_now_names_a_person_is_not_collected_as_a_channel(
    store: Store, make_settings: MakeSettings, clock: Clock, fake: FakeClient
) -> None:
    fake.entity = types.User(id=777, access_hash=5, first_name="Someone", username="testchan")
    fake.messages = {}  # the account's private chat with that person

    (only,) = run(store, api_settings(make_settings), fake, clock).channels

    assert only.error == (
        "testchan names a user account, not a channel: the channel gave up or lost this "
        "username (or it was mistyped); find the channel's new username, or disable it"
    )
    assert store.archive.channels() == []
