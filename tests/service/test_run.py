"""`claimwatch run` end to end, as an operator runs it, on SQLite and PostgreSQL.

The service runs as a real process against a fake t.me (real JPEG and MP4 files), a fake
X API, and a real SMTP server, with every job every 1.2 seconds. The test waits for what an analyst
would see: posts archived, media fingerprinted, claims scored, one digest in the mailbox,
the review page's /health; then stops it with SIGTERM and reads its JSON log.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
from click.testing import CliRunner
from sqlalchemy import func, select

from claimwatch.cli.main import cli
from storage import Store
from storage.models import PostSearchRow
from tests.collector.fake_x import tweet_id
from tests.digest.smtp import Inbox, free_port
from tests.service.channel import HANDLE, ChannelPost
from tests.service.conftest import DB_PASSWORD, SECRETS, MakeConfig, open_archive
from tests.service.fake_x_server import HANDLE as X_HANDLE
from tests.service.fake_x_server import XServer
from tests.service.process import Service

JOBS = {"collect", "media", "score", "digest"}


def searchable(store: Store) -> int:
    """Posts whose normalised search text the service has stored."""
    with store.sessions() as session:
        return session.scalar(select(func.count()).select_from(PostSearchRow)) or 0


def test_the_service_archives_fingerprints_scores_mails_and_stops_on_sigterm(
    service: Service,
    make_config: MakeConfig,
    posts: list[ChannelPost],
    inbox: tuple[Inbox, int],
    x_api: XServer,
    database_url: str,
    tmp_path: Path,
) -> None:
    mailbox, smtp_port = inbox
    web_port = free_port()
    make_config(web_port=web_port, smtp_port=smtp_port, x=x_api)
    began = time.monotonic()
    service.start()
    service.wait_started()
    store = open_archive(database_url, tmp_path)
    try:
        service.wait_for("9 posts and 3 tweets", lambda: store.archive.counts()["posts"] == 12)
        assert store.archive.checkpoint("x", X_HANDLE) == tweet_id(3)
        media_files = sum(len(p.media) for p in posts) + 3
        service.wait_for(
            f"{media_files} media files fingerprinted",
            lambda: store.media.status_counts() == {"done": media_files},
        )
        claims = 7 + 3  # every post but the statements (204 and 208) claims an attack
        service.wait_for(
            f"{claims} claims scored",
            lambda: sum(c.score is not None for c in store.claims.list()) == claims,
        )
        service.wait_for("every post ready for search", lambda: searchable(store) == 12)
        service.wait_for("the digest", lambda: len(mailbox.messages) == 1)
        service.wait_for(
            "a later digest check", lambda: "already sent" in job_detail(store, "digest")
        )
        working = time.monotonic() - began

        health = httpx.get(f"http://127.0.0.1:{web_port}/health", timeout=10)
        assert health.status_code == 200, health.text
        report = health.json()
        assert report["status"] == "ok"
        assert set(report["jobs"]) >= JOBS and not any(
            j["failing"] for j in report["jobs"].values()
        )
        assert report["queues"] == {
            "media_pending": 0,
            "media_older_fingerprints": 0,
            "posts_to_extract": 0,
        }
        assert report["channels"] == {"ok": 2, "failing": 0}
        assert report["stages"]["failing"] == 0
        assert HANDLE not in health.text  # the watch list is not for anyone who can reach /health

        status = CliRunner().invoke(cli, ["--config", str(service.config), "status", "--json"])
        assert status.exit_code == 0, status.output
        jobs = {
            h["channel"]: h for h in json.loads(status.output)["health"] if h["source"] == "job"
        }
        assert set(jobs) >= JOBS
        assert all(jobs[name]["last_success_at"] and not jobs[name]["last_error"] for name in JOBS)
        [source] = [h for h in json.loads(status.output)["health"] if h["channel"] == HANDLE]
        assert source["source"] == "telegram-web" and source["last_success_at"]
        assert source["last_error"] is None
    finally:
        store.close()

    code, seconds = service.stop()
    assert code == 0, service.tail()
    assert seconds < 10
    assert len(mailbox.messages) == 1
    assert mailbox.messages[0]["To"] == "analyst@example.org"
    print(
        f"\nservice e2e ({database_url.split(':')[0]}): work done in {working:.1f} s, "
        f"SIGTERM to exit {seconds:.2f} s"
    )

    log = service.text()
    lines = [json.loads(line) for line in log.splitlines()]  # JSON, one event a line
    events = {line["message"] for line in lines}
    assert {"service started", "job done", "service stopping", "service stopped"} <= events
    assert not [line for line in lines if line["level"] in ("error", "critical")], log
    for secret in (*SECRETS.values(), DB_PASSWORD, json.dumps(SECRETS["CLAIMWATCH_SMTP_PASSWORD"])):
        assert secret not in log


def job_detail(store: object, name: str) -> str:
    health = {(h.source, h.channel): h for h in store.status.all()}  # type: ignore[attr-defined]
    found = health.get(("job", name))
    return (found.detail or "") if found else ""
