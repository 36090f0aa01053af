"""Health of every source and job, so failures are visible in `claimwatch status`, and the
end of a wait a platform asked for, so that every later run honours it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from storage.hostile_text import replaced
from storage.models import CheckpointRow, SourceStatusRow
from storage.records import closest, same_handle
from storage.timeutil import utcnow


@dataclass(frozen=True)
class Health:
    source: str
    channel: str
    last_success_at: datetime | None
    last_error_at: datetime | None
    last_error: str | None
    failures: int
    detail: str | None
    not_before: datetime | None = None
    wait_account: str | None = None  # the label of the account the wait was asked of


class StatusBoard:
    """Last success and last error of each source on each channel, and of each job."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def success(
        self, source: str, channel: str, detail: str | None = None, account: str | None = None
    ) -> None:
        """Record a success; a wait asked for before is over, unless it was asked of an
        account other than the `account` that succeeded (that one still waits)."""
        with self._sessions.begin() as session:
            row = _row(session, source, channel)
            row.last_success_at, row.failures = utcnow(), 0
            _set_wait(row, None, account)
            row.detail = None if detail is None else replaced(detail)

    def failure(
        self,
        source: str,
        channel: str,
        error: str,
        not_before: datetime | None = None,
        account: str | None = None,
    ) -> None:
        """Record a failure, and the time before which the platform asked not to be asked
        again (None: it asked for no wait), of the `account` it was read with, if any.
        Without a wait, a wait asked of another account stands (see `success`)."""
        with self._sessions.begin() as session:
            row = _row(session, source, channel)
            row.last_error_at, row.last_error = utcnow(), replaced(error)
            row.failures = (row.failures or 0) + 1
            _set_wait(row, not_before, account)

    def not_before(self, source: str, channel: str) -> datetime | None:
        """The end of the wait `source` was asked for on `channel` (any case of its
        handle), or None."""
        with self._sessions() as session:
            rows = session.scalars(select(SourceStatusRow).where(SourceStatusRow.source == source))
            row = closest(rows, channel, lambda r: r.channel)
            return None if row is None else row.not_before

    def latest_wait(self, source: str, account: str | None = None) -> Health | None:
        """The channel of `source` whose wait ends last (over or not), or None when `source`
        was never asked to wait. With an `account`, only waits asked of that account count,
        and those saved without one (before accounts were kept)."""
        query = select(SourceStatusRow).where(
            SourceStatusRow.source == source, SourceStatusRow.not_before.is_not(None)
        )
        if account is not None:
            query = query.where(
                or_(SourceStatusRow.wait_account == account, SourceStatusRow.wait_account.is_(None))
            )
        with self._sessions() as session:
            row = session.scalars(
                query.order_by(SourceStatusRow.not_before.desc()).limit(1)
            ).first()
            return None if row is None else _health(row)

    def all(self) -> list[Health]:
        with self._sessions() as session:
            rows = session.scalars(
                select(SourceStatusRow).order_by(SourceStatusRow.source, SourceStatusRow.channel)
            )
            return [_health(r) for r in rows]

    def checkpoints(self) -> list[tuple[str, str, str, datetime]]:
        """(source, channel, value, updated_at) of every collection checkpoint."""
        with self._sessions() as session:
            rows = session.scalars(select(CheckpointRow).order_by(CheckpointRow.source))
            return [(r.source, r.channel, r.value, r.updated_at) for r in rows]


def _health(r: SourceStatusRow) -> Health:
    return Health(
        r.source,
        r.channel,
        r.last_success_at,
        r.last_error_at,
        r.last_error,
        r.failures,
        r.detail,
        r.not_before,
        r.wait_account,
    )


def _set_wait(row: SourceStatusRow, not_before: datetime | None, account: str | None) -> None:
    """Keep the wait `account` was just asked for; with none, end the row's wait when it
    was asked of that account (or saved without one): another account's still runs."""
    if not_before is not None:
        row.not_before, row.wait_account = not_before, account
    elif row.wait_account is None or row.wait_account == account:
        row.not_before, row.wait_account = None, None


def _row(session: Session, source: str, channel: str) -> SourceStatusRow:
    """The one row of `source` on `channel`: rows recorded under other cases of the handle
    (before case was ignored) are the same channel's, and are folded into it."""
    rows = session.scalars(select(SourceStatusRow).where(SourceStatusRow.source == source))
    same = [row for row in rows if same_handle(row.channel, channel)]
    row = closest(same, channel, lambda r: r.channel)
    if row is None:
        row = SourceStatusRow(source=source, channel=channel, failures=0)
        session.add(row)
    for other in same:
        if other is not row:
            session.delete(other)
    row.channel = channel
    return row
