"""Claim counts per day and week, and change points in the daily rate."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from scoring.changepoint import change_points
from scoring.counts import counts, daily_series, rate_changes
from storage.records import StoredClaim
from tests.scoring.cases import claim


def at(day: date, hour: int = 9, **changes: object) -> StoredClaim:
    when = datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
    text = str(changes.pop("text", f"claim {when.isoformat()} {changes}"))
    return claim(text=text, posted_at=when, **changes)  # type: ignore[arg-type]


def test_weekly_counts_per_group_and_channel() -> None:
    tue = date(2024, 10, 29)
    claims = [
        at(tue), at(tue + timedelta(days=1)), at(tue + timedelta(days=6)),
        at(tue + timedelta(days=7)),
        at(tue, text="same text", channel="mirror"), at(tue, 10, text="same text"),
    ]  # fmt: skip
    by_group = counts(claims, "week", "group", week_start=1)  # weeks from Tuesday
    assert [(c.start, c.claims) for c in by_group] == [(tue, 4), (tue + timedelta(days=7), 1)]
    by_channel = counts(claims, "week", "channel", week_start=1)
    assert [(c.start, c.key, c.claims) for c in by_channel] == [
        (tue, "@mirror", 1), (tue, "@sabreen", 4), (tue + timedelta(days=7), "@sabreen", 1)
    ]  # fmt: skip
    monday_weeks = counts(claims, "week", "group")
    assert [c.start for c in monday_weeks] == [date(2024, 10, 28), date(2024, 11, 4)]


def test_days_are_baghdad_days() -> None:
    late = claim(posted_at=datetime(2024, 10, 29, 22, 30, tzinfo=UTC))  # 01:30 on the 30th
    assert [c.start for c in counts([late], "day")] == [date(2024, 10, 30)]
    assert daily_series([late], date(2024, 10, 29), date(2024, 10, 31)) == [0, 1, 0]


def test_a_claim_reposted_across_utc_midnight_counts_once_for_its_group() -> None:
    # 02:50 and 03:10 on 30 Oct in Baghdad: one claim, on one Baghdad day, by two channels.
    first = claim(text="same text", posted_at=datetime(2024, 10, 29, 23, 50, tzinfo=UTC))
    mirror = claim(
        text="same text", channel="mirror", posted_at=datetime(2024, 10, 30, 0, 10, tzinfo=UTC)
    )
    assert [(c.start, c.claims) for c in counts([first, mirror], "day")] == [
        (date(2024, 10, 30), 1)
    ]


def poisson(rng: random.Random, rate: float) -> int:
    count, total = 0, rng.expovariate(rate)
    while total < 1:
        count, total = count + 1, total + rng.expovariate(rate)
    return count


def test_collapse_is_found_with_rates_before_and_after() -> None:
    rng = random.Random(4)
    series = [poisson(rng, 6.0) for _ in range(40)] + [poisson(rng, 0.5) for _ in range(30)]
    (point,) = change_points(series, date(2024, 10, 9))
    assert abs((point.day - date(2024, 11, 18)).days) <= 1
    assert 5 < point.before < 7 and point.after < 1
    assert "fell from" in point.describe() and "claims a day" in point.describe()


def test_steady_series_has_no_change_point() -> None:
    for seed in range(5):
        rng = random.Random(seed)
        assert change_points([poisson(rng, 3.0) for _ in range(90)], date(2024, 1, 1)) == []


def test_rise_then_fall() -> None:
    series = [1] * 20 + [8] * 15 + [0] * 20
    points = change_points(series, date(2024, 1, 1))
    assert [(p.day, p.before, p.after) for p in points] == [
        (date(2024, 1, 21), 1.0, 8.0), (date(2024, 2, 5), 8.0, 0.0)
    ]  # fmt: skip


def test_short_or_bad_series() -> None:
    assert change_points([5, 0, 5], date(2024, 1, 1)) == []
    with pytest.raises(ValueError, match="negative"):
        change_points([1, -1], date(2024, 1, 1))


def test_rate_changes_per_group_from_claims() -> None:
    start = date(2024, 10, 1)
    claims = [at(start + timedelta(days=d), hour=h) for d in range(30) for h in range(0, 12, 2)] + [
        at(start + timedelta(days=d)) for d in range(30, 50, 5)
    ]
    (change,) = rate_changes(claims)
    assert change.key == "Islamic Resistance in Iraq"
    assert change.point.day == date(2024, 10, 31)
    assert change.describe().startswith(
        "Islamic Resistance in Iraq: from 2024-10-31 the daily rate fell from 6.0"
    )
