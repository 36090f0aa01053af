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
    Handles ignore case: OLD may be given in any case, and a NEW that differs from OLD
    only by case just changes how the channel is shown.

    Example: claimwatch channels rename telegram sabreenS1 sabreenS1_2024
    """
    old, new = old.lstrip("@"), new.lstrip("@")
    moved = app.store.channels.rename(cast(Platform, platform), old, new)
    after = (
        f"it is shown as {escape(new)} from now on"
        if moved.case_only
        else f"collecting {escape(moved.old)} starts afresh"
    )
    console.print(
        f"renamed {platform} {escape(moved.old)} to {escape(new)}: "
        f"{counted(moved.posts, 'post')}, {counted(moved.checkpoints, 'checkpoint')}, "
        f"{counted(moved.statuses, 'status row')} moved; {after}"
    )


def register(group: click.Group) -> None:
    group.add_command(channels_group)
