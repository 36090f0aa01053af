"""Running the review app with uvicorn, as `claimwatch serve` does."""

from __future__ import annotations

import ipaddress
import logging

import uvicorn

from config.settings import Settings
from review.app import create_app
from storage import Store

log = logging.getLogger(__name__)


def serve(
    store: Store, settings: Settings, host: str | None = None, port: int | None = None
) -> None:
    """Serve until interrupted, on the configured address unless another is given."""
    host = host or settings.review.host
    port = port or settings.review.port
    if not is_loopback(host) and not settings.review.public_url.startswith("https://"):
        log.warning(
            "serving on %s without HTTPS: passwords and session cookies cross the network in "
            "clear. Put a TLS reverse proxy in front and set review.public_url to https://...",
            host,
        )
    app = create_app(store, settings)
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
