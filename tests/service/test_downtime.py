"""After downtime the service catches up deliberately: the digest sends each missed day
once (oldest first) and then waits for tomorrow. Collection and scoring resuming from
where they stopped is shown by test_crash and test_run."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import config
from claimwatch.service.schedule import build_jobs
from collector.sources import SourceSet
from digest import schedule
from storage import Store
from tests.digest.smtp import Inbox, smtp_server
from tests.service.conftest import digest_settings
from tests.service.test_runner import Running, wait_until


def test_the_digest_sends_each_day_missed_during_downtime_once(
    store: Store, tmp_path: Path
) -> None:
    mailbox = Inbox()
    with smtp_server(mailbox) as port:
        settings = service_settings(store, port)
        key = schedule.recipients_key(settings.digest.recipients)
        now = datetime.now(UTC)
        today = schedule.due_day(now, settings.digest.send_time, settings.digest.zone)
        sent_before = today - timedelta(days=2)  # the service was down yesterday's send time
        record = store.digests.ensure(sent_before, key, now - timedelta(days=2))
        taken = store.digests.take(record, now - timedelta(days=2))
        assert taken is not None
        store.digests.mark_sent(taken, now - timedelta(days=2), "<earlier@example.org>")

        jobs = [j for j in build_jobs(settings, SourceSet({})) if j.name == "digest"]
        service = Running(store, settings, jobs)
        wait_until("two digests", lambda: len(mailbox.messages) >= 2)
        wait_until("a check that finds both days sent", lambda: "already sent" in digest_job(store))
        service.stop()

    assert len(mailbox.messages) == 2
    assert store.digests.last_sent(key) == today
    sent_days = sorted(r.day for r in store.digests.recent() if r.status == "sent")
    assert sent_days == [sent_before, today - timedelta(days=1), today]


def service_settings(store: Store, smtp_port: int) -> config.Settings:
    settings = config.with_data_dir(config.Settings(), store.data_dir)
    digest = replace(settings.digest, **digest_settings())
    smtp = replace(settings.smtp, host="127.0.0.1", port=smtp_port, security="none", timeout=10)
    service = replace(settings.service, digest_check_minutes=0.02)
    return replace(settings, digest=digest, smtp=smtp, service=service)


def digest_job(store: Store) -> str:
    found = [
        h.detail or "" for h in store.status.all() if (h.source, h.channel) == ("job", "digest")
    ]
    return found[0] if found else ""
