"""Only periods an import read in full count as covered: a gap nobody collected is not checked."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

import config
from claimwatch.errors import SourceError
from claimwatch.phrase import told
from config.settings import AlertsSettings
from scoring.alerts_import import collect_live, import_csv
from scoring.corroboration import AlertIndex, check_alerts
from scoring.factors import corroboration
from scoring.pipeline import score_claims
from storage import Store
from storage.alert_periods import CoveredPeriod
from storage.records import Alert
from storage.timeutil import utcnow
from tests.scoring.cases import SETTINGS, case, claim, extraction
from tests.scoring.helpers import add_post
from tests.scoring.test_pipeline import CLAIM

SAMPLE = Path(__file__).parent / "data" / "oref-sample.csv"
# The sample's first and last alert: 24 Jul 2014 17:05:26 and 12 Oct 2024 02:42:16 in Israel.
CSV_PERIOD = (
    datetime(2014, 7, 24, 14, 5, 26, tzinfo=UTC),
    datetime(2024, 10, 11, 23, 42, 16, tzinfo=UTC),
)
UAV = "חדירת כלי טיס עוין"
ISRAEL = ZoneInfo("Asia/Jerusalem")
FEED = AlertsSettings(live=True, history_url="https://example.test/history")


def item(rid: int, area: str, when: datetime) -> dict[str, object]:
    local = when.astimezone(ISRAEL)
    return {"data": area, "date": f"{local:%d.%m.%Y}", "time": f"{local:%H:%M:%S}",
            "alertDate": f"{local:%Y-%m-%dT%H:%M}:00", "category": 2, "category_desc": UAV,
            "matrix_id": 6, "rid": rid}  # fmt: skip


def fetch(store: Store, handler: Callable[[httpx.Request], httpx.Response]) -> None:
    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        collect_live(store, FEED, client)


def feed(*items: dict[str, object]) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(200, json=list(items))


def test_a_claim_between_the_csv_and_a_later_live_fetch_is_not_checked(store: Store) -> None:
    import_csv(store, SAMPLE)
    fetch(store, feed(item(90001, "מטולה", utcnow() - timedelta(hours=1))))  # one alert today
    # Wednesday 20 Nov 2024, 06:20 in Baghdad: "at dawn today ... in Eilat", a month after
    # the CSV ends and long before the live feed began.
    posted = datetime(2024, 11, 20, 3, 20, tzinfo=UTC)
    add_post(store, 1, posted, CLAIM.replace("الأحد", "الأربعاء"))
    score_claims(store, config.Settings())
    (stored,) = store.claims.list()
    assert stored.score is not None
    alerts = stored.score.inputs["alerts"]
    assert alerts["areas"] == ["אילת"] and alerts["found"] == [] and not alerts["covered"]
    (missing,) = [f for f in stored.score.factors if f.name == "alert_missing"]
    assert missing.weight == 0.0
    assert told(missing.explanation).startswith(
        "Not checked: the stored alert history does not cover"
    )
    assert not stored.score.inputs["outcome"]["checked"]  # no track-record debit


def test_a_claim_inside_a_live_fetch_without_an_alert_meets_the_weak_no_alert(
    store: Store,
) -> None:
    now = utcnow().replace(microsecond=0)  # the feed gives whole seconds
    fetch(store, feed(item(1, "מטולה", now - timedelta(hours=20)), item(2, "מטולה", now)))
    (period,) = store.alerts.periods()
    assert period.source == "oref-live" and period.start == now - timedelta(hours=20)
    # Posted three hours ago without a date: the 12 hours before the post are searched.
    posted = now - timedelta(hours=3)
    found = check_alerts(
        AlertIndex.load(store.alerts), extraction(claimed_date=None), posted, SETTINGS
    )
    assert found.covered and found.alerts == ()
    (signal,) = corroboration.signals(case(claim(posted_at=posted), alerts=found), SETTINGS)
    assert (signal.feature, signal.value) == ("alert_missing", 1.0)
    assert "weak: many drones are downed" in told(signal.explanation)


def test_base_rate_needs_the_days_before_covered(store: Store) -> None:
    # Alerts 40 days before a found alert, but the 28 days between were never collected.
    now = utcnow().replace(microsecond=0)  # the feed gives whole seconds
    old = now - timedelta(days=40)
    store.alerts.add_many([Alert(1, old, "אילת", 2, UAV)], "oref-csv", covered=(old, old))
    fetch(store, feed(item(2, "אילת", now - timedelta(hours=2)), item(3, "מטולה", now)))
    posted = now - timedelta(hours=1)
    found = check_alerts(
        AlertIndex.load(store.alerts), extraction(claimed_date=None), posted, SETTINGS
    )
    assert [a.rid for a in found.alerts] == [2] and found.base_rate is None
    (signal,) = corroboration.signals(case(claim(posted_at=posted), alerts=found), SETTINGS)
    assert signal.value == 1.0 and "equally long windows" not in told(signal.explanation)


def test_only_a_successful_readable_nonempty_fetch_records_a_period(store: Store) -> None:
    now = utcnow().replace(microsecond=0)  # the feed gives whole seconds
    fetch(store, feed())  # an empty answer vouches for nothing
    fetch(store, feed(item(1, "אילת", now), {"data": "", "category": 2}))  # an unreadable item
    with pytest.raises(SourceError, match="503"):
        fetch(store, lambda request: httpx.Response(503))
    assert store.alerts.periods() == []
    assert store.alerts.span().count == 1


def test_reimport_and_refetch_do_not_duplicate_periods(store: Store) -> None:
    import_csv(store, SAMPLE)
    import_csv(store, SAMPLE)
    now = utcnow().replace(microsecond=0)  # the feed gives whole seconds
    answer = feed(item(1, "אילת", now - timedelta(hours=5)))
    fetch(store, answer)
    fetch(store, answer)
    csv, live = store.alerts.periods()
    assert csv == CoveredPeriod("oref-csv", *CSV_PERIOD)
    assert (live.source, live.start) == ("oref-live", now - timedelta(hours=5))
    assert now <= live.end <= utcnow()  # the second fetch extended the first
