"""The service's /health checks: what turns a monitor red, and what does not."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

import config
from claimwatch.service import health
from claimwatch.service.health import collection_recent, failing_jobs, service_details
from config.settings import ChannelSettings
from storage import Store


def test_a_failing_job_counts_only_while_it_is_scheduled(store: Store) -> None:
    store.status.failure("job", "alerts", "alert history answered HTTP 503")
    store.status.failure("digest", "daily", "SMTP server answered 535 wrong password")
    store.status.success("job", "collect", "1 channel, 3 new posts")
    everything = failing_jobs(frozenset({"collect", "alerts", "digest"}))
    assert everything(store) == "jobs failing: alerts, digest delivery"
    no_live_alerts = failing_jobs(frozenset({"collect", "digest"}))
    assert no_live_alerts(store) == "jobs failing: digest delivery"
    store.status.success("digest", "daily", "digest of 2024-11-20 sent")
    assert no_live_alerts(store) is None


def test_the_checks_know_the_jobs_scheduled_before_the_scheduler_starts(store: Store) -> None:
    scheduler = BackgroundScheduler()
    scheduler.add_job(print, "interval", seconds=60, id="collect")
    store.status.failure("job", "collect", "unexpected ValueError: boom")
    store.status.failure("job", "alerts", "alert history answered HTTP 503")
    lock = type("Held", (), {"held": lambda self: True})()
    checks = health.service_checks(config.Settings(), scheduler, lock)
    problems = [p for check in checks if (p := check(store))]
    assert problems == ["jobs failing: collect", "scheduler not running"]


def test_collection_that_stalls_everywhere_fails_after_three_intervals(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = config.Settings(channels=(ChannelSettings("irqres"),))
    settings = replace(settings, service=replace(settings.service, collect_minutes=0.5))
    check = collection_recent(settings)
    assert check(store) is None  # just started: nothing is expected yet
    started = time.monotonic()
    monkeypatch.setattr(health.time, "monotonic", lambda: started + 12 * 60)
    assert check(store) == "no channel collected in the last 12 minutes"
    store.status.failure("telegram-web", "otherchan", "t.me answered HTTP 502")
    assert check(store) is not None
    store.status.success("telegram-web", "irqres", "0 new posts")
    assert check(store) is None


def test_health_figures_count_but_do_not_name_channels(store: Store) -> None:
    store.status.success("telegram-web", "irqres", "3 new posts")
    store.status.failure("x", "warcube", "X answered 401")
    store.status.success("scoring", "score", "7 claims scored")
    store.status.success("job", "collect", "2 channels, 3 new posts")
    figures = service_details(store)
    assert figures["channels"] == {"ok": 1, "failing": 1}
    assert figures["stages"] == {"ok": 1, "failing": 0}
    assert set(figures["jobs"]) == {"collect"} and figures["jobs"]["collect"]["failing"] is False
    assert figures["queues"] == {
        "media_pending": 0,
        "media_older_fingerprints": 0,
        "posts_to_extract": 0,
    }
    assert "irqres" not in str(figures) and "warcube" not in str(figures)
