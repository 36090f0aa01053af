"""Stored perceptual fingerprints of archived media, one per file.

Fingerprints are derived data: recomputing one (after an algorithm upgrade) replaces the
old row, and `missing` names the files whose fingerprint is absent or from another
algorithm version, so an upgrade recomputes only those.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, sessionmaker

from storage.models import FingerprintRow, MediaRow
from storage.post_media import FINGERPRINTED_KINDS
from storage.records import Fingerprint
from storage.timeutil import utcnow


class Fingerprints:
    """Fingerprints by media SHA-256."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def put(self, fingerprint: Fingerprint) -> None:
        """Store a file's fingerprint, replacing any earlier one."""
        with self._sessions.begin() as session:
            row = session.get(FingerprintRow, fingerprint.sha256)
            if row is None:
                row = FingerprintRow(media_sha256=fingerprint.sha256)
                session.add(row)
            row.algorithm, row.frame_count = fingerprint.algorithm, fingerprint.frame_count
            row.duration, row.data = fingerprint.duration, fingerprint.data
            row.created_at = utcnow()

    def get(self, sha256: str) -> Fingerprint | None:
        with self._sessions() as session:
            row = session.get(FingerprintRow, sha256)
            return None if row is None else _record(row)

    def keys(self, algorithm: str | None = None) -> list[str]:
        """The SHA-256 of every fingerprinted file (of one algorithm, if given)."""
        query = select(FingerprintRow.media_sha256).order_by(FingerprintRow.media_sha256)
        if algorithm is not None:
            query = query.where(FingerprintRow.algorithm == algorithm)
        with self._sessions() as session:
            return list(session.scalars(query))

    def iter_all(
        self, algorithm: str | None = None, chunk: int = 200, only: Collection[str] | None = None
    ) -> Iterator[Fingerprint]:
        """Every fingerprint (of one algorithm; among `only`, if given), in chunks.

        For rebuilding an index at start and topping it up afterwards.
        """
        keys = self.keys(algorithm)
        if only is not None:
            keys = [k for k in keys if k in only]
        for start in range(0, len(keys), chunk):
            part = keys[start : start + chunk]
            with self._sessions() as session:
                rows = session.scalars(
                    select(FingerprintRow).where(FingerprintRow.media_sha256.in_(part))
                )
                found = {row.media_sha256: _record(row) for row in rows}
            yield from (found[key] for key in part if key in found)

    def missing(self, algorithm: str, limit: int | None = None) -> list[str]:
        """Fingerprintable files processed without a fingerprint of `algorithm`, oldest first.

        Files still `pending` or `failed` are not listed: processing owns those.
        """
        query = _missing(select(MediaRow.sha256), algorithm)
        query = query.order_by(MediaRow.created_at, MediaRow.sha256)
        with self._sessions() as session:
            return list(session.scalars(query.limit(limit) if limit else query))

    def count_missing(self, algorithm: str) -> int:
        """How many files `missing` lists: still to be fingerprinted by `algorithm`."""
        with self._sessions() as session:
            return session.scalar(_missing(select(func.count(MediaRow.sha256)), algorithm)) or 0

    def count(self, algorithm: str | None = None) -> int:
        query = select(func.count()).select_from(FingerprintRow)
        if algorithm is not None:
            query = query.where(FingerprintRow.algorithm == algorithm)
        with self._sessions() as session:
            return session.scalar(query) or 0


def _missing(query: Select[Any], algorithm: str) -> Select[Any]:
    """`query` narrowed to processed files without a fingerprint of `algorithm`."""
    return (
        query.outerjoin(FingerprintRow, FingerprintRow.media_sha256 == MediaRow.sha256)
        .where(MediaRow.kind.in_(FINGERPRINTED_KINDS), MediaRow.status == "done")
        .where(FingerprintRow.media_sha256.is_(None) | (FingerprintRow.algorithm != algorithm))
    )


def _record(row: FingerprintRow) -> Fingerprint:
    return Fingerprint(
        sha256=row.media_sha256,
        algorithm=row.algorithm,
        frame_count=row.frame_count,
        duration=row.duration,
        data=bytes(row.data),
    )
