"""`claimwatch digest`: write the daily digest to a file, or send it now."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from claimwatch.app import App
from claimwatch.cli.output import console, escape
from claimwatch.errors import ConfigError, DeliveryError, InputError
from claimwatch.text import counted
from digest import schedule
from digest.service import compose_day, send_day
from storage.timeutil import utcnow

# Days whose 24 hours, in any time zone, Python's dates can hold.
FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(9999, 12, 30)


@click.command()
@click.option(
    "--preview",
    "preview_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the digest as one HTML file (images inside) instead of sending it.",
)
@click.option("--send", is_flag=True, help="Send the digest now to digest.recipients.")
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The day whose digest (the 24 h to its send time) to write or send; "
    "default: the latest day whose send time has passed.",
)
@click.option("--again", is_flag=True, help="With --send: send even if that day's went already.")
@click.pass_obj
def digest(
    app: App, preview_path: Path | None, send: bool, day: datetime | None, again: bool
) -> None:
    """Write the daily digest to an HTML file, or send it by email now.

    Example: claimwatch digest --preview digest.html --date 2026-11-20
    """
    if bool(preview_path) == send:
        raise click.UsageError("give either --preview OUT.html or --send")
    if day is not None and not FIRST_DAY <= day.date() <= LAST_DAY:
        raise click.BadParameter(
            f"{day.date()} is out of range: give a day from {FIRST_DAY} to {LAST_DAY}",
            param_hint="'--date'",
        )
    now, options = utcnow(), app.settings.digest
    chosen = day.date() if day else schedule.due_day(now, options.send_time, options.zone)
    if preview_path is not None:
        _preview(app, chosen, now, preview_path)
    else:
        _send(app, chosen, now, again)


def _preview(app: App, day: date, now: datetime, path: Path) -> None:
    composed = compose_day(app.store, app.settings, day, now)
    try:
        path.write_text(composed.preview_html(), encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write the digest to {path}: {exc.strerror or exc}") from None
    d = composed.digest
    console.print(
        f"digest of {day} written to {escape(str(path))}: "
        f"{counted(len(d.claims) + d.claims_left_out, 'claim')}, "
        f"{d.footage_summary}; "
        f"as an email {composed.size / 1024:.0f} KB"
    )


def _send(app: App, day: date, now: datetime, again: bool) -> None:
    if not (app.settings.digest.recipients and app.settings.digest.sender):
        raise ConfigError("set digest.recipients and digest.sender to send the digest")
    outcome = send_day(app.store, app.settings, day, now, again=again)
    if outcome.status == "failed":
        raise DeliveryError(f"the digest of {day} was not sent: {outcome.detail}")
    if outcome.status != "sent":
        hint = " (add --again to send it once more)" if outcome.status == "already sent" else ""
        raise DeliveryError(
            f"the digest of {day} was not sent: {outcome.status}, {outcome.detail}{hint}"
        )
    if outcome.not_reached:  # a cron job must see that someone did not get it
        raise DeliveryError(f"the digest of {day} was sent {outcome.detail}")
    console.print(f"digest of {day} sent: {escape(outcome.detail)}")


def register(group: click.Group) -> None:
    group.add_command(digest)
