"""The score's factor families, one module each; every family turns a case into signals.

A family is a function `signals(case, settings) -> list[Signal]`; the model weights each
signal's feature (config [scoring.weights]) to get the factor's share of the score. The
track record family (`track`) runs last, once the channel's other claims are known.
"""

from __future__ import annotations

from collections.abc import Callable

from config.settings import ScoringSettings
from scoring.case import ClaimCase, Signal
from scoring.factors import corroboration, media, provenance, specificity, timing, track

Family = Callable[[ClaimCase, ScoringSettings], list[Signal]]

EVIDENCE_FAMILIES: tuple[tuple[str, Family], ...] = (
    ("media", media.signals),
    ("specificity", specificity.signals),
    ("corroboration", corroboration.signals),
    ("timing", timing.signals),
    ("provenance", provenance.signals),
)

__all__ = ["EVIDENCE_FAMILIES", "evidence_signals", "track"]


def evidence_signals(case: ClaimCase, settings: ScoringSettings) -> list[Signal]:
    """Every family's signals for one claim except the track record, in family order."""
    return [signal for _, family in EVIDENCE_FAMILIES for signal in family(case, settings)]
