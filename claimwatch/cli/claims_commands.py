"""`claimwatch claims ...`: extract and score attack claims, list them, explain a score."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import click

from claimwatch.app import App
from claimwatch.cli.claims_output import print_calibration, print_claim, print_counts, row
from claimwatch.cli.claims_parse import parse_command
from claimwatch.cli.output import LIMIT, console, emit_json, escape, warn
from claimwatch.errors import InputError
from scoring.present import claim_dict
from storage.records import ScoreLabel

LABELS: tuple[ScoreLabel, ...] = (
    "corroborated", "plausible", "unverified", "doubtful", "likely false"
)  # fmt: skip


@click.group()
def claims() -> None:
    """Attack claims extracted from posts, with their credibility scores.

    Example: claimwatch claims list --label doubtful
    """


@claims.command("score")
@click.option("--all", "everything", is_flag=True, help="Score every claim, not only stale ones.")
@click.pass_obj
def score(app: App, everything: bool) -> None:
    """Extract claims from new or edited posts and score the claims whose evidence changed.

    A score is stored only when it differs from the claim's last one, so running it again
    is cheap and safe.

    Example: claimwatch claims score
    """
    from scoring.pipeline import score_claims

    report = score_claims(app.store, app.settings, everything=everything)
    for error in report.errors:
        warn(error)
    console.print(f"{escape(report.summary())} in {report.seconds:.1f} s")


@claims.command("list")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Posted on or after (UTC).")
@click.option("--channel", help="Only this channel (handle).")
@click.option("--label", type=click.Choice(LABELS), help="Only claims with this label.")
@click.option("--limit", type=LIMIT, default=100, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the claims as JSON.")
@click.pass_obj
def list_claims(
    app: App, since: datetime | None, channel: str | None, label: str | None, limit: int,
    as_json: bool,
) -> None:  # fmt: skip
    """Claims, newest first, with score, label and the strongest reason.

    Example: claimwatch claims list --since 2024-10-01 --channel sabreenS1 --json
    """
    found = app.store.claims.list(
        since=since.replace(tzinfo=UTC) if since else None, channel=channel, label=label,
        limit=limit,
    )  # fmt: skip
    if as_json:
        emit_json([claim_dict(c) for c in found])
        return
    for claim in found:
        console.print(row(claim))
    if not found:
        console.print("no claims match")


@claims.command("show")
@click.argument("claim_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print the claim as JSON.")
@click.pass_obj
def show(app: App, claim_id: int, as_json: bool) -> None:
    """One claim: its text, what was extracted, its score, every factor and the history.

    Example: claimwatch claims show 42
    """
    from scoring.present import score_dict

    claim = app.store.claims.get(claim_id)
    if claim is None:
        raise InputError(f"there is no claim {claim_id}; see `claimwatch claims list`")
    history = app.store.claims.history(claim_id)
    if as_json:
        emit_json({**claim_dict(claim), "history": [score_dict(s, True) for s in history]})
        return
    print_claim(claim, history)


@claims.command("calibrate")
@click.option("--output", type=click.Path(dir_okay=False, writable=True),
              help="Also write the refit [scoring.weights] table to this file.")  # fmt: skip
@click.pass_obj
def calibrate_command(app: App, output: str | None) -> None:
    """Refit the score's weights from analysts' verdicts and report its calibration.

    Needs claims with "confirmed" and "false" verdicts (scoring.calibrate_min_labels).
    Paste the printed [scoring.weights] table into the settings file to use it.

    Example: claimwatch claims calibrate --output weights.toml
    """
    from scoring.calibrate import calibrate

    report = calibrate(app.store, app.settings)
    print_calibration(report)
    if output:
        try:
            Path(output).write_text(report.toml(), encoding="utf-8")
        except OSError as exc:
            raise InputError(
                f"cannot write the weights to {output}: {exc.strerror or exc}"
            ) from None
        console.print(f"weights written to {escape(output)}")


@claims.command("counts")
@click.option("--period", type=click.Choice(["week", "day"]), default="week", show_default=True)
@click.option("--by", type=click.Choice(["group", "channel"]), default="group", show_default=True)
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="First day (Baghdad time).")
@click.option("--json", "as_json", is_flag=True, help="Print counts and change points as JSON.")
@click.pass_obj
def counts_command(app: App, period: str, by: str, since: datetime | None, as_json: bool) -> None:
    """Claims per week or day, per group or channel, and where the daily rate changed.

    Example: claimwatch claims counts --period week --by channel
    """
    from scoring.counts import claims_between, counts_and_changes

    first: date | None = since.date() if since else None
    found = claims_between(app.store, first)
    table, changes = counts_and_changes(found, period, by)  # type: ignore[arg-type]
    if as_json:
        emit_json({
            "counts": [{"start": c.start.isoformat(), "key": c.key, "claims": c.claims}
                       for c in table],
            "change_points": [{"key": c.key, "day": c.point.day.isoformat(),
                               "before": c.point.before, "after": c.point.after,
                               "text": c.describe()} for c in changes],
        })  # fmt: skip
        return
    print_counts(table, changes)


def register(group: click.Group) -> None:
    claims.add_command(parse_command)
    group.add_command(claims)
