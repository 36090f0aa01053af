"""Calibration: the logistic fit, its pull towards configured weights, Brier and reliability."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import numpy as np
import pytest

import config
from claimwatch.errors import InputError
from scoring import decisions
from scoring.calibrate import FITTED, brier, calibrate, fit, predict, reliability
from scoring.pipeline import score_claims
from storage import Store
from storage.records import Verdict
from tests.scoring.helpers import add_post
from tests.scoring.test_pipeline import CLAIM, POSTED, alerts, history_bounds


def synthetic(n: int, true: np.ndarray, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = np.column_stack([np.ones(n), rng.integers(0, 2, (n, len(true) - 1))]).astype(float)
    y = (rng.random(n) < predict(x, true)).astype(float)
    return x, y


def test_fit_recovers_the_weights_that_made_the_data() -> None:
    true = np.array([-0.5, 2.0, -1.5, 0.0])
    x, y = synthetic(4000, true)
    fitted = fit(x, y, prior=np.zeros(4), l2=0.01)
    assert np.allclose(fitted, true, atol=0.25)


def test_a_strong_prior_keeps_the_configured_weights() -> None:
    x, y = synthetic(100, np.array([0.0, 3.0, 0.0, 0.0]))
    prior = np.array([0.0, 0.5, 0.0, 0.0])
    assert np.allclose(fit(x, y, prior, l2=1e6), prior, atol=0.01)
    assert fit(x, y, prior, l2=1.0)[1] > 1.5


def test_brier_and_reliability() -> None:
    y = np.array([1.0, 0.0, 1.0, 0.0])
    assert brier(y, y) == 0.0 and brier(np.full(4, 0.5), y) == 0.25
    p = np.array([0.9, 0.1, 0.85, 0.3])
    bands = reliability(p, y)
    top = bands[-1]
    assert (top.claims, round(top.predicted, 3), top.observed) == (2, 0.875, 1.0)
    assert sum(b.claims for b in bands) == 4


def test_not_enough_labels_says_how_many(store: Store) -> None:
    add_post(store, 1, POSTED, CLAIM)
    score_claims(store, config.Settings())
    (claim,) = store.claims.list()
    store.verdicts.add(Verdict("claim", claim.id, "lina", decisions.CONFIRMED, "", POSTED))
    with pytest.raises(InputError, match=r"1 have a verdict \(1 confirmed, 0 false\)"):
        calibrate(store, config.Settings())


def test_calibrate_from_verdicts_learns_that_missing_alerts_matter(store: Store) -> None:
    settings = config.Settings()
    settings = dataclasses.replace(
        settings, scoring=dataclasses.replace(settings.scoring, calibrate_min_labels=20)
    )
    history_bounds(store)
    for i in range(24):
        posted = POSTED + timedelta(days=2 * i)
        add_post(store, i + 1, posted, CLAIM.replace("الأحد", "اليوم"))
        if i % 2 == 0:  # the confirmed half met an alert at dawn; the false half did not
            alerts(store, posted - timedelta(hours=1), rid=50000 + i)
    score_claims(store, settings)
    for claim in store.claims.list():
        alerted = claim.score is not None and claim.score.inputs["outcome"]["corroborated"]
        decision = decisions.CONFIRMED if alerted else decisions.FALSE
        store.verdicts.add(Verdict("claim", claim.id, "lina", decision, "", POSTED))
    report = calibrate(store, settings)
    assert (report.labelled, report.confirmed, report.false) == (24, 12, 12)
    assert report.weights.alert_missing < settings.scoring.weights.alert_missing
    assert report.brier_refit_in_sample < report.brier_current
    assert report.weights.analyst_contradicted == settings.scoring.weights.analyst_contradicted
    assert "[scoring.weights]" in report.toml() and "alert_missing = " in report.toml()
    assert "analyst_corroborated" not in FITTED
