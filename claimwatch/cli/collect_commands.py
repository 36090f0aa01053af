"""`claimwatch collect` and `claimwatch login`: live collection from Telegram and X."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import click

from claimwatch.app import App
from claimwatch.cli.output import console, emit_json, escape, warn
from claimwatch.text import counted

if TYPE_CHECKING:
    from collector.run import CollectReport


@click.command(name="collect")
@click.option("--once", is_flag=True, help="Collect once and exit instead of looping.")
@click.option(
    "--source",
    type=click.Choice(["telegram-web", "telegram", "x"]),
    help="Only channels collected with this method.",
)
@click.option("--channel", "handle", help="Only this channel handle.")
@click.option("--json", "as_json", is_flag=True, help="Print each run's report as JSON.")
@click.pass_obj
def collect_command(
    app: App, once: bool, source: str | None, handle: str | None, as_json: bool
) -> None:
    """Fetch new posts and media of the [[channels]] in the settings, each from its checkpoint.

    Without --once it runs again every collect.interval_minutes until interrupted. Exits 1
    when a channel failed (the reason is also in `claimwatch status`).

    Example: claimwatch collect --once --source telegram-web --channel sabreenS1
    """
    from collector.run import collect, run_forever, selected  # Telethon loads only when used
    from collector.sources import open_sources

    settings, store = app.settings, app.store
    if not selected(settings.channels, source, handle):
        raise click.ClickException(
            "no configured channel matches: add [[channels]] tables "
            "to the settings (see config/channels.example.toml)"
        )
    sources = open_sources(settings)
    try:
        if once:
            report = collect(store, settings, sources, source=source, channel=handle)
            _show(report, as_json)
            if report.failed:
                raise SystemExit(1)
        else:
            run_forever(
                store,
                settings,
                sources,
                source=source,
                channel=handle,
                on_report=lambda report: _show(report, as_json),
            )
    except KeyboardInterrupt:
        warn("collection interrupted; every stored batch is kept")
    finally:
        sources.close()


@click.command()
@click.option("--phone", help="Phone number in international form (asked when not given).")
@click.pass_obj
def login(app: App, phone: str | None) -> None:
    """Log the Telegram API source in: phone, the code Telegram sends, the 2FA password if set.

    Needs telegram.api_id and CLAIMWATCH_TELEGRAM_API_HASH (from my.telegram.org). The
    session is saved as <data_dir>/<telegram.session>.session, readable by you only.

    Example: claimwatch login --phone +15551234567
    """
    from collector.sources import telegram_login

    who, path = telegram_login(
        app.settings,
        phone=lambda: phone or click.prompt("Phone number (international form)"),
        code=lambda: click.prompt("Code Telegram sent you"),
        password=lambda: click.prompt("Two-step verification password", hide_input=True),
    )
    console.print(f"logged in as {escape(who)}; session saved to {escape(str(path))}")


def _show(report: CollectReport, as_json: bool) -> None:
    if as_json:
        emit_json(dataclasses.asdict(report))
        return
    for channel in report.channels:
        counts = (
            f"{channel.new_posts} new, {channel.revisions} revised, "
            f"{channel.media_stored} media, {channel.media_missing} missing, "
            + (f"{channel.media_recovered} recovered, " if channel.media_recovered else "")
            + f"{channel.deleted} deleted"
        )
        state = channel.error or channel.skipped
        line = f"{channel.source} {channel.channel}: {counts}"
        console.print(escape(line) + (f" [red]{escape(state)}[/red]" if state else ""))
        for problem in channel.problems:
            warn(problem)
    console.print(
        f"{counted(report.new_posts, 'new post')}; {len(report.failed)} of "
        f"{counted(len(report.channels), 'channel')} failed"
    )


def register(group: click.Group) -> None:
    group.add_command(collect_command)
    group.add_command(login)
