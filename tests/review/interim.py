"""INTERIM, test-only: a stand-in for store.matches until the media engineer's
storage/matches.py lands. Installed by conftest only when the real one is missing;
delete this file once it exists."""

from __future__ import annotations

from functools import cached_property
from typing import cast

from sqlalchemy import func, select

from storage import Store
from storage.models import ChannelRow, MatchRow, PostMediaRow, PostRow
from storage.records import Match, MatchKind, MatchStatus, Segment
from storage.timeutil import utcnow


class InterimMatches:
    def __init__(self, store: Store) -> None:
        self._sessions = store.sessions

    def upsert(self, match: Match) -> int:
        with self._sessions.begin() as session:
            row = MatchRow(
                a_sha256=match.a,
                b_sha256=match.b,
                kind=match.kind,
                similarity=match.similarity,
                segments=[[s.a_start, s.a_end, s.b_start, s.b_end] for s in match.segments],
                algorithm=match.algorithm,
                first_posted=match.first_posted,
                status=match.status,
                created_at=match.created_at or utcnow(),
                updated_at=utcnow(),
            )
            session.add(row)
            session.flush()
            return row.id

    def get(self, match_id: int) -> Match | None:
        with self._sessions() as session:
            row = session.get(MatchRow, match_id)
            return None if row is None else _record(row)

    def for_media(self, sha256: str) -> list[Match]:
        either = (MatchRow.a_sha256 == sha256) | (MatchRow.b_sha256 == sha256)
        query = select(MatchRow).where(either)
        with self._sessions() as session:
            return [_record(r) for r in session.scalars(query.order_by(MatchRow.id))]

    def list(
        self,
        status: str | None = None,
        kind: str | None = None,
        channel: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Match]:
        query = select(MatchRow).order_by(MatchRow.created_at.desc(), MatchRow.id.desc())
        if status:
            query = query.where(MatchRow.status == status)
        if kind:
            query = query.where(MatchRow.kind == kind)
        if channel:
            shas = (
                select(PostMediaRow.media_sha256)
                .join(PostRow)
                .join(ChannelRow)
                .where(ChannelRow.handle == channel)
            )
            query = query.where(MatchRow.a_sha256.in_(shas) | MatchRow.b_sha256.in_(shas))
        query = query.offset(offset)
        if limit:
            query = query.limit(limit)
        with self._sessions() as session:
            return [_record(r) for r in session.scalars(query)]

    def set_status(self, match_id: int, status: str) -> None:
        with self._sessions.begin() as session:
            row = session.get_one(MatchRow, match_id)
            row.status, row.updated_at = status, utcnow()

    def counts(self) -> dict[str, int]:
        with self._sessions() as session:
            rows = session.execute(select(MatchRow.status, func.count()).group_by(MatchRow.status))
            return {status: count for status, count in rows}


def _record(row: MatchRow) -> Match:
    return Match(
        a=row.a_sha256,
        b=row.b_sha256,
        kind=cast(MatchKind, row.kind),
        similarity=row.similarity,
        segments=tuple(Segment(*s) for s in row.segments),
        algorithm=row.algorithm,
        first_posted=row.first_posted,
        status=cast(MatchStatus, row.status),
        id=row.id,
        created_at=row.created_at,
    )


def install() -> None:
    try:
        import storage.matches  # noqa: F401
    except ImportError:
        Store.matches = cached_property(InterimMatches)  # type: ignore[attr-defined]
        Store.matches.__set_name__(Store, "matches")  # type: ignore[attr-defined]
