"""Waits a platform asks for outlive the process: a `collect --once` started again by cron
during a FLOOD_WAIT or a rate limit skips the channel, saying until when, and asks nothing.
A wait asked for beyond a day is held to a day, and the channel's error says so."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import pytest

from collector.run import ChannelReport, collect
from collector.sources import SourceSet, open_sources
from collector.telethon_link import close_links
from config.settings import Settings
from storage import Store
from tests.collector.clock import FakeClock
from tests.collector.conftest import MakeSettings, channel
from tests.collector.fake_telegram import FakeClient
from tests.collector.fake_tme import FakeTme, Reply
from tests.collector.fake_x import FakeX, tweet
from tests.collector.test_account_waits import TELEGRAM, X, held
from tests.collector.test_telegram_api import api_settings, channel_messages

# The fake clock starts at 2023-11-14 22:13:20 UTC.
FLOOD = "Telegram asks to wait 3600 s (FLOOD_WAIT) before resolving testchan; the channel is "
THREE_YEARS = 3 * 365 * 86400
CUT = "(1,095.0 days is longer than any real wait: waiting 24 h, the longest honoured)"


@pytest.fixture
def fake() -> Iterator[FakeClient]:
    messages, files = channel_messages()
    yield FakeClient(messages, files)
    close_links()


def run_once(store: Store, settings: Settings, clock: FakeClock, **fakes: object) -> ChannelReport:
    """One `collect --once`: a new process, with nothing in memory from the runs before."""
    sources = open_sources(settings, clock=clock, **fakes)  # type: ignore[arg-type]
    try:
        return collect(store, settings, sources).channels[0]
    finally:
        sources.close()


def collect_later(
    store: Store, settings: Settings, sources: SourceSet, clock: FakeClock, seconds: float
) -> ChannelReport:
    """The channel's report of the service's run `seconds` from now, in the same process."""
    clock.now += seconds
    return collect(store, settings, sources).channels[0]


def test_a_long_flood_wait_is_honoured_by_the_next_run_in_a_new_process(
    store: Store, make_settings: MakeSettings, clock: FakeClock, fake: FakeClient
) -> None:
    settings = api_settings(make_settings)
    fake.floods[("get_entity", 1)] = 3600
    first = run_once(store, settings, clock, telegram_client=lambda: fake)
    assert first.error == FLOOD + "rescheduled"
    asked = sum(fake.calls.values())

    clock.now += 600  # cron starts it again ten minutes later, and again
    wait = held("2023-11-14 23:13:20", TELEGRAM, "testchan")
    for _ in range(2):
        later = run_once(store, settings, clock, telegram_client=lambda: fake)
        assert (later.skipped, later.error) == (wait, None)
    assert sum(fake.calls.values()) == asked
    assert store.status.all()[0].not_before == datetime(2023, 11, 14, 23, 13, 20, tzinfo=UTC)

    clock.now += 3000  # the hour is over
    done = run_once(store, settings, clock, telegram_client=lambda: fake)
    assert (done.error, done.skipped, done.new_posts) == (None, None, 11)
    assert store.status.all()[0].not_before is None


@pytest.fixture
def x(clock: FakeClock) -> FakeX:
    fake = FakeX(lambda: clock.now)
    fake.tweets = [tweet(minutes, f"post {minutes}") for minutes in range(1, 4)]
    return fake


def test_a_rate_limit_reset_years_ahead_holds_an_account_a_day(
    store: Store, make_settings: MakeSettings, tmp_path: Path, clock: FakeClock, x: FakeX
) -> None:
    (tmp_path / "x-token").write_text("test-token\n")
    settings = make_settings(
        channel("warcube", "x"), x={"bearer_token_file": str(tmp_path / "x-token")}
    )
    x.limits[2] = (429, THREE_YEARS)
    first = run_once(store, settings, clock, transport=x.transport())
    assert first.error == (
        "https://api.x.com/2/users/2244994945/tweets answered HTTP 429; asked to wait "
        f"94608000 s {CUT}"
    )
    assert store.status.all()[0].last_error == first.error

    clock.now += 23 * 3600
    later = run_once(store, settings, clock, transport=x.transport())
    assert later.skipped == held("2023-11-15 22:13:20", X, "warcube")
    clock.now += 3600
    assert run_once(store, settings, clock, transport=x.transport()).new_posts == 3


@pytest.mark.parametrize("retry_after", ["Fri, 31 Dec 9999 23:59:59 GMT", "99999999999999"])
def test_a_retry_after_far_ahead_holds_a_channel_a_day_not_until_restart(
    store: Store, make_settings: MakeSettings, tme: FakeTme, clock: FakeClock, retry_after: str
) -> None:
    limited = Reply(429, headers={"Retry-After": retry_after})
    tme.route("/s/testchan", limited, *tme.routes["/s/testchan"])
    settings = make_settings(channel("testchan"))
    sources = open_sources(settings, clock=clock)
    try:
        later = partial(collect_later, store, settings, sources, clock)
        first = later(0)
        assert first.error is not None and first.error.startswith(f"{tme.url}/s/testchan "
            "answered HTTP 429; asked to wait ")  # fmt: skip
        assert first.error.endswith(" days is longer than any real wait: waiting 24 h, "
            "the longest honoured)")  # fmt: skip
        assert store.status.all()[0].last_error == first.error
        assert later(23 * 3600).skipped == "backing off after failures; next try in 60 min"
        assert later(3600).new_posts == 13
    finally:
        sources.close()


def test_a_channel_without_a_wait_is_not_held(store: Store, make_settings: MakeSettings) -> None:
    store.status.failure("telegram-web", "testchan", "the page is gone")
    settings = make_settings(channel("testchan"))
    assert collect(store, settings, SourceSet({})).channels[0].skipped is None
