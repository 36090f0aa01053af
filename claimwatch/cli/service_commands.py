"""`claimwatch run`: the background service."""

from __future__ import annotations

import threading
from typing import Any

import click

from claimwatch import logs
from claimwatch.app import App
from claimwatch.service.health import disk_space, failing_jobs, scheduler_running
from claimwatch.service.runner import install_signal_handlers, serve_until_stopped
from claimwatch.service.schedule import build_jobs
from collector.sources import open_sources
from config import Settings
from storage import Store


@click.command(name="run")
@click.option("--no-web", is_flag=True, help="Do not serve the review page in this process.")
@click.pass_obj
def run_command(app: App, no_web: bool) -> None:
    """Run the service: collect, fingerprint, score, send the digest, serve the review page.

    Stops cleanly on SIGTERM or Ctrl-C. Only one service runs per archive.

    Example: claimwatch --config /etc/claimwatch/claimwatch.toml run
    """
    settings = app.settings
    logs.configure(settings.service.log_format, settings.service.log_level)
    for secret in _secrets(settings):
        logs.register_secret(secret)
    store = app.store
    stop = threading.Event()
    install_signal_handlers(stop)
    sources = open_sources(settings)
    web = None if no_web or not settings.service.web else _web_factory(store, settings)
    try:
        serve_until_stopped(store, settings, build_jobs(settings, sources), web, stop)
    finally:
        sources.close()


def _web_factory(store: Store, settings: Settings) -> Any:
    def make(scheduler: Any) -> Any:
        import uvicorn

        from review.app import create_app
        from review.health import DEFAULT_CHECKS

        checks = (*DEFAULT_CHECKS, disk_space, failing_jobs, scheduler_running(scheduler))
        web = create_app(store, settings, checks)
        config = uvicorn.Config(
            web,
            host=settings.review.host,
            port=settings.review.port,
            log_config=None,
            server_header=False,
        )
        return uvicorn.Server(config)

    return make


def _secrets(settings: Settings) -> list[str]:
    candidates = (
        settings.telegram.api_hash,
        settings.x.bearer_token,
        settings.smtp.password,
        settings.review.secret_key,
    )
    return [c.reveal() for c in candidates if c]


def register(group: click.Group) -> None:
    group.add_command(run_command)
