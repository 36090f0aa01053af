"""The media files table: what is archived and how far its processing got."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from storage.convert import media_record
from storage.hostile_text import replaced
from storage.media_store import MediaStore
from storage.models import MediaRow
from storage.records import MediaFile, MediaStatus


class MediaFiles:
    """Archived media files and their processing status."""

    def __init__(self, sessions: sessionmaker[Session], store: MediaStore) -> None:
        self._sessions = sessions
        self._store = store

    def get(self, sha256: str) -> MediaFile | None:
        with self._sessions() as session:
            row = session.get(MediaRow, sha256)
            return None if row is None else media_record(row, self._store)

    def with_status(self, status: MediaStatus, limit: int | None = None) -> list[MediaFile]:
        """Files in one processing state, oldest first."""
        query = select(MediaRow).where(MediaRow.status == status).order_by(MediaRow.created_at)
        with self._sessions() as session:
            rows = session.scalars(query.limit(limit) if limit else query)
            return [media_record(row, self._store) for row in rows]

    def set_status(
        self,
        sha256: str,
        status: MediaStatus,
        error: str | None = None,
        *,
        duration: float | None = None,
        width: int | None = None,
        height: int | None = None,
    ) -> None:
        """Record the outcome of processing; measured properties replace declared ones."""
        with self._sessions.begin() as session:
            row = session.get_one(MediaRow, sha256)
            row.status, row.error = status, None if error is None else replaced(error)
            row.duration = duration if duration is not None else row.duration
            row.width = width if width is not None else row.width
            row.height = height if height is not None else row.height

    def retry_failed(self) -> int:
        """Queue every failed file for processing again, its error cleared; how many."""
        query = update(MediaRow).where(MediaRow.status == "failed")
        with self._sessions.begin() as session:
            done = session.execute(query.values(status="pending", error=None))
            return int(done.rowcount)  # type: ignore[attr-defined]

    def status_counts(self) -> dict[str, int]:
        with self._sessions() as session:
            rows = session.execute(select(MediaRow.status, func.count()).group_by(MediaRow.status))
            return {status: count for status, count in rows}
