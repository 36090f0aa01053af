"""A job that keeps failing (the live alert feed answers 503) shows in `claimwatch status`
and /health, and collection, media and scoring go on around it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import httpx
from click.testing import CliRunner

from claimwatch.cli.main import cli
from storage import Store
from storage.status import Health
from tests.collector.fake_tme import FakeTme, Reply
from tests.digest.smtp import free_port
from tests.service.channel import ChannelPost
from tests.service.conftest import MakeConfig, open_archive
from tests.service.process import Service


def test_a_failing_alerts_job_is_reported_and_the_other_jobs_go_on(
    service: Service,
    make_config: MakeConfig,
    posts: list[ChannelPost],
    tme: FakeTme,
    database_url: str,
    tmp_path: Path,
) -> None:
    tme.route("/alerts", Reply(503, b"Service Unavailable"))
    web_port = free_port()
    make_config(
        web_port=web_port,
        alerts={"live": True, "history_url": f"{tme.url}/alerts", "timeout_seconds": 5},
        service={"alerts_minutes": 0.02},
    )
    service.start()
    service.wait_started()
    store = open_archive(database_url, tmp_path)
    try:
        service.wait_for("three failed alert runs", lambda: job(store, "alerts").failures >= 3)
        first_error = job(store, "alerts").last_error_at
        assert first_error is not None
        for name in ("collect", "media", "score"):
            service.wait_for(
                f"the {name} job to succeed after the alerts job failed",
                succeeded_since(store, name, first_error),
            )
        assert store.archive.counts()["posts"] == 9
        alerts = job(store, "alerts")
        assert "503" in (alerts.last_error or "") and alerts.last_success_at is None

        health = httpx.get(f"http://127.0.0.1:{web_port}/health", timeout=10)
        assert health.status_code == 503
        assert health.json()["problems"] == ["jobs failing: alerts"]
        assert health.json()["jobs"]["alerts"]["failing"] is True
        assert health.json()["jobs"]["collect"]["failing"] is False

        shown = CliRunner().invoke(cli, ["--config", str(service.config), "status"])
        line = next(x for x in shown.output.splitlines() if "channel=alerts" in x)
        assert "source=job" in line and "alerts: Server error '503 Service Unavailable'" in line
    finally:
        store.close()
    assert service.stop()[0] == 0


def succeeded_since(store: Store, name: str, moment: datetime) -> Callable[[], bool]:
    def check() -> bool:
        success = job(store, name).last_success_at
        return success is not None and success > moment

    return check


def job(store: Store, name: str) -> Health:
    found = {h.channel: h for h in store.status.all() if h.source == "job"}
    return found.get(name) or Health("job", name, None, None, None, 0, None)
