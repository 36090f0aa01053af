"""The channel's track record as a factor: how its other claims held up."""

from __future__ import annotations

from config.settings import ScoringSettings
from scoring.case import ClaimCase, Signal
from storage.records import mention


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
                f"{mention(record.channel)} has no reviewed or corroborated claims yet.",
            )
        ]
    return [
        Signal(
            "track_record",
            record.shift,
            f"{mention(record.channel)}: {', '.join(parts)} (estimated {record.mean:.0%} reliable "
            f"vs {record.prior_mean:.0%} for an unknown channel).",
        )
    ]
