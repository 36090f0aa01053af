"""Fixtures for the service tests: a fake t.me, a real SMTP server, a settings file, and
a `claimwatch run` process that is always killed at the end of its test."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import make_url

from storage import Store, open_store
from tests.collector.conftest import channel, settings_toml
from tests.collector.fake_tme import FakeTme
from tests.collector.fake_x import FakeX
from tests.digest.smtp import Inbox, password_check, smtp_server
from tests.service import channel as fake_channel
from tests.service import fake_x_server
from tests.service.fake_x_server import XServer
from tests.service.process import Service

SMTP_USER = "digest"
# Secrets with characters JSON and log quoting would escape, so redaction must see them raw.
SECRETS = {
    "CLAIMWATCH_SMTP_PASSWORD": 'smtp-Pw"7\\q-2b1',
    "CLAIMWATCH_REVIEW_SECRET_KEY": "review-key-5d1e0c9a7b3f-8e2d4c6a0b9f7e1d",
    "CLAIMWATCH_X_BEARER_TOKEN": "x-bearer-AAAA9f8e7d6c",
    "CLAIMWATCH_TELEGRAM_API_HASH": "tg-hash-0a1b2c3d4e5f",
}
DB_PASSWORD = "db-pw-Ke8mq2"  # PostgreSQL here trusts local connections and ignores it
MakeConfig = Callable[..., Path]


@pytest.fixture
def tme() -> Iterator[FakeTme]:
    fake = FakeTme()
    yield fake
    fake.close()


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    """A real SMTP server on 127.0.0.1 taking SMTP_USER's password over a plain connection."""
    box = Inbox()
    check = password_check(SMTP_USER, SECRETS["CLAIMWATCH_SMTP_PASSWORD"])
    with smtp_server(box, authenticator=check, auth_require_tls=False) as port:
        yield box, port


@pytest.fixture
def x_api() -> Iterator[XServer]:
    """The fake X API on 127.0.0.1, with @warcube's three claims."""
    server = XServer(FakeX(time.time), SECRETS["CLAIMWATCH_X_BEARER_TOKEN"])
    fake_x_server.claims_account(server)
    yield server
    server.close()


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    running = Service(tmp_path / "claimwatch.toml", tmp_path / "service.log", dict(SECRETS))
    yield running
    running.close()


@pytest.fixture
def make_config(tmp_path: Path, tme: FakeTme, database_url: str) -> MakeConfig:
    """Write the settings file: the fake channel, 1.2-second job intervals, no web unless
    a port is given, the digest when an SMTP port is given."""

    def make(
        web_port: int | None = None,
        smtp_port: int | None = None,
        x: XServer | None = None,
        **sections: dict[str, Any],
    ) -> Path:
        tables: dict[str, dict[str, Any]] = {
            "storage": {"database_url": with_password(database_url)},
            "service": {
                "collect_minutes": 0.02,
                "media_minutes": 0.02,
                "score_minutes": 0.02,
                "digest_check_minutes": 0.02,
                "web": web_port is not None,
                "log_format": "json",
                "log_level": "debug",
            },
            "telegram": {"api_id": 12345},
        }
        if web_port is not None:
            tables["review"] = {"host": "127.0.0.1", "port": web_port}
        if smtp_port is not None:
            tables["digest"] = digest_settings()
            tables["smtp"] = {
                "host": "127.0.0.1",
                "port": smtp_port,
                "security": "none",
                "username": SMTP_USER,
                "timeout": 10,
            }
        channels = [channel(fake_channel.HANDLE, group="Islamic Resistance in Iraq")]
        if x is not None:
            tables["x"] = {"api_url": x.url, "media_hosts": ["127.0.0.1"], "page_size": 5}
            channels.append(channel(fake_x_server.HANDLE, "x", group="Harakat al-Nujaba"))
        for name, values in sections.items():
            tables.setdefault(name, {}).update(values)
        text = settings_toml(tmp_path / "data", tme.url, channels, **tables)
        path = tmp_path / "claimwatch.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return make


def digest_settings() -> dict[str, Any]:
    """Due since 00:30 today in a zone where it is now between 01:00 and 23:00, so the
    run sends exactly today's digest and cannot cross into tomorrow's."""
    for zone in ("UTC", "Asia/Baghdad", "America/New_York"):
        hour = datetime.now(UTC).astimezone(ZoneInfo(zone)).hour
        if 1 <= hour < 23:
            break
    return {
        "enabled": True,
        "send_at": "00:30",
        "timezone": zone,
        "recipients": ["analyst@example.org"],
        "sender": "claimwatch <digest@example.org>",
        "attempts": 1,
    }


def with_password(url: str) -> str:
    """The PostgreSQL URL with a password in it, so the logs can be searched for it."""
    parsed = make_url(url)
    if not parsed.get_backend_name().startswith("postgresql"):
        return url
    return parsed.set(password=DB_PASSWORD).render_as_string(hide_password=False)


def open_archive(database_url: str, tmp_path: Path) -> Store:
    """The service's archive, opened by the test (after the service migrated it)."""
    return open_store(database_url, tmp_path / "data", 50 * 1024 * 1024, migrate=False)


@pytest.fixture
def posts(tmp_path: Path, tme: FakeTme) -> list[fake_channel.ChannelPost]:
    made = fake_channel.make_posts(9, tmp_path)
    fake_channel.serve(tme, made)
    return made
