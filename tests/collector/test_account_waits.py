"""A long wait Telegram or X imposes on the account holds every channel read with it: the
rest of the run, the service's later runs and each `collect --once` from cron skip them
without asking, saying until when and that the account waits. A short FLOOD_WAIT slept
through holds nothing, and the web preview (no account) holds only the channel asked."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimwatch.cli.main import cli
from claimwatch.status import collect_status
from collector.run import ChannelReport, collect
from collector.sources import SourceSet, open_sources
from collector.telethon_link import close_links
from collector.waits import accounts
from config.settings import Settings
from storage import Store
from tests.collector.clock import FakeClock
from tests.collector.conftest import MakeSettings, channel, settings_toml
from tests.collector.fake_telegram import FakeClient, channel_entity
from tests.collector.fake_tme import FakeTme, Reply
from tests.collector.fake_x import FakeX, tweet
from tests.collector.test_telegram_api import channel_messages

# The fake clock starts at 2023-11-14 22:13:20 UTC; a wait of an hour ends at 23:13:20.
HOUR_LATER = "2023-11-14 23:13:20"
FLOOD = (
    "Telegram asks to wait 3600 s (FLOOD_WAIT) before resolving testchan; "
    "the channel is rescheduled"
)
TELEGRAM = "Telegram's FLOOD_WAIT on the account (its session)"
X = "X's rate limit on the account (its bearer token)"
X_LIMIT = "https://api.x.com/2/users/2244994945/tweets answered HTTP 429; asked to wait 3600 s"


def held(until: str, wait: str, by: str) -> str:
    return (
        f"waiting until {until} UTC: {wait}, imposed when collecting {by}; "
        "none of the account's channels is asked before then"
    )


@pytest.fixture
def fake() -> Iterator[FakeClient]:
    messages, files = channel_messages()
    client = FakeClient(messages, files)
    client.others["second"] = channel_entity(2222, "Second", "second")
    yield client
    close_links()


@pytest.fixture
def x(clock: FakeClock) -> FakeX:
    fake = FakeX(lambda: clock.now)
    fake.tweets = [tweet(minutes, f"post {minutes}") for minutes in range(1, 4)]
    return fake


def two_on_telegram(make_settings: MakeSettings) -> Settings:
    return make_settings(
        channel("testchan", "telegram"),
        channel("second", "telegram"),
        telegram={"batch_size": 4, "flood_max_wait": 600},
    )


def two_on_x(make_settings: MakeSettings, tmp_path: Path) -> Settings:
    (tmp_path / "x-token").write_text("test-token\n")
    return make_settings(
        channel("warcube", "x"),
        channel("otheracct", "x"),
        x={"bearer_token_file": str(tmp_path / "x-token")},
    )


def run_once(
    store: Store, settings: Settings, clock: FakeClock, **fakes: object
) -> tuple[ChannelReport, ...]:
    """One `collect --once`: a new process, with nothing in memory from the runs before."""
    close_links()
    sources = open_sources(settings, clock=clock, **fakes)  # type: ignore[arg-type]
    try:
        return collect(store, settings, sources).channels
    finally:
        sources.close()


def collect_later(
    store: Store, settings: Settings, sources: SourceSet, clock: FakeClock, seconds: float
) -> tuple[ChannelReport, ...]:
    """The service's run `seconds` from now, in the same process."""
    clock.now += seconds
    return collect(store, settings, sources).channels


def commands(config: Path) -> Callable[..., tuple[int, str]]:
    """`claimwatch --config <config> ...`, each time as a new process would run it."""

    def invoke(*args: str) -> tuple[int, str]:
        env = {"CLAIMWATCH_TELEGRAM_API_HASH": "0123abcd"}
        result = CliRunner().invoke(cli, ["--config", str(config), *args], env=env)
        close_links()
        return result.exit_code, result.output

    return invoke


def waits_for(store: Store, settings: Settings) -> dict[str, str | None]:
    """What `claimwatch status` says each channel's wait holds, under `settings`."""
    health = collect_status(store, accounts(settings))["health"]
    return {h["channel"]: h["wait_for"] for h in health if h["not_before"]}


def x_asked(x: FakeX, account: str) -> int:
    """Requests about `account`: its user lookup and the pages of its timeline."""
    (user,) = (u["id"] for u in x.users.values() if u["username"] == account)
    paths = (f"/2/users/by/username/{account}", f"/2/users/{user}/tweets")
    return len([r for r in x.requests if r.url.path in paths])


def test_a_flood_wait_holds_the_sessions_other_channels_in_every_run_until_it_ends(
    store: Store, make_settings: MakeSettings, clock: FakeClock, fake: FakeClient
) -> None:
    settings = two_on_telegram(make_settings)
    fake.floods[("get_entity", 1)] = 3600
    once = partial(run_once, store, settings, clock, telegram_client=lambda: fake)
    first, second = once()
    assert (first.error, second.error) == (FLOOD, None)
    assert second.skipped == held(HOUR_LATER, TELEGRAM, "testchan")
    assert fake.resolved == ["testchan"]

    clock.now += 600  # cron starts it again ten minutes later
    assert [r.skipped for r in once()] == [held(HOUR_LATER, TELEGRAM, "testchan")] * 2
    assert fake.resolved == ["testchan"]

    clock.now += 3000  # the hour is over
    first, second = once()
    assert (first.error, first.new_posts, second.error, second.skipped) == (None, 11, None, None)
    assert fake.resolved == ["testchan", "testchan", "second"]


def test_the_service_holds_the_sessions_other_channels_until_the_wait_ends(
    store: Store, make_settings: MakeSettings, clock: FakeClock, fake: FakeClient
) -> None:
    settings = two_on_telegram(make_settings)
    fake.floods[("get_entity", 1)] = 3600
    sources = open_sources(settings, clock=clock, telegram_client=lambda: fake)
    try:
        later = partial(collect_later, store, settings, sources, clock)
        first, second = later(0)
        assert (first.error, second.skipped) == (FLOOD, held(HOUR_LATER, TELEGRAM, "testchan"))
        first, second = later(600)
        assert first.skipped == "backing off after failures; next try in 50 min"
        assert second.skipped == held(HOUR_LATER, TELEGRAM, "testchan")
        assert fake.resolved == ["testchan"]
        first, second = later(3000)
        assert (first.new_posts, second.error, second.skipped) == (11, None, None)
        assert fake.resolved == ["testchan", "testchan", "second"]
    finally:
        sources.close()


def test_a_short_flood_wait_slept_through_holds_no_other_channel(
    store: Store, make_settings: MakeSettings, clock: FakeClock, fake: FakeClient
) -> None:
    fake.floods[("get_entity", 1)] = 30
    first, second = run_once(
        store, two_on_telegram(make_settings), clock, telegram_client=lambda: fake
    )
    assert (first.error, first.skipped, first.new_posts) == (None, None, 11)
    assert (second.error, second.skipped) == (None, None)
    assert fake.resolved == ["testchan", "testchan", "second"]
    assert len(clock.slept) == 1 and clock.slept[0] > 30


def test_an_x_rate_limit_holds_the_tokens_other_accounts_until_its_reset(
    store: Store, make_settings: MakeSettings, tmp_path: Path, clock: FakeClock, x: FakeX
) -> None:
    settings = two_on_x(make_settings, tmp_path)
    x.limits[2] = (429, 3600)  # warcube's timeline
    once = partial(run_once, store, settings, clock, transport=x.transport())
    first, second = once()
    assert (first.error, second.skipped) == (X_LIMIT, held(HOUR_LATER, X, "warcube"))

    clock.now += 600
    assert [r.skipped for r in once()] == [held(HOUR_LATER, X, "warcube")] * 2
    assert (x_asked(x, "warcube"), x_asked(x, "otheracct")) == (2, 0)

    clock.now += 3000
    first, second = once()
    assert (first.new_posts, first.error, second.error, second.skipped) == (3, None, None, None)
    assert (x_asked(x, "warcube"), x_asked(x, "otheracct")) == (4, 2)


def test_the_service_holds_the_tokens_other_accounts_until_the_reset(
    store: Store, make_settings: MakeSettings, tmp_path: Path, clock: FakeClock, x: FakeX
) -> None:
    settings = two_on_x(make_settings, tmp_path)
    x.limits[2] = (429, 3600)
    sources = open_sources(settings, clock=clock, transport=x.transport())
    try:
        later = partial(collect_later, store, settings, sources, clock)
        assert [r.skipped for r in later(0)] == [None, held(HOUR_LATER, X, "warcube")]
        assert later(600)[1].skipped == held(HOUR_LATER, X, "warcube")
        assert x_asked(x, "otheracct") == 0
        assert [r.error for r in later(3000)] == [None, None]
        assert (x_asked(x, "warcube"), x_asked(x, "otheracct")) == (3, 2)  # warcube's id is known
    finally:
        sources.close()


def test_a_wait_on_one_web_preview_channel_holds_only_that_channel(
    store: Store, make_settings: MakeSettings, tme: FakeTme, clock: FakeClock
) -> None:
    tme.page("/s/flakychan", "flakychan.html")
    limited = Reply(429, b"slow down", {"Retry-After": "3600"})
    tme.route("/s/testchan", limited, *tme.routes["/s/testchan"])
    settings = make_settings(channel("testchan"), channel("flakychan"))
    first, second = run_once(store, settings, clock)
    assert first.error == f"{tme.url}/s/testchan answered HTTP 429; asked to wait 3600 s"
    assert (second.error, second.skipped) == (None, None)

    clock.now += 600
    first, second = run_once(store, settings, clock)
    assert first.skipped == (
        f"waiting until {HOUR_LATER} UTC, as the platform asked; not asked before then"
    )
    assert (second.error, second.skipped) == (None, None)
    assert tme.requests.count("/s/testchan") == 1 and tme.requests.count("/s/flakychan") == 2
    assert waits_for(store, settings) == {"testchan": "this channel"}


def test_collect_once_from_cron_names_the_accounts_wait_on_every_channel(
    tmp_path: Path, tme: FakeTme, monkeypatch: pytest.MonkeyPatch, fake: FakeClient
) -> None:
    monkeypatch.setattr("collector.sources.telethon_client", lambda *args: fake)
    fake.floods[("get_entity", 1)] = 3600
    config = tmp_path / "claimwatch.toml"
    channels = [channel("testchan", "telegram"), channel("second", "telegram")]
    config.write_text(
        settings_toml(tmp_path / "data", tme.url, channels, telegram={"api_id": 12345})
    )

    invoke = commands(config)
    code, first = invoke("collect", "--once")
    (health,) = json.loads(invoke("status", "--json")[1])["health"]
    wait = held(health["not_before"][:19].replace("T", " "), TELEGRAM, "testchan")
    assert code == 1
    assert f"telegram testchan: 0 new, 0 revised, 0 media, 0 missing, 0 deleted {FLOOD}" in first
    assert f"telegram second: 0 new, 0 revised, 0 media, 0 missing, 0 deleted {wait}" in first
    assert "0 new posts; 1 of 2 channels failed" in first
    asked = sum(fake.calls.values())

    code, again = invoke("collect", "--once")
    assert code == 0 and "0 new posts; 0 of 2 channels failed" in again
    for handle in ("testchan", "second"):
        assert f"telegram {handle}: 0 new, 0 revised, 0 media, 0 missing, 0 deleted {wait}" in again
    assert fake.resolved == ["testchan"] and sum(fake.calls.values()) == asked


def test_another_session_is_not_held_by_the_first_sessions_wait(
    store: Store, make_settings: MakeSettings, clock: FakeClock, fake: FakeClient
) -> None:
    fake.floods[("get_entity", 1)] = 3600
    first, second = run_once(
        store, two_on_telegram(make_settings), clock, telegram_client=lambda: fake
    )
    assert (first.error, second.skipped) == (FLOOD, held(HOUR_LATER, TELEGRAM, "testchan"))

    clock.now += 600  # the analyst logs in another account as session "relief"
    relief = make_settings(
        channel("testchan", "telegram"),
        channel("second", "telegram"),
        telegram={"batch_size": 4, "flood_max_wait": 600, "session": "relief"},
    )
    first, second = run_once(store, relief, clock, telegram_client=lambda: fake)

    assert (first.skipped, first.error, first.new_posts) == (None, None, 11)
    assert (second.skipped, second.error) == (None, None)
    assert fake.resolved == ["testchan", "testchan", "second"]
    # the first session still waits for its hour
    again = run_once(store, two_on_telegram(make_settings), clock, telegram_client=lambda: fake)
    assert [r.skipped for r in again] == [held(HOUR_LATER, TELEGRAM, "testchan")] * 2


def test_another_token_is_not_held_by_the_first_tokens_rate_limit(
    store: Store, make_settings: MakeSettings, tmp_path: Path, clock: FakeClock, x: FakeX
) -> None:
    x.limits[2] = (429, 3600)
    first, second = run_once(
        store, two_on_x(make_settings, tmp_path), clock, transport=x.transport()
    )
    assert (first.error, second.skipped) == (X_LIMIT, held(HOUR_LATER, X, "warcube"))

    clock.now += 600  # the analyst switches to another app's bearer token
    (tmp_path / "other-token").write_text("another-token\n")
    x.tokens.add("another-token")
    other = make_settings(
        channel("warcube", "x"),
        channel("otheracct", "x"),
        x={"bearer_token_file": str(tmp_path / "other-token")},
    )
    first, second = run_once(store, other, clock, transport=x.transport())

    assert [(r.skipped, r.error) for r in (first, second)] == [(None, None)] * 2
    assert x_asked(x, "otheracct") == 2


def test_a_wait_saved_before_accounts_were_kept_holds_every_session(
    store: Store, make_settings: MakeSettings, clock: FakeClock, fake: FakeClient
) -> None:
    until = datetime.fromtimestamp(clock.now, UTC) + timedelta(hours=1)
    store.status.failure("telegram", "testchan", FLOOD, until)  # no account: an older wait

    reports = run_once(store, two_on_telegram(make_settings), clock, telegram_client=lambda: fake)

    assert [r.skipped for r in reports] == [held(HOUR_LATER, TELEGRAM, "testchan")] * 2
    assert fake.resolved == []
    assert waits_for(store, two_on_telegram(make_settings)) == {"testchan": "every account"}


def test_status_says_whether_a_wait_holds_the_configured_session_or_another(
    tmp_path: Path, tme: FakeTme, monkeypatch: pytest.MonkeyPatch, fake: FakeClient
) -> None:
    monkeypatch.setattr("collector.sources.telethon_client", lambda *args: fake)
    fake.floods[("get_entity", 1)] = 3600
    channels = [channel("testchan", "telegram"), channel("second", "telegram")]
    configs = {}
    for session in ("claimwatch", "relief"):
        configs[session] = tmp_path / f"{session}.toml"
        configs[session].write_text(
            settings_toml(
                tmp_path / "data", tme.url, channels, telegram={"api_id": 12345, "session": session}
            )
        )
    commands(configs["claimwatch"])("collect", "--once")

    (health,) = json.loads(commands(configs["claimwatch"])("status", "--json")[1])["health"]
    code, relieved = commands(configs["relief"])("status")

    assert (health["channel"], health["wait_for"]) == ("testchan", "this account")
    assert code == 0 and "channel=testchan" in relieved
    assert "wait_for=another account" in relieved
