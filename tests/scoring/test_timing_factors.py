"""Timing factors: delay to the post, bursts of claims, weekdays that contradict the date."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from scoring.case import Signal
from scoring.factors import timing
from scoring.textdates import stated
from tests.scoring.cases import POSTED, SETTINGS, alerts_checked, case, claim, other


def only(found: list[Signal], feature: str) -> Signal:
    (signal,) = [s for s in found if s.feature == feature]
    return signal


def features(found: list[Signal], feature: str) -> list[Signal]:
    return [s for s in found if s.feature == feature]


def test_prompt_claim() -> None:
    signal = only(timing.signals(case(), SETTINGS), "delay_prompt")
    assert signal.value == 1.0 and "(prompt)" in signal.explanation


def test_late_claim_grows_with_each_doubling() -> None:
    values = []
    for days in (1.5, 3, 9):
        late = claim(posted_at=POSTED + timedelta(days=days))
        values.append(only(timing.signals(case(late), SETTINGS), "delay_late").value)
    assert values[0] < values[1] < values[2] <= 4.0
    assert values[1] > 2  # about 3 days after the window closed: more than two doublings of 24 h


def test_posted_before_the_claimed_time() -> None:
    early = claim(posted_at=POSTED - timedelta(days=1))
    signal = only(timing.signals(case(early), SETTINGS), "posted_before_claimed")
    assert "before the claimed time even began" in signal.explanation


def test_no_claimed_date_no_delay_factor() -> None:
    undated = case(claim(claimed_date=None), alerts=alerts_checked(claimed_window=None))
    found = timing.signals(undated, SETTINGS)
    assert not [s for s in found if s.feature.startswith(("delay", "posted_before"))]


def test_burst_of_claims_within_minutes() -> None:
    assert not features(timing.signals(case(burst=(other(2, 3),)), SETTINGS), "burst")
    found = timing.signals(case(burst=(other(2, 3), other(3, 6), other(4, 8))), SETTINGS)
    signal = only(found, "burst")
    assert signal.value == 2.0  # four claims: two beyond the threshold of three, minus one
    assert "One of 4 claims @sabreen posted within 10 minutes" in signal.explanation
    assert len(signal.evidence) == 3


def test_weekday_against_the_post_day() -> None:
    # Posted on Saturday 2 Nov 2024 at 06:30 Baghdad time, says "at dawn today, Friday".
    posted = datetime(2024, 11, 2, 3, 30, tzinfo=UTC)
    text = "استهدف مجاهدو المقاومة الإسلامية، فجر اليوم الجمعة، هدفاً حيوياً في إيلات"
    stored = claim(text=text, posted_at=posted, claimed_date=date(2024, 11, 1))
    signal = only(timing.signals(case(stored), SETTINGS), "weekday_mismatch")
    expected = "says Friday, but 2024-11-02 (the day it was posted) was a Saturday"
    assert expected in signal.explanation
    # The same text posted on Friday is consistent.
    fine = claim(text=text, posted_at=posted - timedelta(days=1), claimed_date=date(2024, 11, 1))
    assert not features(timing.signals(case(fine), SETTINGS), "weekday_mismatch")


def test_weekday_against_an_explicit_date_with_hijri_ignored() -> None:
    text = "يوم الأربعاء ٢٧-٤-١٤٤٦ هـ الموافق 31-10-2024 م استهدف مجاهدونا"
    said = stated(text)
    assert said.weekdays == (2,) and said.dates == (date(2024, 10, 31),)
    signal = only(timing.signals(case(claim(text=text)), SETTINGS), "weekday_mismatch")
    assert "but 2024-10-31 (the date it gives) was a Thursday" in signal.explanation
    right = "يوم الخميس 2024/10/31 استهدف مجاهدونا"
    assert not features(timing.signals(case(claim(text=right)), SETTINGS), "weekday_mismatch")


def test_weekday_needs_a_time_word() -> None:
    # "الاحد" alone can mean "the one": no time word, no weekday.
    assert stated("استهدفنا الأحد المواقع").weekdays == ()
    assert stated("at dawn on Sunday").weekdays == (6,)


def test_weekday_against_the_claimed_date() -> None:
    text = "استهدف مجاهدونا مساء الثلاثاء هدفاً"
    stored = claim(text=text, claimed_date=date(2024, 9, 29))  # a Sunday
    signal = only(timing.signals(case(stored), SETTINGS), "weekday_mismatch")
    assert "(the claimed date) was a Sunday" in signal.explanation
