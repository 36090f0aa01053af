"""`claimwatch run`: the background service."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any

import click
from sqlalchemy.exc import OperationalError

import config
from claimwatch import logs
from claimwatch.app import App
from claimwatch.errors import ClaimwatchError, ConfigError
from claimwatch.service.health import HealthCheck, service_details
from claimwatch.service.runner import (
    WEB_GRACE_SECONDS,
    Stopped,
    exit_now,
    install_signal_handlers,
    serve_until_stopped,
)
from claimwatch.service.schedule import build_jobs
from collector.sources import open_sources
from config import Settings
from storage import Store

log = logging.getLogger("claimwatch.service")


@click.command(name="run")
@click.option("--no-web", is_flag=True, help="Do not serve the review page in this process.")
@click.pass_obj
def run_command(app: App, no_web: bool) -> None:
    """Run the service: collect, fingerprint, score, send the digest, serve the review page.

    Each job runs at start and then every [service] *_minutes; the digest goes once a day
    at [digest] send_at. Stops cleanly on SIGTERM or Ctrl-C within service.shutdown_seconds.
    Only one service runs per archive: a second one exits with an error.

    Example: claimwatch --config /etc/claimwatch/claimwatch.toml run
    """
    settings = _logging_settings(app)
    stop = threading.Event()
    install_signal_handlers(stop)
    try:
        stopped = _serve(app, settings, stop, web=not no_web and settings.service.web)
    except ClaimwatchError as exc:
        # Logged like every other event, so a JSON log stays one object per line.
        log.error("cannot run: %s", exc)
        raise SystemExit(1) from None
    except OperationalError as exc:  # the database went away after the archive was opened
        log.error("cannot run: the database failed: %s", exc.orig)
        raise SystemExit(1) from None
    # The stop was asked for and nothing is half-written: a clean exit, even with a job
    # abandoned (not when another service took the archive: an operator must look).
    # Exiting here, not through Python's teardown, ends the process at once (the teardown
    # of the loaded libraries alone takes a second or two).
    log.info("exiting", extra={"abandoned": ",".join(stopped.abandoned) or "none"})
    app.close()
    exit_now(1 if stopped.lock_lost else 0)


def _logging_settings(app: App) -> Settings:
    """The settings, with logs set up as they say. A wrong setting is logged like any other
    error at start, in the configured format when the file can tell it, and shown as a
    plain line when the file itself cannot be read."""
    try:
        settings = app.settings
    except ConfigError as exc:
        fmt = config.log_format(app.config_path)
        if fmt is None:
            raise
        logs.configure(fmt)
        log.error("cannot run: %s", exc)
        raise SystemExit(1) from None
    logs.configure_from(settings)
    return settings


def _serve(app: App, settings: Settings, stop: threading.Event, web: bool) -> Stopped:
    store = app.store
    sources = open_sources(settings)
    try:
        jobs = build_jobs(settings, sources)
        factory = _web_factory(store, settings) if web else None
        return serve_until_stopped(store, settings, jobs, factory, stop)
    finally:
        sources.close()


def _web_factory(store: Store, settings: Settings) -> Any:
    def make(checks: Sequence[HealthCheck]) -> Any:
        import uvicorn

        from review.app import create_app
        from review.health import DEFAULT_CHECKS
        from review.server import warn_without_https

        review = settings.review
        warn_without_https(review.host, settings)
        web = create_app(store, settings, (*DEFAULT_CHECKS, *checks), service_details)
        config = uvicorn.Config(
            web,
            host=review.host,
            port=review.port,
            log_config=None,
            server_header=False,
            timeout_graceful_shutdown=WEB_GRACE_SECONDS,
        )
        return uvicorn.Server(config)

    return make


def register(group: click.Group) -> None:
    group.add_command(run_command)
