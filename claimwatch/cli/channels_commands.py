"""`claimwatch channels ...`: the archived channels as named by their handles."""

from __future__ import annotations

from typing import cast

import click

from claimwatch.app import App
from claimwatch.cli.output import console, escape
from claimwatch.text import counted
from storage.records import Platform


@click.group(name="channels")
def channels_group() -> None:
    """Manage the archived channels.

    Example: claimwatch channels rename telegram sabreenS1 sabreenS1_2024
    """


@channels_group.command(name="rename")
@click.argument("platform", type=click.Choice(["telegram", "x"]))
@click.argument("old")
@click.argument("new")
@click.pass_obj
def rename(app: App, platform: str, old: str, new: str) -> None:
    """File the archived channel OLD, its posts, checkpoints and status under NEW.

    For a username that passed to another channel: the old channel's posts stay intact
    under NEW, and collecting OLD starts afresh with the channel that now holds the name.

    Example: claimwatch channels rename telegram sabreenS1 sabreenS1_2024
    """
    old, new = old.lstrip("@"), new.lstrip("@")
    moved = app.store.channels.rename(cast(Platform, platform), old, new)
    console.print(
        f"renamed {platform} {escape(old)} to {escape(new)}: {counted(moved.posts, 'post')}, "
        f"{counted(moved.checkpoints, 'checkpoint')}, {counted(moved.statuses, 'status row')} "
        f"moved; collecting {escape(old)} starts afresh"
    )


def register(group: click.Group) -> None:
    group.add_command(channels_group)
