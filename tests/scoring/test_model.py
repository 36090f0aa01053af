"""The model: terms add up to the score, labels follow cut-offs, versions track the weights."""

from __future__ import annotations

import dataclasses

from config.settings import ScoringSettings, ScoringWeights
from scoring.case import Signal
from scoring.model import FEATURES, combine, label_for, model_version, sigmoid, top_reasons

SETTINGS = ScoringSettings()


def test_every_weight_is_a_feature() -> None:
    names = {f.name for f in dataclasses.fields(ScoringWeights)}
    assert set(FEATURES) == names - {"bias"}


def test_terms_add_up_to_the_score() -> None:
    signals = [
        Signal("target_named", 1.0, ("named",)),
        Signal("media_recycled", 1.0, ("recycled",)),
        Signal("alert_missing", 0.0, ("not checked",)),
    ]
    score = combine(3, signals, SETTINGS, {"x": 1})
    terms = [(f.name, f.direction, f.weight) for f in score.factors]
    assert terms == [
        ("target_named", "supports", 0.4),
        ("media_recycled", "undermines", -1.5),
        ("alert_missing", "neutral", 0.0),
    ]
    assert str(score.factors[2].weight) == "0.0"  # shown as +0.00, never -0.00
    assert score.value == round(100 * sigmoid(0.4 - 1.5), 1) == 25.0
    assert score.label == "doubtful"
    assert score.inputs == {"x": 1} and score.claim_id == 3
    assert [f.name for f in top_reasons(score)] == ["media_recycled", "target_named"]
    with_channel = combine(
        3, [*signals, Signal("track_record", 1.5, ("good channel",))], SETTINGS, {}
    )
    assert [f.name for f in top_reasons(with_channel, 3)] == [
        "media_recycled", "target_named", "track_record"
    ]  # fmt: skip


def test_corroborated_needs_independent_support() -> None:
    plausible_only = [Signal("target_named", 1.0, ("",)), Signal("track_record", 1.5, ("",))]
    assert combine(1, plausible_only, SETTINGS, {}).label == "plausible"
    supported = [Signal("target_named", 1.0, ("",)), Signal("alert_match", 1.0, ("",))]
    score = combine(1, supported, SETTINGS, {})
    assert score.value > 90 and score.label == "corroborated"


def test_label_cut_offs() -> None:
    labels = [label_for(v, (), SETTINGS) for v in (80, 60, 45, 25, 5)]
    assert labels == ["plausible", "plausible", "unverified", "doubtful", "likely false"]


def test_model_version_follows_the_weights_not_calibration_settings() -> None:
    base = model_version(SETTINGS)
    assert base.startswith("score-7+")
    heavier = dataclasses.replace(SETTINGS, weights=ScoringWeights(alert_match=3.0))
    assert model_version(heavier) != base
    assert model_version(dataclasses.replace(SETTINGS, calibrate_min_labels=5)) == base
