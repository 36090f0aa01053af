"""The digest reaches a real SMTP server on 127.0.0.1: once, whole, over TLS, after a
refusal, and after the server was down."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import config
from claimwatch.errors import DeliveryError
from config.settings import Settings, SmtpSettings
from digest.compose import MAX_MESSAGE_BYTES
from digest.service import send_due_digest
from storage import Store
from storage.records import Channel
from tests.digest.conftest import digest_settings
from tests.digest.seed import DAY, END, Seeded, add_claims
from tests.digest.smtp import (
    Inbox,
    free_port,
    password_check,
    self_signed,
    server_context,
    smtp_server,
)
from tests.digest.sqlite_only import database_url  # noqa: F401

AFTER_SEND_TIME = END + timedelta(minutes=1)


def with_smtp(settings: Settings, **smtp: Any) -> Settings:
    return dataclasses.replace(settings, smtp=dataclasses.replace(settings.smtp, **smtp))


def test_the_digest_arrives_once_with_text_html_and_inline_images(
    store: Store, settings: Settings, seeded: Seeded
) -> None:
    inbox = Inbox()
    with smtp_server(inbox) as port:
        settings = with_smtp(settings, port=port)
        first = send_due_digest(store, settings, AFTER_SEND_TIME)
        again = send_due_digest(store, settings, AFTER_SEND_TIME + timedelta(hours=3))

    assert first.sent == (DAY,)
    assert [d.status for d in again.days] == ["already sent"]
    assert len(inbox.messages) == 1
    assert sorted(inbox.recipients[0]) == ["analyst@example.org", "lead@example.org"]
    message = inbox.messages[0]
    assert "Digest Fri 20 Nov 2026: 3 claims, 1 recycled footage" in message["Subject"]
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None and html is not None
    assert "NEW CLAIMS (3)" in plain.get_content()
    images = [p for p in message.walk() if p.get_content_maintype() == "image"]
    # The chart and both keyframes of the day's match, each referred to by the HTML.
    assert len(images) == 3
    referred = set(re.findall(r'src="cid:([^"]+)"', html.get_content()))
    assert referred == {p["Content-ID"].strip().strip("<>") for p in images}
    assert all(p.get_content_disposition() == "inline" for p in images)
    assert len(message.as_bytes()) < MAX_MESSAGE_BYTES


def test_a_claim_cut_inside_an_emoji_is_mailed_with_a_replacement_mark(
    store: Store, settings: Settings, seeded: Seeded
) -> None:
    half = "\ud83d"  # X cut the text inside an emoji
    cut = Channel("telegram", "cut_test", title=f"Cut {half}")
    add_claims(store, cut, [END - timedelta(hours=2)], text=f"Drone attack on Eilat {half}")
    inbox = Inbox()
    with smtp_server(inbox) as port:
        outcome = send_due_digest(store, with_smtp(settings, port=port), AFTER_SEND_TIME)

    assert outcome.sent == (DAY,) and len(inbox.messages) == 1
    for kind in ("plain", "html"):
        part = inbox.messages[0].get_body((kind,))
        assert part is not None and "Drone attack on Eilat \ufffd (0)" in part.get_content()


def test_starttls_with_login_on_a_self_signed_certificate(
    store: Store, seeded: Seeded, tmp_path: Path
) -> None:
    cert, key = self_signed(tmp_path)
    inbox = Inbox()
    options = {
        "tls_context": server_context(cert, key),
        "require_starttls": True,
        "authenticator": password_check("digest", "s3cret-pass"),
        "auth_require_tls": True,
    }
    with smtp_server(inbox, **options) as port:
        config_file = tmp_path / "claimwatch.toml"
        config_file.write_text(
            f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "starttls"\n'
            f'username = "digest"\nca_file = "{cert}"\n'
        )
        loaded = config.load(config_file, {"CLAIMWATCH_SMTP_PASSWORD": "s3cret-pass"})
        settings = digest_settings(config.with_data_dir(loaded, store.data_dir), loaded.smtp)
        outcome = send_due_digest(store, settings, AFTER_SEND_TIME)

    assert outcome.sent == (DAY,), outcome.summary()
    assert len(inbox.messages) == 1


def test_an_untrusted_certificate_is_refused_and_not_retried(
    store: Store, settings: Settings, seeded: Seeded, tmp_path: Path
) -> None:
    cert, key = self_signed(tmp_path)
    pauses: list[float] = []
    inbox = Inbox()
    with smtp_server(inbox, ssl_context=server_context(cert, key)) as port:
        settings = with_smtp(settings, port=port, security="tls")  # system CAs only
        outcome = send_due_digest(store, settings, AFTER_SEND_TIME, sleep=pauses.append)

    assert [d.status for d in outcome.days] == ["failed"]
    assert "certificate verify failed: self-signed certificate" in outcome.days[0].detail
    assert "smtp.ca_file" in outcome.days[0].detail
    assert pauses == [] and inbox.messages == []


def test_implicit_tls_trusting_the_test_ca(
    store: Store, settings: Settings, seeded: Seeded, tmp_path: Path
) -> None:
    cert, key = self_signed(tmp_path)
    inbox = Inbox()
    with smtp_server(inbox, ssl_context=server_context(cert, key)) as port:
        settings = with_smtp(settings, port=port, security="tls", ca_file=cert)
        outcome = send_due_digest(store, settings, AFTER_SEND_TIME)

    assert outcome.sent == (DAY,)
    assert len(inbox.messages) == 1


def test_a_server_that_refuses_then_accepts_gets_it_after_pauses(
    store: Store, settings: Settings, seeded: Seeded
) -> None:
    pauses: list[float] = []
    inbox = Inbox(refuse=2)
    with smtp_server(inbox) as port:
        settings = with_smtp(settings, port=port)
        outcome = send_due_digest(store, settings, AFTER_SEND_TIME, sleep=pauses.append)

    assert outcome.sent == (DAY,)
    assert inbox.refused == 2 and len(inbox.messages) == 1
    assert pauses == [1.0, 2.0]  # retry_seconds, doubled
    record = store.digests.get(DAY, "analyst@example.org, lead@example.org")
    assert record is not None and record.status == "sent" and record.attempts == 1


def test_a_server_that_is_down_is_reported_and_a_later_run_sends(
    store: Store, settings: Settings, seeded: Seeded
) -> None:
    port = free_port()  # nothing listens here yet
    settings = with_smtp(settings, port=port, timeout=5.0)
    pauses: list[float] = []

    down = send_due_digest(store, settings, AFTER_SEND_TIME, sleep=pauses.append)

    assert [d.status for d in down.days] == ["failed"]
    assert len(pauses) == settings.digest.attempts - 1
    health = {(h.source, h.channel): h for h in store.status.all()}
    failing = health[("digest", "daily")]
    assert failing.failures == 1 and f"digest of {DAY}" in (failing.last_error or "")
    assert f"127.0.0.1:{port}" in (failing.last_error or "")
    # Too soon for another try: the run waits instead of hammering the server.
    soon = send_due_digest(store, settings, AFTER_SEND_TIME + timedelta(minutes=1))
    assert [d.status for d in soon.days] == ["waiting"]

    inbox = Inbox()
    with smtp_server(inbox, port=port):
        later = send_due_digest(store, settings, AFTER_SEND_TIME + timedelta(minutes=10))
    assert later.sent == (DAY,)
    assert len(inbox.messages) == 1
    assert "NEW CLAIMS (3)" in inbox.messages[0].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    health = {(h.source, h.channel): h for h in store.status.all()}
    assert health[("digest", "daily")].failures == 0


def test_a_wrong_password_is_a_clear_failure(
    store: Store, settings: Settings, seeded: Seeded, tmp_path: Path
) -> None:
    cert, key = self_signed(tmp_path)
    options = {
        "tls_context": server_context(cert, key),
        "authenticator": password_check("digest", "right"),
        "auth_require_tls": True,
    }
    with smtp_server(Inbox(), **options) as port:
        settings = with_smtp(
            settings,
            port=port,
            security="starttls",
            ca_file=cert,
            username="digest",
            password=config.Secret("wrong"),
        )
        outcome = send_due_digest(store, settings, AFTER_SEND_TIME, sleep=lambda s: None)

    assert [d.status for d in outcome.days] == ["failed"]
    assert "535" in outcome.days[0].detail
    assert "wrong" not in outcome.days[0].detail


def test_delivery_errors_name_the_server() -> None:
    from digest import delivery
    from digest.message import Envelope, build

    message = build(Envelope("s", "a@b.c", ["d@e.f"], datetime.now(UTC)), "t", "<p>h</p>", [])
    port = free_port()
    with pytest.raises(DeliveryError, match=f"127.0.0.1:{port}"):
        delivery.send(message, SmtpSettings(host="127.0.0.1", port=port, security="none"))


ANALYST, LEAD = "analyst@example.org", "lead@example.org"


def test_a_recipient_deferred_for_a_while_gets_it_once_and_nobody_twice(
    store: Store, settings: Settings, seeded: Seeded
) -> None:
    """A greylisting server refuses a new sender with 450 for a while, then accepts."""
    pauses: list[float] = []
    inbox = Inbox(rcpt_replies={LEAD: ["450 4.2.0 Greylisted, try again later"]})
    with smtp_server(inbox) as port:
        outcome = send_due_digest(
            store, with_smtp(settings, port=port), AFTER_SEND_TIME, sleep=pauses.append
        )

    assert outcome.sent == (DAY,) and outcome.days[0].detail.startswith("2 recipients")
    assert (inbox.received_by(ANALYST), inbox.received_by(LEAD)) == (1, 1)
    assert pauses == [1.0]
    health = {(h.source, h.channel): h for h in store.status.all()}
    assert health[("digest", "daily")].failures == 0


def test_a_recipient_deferred_every_time_is_named_as_not_reached(
    store: Store, settings: Settings, seeded: Seeded
) -> None:
    pauses: list[float] = []
    inbox = Inbox(rcpt_replies={LEAD: ["452 4.2.2 Mailbox full"] * 10})
    with smtp_server(inbox) as port:
        outcome = send_due_digest(
            store, with_smtp(settings, port=port), AFTER_SEND_TIME, sleep=pauses.append
        )

    (day,) = outcome.days
    assert day.status == "sent"
    assert re.match(rf"to 1 of 2 recipients, \d+ KB; not to {re.escape(LEAD)}: ", day.detail)
    assert "452 4.2.2 Mailbox full" in day.detail
    assert (inbox.received_by(ANALYST), inbox.received_by(LEAD)) == (1, 0)
    assert pauses == [1.0, 2.0]
    health = {(h.source, h.channel): h for h in store.status.all()}
    last_error = health[("digest", "daily")].last_error or ""
    assert f"not to {LEAD}" in last_error and "452 4.2.2 Mailbox full" in last_error


def test_a_recipient_refused_for_good_is_not_tried_again(
    store: Store, settings: Settings, seeded: Seeded
) -> None:
    pauses: list[float] = []
    inbox = Inbox(rcpt_replies={LEAD: ["550 5.1.1 No such user"]})
    with smtp_server(inbox) as port:
        outcome = send_due_digest(
            store, with_smtp(settings, port=port), AFTER_SEND_TIME, sleep=pauses.append
        )

    assert outcome.sent == (DAY,) and pauses == []
    assert "to 1 of 2 recipients" in outcome.days[0].detail
    assert f"not to {LEAD}: 550 5.1.1 No such user" in outcome.days[0].detail
    assert (inbox.received_by(ANALYST), inbox.received_by(LEAD)) == (1, 0)


def test_a_bad_answer_to_quit_after_the_message_was_taken_is_no_failure(
    store: Store, settings: Settings, seeded: Seeded
) -> None:
    inbox = Inbox(quit_reply="500 5.5.1 Unrecognized command")
    with smtp_server(inbox) as port:
        local = with_smtp(settings, port=port)
        first = send_due_digest(store, local, AFTER_SEND_TIME, sleep=lambda s: None)
        later = send_due_digest(store, local, AFTER_SEND_TIME + timedelta(hours=1))

    assert first.sent == (DAY,), first.summary()
    assert [d.status for d in later.days] == ["already sent"]
    assert len(inbox.messages) == 1


def test_a_connection_dropped_mid_message_is_retried_and_reported(
    store: Store, settings: Settings, seeded: Seeded
) -> None:
    class Dropping(Inbox):
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            server.transport.close()
            return "250 2.0.0 Accepted"

    pauses: list[float] = []
    with smtp_server(Dropping()) as port:
        outcome = send_due_digest(
            store, with_smtp(settings, port=port), AFTER_SEND_TIME, sleep=pauses.append
        )

    (day,) = outcome.days
    assert day.status == "failed" and "Connection unexpectedly closed" in day.detail
    assert pauses == [1.0, 2.0]
    record = store.digests.get(DAY, f"{ANALYST}, {LEAD}")
    assert record is not None and record.status == "failed"
