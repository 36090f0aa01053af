"""Refit the score's weights from analysts' verdicts, and report how well calibrated it is.

The labels are claims an analyst judged "confirmed" (1) or "false" (0). The fit is a
logistic regression (Newton's method in numpy) with a Gaussian prior centred on the
configured weights: with few labels the weights barely move, with many the data decide.
The analyst-evidence features are left out of the fit (they come from the same analysts'
verdicts, so they would leak the label) and keep their configured weights.

Calibration is reported as the Brier score (mean squared error of the predicted
probability; 0 is perfect, 0.25 is a coin flip) of the current weights and of the refit
weights, the latter cross-validated so it is not flattered by fitting and testing on the
same claims, and as a reliability table: within each band of predicted probability, how
often claims were confirmed.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

import config
from claimwatch.errors import InputError
from config.settings import ScoringSettings, ScoringWeights
from scoring import decisions
from scoring.gather import load_run
from scoring.model import FEATURES
from scoring.scorer import Evaluation, evaluate
from storage import Store

LEAKING = frozenset({"analyst_corroborated", "analyst_contradicted"})
FITTED = tuple(f for f in FEATURES if f not in LEAKING)
BANDS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
FOLDS = 5


@dataclass(frozen=True)
class Band:
    """Claims whose predicted probability fell in [low, high)."""

    low: float
    high: float
    claims: int
    predicted: float
    observed: float


@dataclass(frozen=True)
class CalibrationReport:
    labelled: int
    confirmed: int
    false: int
    brier_current: float
    brier_refit: float
    brier_refit_in_sample: float
    reliability: tuple[Band, ...]
    weights: ScoringWeights

    def toml(self) -> str:
        """The refit weights as a [scoring.weights] table to paste into the settings file."""
        lines = ["[scoring.weights]"]
        lines += [f"{k} = {v:.3f}" for k, v in dataclasses.asdict(self.weights).items()]
        return "\n".join(lines) + "\n"


def calibrate(store: Store, settings: config.Settings) -> CalibrationReport:
    """Refit the weights from every claim with a confirmed or false verdict."""
    scoring = settings.scoring
    judgements = store.claims.verdicts([c.id for c in store.claims.list()])
    labels = {claim_id: decisions.judgement(v) for claim_id, v in judgements.items()}
    run = load_run(store, scoring, {i for i, label in labels.items() if label is not None})
    judged = [c for c in run.claims if labels.get(c.id) is not None]
    _check_enough([bool(labels[c.id]) for c in judged], scoring)
    evaluations = evaluate(run, judged)
    x = design(evaluations)
    y = np.array([1.0 if labels[e.case.claim.id] else 0.0 for e in evaluations])
    prior = _prior(scoring.weights)
    fitted = fit(x, y, prior, scoring.calibrate_l2)
    cross = _cross_validated(x, y, prior, scoring.calibrate_l2)
    return CalibrationReport(
        labelled=len(y), confirmed=int(y.sum()), false=int(len(y) - y.sum()),
        brier_current=brier(predict(x, prior), y), brier_refit=brier(cross, y),
        brier_refit_in_sample=brier(predict(x, fitted), y),
        reliability=reliability(cross, y), weights=_weights(fitted, scoring.weights),
    )  # fmt: skip


def _check_enough(labels: Sequence[bool], settings: ScoringSettings) -> None:
    confirmed = sum(labels)
    false = len(labels) - confirmed
    least = min(confirmed, false)
    if len(labels) < settings.calibrate_min_labels or least < settings.calibrate_min_per_class:
        raise InputError(
            f"not enough reviewed claims to calibrate: {len(labels)} have a verdict "
            f"({confirmed} confirmed, {false} false); calibration needs at least "
            f"{settings.calibrate_min_labels}, with at least "
            f"{settings.calibrate_min_per_class} of each (scoring.calibrate_min_labels, "
            "scoring.calibrate_min_per_class)"
        )


def design(evaluations: Sequence[Evaluation]) -> np.ndarray:
    """One row per claim: 1 (the bias) then each fitted feature's summed signal value."""
    rows = np.zeros((len(evaluations), len(FITTED) + 1))
    rows[:, 0] = 1.0
    column = {feature: i + 1 for i, feature in enumerate(FITTED)}
    for r, evaluation in enumerate(evaluations):
        for signal in evaluation.signals:
            if signal.feature in column:
                rows[r, column[signal.feature]] += signal.value
    return rows


def fit(x: np.ndarray, y: np.ndarray, prior: np.ndarray, l2: float, steps: int = 50) -> np.ndarray:
    """MAP logistic regression: log-loss plus (l2 / 2) * |w - prior|^2, by Newton's method."""
    w = prior.copy()
    for _ in range(steps):
        p = predict(x, w)
        gradient = x.T @ (p - y) + l2 * (w - prior)
        hessian = (x.T * (p * (1 - p))) @ x + l2 * np.eye(len(w))
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return w


def predict(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))


def brier(p: np.ndarray, y: np.ndarray) -> float:
    return round(float(np.mean((p - y) ** 2)), 4)


def reliability(p: np.ndarray, y: np.ndarray) -> tuple[Band, ...]:
    bands = []
    for low, high in itertools.pairwise(BANDS):
        inside = (p >= low) & ((p < high) if high < 1 else (p <= high))
        n = int(inside.sum())
        bands.append(Band(low, high, n, float(p[inside].mean()) if n else 0.0,
                          float(y[inside].mean()) if n else 0.0))  # fmt: skip
    return tuple(bands)


def _cross_validated(x: np.ndarray, y: np.ndarray, prior: np.ndarray, l2: float) -> np.ndarray:
    """Each claim's probability from weights fitted without its fold."""
    folds = np.arange(len(y)) % FOLDS
    out = np.zeros(len(y))
    for k in range(FOLDS):
        test = folds == k
        if test.any():
            out[test] = predict(x[test], fit(x[~test], y[~test], prior, l2))
    return out


def _prior(weights: ScoringWeights) -> np.ndarray:
    values = dataclasses.asdict(weights)
    return np.array([values["bias"], *(values[f] for f in FITTED)], dtype=float)


def _weights(w: np.ndarray, current: ScoringWeights) -> ScoringWeights:
    names = ("bias", *FITTED)
    return dataclasses.replace(
        current, **{n: round(float(v), 3) for n, v in zip(names, w, strict=True)}
    )
