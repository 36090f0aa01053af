"""Timing factors: delay to the post, bursts of claims, weekdays that contradict the date."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from claimwatch.phrase import told
from scoring.case import Signal
from scoring.factors import timing
from tests.scoring.cases import POSTED, SETTINGS, alerts_checked, case, claim, other


def only(found: list[Signal], feature: str) -> Signal:
    (signal,) = [s for s in found if s.feature == feature]
    return signal


def features(found: list[Signal], feature: str) -> list[Signal]:
    return [s for s in found if s.feature == feature]


def test_prompt_claim() -> None:
    signal = only(timing.signals(case(), SETTINGS), "delay_prompt")
    assert signal.value == 1.0 and "(prompt)" in told(signal.explanation)


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
    assert "before the claimed time even began" in told(signal.explanation)


def test_no_claimed_date_no_delay_factor() -> None:
    undated = case(claim(claimed_date=None), alerts=alerts_checked(claimed_window=None))
    found = timing.signals(undated, SETTINGS)
    assert not [s for s in found if s.feature.startswith(("delay", "posted_before"))]


def test_burst_of_claims_within_minutes() -> None:
    assert not features(timing.signals(case(burst=(other(2, 3),)), SETTINGS), "burst")
    found = timing.signals(case(burst=(other(2, 3), other(3, 6), other(4, 8))), SETTINGS)
    signal = only(found, "burst")
    assert signal.value == 2.0  # four claims: two beyond the threshold of three, minus one
    assert "One of 4 claims @sabreen posted within 10 minutes" in told(signal.explanation)
    assert len(signal.evidence) == 3


def test_weekday_that_does_not_fit_the_claimed_date() -> None:
    stored = claim(stated_weekday="Friday", claimed_date=date(2024, 11, 2))
    signal = only(timing.signals(case(stored), SETTINGS), "weekday_mismatch")
    expected = "says Friday, but the date it claims, 2024-11-02, was a Saturday"
    assert expected in told(signal.explanation)
    fits = claim(stated_weekday="Saturday", claimed_date=date(2024, 11, 2))
    assert not features(timing.signals(case(fits), SETTINGS), "weekday_mismatch")


def test_evening_named_just_after_midnight_is_not_a_mismatch() -> None:
    # Posted 00:30 on Friday in Baghdad: "this evening, Thursday" dated Friday by "today".
    posted = datetime(2024, 10, 31, 21, 30, tzinfo=UTC)
    stored = claim(posted_at=posted, stated_weekday="Thursday", claimed_date=date(2024, 11, 1))
    assert not features(timing.signals(case(stored), SETTINGS), "weekday_mismatch")


def test_mismatch_read_by_the_extractor_from_the_text() -> None:
    from scoring.extract import extract

    # Posted on Saturday 2 Nov 2024 at 06:30 Baghdad time, says "at dawn today, Friday".
    posted = datetime(2024, 11, 2, 3, 30, tzinfo=UTC)
    text = (
        "بسم الله الرحمن الرحيم\nاستهدف مجاهدو المقاومة الإسلامية في العراق، فجر اليوم "
        "الجمعة، هدفاً حيوياً في إيلات، بواسطة الطيران المسيّر."
    )
    extracted = extract(text, posted)
    stored = claim(text=text, posted_at=posted, **_fields(extracted))
    signal = only(timing.signals(case(stored), SETTINGS), "weekday_mismatch")
    assert "says Friday" in told(signal.explanation) and "was a Saturday" in told(
        signal.explanation
    )


def _fields(extracted: object) -> dict[str, Any]:
    names = ("claimed_date", "part_of_day", "stated_weekday", "targets", "weapons")
    return {name: getattr(extracted, name) for name in names}
