"""Timing factors: the delay from the claimed time to the post, bursts, weekday mismatches.

A prompt claim (posted within prompt_hours) is what a real operation's media wing does; a
claim days late, or one posted before the claimed time even began, is not. Many claims
from one channel within minutes suggest a tally being padded. A weekday that does not
fall on the claimed date ("at dawn today, Friday" posted on a Saturday, or "Wednesday
31-10-2024", a Thursday) is a careless or prepared template; the extractor keeps the
weekday as written so this shows.
"""

from __future__ import annotations

import math
from datetime import timedelta

from config.settings import ScoringSettings
from scoring.case import ClaimCase, Signal
from scoring.dates import AFTER_MIDNIGHT_HOURS, WEEKDAY_NAMES
from storage.records import mentioned

LATE_CAP = 4.0
BURST_CAP = 5.0


def signals(case: ClaimCase, settings: ScoringSettings) -> list[Signal]:
    return [*_delay(case, settings), *_burst(case, settings), *_weekday(case, settings)]


def _delay(case: ClaimCase, settings: ScoringSettings) -> list[Signal]:
    window = case.alerts.claimed_window
    if window is None:
        return []
    start, end = window
    posted = case.claim.posted_at
    if posted < start - timedelta(hours=1):
        hours = (start - posted).total_seconds() / 3600
        return [
            Signal(
                "posted_before_claimed",
                1.0,
                (f"Posted {hours:.0f} h before the claimed time even began.",),
            )
        ]
    hours = max(0.0, (posted - end).total_seconds() / 3600)
    if hours <= settings.prompt_hours:
        return [Signal("delay_prompt", 1.0, (_delay_text(hours) + " (prompt).",))]
    if hours < settings.late_hours:
        return [Signal("delay_late", 0.0, (_delay_text(hours) + ".",))]
    doublings = min(1 + math.log2(hours / settings.late_hours), LATE_CAP)
    return [Signal("delay_late", round(doublings, 2), (_delay_text(hours) + " (late).",))]


def _delay_text(hours: float) -> str:
    if hours < 1:
        return "Posted within the claimed time window"
    if hours < 48:
        return f"Posted {hours:.0f} h after the claimed time window"
    return f"Posted {hours / 24:.1f} days after the claimed time window"


def _burst(case: ClaimCase, settings: ScoringSettings) -> list[Signal]:
    count = len(case.burst) + 1
    if count < settings.burst_min_claims:
        return []
    value = min(count - settings.burst_min_claims + 1, BURST_CAP)
    return [
        Signal(
            "burst",
            float(value),
            (
                f"One of {count} claims ",
                *mentioned(case.claim.channel),
                f" posted within {settings.burst_minutes:.0f} minutes of each other.",
            ),
            tuple(other.evidence() for other in case.burst[:6]),
        )
    ]


def _weekday(case: ClaimCase, settings: ScoringSettings) -> list[Signal]:
    extraction = case.claim.extraction
    stated, claimed = extraction.stated_weekday, extraction.claimed_date
    if stated not in WEEKDAY_NAMES or claimed is None or WEEKDAY_NAMES[claimed.weekday()] == stated:
        return []
    local = case.claim.posted_at.astimezone(settings.zone)
    just_after_midnight = local.hour < AFTER_MIDNIGHT_HOURS and claimed == local.date()
    if just_after_midnight and WEEKDAY_NAMES[(claimed - timedelta(days=1)).weekday()] == stated:
        return []  # "this evening, Thursday" posted at 00:30 on Friday
    return [
        Signal(
            "weekday_mismatch",
            1.0,
            (
                f"The text says {stated}, but the date it claims, {claimed:%Y-%m-%d}, was a "
                f"{WEEKDAY_NAMES[claimed.weekday()]}.",
            ),
        )
    ]
