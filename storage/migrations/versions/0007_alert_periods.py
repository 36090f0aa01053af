"""alert periods: which periods each alert import covered in full

Until now a claim's window counted as covered by alert data whenever it lay between the
first and last stored alert, so one live alert today "covered" everything since the CSV
history ended. Coverage is now read from recorded periods; existing archives get them
back-filled conservatively, from the stored alerts alone (no fetch times were kept):
- `oref-csv`: the first to the last CSV alert (the file is the feed's full history, as
  the CSV import records it from now on);
- `oref-live`: only stretches where consecutive live alerts are less than LIVE_REACH
  apart, from the first to the last alert of each stretch. One fetch of the default
  history URL (mode=1) returns about the last day, so two alerts closer than that may
  have come in one fetch; a longer silence may be the service being down, and is left
  uncovered. A lone live alert covers nothing. Claims in what is left uncovered are
  "not checked" until an import covers them.
Alerts of any other source get no period.

Revision ID: 0007_alert_periods
Revises: 0006_hostile_text_escaped
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0007_alert_periods"
down_revision = "0006_hostile_text_escaped"
branch_labels = None
depends_on = None

LIVE_REACH = timedelta(hours=24)
ALERTS = sa.table(
    "alerts", sa.column("time", sa.DateTime(timezone=True)), sa.column("source", sa.String())
)


def upgrade() -> None:
    periods = op.create_table(
        "alert_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source", "start", "end"),
    )
    connection = op.get_bind()
    rows = [*_csv_period(connection), *_live_periods(connection)]
    if rows:
        op.bulk_insert(periods, rows)


def downgrade() -> None:
    op.drop_table("alert_periods")


def _csv_period(connection: sa.Connection) -> list[dict[str, object]]:
    first, last = connection.execute(
        sa.select(sa.func.min(ALERTS.c.time), sa.func.max(ALERTS.c.time)).where(
            ALERTS.c.source == "oref-csv"
        )
    ).one()
    if first is None:
        return []
    return [{"source": "oref-csv", "start": _utc(first), "end": _utc(last)}]


def _live_periods(connection: sa.Connection) -> list[dict[str, object]]:
    times = connection.execute(
        sa.select(ALERTS.c.time)
        .where(ALERTS.c.source == "oref-live")
        .distinct()
        .order_by(ALERTS.c.time)
    ).scalars()
    return [
        {"source": "oref-live", "start": start, "end": end}
        for start, end in _stretches(_utc(t) for t in times)
        if start < end
    ]


def _stretches(times: Iterable[datetime]) -> Iterator[tuple[datetime, datetime]]:
    """(first, last) of each run of times less than LIVE_REACH apart, in time order."""
    start = end = None
    for moment in times:
        if start is None or end is None or moment - end >= LIVE_REACH:
            if start is not None and end is not None:
                yield start, end
            start = moment
        end = moment
    if start is not None and end is not None:
        yield start, end


def _utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes, which the archive writes in UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
