"""Home Front Command alerts: one row per (alert id, area), kept to corroborate claims.

Imports are idempotent: an alert already stored is left as it is, so the CSV history and
the live feed can overlap freely. A whole import commits in one transaction, with the
period it covered in full (storage/alert_periods.py): only there does a missing alert
say anything.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from storage.alert_periods import Coverage, CoveredPeriod, read_periods, record_period
from storage.database import insert_for
from storage.models import AlertRow
from storage.records import Alert
from storage.timeutil import as_utc

# Keep each INSERT well under SQLite's limit of bound parameters.
_CHUNK = 500


@dataclass(frozen=True)
class AlertSpan:
    """How many alerts are stored and the first and last alert time."""

    count: int
    first: datetime | None
    last: datetime | None


class Alerts:
    """Stored alerts, searchable by time and area."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def add_many(
        self,
        alerts: Sequence[Alert],
        source: str,
        covered: tuple[datetime, datetime] | None = None,
    ) -> int:
        """Store alerts not yet stored, all in one transaction, with the period `covered`
        in full when one is given; returns how many alerts were new."""
        rows = [_row_values(alert, source) for alert in _unique(alerts)]
        before = self.span().count
        with self._sessions.begin() as session:
            insert = _insert_ignoring_duplicates(session)
            for start in range(0, len(rows), _CHUNK):
                session.execute(insert, rows[start : start + _CHUNK])
            if covered is not None:
                record_period(session, source, *covered)
        return self.span().count - before

    def add_period(self, source: str, start: datetime, end: datetime) -> None:
        """Record that `source` stored every alert from `start` to `end`."""
        with self._sessions.begin() as session:
            record_period(session, source, start, end)

    def periods(self) -> list[CoveredPeriod]:
        """The covered periods as recorded, by start (a source's overlaps merged)."""
        with self._sessions() as session:
            return read_periods(session)

    def coverage(self) -> Coverage:
        """The union of every source's covered periods."""
        return Coverage.of(self.periods())

    def covers(self, start: datetime, end: datetime) -> bool:
        """Whether the stored alerts are complete from `start` to `end`."""
        return self.coverage().covers(start, end)

    def between(
        self,
        start: datetime,
        end: datetime,
        areas: Collection[str] | None = None,
    ) -> list[Alert]:
        """Alerts from `start` to `end` (inclusive), optionally only in some areas."""
        # Plain columns, not ORM objects: a scoring pass loads tens of thousands of alerts.
        query = select(
            AlertRow.rid, AlertRow.time, AlertRow.area, AlertRow.category, AlertRow.category_desc
        ).where(AlertRow.time >= start, AlertRow.time <= end)
        if areas is not None:
            query = query.where(AlertRow.area.in_(list(areas)))
        with self._sessions() as session:
            rows = session.execute(query.order_by(AlertRow.time, AlertRow.rid, AlertRow.area))
            return [Alert(*row) for row in rows]

    def count_between(self, start: datetime | None, end: datetime | None) -> int:
        """How many alerts (by area) from `start` to `end` inclusive; None is open-ended."""
        query = select(func.count()).select_from(AlertRow)
        if start is not None:
            query = query.where(AlertRow.time >= start)
        if end is not None:
            query = query.where(AlertRow.time <= end)
        with self._sessions() as session:
            return session.scalar(query) or 0

    def span(self) -> AlertSpan:
        with self._sessions() as session:
            count, first, last = session.execute(
                select(func.count(), func.min(AlertRow.time), func.max(AlertRow.time))
            ).one()
        return AlertSpan(count or 0, _aware(first), _aware(last))

    def counts_by_source(self) -> dict[str, int]:
        with self._sessions() as session:
            rows = session.execute(select(AlertRow.source, func.count()).group_by(AlertRow.source))
            return {source: count for source, count in rows}


def _unique(alerts: Sequence[Alert]) -> list[Alert]:
    """The first of each (rid, area): a feed can list one area twice in one alert."""
    seen: dict[tuple[int, str], Alert] = {}
    for alert in alerts:
        seen.setdefault((alert.rid, alert.area), alert)
    return list(seen.values())


def _insert_ignoring_duplicates(session: Session) -> Any:
    return insert_for(session, AlertRow).on_conflict_do_nothing(index_elements=["rid", "area"])


def _row_values(alert: Alert, source: str) -> dict[str, Any]:
    if alert.time.tzinfo is None:
        raise ValueError(f"alert {alert.rid} has a time without a zone")
    return {
        "rid": alert.rid,
        "area": alert.area,
        "time": alert.time,
        "category": alert.category,
        "category_desc": alert.category_desc,
        "source": source,
    }


def _aware(value: datetime | None) -> datetime | None:
    return None if value is None else as_utc(value)
