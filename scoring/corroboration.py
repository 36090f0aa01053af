"""Does Israel's alert history corroborate a claim? Claimed time -> window -> alerts.

A claim says "at dawn today" in the claimants' zone (Asia/Baghdad); we turn the claimed
date and part of day into a window, widen it (drones from Iraq fly for hours before
they reach Israel), and look for alerts of the kind the weapon would set off in the
target's alert areas. A found alert is evidence the attack happened; no alert is weak
evidence against it (many drones are downed before reaching Israel). Alerts only say
something when our alert data covers the period, that is lies inside the periods the
imports recorded as read in full (storage/alert_periods.py): a claim after the end of the
data, or in a gap nobody collected (between the CSV history and the live feed, or while
the service was down), is "not checked", not "no alert". A found alert proves less where
such alerts are frequent: its weight is lessened by the chance of a match as telling in
the days before, measured per target (`chance`).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from config.settings import ScoringSettings
from scoring.alerts_import import is_uav
from scoring.case import AlertCheck
from storage.alert_periods import Coverage
from storage.alerts import Alerts, AlertSpan
from storage.records import Alert, Extraction, Target

# Local hours each part of day covers; an end past 24 runs into the next day. Every part
# the extractor gives (scoring/dates.py) has its window here: "early hours" from midnight,
# so an alert soon after midnight is inside the search, not before it.
PARTS_OF_DAY: dict[str, tuple[int, int]] = {
    "early_hours": (0, 6),
    "dawn": (3, 8),
    "morning": (5, 12),
    "noon": (11, 15),
    "afternoon": (12, 18),
    "evening": (17, 24),
    "night": (18, 30),
}
# Words an extractor may give for a part of day, mapped to the names above.
PART_SYNONYMS = {
    "فجر": "dawn", "الفجر": "dawn", "صباح": "morning", "الصباح": "morning",
    "ظهر": "noon", "الظهر": "noon", "midday": "noon", "عصر": "afternoon", "العصر": "afternoon",
    "مساء": "evening", "المساء": "evening", "ليل": "night", "ليلة": "night", "الليل": "night",
    "late_night": "night", "early_morning": "dawn", "early hours": "early_hours",
}  # fmt: skip
UAV, MISSILE = "uav", "rockets and missiles"
# The chance of a coincidental alert match is measured over this many days before the claim.
BASE_RATE_DAYS = 28
# Where such alerts sounded in at least this share of windows, a match is likely chance:
# it adds what it is worth to the score, but it is no independent support for the label
# "corroborated" and does not count as corroborated in the channel's track record.
CHANCE_LIKELY = 0.5
ROCKETS_AND_MISSILES = 1
KINDS_BY_WEAPON = {
    "drone": (UAV,),
    "cruise_missile": (UAV, MISSILE),
    "ballistic_missile": (MISSILE,),
    "rocket": (MISSILE,),
    "unspecified": (UAV, MISSILE),
}


def part_of_day(value: str | None) -> str | None:
    """The part of day an extraction names, in PARTS_OF_DAY's terms; None if unknown."""
    if not value:
        return None
    key = value.strip().lower()
    key = PART_SYNONYMS.get(key, key)
    return key if key in PARTS_OF_DAY else None


def claimed_window(claimed: date, part: str | None, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The claimed date and part of day as an aware (start, end) in the claimants' zone."""
    start_hour, end_hour = PARTS_OF_DAY.get(part_of_day(part) or "", (0, 24))
    midnight = datetime.combine(claimed, time(0), tzinfo=zone)
    return midnight + timedelta(hours=start_hour), midnight + timedelta(hours=end_hour)


def search_window(
    extraction: Extraction, posted_at: datetime, settings: ScoringSettings
) -> tuple[datetime, datetime, tuple[datetime, datetime] | None]:
    """(start, end, claimed window) to search for alerts; without a date, before the post."""
    return window_of(extraction.claimed_date, extraction.part_of_day, posted_at, settings)


def window_of(
    claimed_date: date | None, part: str | None, posted_at: datetime, settings: ScoringSettings
) -> tuple[datetime, datetime, tuple[datetime, datetime] | None]:
    """`search_window` from the claimed date and part of day alone."""
    if claimed_date is None:
        return posted_at - timedelta(hours=settings.alert_lookback_hours), posted_at, None
    start, end = claimed_window(claimed_date, part, settings.zone)
    return (
        start - timedelta(hours=settings.alert_before_hours),
        end + timedelta(hours=settings.alert_after_hours),
        (start, end),
    )


def alert_kinds(extraction: Extraction) -> tuple[str, ...]:
    """Which alerts the claimed weapons would set off (UAV alerts for drones)."""
    weapons = extraction.weapons or ()
    kinds = {kind for w in weapons for kind in KINDS_BY_WEAPON.get(w.category, (UAV, MISSILE))}
    return tuple(sorted(kinds)) if kinds else (UAV,)


def alert_kind(alert: Alert) -> str | None:
    if is_uav(alert.category, alert.category_desc):
        return UAV
    return MISSILE if alert.category == ROCKETS_AND_MISSILES else None


class AlertIndex:
    """The stored alerts one scoring pass needs, in memory by area and time.

    Thousands of claims each look up a few areas in a few hours; one load beats a query
    per claim. Only alerts of a kind a weapon could set off are kept.
    """

    def __init__(
        self, alerts: Iterable[Alert], span: AlertSpan, coverage: Coverage | None = None
    ) -> None:
        self.span = span
        self.coverage = coverage or Coverage()
        by_area: dict[str, list[Alert]] = {}
        for alert in alerts:
            if alert_kind(alert) is not None:
                by_area.setdefault(alert.area, []).append(alert)
        self._alerts = {area: sorted(rows, key=_when) for area, rows in by_area.items()}
        self._times = {area: [a.time for a in rows] for area, rows in self._alerts.items()}

    @classmethod
    def load(
        cls, alerts: Alerts, start: datetime | None = None, end: datetime | None = None
    ) -> AlertIndex:
        """Alerts from `start` to `end` (default: all), knowing the whole history's extent
        and the periods it covers."""
        span, coverage = alerts.span(), alerts.coverage()
        if span.first is None or span.last is None:
            return cls((), span, coverage)
        return cls(alerts.between(start or span.first, end or span.last), span, coverage)

    def covers(self, start: datetime, end: datetime) -> bool:
        """Whether the stored history is complete from `start` to `end`."""
        return self.coverage.covers(start, end)

    def find(self, areas: Iterable[str], start: datetime, end: datetime) -> list[Alert]:
        """Alerts in `areas` from `start` to `end` inclusive, in time order."""
        found: list[Alert] = []
        for area in areas:
            times = self._times.get(area, [])
            low, high = bisect.bisect_left(times, start), bisect.bisect_right(times, end)
            found.extend(self._alerts.get(area, [])[low:high])
        return sorted(found, key=lambda a: (a.time, a.rid, a.area))


def check_alerts(
    index: AlertIndex, extraction: Extraction, posted_at: datetime, settings: ScoringSettings
) -> AlertCheck:
    """Search the alerts for this claim: the claimed place, time and weapon's alert kind."""
    start, end, claimed = search_window(extraction, posted_at, settings)
    areas = _areas(extraction.targets)
    kinds = alert_kinds(extraction)
    found = tuple(a for a in index.find(areas, start, end) if alert_kind(a) in kinds)
    rate, measured = chance(index, extraction.targets, found, kinds, start, end)
    return AlertCheck(
        start, end, areas, kinds, found, index.covers(start, end), claimed, rate, measured
    )


def chance(
    index: AlertIndex, targets: Sequence[Target], found: Sequence[Alert], kinds: tuple[str, ...],
    start: datetime, end: datetime,
) -> tuple[float | None, tuple[str, ...]]:  # fmt: skip
    """The chance that a false claim meets alerts as telling as `found`, and the areas it
    was measured over: those of every target whose alerts are as rare as those of the
    rarest target that had one. An alert in Eilat is no likelier by chance because the
    claim also named the busy Golan; an alert only in the Golan is as likely as an alert in
    either (measured over both at once, so targets that alert together count once)."""
    if not found:
        return None, ()
    rates: dict[tuple[str, ...], float] = {}
    for areas in dict.fromkeys(_areas((target,)) for target in targets if target.alert_areas):
        rate = base_rate(index, areas, kinds, start, end)
        if rate is None:  # the days before are not covered
            return None, ()
        rates[areas] = rate
    sounded = {alert.area for alert in found}
    rarest = min(rate for areas, rate in rates.items() if sounded & set(areas))
    kept = [areas for areas, rate in rates.items() if rate <= rarest]
    if len(kept) == 1:
        return rates[kept[0]], kept[0]
    measured = tuple(dict.fromkeys(area for areas in kept for area in areas))
    return base_rate(index, measured, kinds, start, end), measured


def base_rate(
    index: AlertIndex, areas: tuple[str, ...], kinds: tuple[str, ...], start: datetime,
    end: datetime,
) -> float | None:  # fmt: skip
    """How often windows as long as this one held such an alert in these areas, over the
    BASE_RATE_DAYS before it: near a busy front (Hezbollah's drones over the Galilee and
    the Golan) a match happens by chance, and proves less. None without the history."""
    span = end - start
    first, windows = base_windows(start, end)
    if not windows or not base_covered(index.coverage, start, end):
        return None
    hit = set()
    for alert in index.find(areas, first, start - timedelta(microseconds=1)):
        if alert_kind(alert) in kinds:
            hit.add(int((alert.time - first) / span))
    return len(hit) / windows


def _areas(targets: Iterable[Target]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(area for target in targets for area in target.alert_areas))


def base_windows(start: datetime, end: datetime) -> tuple[datetime, int]:
    """Where `base_rate` starts counting, and how many windows as long as this one fit."""
    span = end - start
    windows = int(timedelta(days=BASE_RATE_DAYS) / span) if span > timedelta(0) else 0
    # Whole windows only, the last ending where this one starts: a part-window left over
    # would be one window too many, and the rate could pass 100%.
    return start - span * windows, windows


def base_covered(coverage: Coverage, start: datetime, end: datetime) -> bool:
    """Whether the alert history is complete over the days `base_rate` counts before the
    window from `start` to `end`."""
    return coverage.covers(base_windows(start, end)[0], start)


def _when(alert: Alert) -> datetime:
    return alert.time
