"""The `claimwatch` command group; each command lives in a small module beside this one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from sqlalchemy.exc import OperationalError

from claimwatch.app import App
from claimwatch.cli import (
    alerts_commands,
    archive_commands,
    channels_commands,
    claims_commands,
    collect_commands,
    demo_commands,
    digest_commands,
    import_commands,
    media_commands,
    review_commands,
    service_commands,
)
from claimwatch.errors import ClaimwatchError


class Group(click.Group):
    """Shows claimwatch's own errors as one clear line and exits 1, without a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ClaimwatchError as exc:
            raise click.ClickException(str(exc)) from exc
        except OperationalError as exc:
            # The database went away or refused mid-command (locked, down, full, read-only):
            # the transaction in flight rolled back; what earlier ones stored is kept.
            raise click.ClickException(f"the database failed: {exc.orig}") from exc


@click.group(cls=Group)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    envvar="CLAIMWATCH_CONFIG",
    help="Settings file (default ./claimwatch.toml).",
)
@click.option(
    "--data-dir",
    type=click.Path(path_type=Path),
    help="Use this data directory and its SQLite database instead of the configured ones.",
)
@click.version_option(package_name="claimwatch")
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None, data_dir: Path | None) -> None:
    """Archive armed groups' posts, catch recycled footage, score attack claims.

    Example: claimwatch --data-dir ./archive import tg-export ~/exports/channel/result.json
    """
    app = App(config_path=config_path, data_dir=data_dir)
    ctx.obj = app
    ctx.call_on_close(app.close)


for module in (
    archive_commands,
    import_commands,
    channels_commands,
    alerts_commands,
    claims_commands,
    collect_commands,
    demo_commands,
    review_commands,
    digest_commands,
    media_commands,
    service_commands,
):
    module.register(cli)
