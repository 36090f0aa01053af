"""Analysts' decisions on matches and claims, appended and never overwritten.

A decision can be reversed by a later one; the whole history stays, so the digest and
the review page can show who decided what, when, and why.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from claimwatch.errors import InputError
from storage.hostile_text import replaced
from storage.models import VerdictRow
from storage.records import Verdict

TARGET_TYPES = ("match", "claim")


class Verdicts:
    """The decision history of every reviewed match and claim."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def add(self, verdict: Verdict) -> Verdict:
        """Append a decision, and return it as recorded; the latest one for a target is the
        one in force.

        A note pasted from a post may hold a NUL or half an emoji, which no database
        column takes: they are recorded as U+FFFD, as the note is shown."""
        if verdict.target not in TARGET_TYPES:
            raise InputError(f"verdict target {verdict.target!r} is not one of {TARGET_TYPES}")
        if verdict.at.tzinfo is None:
            raise InputError("a verdict's time must carry a zone")
        verdict = replace(verdict, note=replaced(verdict.note))
        with self._sessions.begin() as session:
            session.add(
                VerdictRow(
                    target_type=verdict.target,
                    target_id=verdict.target_id,
                    reviewer=verdict.reviewer,
                    decision=verdict.decision,
                    note=verdict.note,
                    at=verdict.at,
                )
            )
        return verdict

    def for_target(self, target_type: str, target_id: int) -> list[Verdict]:
        """Every decision on one match or claim, oldest first."""
        query = (
            select(VerdictRow)
            .where(VerdictRow.target_type == target_type, VerdictRow.target_id == target_id)
            .order_by(VerdictRow.at, VerdictRow.id)
        )
        with self._sessions() as session:
            return [_record(row) for row in session.scalars(query)]

    def recent(self, limit: int = 50, reviewer: str | None = None) -> list[Verdict]:
        """The latest decisions, newest first, optionally by one reviewer."""
        query = select(VerdictRow).order_by(VerdictRow.at.desc(), VerdictRow.id.desc())
        if reviewer is not None:
            query = query.where(VerdictRow.reviewer == reviewer)
        with self._sessions() as session:
            return [_record(row) for row in session.scalars(query.limit(limit))]


def _record(row: VerdictRow) -> Verdict:
    return Verdict(
        target=row.target_type,  # type: ignore[arg-type]
        target_id=row.target_id,
        reviewer=row.reviewer,
        decision=row.decision,
        note=row.note,
        at=row.at,
    )
