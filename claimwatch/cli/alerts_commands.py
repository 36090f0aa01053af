"""`claimwatch import oref-alerts`: Israel's Home Front Command alert history into the store."""

from __future__ import annotations

from pathlib import Path

import click

from claimwatch.app import App
from claimwatch.cli.output import console, warn
from claimwatch.errors import InputError
from scoring.alerts_import import AlertImport, collect_alerts, import_csv


@click.command("oref-alerts")
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False,
                                                        path_type=Path))  # fmt: skip
@click.option("--live", is_flag=True, help="Fetch new alerts from alerts.history_url instead.")
@click.pass_obj
def oref_alerts(app: App, path: Path | None, live: bool) -> None:
    """Import Home Front Command alerts (one per alert and area) to corroborate claims.

    PATH is an alert history CSV (columns data,date,time,alertDate,category,
    category_desc,matrix_id,rid; local Israeli times). Importing it again adds nothing;
    a malformed line stops the import, naming the line, with nothing stored.

    Example: claimwatch import oref-alerts israel-alerts.csv
    """
    if (path is None) == (not live):
        raise InputError("give an alert history CSV file or --live, not both or neither")
    if path is not None:
        _print(import_csv(app.store, path))
    else:
        _print(collect_alerts(app.store, app.settings))


def _print(report: AlertImport) -> None:
    for problem in report.problems:
        warn(problem)
    span = (
        f", {report.first:%Y-%m-%d} to {report.last:%Y-%m-%d} UTC"
        if report.first and report.last else ""
    )  # fmt: skip
    console.print(
        f"{report.rows} rows, {report.alerts} alerts by area ({report.uav} hostile aircraft)"
        f"{span}: {report.new} new, in {report.seconds:.1f} s"
    )


def register(group: click.Group) -> None:
    importer = group.commands.get("import")
    if not isinstance(importer, click.Group):
        raise RuntimeError("register alerts_commands after import_commands")
    importer.add_command(oref_alerts)
