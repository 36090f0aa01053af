"""A channel's track record: how its other claims held up, as a Beta distribution.

Start from Beta(prior_alpha, prior_beta) and add, for each other claim of the channel,
1 to alpha for an analyst's "confirmed" and 1 to beta for "false", plus a partial credit
(corroboration_credit) to alpha when a UAV alert corroborated it and to beta when an
analyst confirmed its footage recycled. The claim being scored never counts towards its
own record, so a verdict on a claim cannot leak into its own score twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from config.settings import ScoringSettings
from scoring.case import TrackRecord


@dataclass(frozen=True)
class Outcome:
    """What is known about how one claim turned out."""

    judged: bool | None = None
    corroborated: bool = False
    recycled: bool = False

    def as_inputs(self) -> dict[str, Any]:
        return {"corroborated": self.corroborated, "recycled": self.recycled}


def outcome_from_inputs(inputs: Mapping[str, Any], judged: bool | None) -> Outcome:
    """The outcome recorded in a stored score's inputs, with the claim's current verdict."""
    recorded = inputs.get("outcome") or {}
    return Outcome(judged, bool(recorded.get("corroborated")), bool(recorded.get("recycled")))


def track_record(
    channel: str,
    outcomes: Mapping[int, Outcome],
    exclude: int,
    settings: ScoringSettings,
) -> TrackRecord:
    """The record of `channel` from its claims' outcomes, leaving out claim `exclude`."""
    others = [outcome for claim_id, outcome in outcomes.items() if claim_id != exclude]
    return TrackRecord(
        channel=channel,
        prior_alpha=settings.prior_alpha,
        prior_beta=settings.prior_beta,
        confirmed=_count(o.judged is True for o in others),
        false=_count(o.judged is False for o in others),
        corroborated=_count(o.corroborated for o in others),
        recycled=_count(o.recycled for o in others),
        credit=settings.corroboration_credit,
    )


def _count(flags: Iterable[bool]) -> int:
    return sum(1 for flag in flags if flag)
