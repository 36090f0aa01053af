"""The sources a collect run can use, built from settings, with why the others are off.

`telegram-web` needs nothing; `telegram` needs an API id and hash and a session made by
`claimwatch login`; `x` needs a bearer token. A channel whose method is off fails with
the reason from here, visible in `claimwatch status`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

import httpx

from claimwatch.errors import ConfigError
from collector.base import Source
from collector.hosts import HostPolicy
from collector.http import Http
from collector.media_download import MediaDownloader
from collector.pacing import Backoff, Clock
from collector.staging import Staging
from collector.telegram_api import TelegramApiSource
from collector.telegram_web import TelegramWebSource
from collector.telethon_link import (
    Prompt,
    TelegramLink,
    session_path,
    shared_link,
    telethon_client,
)
from collector.waits import accounts
from collector.x_api import XApi
from collector.x_source import XSource
from config.settings import ChannelSettings, Settings
from storage.records import Channel

MAX_BACKOFF = 6 * 3600
PAGE_TIMEOUTS = 4  # a page or API answer must arrive whole within four read timeouts
_HANDLE = re.compile(r"^[A-Za-z0-9_]{1,64}$")
_PREFIXES = ("https://", "http://", "t.me/s/", "t.me/", "x.com/", "twitter.com/", "@")


@dataclass
class SourceSet:
    """Sources by name, the reasons the missing ones are off, and what to close after.

    It lives as long as its process (the service keeps one), and so does `backoff`: the
    failing channels a later run should leave alone for a while. `clock` tells when a
    wait a platform asked for is over.
    """

    available: dict[str, Source]
    unavailable: dict[str, str] = field(default_factory=dict)
    closers: list[Callable[[], None]] = field(default_factory=list)
    backoff: Backoff | None = None
    clock: Clock = field(default_factory=Clock)

    def close(self) -> None:
        for close in self.closers:
            close()


def open_sources(
    settings: Settings,
    *,
    clock: Clock | None = None,
    transport: httpx.BaseTransport | None = None,
    telegram_client: Callable[[], Any] | None = None,
) -> SourceSet:
    """Every source the settings allow; `transport` and `telegram_client` are for tests."""
    clock = clock or Clock()
    staging = Staging(settings.storage.data_dir / "staging")
    staging.sweep()
    backoff = Backoff(settings.collect.backoff_minutes * 60, MAX_BACKOFF, clock)
    sources = SourceSet({}, backoff=backoff, clock=clock)
    telegram = _telegram_api(settings, staging, clock, sources, telegram_client)
    web_http = _http(settings, clock, transport, sources)
    sources.available["telegram-web"] = TelegramWebSource(
        web_http,
        _downloader(web_http, settings.telegram.media_hosts, settings),
        staging,
        base_url=settings.telegram.web_url,
        recheck_recent=settings.collect.recheck_recent,
        fallback=telegram,
    )
    if settings.x.bearer_token:
        sources.available["x"] = _x(settings, staging, clock, transport, sources)
    else:
        sources.unavailable["x"] = (
            "no X bearer token: set CLAIMWATCH_X_BEARER_TOKEN or x.bearer_token_file"
        )
    return sources


def channel_record(entry: ChannelSettings) -> Channel:
    """The configured channel as the archive names it (handle without @ or URL)."""
    handle = bare_handle(entry.handle)
    if not _HANDLE.match(handle):
        raise ConfigError(
            f"channel handle {entry.handle!r} is not a public username (letters, digits, _)"
        )
    since = entry.since_date
    return Channel(
        platform=entry.platform_name,
        handle=handle,
        group=entry.group or None,
        since=datetime.combine(since, time(), UTC) if since else None,
    )


def bare_handle(written: str) -> str:
    """A channel as the archive names it: `@name`, `t.me/s/name` or `https://x.com/name`
    all give `name`."""
    handle = written.strip()
    while handle.lower().startswith(_PREFIXES):
        prefix = next(p for p in _PREFIXES if handle.lower().startswith(p))
        handle = handle[len(prefix) :]
    return handle.strip("/")


def telegram_login(
    settings: Settings,
    phone: Prompt,
    code: Prompt,
    password: Prompt,
    make_client: Callable[[], Any] | None = None,
) -> tuple[str, Path]:
    """Log the API session in; returns who is logged in and the session file (mode 0600)."""
    if make_client is None and not settings.telegram.api_configured:
        raise ConfigError(
            "set telegram.api_id and CLAIMWATCH_TELEGRAM_API_HASH (from my.telegram.org) first"
        )
    path, link = _link(settings, make_client)
    who = link().login(phone, code, password)
    path.chmod(0o600)
    return who, path


def _telegram_api(
    settings: Settings,
    staging: Staging,
    clock: Clock,
    sources: SourceSet,
    make_client: Callable[[], Any] | None,
) -> TelegramApiSource | None:
    config = settings.telegram
    if make_client is None and not config.api_configured:
        sources.unavailable["telegram"] = (
            "the Telegram API is not configured: set telegram.api_id and "
            "CLAIMWATCH_TELEGRAM_API_HASH, then run `claimwatch login`"
        )
        return None
    source = TelegramApiSource(
        _link(settings, make_client)[1],
        staging,
        clock,
        max_bytes=_max_bytes(settings),
        batch_size=config.batch_size,
        flood_max_wait=config.flood_max_wait,
        flood_retries=config.flood_retries,
        recheck_recent=settings.collect.recheck_recent,
    )
    source.account = accounts(settings)["telegram"]
    sources.available["telegram"] = source
    return source


def _link(
    settings: Settings, make_client: Callable[[], Any] | None
) -> tuple[Path, Callable[[], TelegramLink]]:
    """The session file and an opener of the process's one client for it."""
    config = settings.telegram
    path = session_path(settings.storage.data_dir, config.session)
    if make_client is None:
        api_hash = config.api_hash.reveal() if config.api_hash else ""

        def make_client() -> Any:
            return telethon_client(path, config.api_id, api_hash, config.flood_sleep_threshold)

    opener = make_client
    return path, lambda: shared_link(path, opener)


def _x(
    settings: Settings,
    staging: Staging,
    clock: Clock,
    transport: httpx.BaseTransport | None,
    sources: SourceSet,
) -> XSource:
    token = settings.x.bearer_token.reveal() if settings.x.bearer_token else ""
    api_http = _http(settings, clock, transport, sources, {"Authorization": f"Bearer {token}"})
    # Media go through a client without the token: it must never reach a CDN.
    media_http = _http(settings, clock, transport, sources)
    source = XSource(
        XApi(api_http, settings.x.api_url),
        _downloader(media_http, settings.x.media_hosts, settings),
        staging,
        page_size=settings.x.page_size,
        first_run_pages=settings.x.first_run_pages,
        exclude=settings.x.exclude,
        recheck_recent=settings.x.recheck_recent,
    )
    source.account = accounts(settings)["x"]
    return source


def _http(
    settings: Settings,
    clock: Clock,
    transport: httpx.BaseTransport | None,
    sources: SourceSet,
    headers: dict[str, str] | None = None,
) -> Http:
    config = settings.collect
    client = httpx.Client(
        headers={"User-Agent": config.user_agent, **(headers or {})},
        timeout=config.timeout_seconds,
        transport=transport,
    )
    sources.closers.append(client.close)
    return Http(
        client,
        clock,
        throttle_seconds=config.throttle_seconds,
        retries=config.retries,
        max_wait=config.max_wait_seconds,
        page_seconds=PAGE_TIMEOUTS * config.timeout_seconds,
    )


def _downloader(http: Http, hosts: tuple[str, ...], settings: Settings) -> MediaDownloader:
    return MediaDownloader(http, HostPolicy(hosts), _max_bytes(settings))


def _max_bytes(settings: Settings) -> int:
    return min(settings.collect.max_media_bytes, settings.storage.max_media_bytes)
