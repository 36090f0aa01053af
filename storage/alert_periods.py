"""Which periods the stored alerts cover in full, as each import recorded them.

The first and last stored alert say nothing about the time between: the CSV history may
end in October 2024 and the live feed start today, or the service may have been down for
a week. Only where an import says it read everything is a missing alert worth anything,
so each import records the period it covered, and a search window counts as covered only
inside the union of those periods. Periods of one source that overlap are merged, so a
feed fetched every few minutes keeps one row per unbroken stretch.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.database import insert_for
from storage.models import AlertPeriodRow
from storage.timeutil import as_utc


@dataclass(frozen=True)
class CoveredPeriod:
    """From `start` to `end` (inclusive), `source` stored every alert there was."""

    source: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Coverage:
    """The union of covered periods, as disjoint (start, end) pairs in time order."""

    spans: tuple[tuple[datetime, datetime], ...] = ()

    @classmethod
    def of(cls, periods: list[CoveredPeriod]) -> Coverage:
        merged: list[tuple[datetime, datetime]] = []
        for period in sorted(periods, key=lambda p: (p.start, p.end)):
            if merged and period.start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], period.end))
            else:
                merged.append((period.start, period.end))
        return cls(tuple(merged))

    @cached_property
    def _starts(self) -> list[datetime]:
        return [start for start, _ in self.spans]

    def covers(self, start: datetime, end: datetime) -> bool:
        """Whether every moment from `start` to `end` lies in one covered stretch."""
        at = bisect.bisect_right(self._starts, start) - 1
        return at >= 0 and self.spans[at][1] >= end


def record_period(session: Session, source: str, start: datetime, end: datetime) -> None:
    """Add [start, end] for `source` in the session's transaction, merged with the
    source's periods it overlaps."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("a covered period needs times with a zone")
    if start > end:
        raise ValueError(f"a covered period cannot end ({end}) before it starts ({start})")
    overlapping = session.execute(
        select(AlertPeriodRow.id, AlertPeriodRow.start, AlertPeriodRow.end).where(
            AlertPeriodRow.source == source,
            AlertPeriodRow.start <= end,
            AlertPeriodRow.end >= start,
        )
    ).all()
    if any(row.start <= start and row.end >= end for row in overlapping):
        return
    ids = [row.id for row in overlapping]
    start = min([start, *(row.start for row in overlapping)])
    end = max([end, *(row.end for row in overlapping)])
    if ids:
        session.execute(delete(AlertPeriodRow).where(AlertPeriodRow.id.in_(ids)))
    insert = insert_for(session, AlertPeriodRow).on_conflict_do_nothing(
        index_elements=["source", "start", "end"]
    )
    session.execute(insert, [{"source": source, "start": start, "end": end}])


def read_periods(session: Session) -> list[CoveredPeriod]:
    rows = session.execute(
        select(AlertPeriodRow.source, AlertPeriodRow.start, AlertPeriodRow.end).order_by(
            AlertPeriodRow.start, AlertPeriodRow.source
        )
    )
    return [CoveredPeriod(source, as_utc(start), as_utc(end)) for source, start, end in rows]
