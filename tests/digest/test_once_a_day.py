"""Exactly one digest per day: two senders at once, a sender that died mid-send, and the
days missed while the service was down."""

from __future__ import annotations

import dataclasses
import threading
from datetime import timedelta
from pathlib import Path

from config.settings import Settings
from digest import schedule
from digest.service import DigestOutcome, send_due_digest
from storage import Store, open_store
from tests.conftest import MAX_MEDIA
from tests.digest.seed import DAY, END, Seeded
from tests.digest.smtp import Inbox, smtp_server

AFTER = END + timedelta(minutes=1)
KEY = "analyst@example.org, lead@example.org"


def at_port(settings: Settings, port: int) -> Settings:
    return dataclasses.replace(settings, smtp=dataclasses.replace(settings.smtp, port=port))


def test_two_service_processes_send_one_message(
    store: Store, settings: Settings, seeded: Seeded, database_url: str, tmp_path: Path
) -> None:
    # A slow server keeps the first sender busy while the second one looks at the day.
    inbox = Inbox(delay=0.5)
    stores = [open_store(database_url, store.data_dir, MAX_MEDIA) for _ in range(2)]
    outcomes: list[DigestOutcome] = []
    start = threading.Barrier(2)
    with smtp_server(inbox) as port:
        local = at_port(settings, port)

        def run(own: Store) -> None:
            start.wait()
            outcomes.append(send_due_digest(own, local, AFTER))

        threads = [threading.Thread(target=run, args=(s,)) for s in stores]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    for opened in stores:
        opened.close()

    assert len(inbox.messages) == 1
    statuses = sorted(day.status for o in outcomes for day in o.days)
    assert statuses[1] == "sent" and statuses[0] in ("busy", "already sent")
    record = store.digests.get(DAY, KEY)
    assert record is not None and record.status == "sent" and record.attempts == 1


def test_a_digest_left_sending_by_a_dead_process_is_sent_after_the_lease(
    store: Store, settings: Settings, seeded: Seeded
) -> None:
    record = store.digests.ensure(DAY, KEY, AFTER)
    assert store.digests.take(record, AFTER) is not None  # then the process died
    inbox = Inbox()
    with smtp_server(inbox) as port:
        local = at_port(settings, port)
        during = send_due_digest(store, local, AFTER + schedule.LEASE - timedelta(minutes=1))
        after = send_due_digest(store, local, AFTER + schedule.LEASE + timedelta(minutes=1))

    assert [d.status for d in during.days] == ["busy"]
    assert after.sent == (DAY,)
    assert len(inbox.messages) == 1


def test_days_missed_during_downtime_are_sent_once_each_on_start(
    store: Store, settings: Settings, seeded: Seeded
) -> None:
    inbox = Inbox()
    with smtp_server(inbox) as port:
        local = at_port(settings, port)
        assert send_due_digest(store, local, AFTER).sent == (DAY,)
        # Down from just after that send until two days later, after the send time.
        back = AFTER + timedelta(days=2, hours=3)
        caught_up = send_due_digest(store, local, back)
        again = send_due_digest(store, local, back + timedelta(minutes=15))

    assert caught_up.sent == (DAY + timedelta(days=1), DAY + timedelta(days=2))
    assert [d.status for d in again.days] == ["already sent"]
    assert len(inbox.messages) == 3
    subjects = [m["Subject"] for m in inbox.messages]
    assert [s.split("Digest ")[1][:15] for s in subjects] == [
        "Fri 20 Nov 2026",
        "Sat 21 Nov 2026",
        "Sun 22 Nov 2026",
    ]


def test_after_downtime_a_server_still_down_is_tried_once_per_run(
    store: Store, settings: Settings, seeded: Seeded
) -> None:
    inbox = Inbox()
    with smtp_server(inbox) as port:
        assert send_due_digest(store, at_port(settings, port), AFTER).sent == (DAY,)
    pauses: list[float] = []
    back = AFTER + timedelta(days=2, hours=3)

    down = send_due_digest(store, settings, back, sleep=pauses.append)  # port 1: refused

    assert [(d.day, d.status) for d in down.days] == [(DAY + timedelta(days=1), "failed")]
    assert len(pauses) == settings.digest.attempts - 1
    assert store.digests.get(DAY + timedelta(days=2), KEY) is None


def test_a_first_day_that_failed_is_sent_with_the_next_one(
    store: Store, settings: Settings, seeded: Seeded
) -> None:
    pauses: list[float] = []
    down = send_due_digest(store, settings, AFTER, sleep=pauses.append)  # port 1: refused
    assert [(d.day, d.status) for d in down.days] == [(DAY, "failed")]
    inbox = Inbox()
    with smtp_server(inbox) as port:
        # the server is back only after the next day's send time
        later = send_due_digest(store, at_port(settings, port), AFTER + timedelta(days=1))

    assert later.sent == (DAY, DAY + timedelta(days=1))
    assert len(inbox.messages) == 2


def test_before_the_send_time_a_first_run_sends_yesterdays_only(
    store: Store, settings: Settings, seeded: Seeded
) -> None:
    inbox = Inbox()
    with smtp_server(inbox) as port:
        local = at_port(settings, port)
        early = send_due_digest(store, local, END - timedelta(hours=1))
        on_time = send_due_digest(store, local, END)

    assert early.sent == (DAY - timedelta(days=1),)
    assert on_time.sent == (DAY,)
    assert len(inbox.messages) == 2


def test_a_disabled_digest_sends_nothing(store: Store, settings: Settings) -> None:
    off = dataclasses.replace(settings, digest=dataclasses.replace(settings.digest, enabled=False))
    outcome = send_due_digest(store, off, AFTER)
    assert outcome.days == () and "disabled" in outcome.summary()
    assert store.digests.recent() == []
