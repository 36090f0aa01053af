"""Running the review app with uvicorn, as `claimwatch serve` does."""

from __future__ import annotations

import ipaddress
import logging
import signal
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from types import FrameType

import uvicorn

from claimwatch.errors import ServiceError
from config.settings import Settings
from review.app import create_app
from storage import Store

log = logging.getLogger(__name__)


def serve(
    store: Store, settings: Settings, host: str | None = None, port: int | None = None
) -> None:
    """Serve on the configured address unless another is given, until SIGINT or SIGTERM:
    requests in flight are finished and the command ends cleanly (status 0), as a service
    manager expects of a stop it asked for."""
    host = host or settings.review.host
    port = port or settings.review.port
    warn_without_https(host, settings)
    app = create_app(store, settings)
    # claimwatch's own log set-up (claimwatch/logs.py), with each request logged: the
    # level given here is set on uvicorn's loggers, its access log included.
    config = uvicorn.Config(
        app, host=host, port=port, log_config=None, log_level="info", server_header=False
    )
    server = uvicorn.Server(config)
    # uvicorn exits (SystemExit) when it cannot listen; that is said below, in words.
    with _stop_signals_handled(), suppress(SystemExit):
        server.run()
    if not server.started:
        raise ServiceError(
            f"the review page cannot listen on {host}:{port} (see the log line above: is "
            "another program using the port?); choose another with --port or review.port"
        )


def warn_without_https(host: str, settings: Settings) -> None:
    """Warn when the review page listens beyond this machine with no HTTPS in front."""
    if not is_loopback(host) and not settings.review.public_url.startswith("https://"):
        log.warning(
            "the review page listens on %s without HTTPS: passwords and session cookies "
            "cross the network in clear. Put a TLS reverse proxy in front and set "
            "review.public_url to https://...",
            host,
            extra={"host": host},
        )


@contextmanager
def _stop_signals_handled() -> Iterator[None]:
    """uvicorn stops gracefully on SIGINT and SIGTERM, then raises the signal again for the
    handler it found; with this one there, the stop is not taken for a crash (status 143)."""
    stops = (signal.SIGINT, signal.SIGTERM)
    previous = {signum: signal.signal(signum, _stopped) for signum in stops}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _stopped(signum: int, frame: FrameType | None) -> None:
    log.info("review page stopped by %s", signal.Signals(signum).name)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
