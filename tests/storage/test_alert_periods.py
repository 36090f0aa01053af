"""Covered alert periods: merged per source, asked as a union, back-filled for old archives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from storage import Store, open_store
from storage.alert_periods import CoveredPeriod
from storage.database import alembic_config, create, upgrade
from tests.conftest import MAX_MEDIA

T0 = datetime(2024, 10, 1, tzinfo=UTC)
HOUR, DAY = timedelta(hours=1), timedelta(days=1)
# The alerts table as revision 0006 left it (times written as the archive writes them).
ALERTS = sa.table(
    "alerts",
    *(sa.column(name) for name in ("rid", "area", "category", "category_desc", "source")),
    sa.column("time", sa.DateTime(timezone=True)),
)


def test_overlapping_periods_of_a_source_merge_and_sources_add_up(store: Store) -> None:
    store.alerts.add_period("oref-live", T0, T0 + 2 * HOUR)
    store.alerts.add_period("oref-live", T0 + HOUR, T0 + 3 * HOUR)
    store.alerts.add_period("oref-live", T0 + HOUR, T0 + 2 * HOUR)  # inside: nothing new
    store.alerts.add_period("oref-live", T0 + DAY, T0 + DAY + HOUR)
    store.alerts.add_period("oref-csv", T0 - DAY, T0)
    assert store.alerts.periods() == [
        CoveredPeriod("oref-csv", T0 - DAY, T0),
        CoveredPeriod("oref-live", T0, T0 + 3 * HOUR),
        CoveredPeriod("oref-live", T0 + DAY, T0 + DAY + HOUR),
    ]
    assert store.alerts.covers(T0 - HOUR, T0 + 3 * HOUR)  # across two sources
    assert not store.alerts.covers(T0 + 2 * HOUR, T0 + DAY)  # the gap
    assert not store.alerts.covers(T0 + DAY, T0 + 2 * DAY)  # past the end
    assert store.alerts.covers(T0 + DAY, T0 + DAY)


def test_a_period_must_be_ordered_and_aware(store: Store) -> None:
    with pytest.raises(ValueError, match="before it starts"):
        store.alerts.add_period("oref-live", T0, T0 - HOUR)
    with pytest.raises(ValueError, match="zone"):
        store.alerts.add_period("oref-live", T0.replace(tzinfo=None), T0.replace(tzinfo=None))
    assert store.alerts.periods() == []


def test_upgrade_back_fills_periods_without_inventing_coverage_over_gaps(
    empty_url: str, tmp_path: Path
) -> None:
    csv = [T0 - 300 * DAY, T0 - 20 * DAY, T0 - 10 * DAY]
    live = [
        T0, T0 + 2 * HOUR, T0 + 2 * HOUR, T0 + 25 * HOUR,  # one stretch (gaps under a day)
        T0 + 4 * DAY, T0 + 4 * DAY + HOUR,  # the service was down for days before
        T0 + 9 * DAY,  # a lone alert vouches for nothing
    ]  # fmt: skip
    engine = create(empty_url)
    command.upgrade(alembic_config(engine), "0006_hostile_text_escaped")
    with engine.begin() as connection:
        rows = [("oref-csv", t) for t in csv] + [("oref-live", t) for t in live]
        rows.append(("test", T0 + 20 * DAY))
        connection.execute(
            ALERTS.insert(),
            [
                {"rid": i, "area": "אילת", "time": t, "category": 2, "category_desc": "UAV",
                 "source": s}
                for i, (s, t) in enumerate(rows)
            ],
        )  # fmt: skip
    upgrade(engine)
    engine.dispose()

    store = open_store(empty_url, tmp_path / "data", MAX_MEDIA)
    try:
        assert store.alerts.periods() == [
            CoveredPeriod("oref-csv", T0 - 300 * DAY, T0 - 10 * DAY),
            CoveredPeriod("oref-live", T0, T0 + 25 * HOUR),
            CoveredPeriod("oref-live", T0 + 4 * DAY, T0 + 4 * DAY + HOUR),
        ]
        assert not store.alerts.covers(T0 - 5 * DAY, T0 - 4 * DAY)  # between CSV and live
        assert not store.alerts.covers(T0 + 2 * DAY, T0 + 3 * DAY)  # the service was down
        assert store.alerts.span().count == len(rows)
    finally:
        store.close()
