"""The collect run: failures contained and recorded, back-off, selection, the loop."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from claimwatch.errors import ConfigError, SourceError
from collector.base import Source
from collector.pacing import Backoff
from collector.run import CollectReport, collect, run_forever, selected
from collector.sources import SourceSet, channel_record
from config.settings import ChannelSettings
from storage import Store
from storage.records import Batch, Channel, Checkpoint, Post
from tests.collector.clock import FakeClock
from tests.collector.conftest import MakeSettings, channel

WHEN = datetime(2024, 3, 1, tzinfo=UTC)


class ScriptedSource(Source):
    """Yields one post per call for good channels, fails for the others."""

    name = "telegram-web"

    def __init__(self, failures: dict[str, Exception]) -> None:
        self.failures = failures
        self.calls: list[tuple[str, str | None]] = []

    def fetch(self, channel: Channel, checkpoint: str | None) -> Iterator[Batch]:
        self.calls.append((channel.handle, checkpoint))
        if channel.handle in self.failures:
            raise self.failures[channel.handle]
        number = int(checkpoint or 0) + 1
        post = Post("telegram", channel.handle, number, WHEN, f"post {number}", "telegram-web")
        yield Batch(channel, (post,), Checkpoint(self.name, channel.handle, str(number)))


def test_one_failing_channel_does_not_stop_the_others(
    store: Store, make_settings: MakeSettings
) -> None:
    source = ScriptedSource(
        {"bad": SourceError("the page is gone"), "buggy": KeyError("tgme_widget_message")}
    )
    settings = make_settings(channel("bad"), channel("buggy"), channel("good"))
    report = collect(store, settings, SourceSet({"telegram-web": source}))

    bad, buggy, good = report.channels
    assert bad.error == "the page is gone"
    assert buggy.error == "unexpected KeyError: 'tgme_widget_message'"
    assert (good.error, good.new_posts) == (None, 1)
    assert [c.channel for c in report.failed] == ["bad", "buggy"]
    health = {h.channel: h for h in store.status.all()}
    assert (health["bad"].failures, health["bad"].last_error) == (1, "the page is gone")
    assert health["good"].last_success_at is not None and health["good"].failures == 0
    assert health["good"].detail == (
        "1 new post, 0 revisions, 0 media files, 0 missing, 0 recovered, 0 deleted"
    )


def test_the_checkpoint_carries_over_between_runs(
    store: Store, make_settings: MakeSettings
) -> None:
    source = ScriptedSource({})
    settings = make_settings(channel("good"))
    collect(store, settings, SourceSet({"telegram-web": source}))
    collect(store, settings, SourceSet({"telegram-web": source}))
    assert source.calls == [("good", None), ("good", "1")]
    assert store.archive.checkpoint("telegram-web", "good") == "2"


def test_a_failing_channel_backs_off_with_jitter(
    store: Store, make_settings: MakeSettings, clock: FakeClock
) -> None:
    source = ScriptedSource({"bad": SourceError("down")})
    settings = make_settings(channel("bad"))
    backoff = Backoff(300, 3600, clock)
    sources = SourceSet({"telegram-web": source}, backoff=backoff)
    collect(store, settings, sources)
    skipped = collect(store, settings, sources).channels[0]
    assert skipped.skipped is not None and skipped.skipped.startswith("backing off")
    assert len(source.calls) == 1
    first_wait = backoff.wait_left("telegram-web:bad")
    assert 150 <= first_wait <= 450
    clock.now += first_wait
    collect(store, settings, sources)
    assert len(source.calls) == 2
    assert 300 <= backoff.wait_left("telegram-web:bad") <= 900


def test_a_rate_limit_waits_at_least_as_long_as_asked(clock: FakeClock) -> None:
    backoff = Backoff(60, 3600, clock)
    assert backoff.failed("x:a", retry_after=5000) == 5000
    backoff.succeeded("x:a")
    assert backoff.wait_left("x:a") == 0


def test_a_method_that_is_off_is_reported_with_the_reason(
    store: Store, make_settings: MakeSettings
) -> None:
    settings = make_settings(channel("acct", "x"))
    sources = SourceSet({}, {"x": "no X bearer token: set CLAIMWATCH_X_BEARER_TOKEN"})
    report = collect(store, settings, sources)
    assert report.channels[0].error == "no X bearer token: set CLAIMWATCH_X_BEARER_TOKEN"


def test_selection_by_source_and_handle(make_settings: MakeSettings) -> None:
    settings = make_settings(
        channel("one"), channel("Two"), channel("acct", "x"), channel("off", enabled=False)
    )
    assert [c.handle for c in selected(settings.channels, None, None)] == ["one", "Two", "acct"]
    assert [c.handle for c in selected(settings.channels, "x", None)] == ["acct"]
    assert [c.handle for c in selected(settings.channels, None, "@two")] == ["Two"]


@pytest.mark.parametrize("handle", ["@sabreenS1", "https://t.me/s/sabreenS1", "t.me/sabreenS1"])
def test_handles_are_normalised(handle: str) -> None:
    assert channel_record(ChannelSettings(handle)).handle == "sabreenS1"


@pytest.mark.parametrize("handle", ["../etc", "a b", "chan?x=1"])
def test_a_handle_that_is_not_a_username_is_refused(handle: str) -> None:
    with pytest.raises(ConfigError, match="is not a public username"):
        channel_record(ChannelSettings(handle))


def test_a_bad_handle_fails_its_channel_only(store: Store, make_settings: MakeSettings) -> None:
    source = ScriptedSource({})
    settings = make_settings(channel("../etc"), channel("good"))
    report = collect(store, settings, SourceSet({"telegram-web": source}))
    assert "is not a public username" in (report.channels[0].error or "")
    assert report.channels[1].new_posts == 1


def test_the_loop_collects_until_stopped(
    store: Store, make_settings: MakeSettings, clock: FakeClock
) -> None:
    source = ScriptedSource({})
    settings = make_settings(channel("good"))
    stop = RecordingStop()
    reports: list[CollectReport] = []

    def on_report(report: CollectReport) -> None:
        reports.append(report)
        if len(reports) == 2:
            stop.set()

    run_forever(
        store,
        settings,
        SourceSet({"telegram-web": source}),
        on_report=on_report,
        stop=stop,
        clock=clock,
    )
    assert [r.new_posts for r in reports] == [1, 1]
    assert len(stop.waits) == 2 and all(450 <= w <= 1350 for w in stop.waits)


class RecordingStop(threading.Event):
    """Notes how long the loop would wait, and does not wait."""

    def __init__(self) -> None:
        super().__init__()
        self.waits: list[float] = []

    def wait(self, timeout: float | None = None) -> bool:
        self.waits.append(timeout or 0.0)
        return super().wait(0)
