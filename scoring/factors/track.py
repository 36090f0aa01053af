"""The channel's track record as a factor: how its other claims held up."""

from __future__ import annotations

from config.settings import ScoringSettings
from scoring.case import ClaimCase, Signal, TrackRecord
from storage.records import mentioned


def value(record: TrackRecord) -> float:
    """The factor's value: the record's shift, or 0 while nothing is known of the channel."""
    known = record.confirmed + record.false + record.corroborated + record.uncorroborated
    return record.shift if known or record.recycled else 0.0


def signals(case: ClaimCase, settings: ScoringSettings) -> list[Signal]:
    record = case.track
    judged = record.confirmed + record.false
    parts = []
    if judged:
        parts.append(f"{record.confirmed} of {judged} reviewed claims confirmed")
    checked = record.corroborated + record.uncorroborated
    if checked:
        parts.append(f"{record.corroborated} of {checked} checked against alerts corroborated")
    if record.recycled:
        parts.append(f"{record.recycled} with footage confirmed recycled")
    if not parts:
        return [
            Signal(
                "track_record",
                0.0,
                (*mentioned(record.channel), " has no reviewed or corroborated claims yet."),
            )
        ]
    return [
        Signal(
            "track_record",
            value(record),
            (
                *mentioned(record.channel),
                f": {', '.join(parts)} (estimated {record.mean:.0%} reliable vs "
                f"{record.prior_mean:.0%} for an unknown channel).",
            ),
        )
    ]
