"""The score: a logistic model over the factors' signals, explainable term by term.

log-odds = bias + sum(weight[feature] * value); score = 100 * sigmoid(log-odds). Each
factor shows its own term (weight x value), so the reasons add up to the score. The label
follows fixed cut-offs, except that "corroborated" also needs independent support (an alert
match not likely to be chance, or an analyst's corroborating evidence): a high score built
only from plausibility stays "plausible".

MODEL_VERSION names the formula; the weights and cut-offs in force are hashed into each
score's model version, so a change of configuration shows in the score history.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from config.settings import ScoringSettings, ScoringWeights
from scoring.case import Signal
from scoring.corroboration import CHANCE_LIKELY
from storage.records import Factor, FactorDirection, Score, ScoreLabel
from storage.timeutil import utcnow

MODEL_VERSION = "score-7"
FEATURES: tuple[str, ...] = tuple(
    f.name for f in dataclasses.fields(ScoringWeights) if f.name != "bias"
)
CHANNEL_FACTOR = "track_record"
INDEPENDENT_SUPPORT = frozenset({"alert_match", "analyst_corroborated"})


def weights_of(settings: ScoringSettings) -> dict[str, float]:
    return dict(_weights(settings.weights))


@cache
def _weights(weights: ScoringWeights) -> tuple[tuple[str, float], ...]:
    return tuple((f.name, getattr(weights, f.name)) for f in dataclasses.fields(weights))


@cache
def model_version(settings: ScoringSettings) -> str:
    """MODEL_VERSION plus a short hash of every setting that changes a score."""
    config = {
        key: value
        for key, value in dataclasses.asdict(settings).items()
        if not key.startswith("calibrate_")
    }
    digest = hashlib.sha256(json.dumps(config, sort_keys=True, default=str).encode())
    return f"{MODEL_VERSION}+{digest.hexdigest()[:8]}"


def factors_of(signals: Sequence[Signal], weights: Mapping[str, float]) -> tuple[Factor, ...]:
    """Each signal weighted: its term in the log-odds, with a direction."""
    return tuple(
        Factor(
            name=signal.feature,
            direction=_direction(term),
            weight=term,
            explanation=signal.explanation,
            evidence=signal.evidence,
        )
        for signal in signals
        for term in (round(weights[signal.feature] * signal.value, 2) + 0.0,)  # no -0.0
    )


def combine(
    claim_id: int,
    signals: Sequence[Signal],
    settings: ScoringSettings,
    inputs: Mapping[str, Any],
) -> Score:
    """The score of one claim from its signals."""
    weights = weights_of(settings)
    factors = factors_of(signals, weights)
    logit = weights["bias"] + sum(f.weight for f in factors)
    value = round(100 * sigmoid(logit), 1)
    return Score(
        claim_id=claim_id,
        value=value,
        label=label_for(value, signals, settings),
        factors=factors,
        model_version=model_version(settings),
        inputs=dict(inputs),
        computed_at=utcnow(),
    )


def independent(signal: Signal) -> bool:
    """Whether a signal is independent support: an analyst's corroborating evidence, or an
    alert match that is not likely chance (alerts sound there in under CHANCE_LIKELY of
    windows; the match's value is one less that share)."""
    if signal.feature == "alert_match":
        return signal.value > 1 - CHANCE_LIKELY
    return signal.feature in INDEPENDENT_SUPPORT and signal.value > 0


def label_for(value: float, signals: Sequence[Signal], settings: ScoringSettings) -> ScoreLabel:
    weights = weights_of(settings)
    supported = any(independent(s) and weights[s.feature] > 0 for s in signals)
    if value >= settings.corroborated_at and supported:
        return "corroborated"
    if value >= settings.plausible_at:
        return "plausible"
    if value >= settings.unverified_at:
        return "unverified"
    if value >= settings.doubtful_at:
        return "doubtful"
    return "likely false"


def top_reasons(score: Score, count: int = 2) -> list[Factor]:
    """The factors about the claim itself that moved the score most, strongest first.

    The channel's track record is the same for all its claims, so it comes last: a reason
    is most useful when it says something about this claim.
    """
    weighty = [f for f in score.factors if f.weight != 0]
    return sorted(weighty, key=lambda f: (f.name == CHANNEL_FACTOR, -abs(f.weight)))[:count]


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1 / (1 + math.exp(-x))
    z = math.exp(x)
    return z / (1 + z)


def _direction(term: float) -> FactorDirection:
    return "supports" if term > 0 else "undermines" if term < 0 else "neutral"
