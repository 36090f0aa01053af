"""`claimwatch import ...`: bring existing material into the archive."""

from __future__ import annotations

from pathlib import Path

import click

from claimwatch.app import App
from claimwatch.cli.output import console, escape, progress, warn
from claimwatch.importing import import_tg_export
from claimwatch.text import counted


@click.group(name="import")
def import_group() -> None:
    """Import existing material (Telegram Desktop exports, alert history) into the archive.

    Example: claimwatch import tg-export ~/exports/ChatExport_2024-11-20/result.json
    """


@import_group.command(name="tg-export")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--channel",
    "handle",
    help="Channel handle to file the posts under (default: "
    "the handle already used for this channel id, else the numeric id).",
)
@click.option("--group", help="Armed group the channel speaks for, e.g. 'Kataib Hezbollah'.")
@click.pass_obj
def tg_export(app: App, path: Path, handle: str | None, group: str | None) -> None:
    """Import a Telegram Desktop JSON export (result.json or its folder) with its media.

    Importing the same export again adds nothing; an edited message adds a revision.

    Example: claimwatch import tg-export ./ChatExport_2024-11-20 --channel sabreenS1 --group Nujaba
    """
    report = import_tg_export(
        app.store, path, handle, group, lambda items, total: progress(items, total, "importing")
    )
    result = report.result
    for error in result.errors:
        warn(error)
    console.print(
        f"{escape(', '.join(report.channels))}: {counted(result.new_posts, 'new post')}, "
        f"{counted(result.new_revisions, 'new revision')}, {result.unchanged} unchanged, "
        f"{counted(result.media_stored, 'media file')} stored, {result.media_missing} missing, "
        f"{counted(report.skipped, 'service message')} skipped"
    )


def register(group: click.Group) -> None:
    group.add_command(import_group)
