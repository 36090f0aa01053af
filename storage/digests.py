"""The record of each day's digest to one recipient list, so it goes out exactly once.

Several service processes may share one database. A sender first makes sure the day's
row exists (the unique (day, recipients) key lets only one insert win), then takes it
with a compare-and-set UPDATE on the status and attempt count it saw: whichever process
updates the row first owns this attempt, every other one sees zero rows changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from sqlalchemy import Select, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from storage.hostile_text import replaced
from storage.models import DigestRow

DigestStatus = Literal["pending", "sending", "sent", "failed"]


@dataclass(frozen=True)
class DigestRecord:
    """One day's digest to one recipient list, and how its delivery went."""

    id: int
    day: date
    recipients: str
    status: DigestStatus
    attempts: int
    last_error: str | None
    sent_at: datetime | None
    attempted_at: datetime | None
    message_id: str | None
    created_at: datetime


class Digests:
    """Digest delivery records: created once per (day, recipients), taken before sending."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def get(self, day: date, recipients: str) -> DigestRecord | None:
        with self._sessions() as session:
            row = session.scalar(_by_key(day, recipients))
            return None if row is None else _record(row)

    def ensure(self, day: date, recipients: str, now: datetime) -> DigestRecord:
        """The day's record, created as 'pending' if it did not exist yet."""
        existing = self.get(day, recipients)
        if existing is not None:
            return existing
        try:
            with self._sessions.begin() as session:
                session.add(
                    DigestRow(
                        day=day, recipients=recipients, status="pending", attempts=0, created_at=now
                    )
                )
        except IntegrityError:
            pass  # another process created it between our read and our insert: use theirs
        record = self.get(day, recipients)
        assert record is not None, "the digest row exists after an insert or a conflict"
        return record

    def take(self, seen: DigestRecord, now: datetime, resend: bool = False) -> DigestRecord | None:
        """Move the record from the state we saw to 'sending'; None when another process won.

        The UPDATE matches only if status and attempts are still what `seen` says, so of
        several processes that saw the same state exactly one changes the row. A sent
        record is taken only when `resend` says an operator asked for it again.
        """
        conditions = [
            DigestRow.id == seen.id,
            DigestRow.status == seen.status,
            DigestRow.attempts == seen.attempts,
        ]
        if not resend:
            conditions.append(DigestRow.status != "sent")
        with self._sessions.begin() as session:
            changed = session.execute(
                update(DigestRow)
                .where(*conditions)
                .values(status="sending", attempts=seen.attempts + 1, attempted_at=now)
            ).rowcount  # type: ignore[attr-defined]
        if changed != 1:
            return None
        return self.get(seen.day, seen.recipients)

    def mark_sent(self, taken: DigestRecord, now: datetime, message_id: str) -> None:
        """Record delivery; unconditional, because the message has left whatever happened."""
        with self._sessions.begin() as session:
            session.execute(
                update(DigestRow)
                .where(DigestRow.id == taken.id)
                .values(status="sent", sent_at=now, message_id=message_id, last_error=None)
            )

    def mark_failed(self, taken: DigestRecord, error: str) -> bool:
        """Record a failed attempt, unless the row moved on meanwhile (sent, or re-taken)."""
        with self._sessions.begin() as session:
            changed = session.execute(
                update(DigestRow)
                .where(
                    DigestRow.id == taken.id,
                    DigestRow.status == "sending",
                    DigestRow.attempts == taken.attempts,
                )
                .values(status="failed", last_error=replaced(error))
            ).rowcount  # type: ignore[attr-defined]
        return bool(changed == 1)

    def last_sent(self, recipients: str) -> date | None:
        """The latest day whose digest went to this recipient list."""
        with self._sessions() as session:
            return session.scalar(
                select(func.max(DigestRow.day)).where(
                    DigestRow.recipients == recipients, DigestRow.status == "sent"
                )
            )

    def unsent_days(self, recipients: str, since: date, until: date) -> list[date]:
        """Days in [since, until] whose digest to this recipient list was tried, not sent."""
        query = select(DigestRow.day).where(
            DigestRow.recipients == recipients,
            DigestRow.status != "sent",
            DigestRow.day.between(since, until),
        )
        with self._sessions() as session:
            return sorted(set(session.scalars(query)))

    def recent(self, limit: int = 14) -> list[DigestRecord]:
        """The latest records, newest day first."""
        query = select(DigestRow).order_by(DigestRow.day.desc(), DigestRow.id.desc()).limit(limit)
        with self._sessions() as session:
            return [_record(row) for row in session.scalars(query)]


def _by_key(day: date, recipients: str) -> Select[DigestRow]:
    return select(DigestRow).where(DigestRow.day == day, DigestRow.recipients == recipients)


def _record(row: DigestRow) -> DigestRecord:
    return DigestRecord(
        id=row.id,
        day=row.day,
        recipients=row.recipients,
        status=row.status,  # type: ignore[arg-type]
        attempts=row.attempts,
        last_error=row.last_error,
        sent_at=row.sent_at,
        attempted_at=row.attempted_at,
        message_id=row.message_id,
        created_at=row.created_at,
    )
