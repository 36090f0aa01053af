"""Corroboration: claimed time to window, alerts found in the store, and the factor."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from claimwatch.phrase import told
from scoring import decisions
from scoring.corroboration import (
    AlertIndex,
    check_alerts,
    claimed_window,
    part_of_day,
    search_window,
)
from scoring.dates import PARTS_OF_DAY
from scoring.extract import extract
from scoring.factors import corroboration
from scoring.model import factors_of, weights_of
from storage import Store
from storage.alert_periods import Coverage
from storage.alerts import AlertSpan
from storage.records import Alert, Target, Verdict, Weapon
from tests.scoring.cases import EILAT, POSTED, SETTINGS, alerts_checked, case, claim, extraction

UAV = "חדירת כלי טיס עוין"
ROCKETS = "ירי רקטות וטילים"


def test_dawn_in_baghdad_as_utc_window() -> None:
    start, end = claimed_window(date(2024, 9, 29), "dawn", SETTINGS.zone)
    assert (start.astimezone(UTC), end.astimezone(UTC)) == (
        datetime(2024, 9, 29, 0, tzinfo=UTC),
        datetime(2024, 9, 29, 5, tzinfo=UTC),
    )
    start, end = claimed_window(date(2024, 9, 29), "ليلة", SETTINGS.zone)
    assert end.astimezone(UTC) == datetime(2024, 9, 30, 3, tzinfo=UTC)  # night runs to 06:00
    assert part_of_day("Evening") == "evening" and part_of_day("teatime") is None


def test_the_early_hours_run_from_midnight_and_every_part_of_day_has_its_window() -> None:
    start, end = claimed_window(date(2024, 9, 29), "early_hours", SETTINGS.zone)
    assert (start.astimezone(UTC), end.astimezone(UTC)) == (
        datetime(2024, 9, 28, 21, tzinfo=UTC),
        datetime(2024, 9, 29, 3, tzinfo=UTC),
    )
    assert all(part_of_day(part) == part for part in PARTS_OF_DAY)


def test_an_alert_soon_after_midnight_corroborates_a_claim_of_the_early_hours(
    store: Store,
) -> None:
    got = extract(
        "استهدف مجاهدو المقاومة الإسلامية في العراق، في الساعات الأولى من صباح اليوم، هدفاً "
        "حيوياً في أم الرشراش بالطيران المسيّر.",
        datetime(2024, 9, 29, 3, tzinfo=UTC),  # 06:00 in Baghdad
    )
    add(store, (1, "אילת", datetime(2024, 9, 28, 21, 20, tzinfo=UTC), 2, UAV))  # 00:20 there
    found = check_alerts(
        AlertIndex.load(store.alerts), got, datetime(2024, 9, 29, 3, tzinfo=UTC), SETTINGS
    )
    assert [a.rid for a in found.alerts] == [1]


def test_search_window_is_widened_and_without_a_date_looks_back() -> None:
    start, end, claimed = search_window(extraction(), POSTED, SETTINGS)
    assert claimed is not None
    assert start == datetime(2024, 9, 28, 22, tzinfo=UTC)
    assert end == datetime(2024, 9, 29, 11, tzinfo=UTC)
    start, end, claimed = search_window(extraction(claimed_date=None), POSTED, SETTINGS)
    assert (start, end, claimed) == (datetime(2024, 9, 28, 15, 20, tzinfo=UTC), POSTED, None)


def add(store: Store, *alerts: tuple[int, str, datetime, int, str]) -> None:
    """Store alerts given as (rid, area, time, category, title)."""
    rows = [Alert(r, t, a, c, d) for r, a, t, c, d in alerts]
    covered = (min(a.time for a in rows), max(a.time for a in rows))
    store.alerts.add_many(rows, source="test", covered=covered)


def test_uav_alerts_in_the_areas_and_window_are_found(store: Store) -> None:
    add(
        store,
        (1, "אילת", datetime(2024, 9, 29, 2, 30, tzinfo=UTC), 2, UAV),  # match
        (2, "אילת", datetime(2024, 9, 29, 2, 31, tzinfo=UTC), 1, ROCKETS),  # other kind
        (3, "קריית שמונה", datetime(2024, 9, 29, 2, 30, tzinfo=UTC), 2, UAV),  # other area
        (4, "אילת", datetime(2024, 9, 30, 2, 30, tzinfo=UTC), 2, UAV),  # next day
        (5, "אילת", datetime(2024, 9, 1, tzinfo=UTC), 1, ROCKETS),
    )
    found = check_alerts(AlertIndex.load(store.alerts), extraction(), POSTED, SETTINGS)
    assert [a.rid for a in found.alerts] == [1]
    assert found.covered
    missile = extraction(weapons=(Weapon("ballistic_missile"),))
    found = check_alerts(AlertIndex.load(store.alerts), missile, POSTED, SETTINGS)
    assert [a.rid for a in found.alerts] == [2]


def test_history_that_ends_before_the_claim_does_not_cover_it(store: Store) -> None:
    add(store, (5, "אילת", datetime(2024, 9, 1, tzinfo=UTC), 1, ROCKETS))
    found = check_alerts(AlertIndex.load(store.alerts), extraction(), POSTED, SETTINGS)
    assert not found.covered and found.alerts == ()


def test_alert_factor_supports_and_links_the_alert_rows() -> None:
    alert = Alert(43734, datetime(2024, 9, 29, 2, 30, tzinfo=UTC), "אילת", 2, UAV)
    (signal,) = corroboration.signals(case(alerts=alerts_checked((alert,))), SETTINGS)
    assert (signal.feature, signal.value) == ("alert_match", 1.0)
    assert (
        told(signal.explanation)
        == "1 UAV alert in אילת at 2024-09-29 02:30 UTC, around the claimed time (Eilat)."
    )
    assert [(e.kind, e.ref) for e in signal.evidence] == [("alert", "43734/אילת")]


def test_missing_alert_is_weak_and_only_when_covered() -> None:
    (signal,) = corroboration.signals(case(), SETTINGS)
    assert (signal.feature, signal.value) == ("alert_missing", 1.0)
    assert "many drones are downed" in told(signal.explanation)
    (signal,) = corroboration.signals(case(alerts=alerts_checked(covered=False)), SETTINGS)
    assert signal.value == 0.0 and "does not cover" in told(signal.explanation)
    (signal,) = corroboration.signals(case(alerts=alerts_checked(areas=())), SETTINGS)
    assert signal.value == 0.0 and "No Israeli alert area" in told(signal.explanation)
    assert SETTINGS.weights.alert_missing > -1 < SETTINGS.weights.alert_match


def test_evidence_recorded_by_analysts() -> None:
    at = datetime(2024, 10, 2, tzinfo=UTC)
    verdicts = (
        Verdict("claim", 1, "lina", decisions.CONTRADICTED, "IDF: no launch detected", at),
        Verdict("claim", 1, "omar", decisions.UNCLEAR, "", at),
    )
    found = corroboration.signals(case(claim(), verdicts=verdicts), SETTINGS)
    analyst = [s for s in found if s.feature.startswith("analyst")]
    assert [(s.feature, s.value) for s in analyst] == [("analyst_contradicted", 1.0)]
    shown = told(analyst[0].explanation)
    assert "lina recorded contradicting evidence on 2024-10-02: IDF: no launch" in shown


def test_many_alert_areas_are_summarised() -> None:
    found = tuple(
        Alert(i, datetime(2024, 10, 3, 10, i, tzinfo=UTC), f"area {i}", 2, UAV) for i in range(11)
    )
    (signal,) = corroboration.signals(case(alerts=alerts_checked(found)), SETTINGS)
    assert "11 UAV alerts in area 0, area 1, area 2, area 3 and 7 more from" in told(
        signal.explanation
    )
    assert len(signal.evidence) == 8


def test_a_match_on_a_busy_front_proves_little(store: Store) -> None:
    metula = Target("Metula", "المطلة", "Israel", 33.28, 35.58, ("מטולה",))
    busy = [(100 + i, "מטולה", POSTED - timedelta(hours=6 * i), 2, UAV) for i in range(0, 200)]
    add(store, *busy, (1, "אילת", POSTED - timedelta(hours=1), 2, UAV),
        (2, "אילת", POSTED - timedelta(days=60), 1, ROCKETS))  # fmt: skip
    index = AlertIndex.load(store.alerts)
    north = check_alerts(index, extraction(targets=(metula,)), POSTED, SETTINGS)
    south = check_alerts(index, extraction(), POSTED, SETTINGS)
    assert north.base_rate is not None and north.base_rate > 0.95
    assert south.base_rate == 0.0
    (weak,) = corroboration.signals(case(claim(targets=(metula,)), alerts=north), SETTINGS)
    (strong,) = corroboration.signals(case(alerts=south), SETTINGS)
    assert weak.value < 0.05 and strong.value == 1.0
    assert "so a chance match is likely" in told(weak.explanation)
    assert "in 0% of equally long windows in the 28 days before" in told(strong.explanation)


def test_the_chance_of_a_match_never_passes_100_percent() -> None:
    # UAV alerts over Metula every six hours for 50 days: every 13-hour window before a
    # dawn claim holds one. 28 days are 51 such windows and a part-window, which must not
    # count as a 52nd hit (52/51 would make a found alert undermine the claim).
    metula = Target("Metula", "المطلة", "Israel", 33.28, 35.58, ("מטולה",))
    busy = [Alert(100 + i, POSTED - timedelta(hours=6 * i), "מטולה", 2, UAV) for i in range(200)]
    last = POSTED + timedelta(days=1)
    index = AlertIndex(
        busy, AlertSpan(200, busy[-1].time, last), Coverage(((busy[-1].time, last),))
    )
    found = check_alerts(index, extraction(targets=(metula,)), POSTED, SETTINGS)
    assert found.base_rate == 1.0
    (signal,) = corroboration.signals(case(claim(targets=(metula,)), alerts=found), SETTINGS)
    assert signal.value == 0.0
    assert "in 100% of equally long windows" in told(signal.explanation)
    (factor,) = factors_of([signal], weights_of(SETTINGS))
    assert factor.direction == "neutral"


def test_with_several_targets_the_match_names_only_those_with_alerts() -> None:
    haifa = Target("Haifa", "حيفا", "Israel", 32.8, 35.0, ("חיפה - מפרץ",))
    alert = Alert(43734, datetime(2024, 9, 29, 2, 30, tzinfo=UTC), "אילת", 2, UAV)
    checked = alerts_checked((alert,), areas=("אילת", "חיפה - מפרץ"))
    (signal,) = corroboration.signals(case(claim(targets=(EILAT, haifa)), alerts=checked), SETTINGS)
    assert told(signal.explanation) == (
        "1 UAV alert in אילת at 2024-09-29 02:30 UTC, around the claimed time "
        "(Eilat; none in the alert areas of Haifa)."
    )


GOLAN = Target("Golan Heights", "الجولان", "Israel", 33.0, 35.75, ("קצרין",))


def busy_golan() -> list[tuple[int, str, datetime, int, str]]:
    """UAV alerts over the Golan every six hours for 50 days: any window holds one."""
    return [(100 + i, "קצרין", POSTED - timedelta(hours=6 * i), 2, UAV) for i in range(200)]


def test_an_alert_in_a_quiet_target_is_not_chance_because_a_busy_one_was_named_too(
    store: Store,
) -> None:
    add(store, *busy_golan(), (1, "אילת", POSTED - timedelta(hours=1), 2, UAV),
        (2, "אילת", POSTED - timedelta(days=60), 1, ROCKETS))  # fmt: skip
    both = extraction(targets=(EILAT, GOLAN))
    found = check_alerts(AlertIndex.load(store.alerts), both, POSTED, SETTINGS)
    assert found.base_rate == 0.0
    stored = claim(targets=(EILAT, GOLAN))
    (signal,) = corroboration.signals(case(stored, alerts=found), SETTINGS)
    assert signal.value == 1.0
    assert told(signal.explanation).endswith(
        "Such alerts sounded in the alert areas of Eilat (rarer than in those of Golan "
        "Heights) in 0% of equally long windows in the 28 days before, so a chance match is "
        "rare."
    )


def test_an_alert_only_in_the_busy_target_is_as_likely_as_an_alert_in_either(
    store: Store,
) -> None:
    add(store, *busy_golan(), (2, "אילת", POSTED - timedelta(days=60), 1, ROCKETS))
    both = extraction(targets=(EILAT, GOLAN))
    found = check_alerts(AlertIndex.load(store.alerts), both, POSTED, SETTINGS)
    assert found.base_rate == 1.0
    (signal,) = corroboration.signals(case(claim(targets=(EILAT, GOLAN)), alerts=found), SETTINGS)
    assert signal.value == 0.0 and "Such alerts sounded there in 100%" in told(signal.explanation)


def test_targets_that_alert_together_count_once_in_the_chance_of_a_match(store: Store) -> None:
    # Eilat and Eilot alert together, in one window of four in the days before: the chance
    # of an alert in either is that one window in four, not 1 - (3/4)² = 44%.
    eilot = Target("Eilot", "إيلوت", "Israel", 29.58, 34.97, ("אילות",))
    together = [
        (200 + 2 * i + k, area, POSTED - timedelta(hours=52 * i + 1), 2, UAV)
        for i in range(14)
        for k, area in enumerate(("אילת", "אילות"))
    ]
    add(store, *together, (2, "אילת", POSTED - timedelta(days=60), 1, ROCKETS))
    index = AlertIndex.load(store.alerts)
    alone = check_alerts(index, extraction(), POSTED, SETTINGS)
    both = check_alerts(index, extraction(targets=(EILAT, eilot)), POSTED, SETTINGS)
    assert alone.base_rate is not None and 0.2 < alone.base_rate < 0.3
    assert both.base_rate == alone.base_rate
