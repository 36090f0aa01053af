"""Matches between archived media files, and the analyst's review status of each.

A match is keyed by its two files and its kind, in either order: finding the same pair
again (a later run, a better algorithm) updates its evidence and orientation but never
the analyst's status, which only `set_status` changes.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, get_args

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from claimwatch.errors import InputError, StorageError
from storage.channels import named_ids
from storage.models import MatchRow, PostMediaRow, PostRow
from storage.records import Match, MatchStatus, Segment, possible_id
from storage.timeutil import utcnow

STATUSES: tuple[str, ...] = get_args(MatchStatus)
IN_CHUNK = 500  # files per IN (...) list: SQLite caps a statement's parameters


class Matches:
    """Copy and same-scene matches, newest first."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def upsert(self, match: Match) -> Match:
        """Store `match` or refresh the stored match of the same pair and kind."""
        if match.a == match.b:
            raise InputError(f"a match needs two different files, got {match.a} twice")
        try:
            return self._upsert(match)
        except IntegrityError:  # another process stored the same pair first, or a file is unknown
            try:
                return self._upsert(match)
            except IntegrityError as exc:
                message = f"cannot store match {match.a} / {match.b}: {exc.orig}"
                raise StorageError(message) from None

    def _upsert(self, match: Match) -> Match:
        now = utcnow()
        with self._sessions.begin() as session:
            row = _find(session, match.a, match.b, match.kind)
            if row is None:
                row = MatchRow(kind=match.kind, status=match.status, created_at=now)
                session.add(row)
            row.a_sha256, row.b_sha256 = match.a, match.b
            row.similarity, row.algorithm = match.similarity, match.algorithm
            row.segments = [_segment_json(s) for s in match.segments]
            row.first_posted, row.updated_at = match.first_posted, now
            session.flush()
            return _record(row)

    def get(self, match_id: int) -> Match | None:
        if not possible_id(match_id):
            return None
        with self._sessions() as session:
            row = session.get(MatchRow, match_id)
            return None if row is None else _record(row)

    def for_media(self, sha256: str) -> list[Match]:
        """Every match that involves the file `sha256`, newest first."""
        query = _newest(
            select(MatchRow).where(or_(MatchRow.a_sha256 == sha256, MatchRow.b_sha256 == sha256))
        )
        with self._sessions() as session:
            return [_record(row) for row in session.scalars(query)]

    def among(self, shas: Collection[str]) -> list[Match]:
        """Every match between two of the files `shas`, newest first."""
        wanted = set(shas)
        found: list[Match] = []
        ordered = sorted(wanted)
        with self._sessions() as session:
            for start in range(0, len(ordered), IN_CHUNK):
                chunk = ordered[start : start + IN_CHUNK]
                rows = session.scalars(
                    _newest(select(MatchRow).where(MatchRow.a_sha256.in_(chunk)))
                )
                found.extend(_record(row) for row in rows if row.b_sha256 in wanted)
        return sorted(found, key=lambda m: (m.created_at, m.id), reverse=True)

    def list(
        self,
        status: str | None = None,
        kind: str | None = None,
        channel: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Match]:
        """Matches, newest first, filtered by status, kind, or a channel carrying either file."""
        query = select(MatchRow)
        if status is not None:
            query = query.where(MatchRow.status == _checked_status(status))
        if kind is not None:
            query = query.where(MatchRow.kind == kind)
        with self._sessions() as session:
            if channel is not None:
                carried = (
                    select(PostMediaRow.media_sha256)
                    .join(PostRow, PostRow.id == PostMediaRow.post_id)
                    .where(PostRow.channel_id.in_(named_ids(session, channel)))
                )
                query = query.where(
                    or_(MatchRow.a_sha256.in_(carried), MatchRow.b_sha256.in_(carried))
                )
            query = _newest(query).offset(offset)
            rows = session.scalars(query.limit(limit) if limit is not None else query)
            return [_record(row) for row in rows]

    def set_status(self, match_id: int, status: str) -> Match:
        """Record the analyst's decision on a match."""
        checked = _checked_status(status)
        with self._sessions.begin() as session:
            row = session.get(MatchRow, match_id) if possible_id(match_id) else None
            if row is None:
                raise InputError(f"no match with id {match_id}")
            row.status, row.updated_at = checked, utcnow()
            session.flush()
            return _record(row)

    def counts(self) -> dict[str, int]:
        """Matches per review status (every status listed, zero included)."""
        with self._sessions() as session:
            rows = session.execute(select(MatchRow.status, func.count()).group_by(MatchRow.status))
            found = {status: count for status, count in rows}
        return {status: found.get(status, 0) for status in STATUSES}


def _find(session: Session, a: str, b: str, kind: str) -> MatchRow | None:
    return session.scalar(
        select(MatchRow)
        .where(
            MatchRow.kind == kind,
            or_(
                (MatchRow.a_sha256 == a) & (MatchRow.b_sha256 == b),
                (MatchRow.a_sha256 == b) & (MatchRow.b_sha256 == a),
            ),
        )
        .order_by(MatchRow.id)
        .limit(1)
    )


def _newest(query: Any) -> Any:
    return query.order_by(MatchRow.created_at.desc(), MatchRow.id.desc())


def _checked_status(status: str) -> str:
    if status not in STATUSES:
        raise InputError(f"unknown match status {status!r}; use one of {', '.join(STATUSES)}")
    return status


def _segment_json(segment: Segment) -> dict[str, float]:
    return {
        "a_start": round(segment.a_start, 3),
        "a_end": round(segment.a_end, 3),
        "b_start": round(segment.b_start, 3),
        "b_end": round(segment.b_end, 3),
    }


def _record(row: MatchRow) -> Match:
    segments = tuple(
        Segment(float(s["a_start"]), float(s["a_end"]), float(s["b_start"]), float(s["b_end"]))
        for s in row.segments or []
    )
    return Match(
        a=row.a_sha256,
        b=row.b_sha256,
        kind=row.kind,  # type: ignore[arg-type]
        similarity=row.similarity,
        segments=segments,
        algorithm=row.algorithm,
        first_posted=row.first_posted,
        status=row.status,  # type: ignore[arg-type]
        id=row.id,
        created_at=row.created_at,
    )
