"""`claimwatch init` and `claimwatch status`."""

from __future__ import annotations

import click

from claimwatch.app import App
from claimwatch.cli.output import console, emit_json, escape
from claimwatch.status import collect_status


@click.command()
@click.pass_obj
def init(app: App) -> None:
    """Create the data directory and bring the database schema up to date.

    Example: claimwatch --config /etc/claimwatch.toml init
    """
    store = app.store
    console.print(f"archive ready: {escape(str(store.engine.url))} (media in {store.files.root})")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@click.pass_obj
def status(app: App, as_json: bool) -> None:
    """What the archive holds, last collection per source, pending media, failing sources and jobs.

    Example: claimwatch status --json
    """
    from collector.waits import accounts

    report = collect_status(app.store, accounts(app.settings))
    if as_json:
        emit_json(report)
        return
    for section, values in report.items():
        console.print(f"[bold]{section}[/bold]")
        for line in _lines(values):
            console.print(f"  {escape(line)}")


def _lines(values: object) -> list[str]:
    if isinstance(values, dict):
        return [f"{key}: {value}" for key, value in values.items()]
    if isinstance(values, list):
        return [", ".join(f"{k}={v}" for k, v in item.items()) for item in values] or ["none"]
    return [str(values)]


def register(group: click.Group) -> None:
    group.add_command(init)
    group.add_command(status)
