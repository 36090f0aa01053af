"""A channel's track record: how its other claims held up, as a Beta distribution.

Start from Beta(prior_alpha, prior_beta) and add, for each other claim of the channel,
1 to alpha for an analyst's "confirmed" and 1 to beta for "false", plus a partial credit
(corroboration_credit) to alpha when an alert corroborated it (a match not likely to be
chance) and to beta when an analyst confirmed its footage recycled, and a small debit
(missing_alert_debit) to beta when alerts were checked and none was found (weak evidence,
as in the claim's own score: without it, an active channel would only ever gain). The
claim being scored never counts towards its own record, so a verdict on a claim cannot
leak into its own score twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import astuple, dataclass
from typing import Any

from config.settings import ScoringSettings
from scoring.case import TrackRecord


@dataclass(frozen=True)
class Outcome:
    """What is known about how one claim turned out."""

    judged: bool | None = None
    corroborated: bool = False
    recycled: bool = False
    checked: bool = False

    def as_inputs(self) -> dict[str, Any]:
        return {
            "corroborated": self.corroborated,
            "recycled": self.recycled,
            "checked": self.checked,
        }


def outcome_from_inputs(inputs: Mapping[str, Any], judged: bool | None) -> Outcome:
    """The outcome recorded in a stored score's inputs, with the claim's current verdict."""
    return recorded_outcome(inputs.get("outcome") or {}, judged)


def recorded_outcome(recorded: Mapping[str, Any], judged: bool | None) -> Outcome:
    """The outcome a stored score recorded (its inputs' "outcome"), with the verdict."""
    return Outcome(
        judged,
        bool(recorded.get("corroborated")),
        bool(recorded.get("recycled")),
        bool(recorded.get("checked")),
    )


@dataclass(frozen=True)
class Tally:
    """Outcome counts over a channel's claims."""

    confirmed: int = 0
    false: int = 0
    corroborated: int = 0
    uncorroborated: int = 0
    recycled: int = 0

    def __sub__(self, other: Tally) -> Tally:
        return Tally(*(a - b for a, b in zip(astuple(self), astuple(other), strict=True)))


def tally(outcomes: Iterable[Outcome]) -> Tally:
    counts = [0, 0, 0, 0, 0]
    for o in outcomes:
        counts[0] += o.judged is True
        counts[1] += o.judged is False
        counts[2] += o.corroborated
        counts[3] += o.checked and not o.corroborated
        counts[4] += o.recycled
    return Tally(*counts)


def track_record(
    channel: str,
    outcomes: Tally | Mapping[int, Outcome],
    own: Outcome | None = None,
    settings: ScoringSettings | None = None,
    exclude: int | None = None,
) -> TrackRecord:
    """The record of `channel` from its claims' outcomes, leaving out the claim scored.

    `outcomes` is either the tally of all the channel's claims, less `own` (what the
    scorer uses: one tally per channel), or the outcomes by claim id, less `exclude`.
    """
    if settings is None:
        raise TypeError("track_record needs the scoring settings")
    if isinstance(outcomes, Tally):
        others = outcomes - tally([own]) if own is not None else outcomes
    else:
        others = tally(o for claim_id, o in outcomes.items() if claim_id != exclude)
    return TrackRecord(
        channel=channel,
        prior_alpha=settings.prior_alpha,
        prior_beta=settings.prior_beta,
        confirmed=others.confirmed,
        false=others.false,
        corroborated=others.corroborated,
        uncorroborated=others.uncorroborated,
        recycled=others.recycled,
        credit=settings.corroboration_credit,
        debit=settings.missing_alert_debit,
        max_shift=settings.track_max_shift,
    )
