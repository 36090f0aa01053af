"""The scoring job redoes only claims whose evidence changed, and all of those."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

import config
from scoring.pipeline import score_claims
from storage import Store
from storage.records import Match, Segment
from tests.scoring.helpers import add_post, video_file
from tests.scoring.test_pipeline import CLAIM, POSTED, alerts, history_bounds

SETTINGS = config.Settings()


def factor_names(store: Store, claim_id: int) -> set[str]:
    claim = store.claims.get(claim_id)
    assert claim is not None and claim.score is not None
    return {f.name for f in claim.score.factors if f.weight}


def test_footage_fingerprinted_later(store: Store, tmp_path: Path) -> None:
    post = add_post(store, 1, POSTED, CLAIM, media=video_file(tmp_path, "a.mp4", b"launch"))
    add_post(store, 2, POSTED + timedelta(days=3), CLAIM.replace("أم الرشراش", "حيفا"))
    score_claims(store, SETTINGS)
    claim = store.claims.for_post(post.id)
    assert claim is not None and "media_fresh" not in factor_names(store, claim.id)
    store.media.set_status(post.media[0].sha256, "done")
    report = score_claims(store, SETTINGS)
    assert (report.scored, report.changed) == (1, 1)
    assert "media_fresh" in factor_names(store, claim.id)


def test_a_new_match_on_the_footage(store: Store, tmp_path: Path) -> None:
    old = add_post(store, 1, POSTED - timedelta(days=40), "أرشيف", channel="archive_ch",
                   media=video_file(tmp_path, "old.mp4", b"old"))  # fmt: skip
    new = add_post(store, 2, POSTED, CLAIM, media=video_file(tmp_path, "new.mp4", b"new"))
    score_claims(store, SETTINGS)
    match = Match(old.media[0].sha256, new.media[0].sha256, "copy", 0.95, (Segment(0, 5, 0, 5),),
                  "test-1")  # fmt: skip
    store.matches.upsert(match)
    report = score_claims(store, SETTINGS)
    claim = store.claims.for_post(new.id)
    assert claim is not None and report.scored == 1
    assert "media_recycled" in factor_names(store, claim.id)


def test_new_live_alerts_touch_only_claims_near_the_end_of_the_history(store: Store) -> None:
    # (On another channel: a corroborated claim moves its own channel's track record.)
    old = CLAIM.replace("الأحد", "الاثنين")
    add_post(store, 1, POSTED - timedelta(days=20), old, channel="other")
    recent = add_post(store, 2, POSTED, CLAIM)
    alerts(store, POSTED - timedelta(days=60), area="מטולה", rid=1)  # the history ends at dawn
    dawn = POSTED - timedelta(hours=3)
    alerts(store, dawn, area="מטולה", rid=2, covered=(POSTED - timedelta(days=60), dawn))
    score_claims(store, SETTINGS)
    alerts(store, POSTED - timedelta(hours=1), rid=3)  # the live feed: Eilat, later that dawn
    report = score_claims(store, SETTINGS)
    assert report.scored == 1
    claim = store.claims.for_post(recent.id)
    assert claim is not None and "alert_match" in factor_names(store, claim.id)


def test_alerts_back_filled_inside_the_history_touch_every_claim(store: Store) -> None:
    add_post(store, 1, POSTED - timedelta(days=20), CLAIM.replace("الأحد", "الاثنين"))
    add_post(store, 2, POSTED, CLAIM)
    history_bounds(store)
    score_claims(store, SETTINGS)
    alerts(store, POSTED - timedelta(days=10), area="מטולה", rid=9)
    assert score_claims(store, SETTINGS).scored == 2


def test_a_new_claim_in_a_burst_rescores_its_neighbours(store: Store) -> None:
    first = add_post(store, 1, POSTED, CLAIM)
    score_claims(store, SETTINGS)
    add_post(store, 2, POSTED + timedelta(minutes=3), CLAIM.replace("أم الرشراش", "حيفا"))
    add_post(store, 3, POSTED + timedelta(minutes=6), CLAIM.replace("أم الرشراش", "طبريا"))
    report = score_claims(store, SETTINGS)
    assert report.scored == 3
    claim = store.claims.for_post(first.id)
    assert claim is not None and "burst" in factor_names(store, claim.id)


def test_new_weights_rescore_everything(store: Store) -> None:
    add_post(store, 1, POSTED, CLAIM)
    add_post(store, 2, POSTED + timedelta(days=3), CLAIM.replace("أم الرشراش", "حيفا"))
    score_claims(store, SETTINGS)
    weights = dataclasses.replace(SETTINGS.scoring.weights, target_named=1.0)
    heavier = dataclasses.replace(
        SETTINGS, scoring=dataclasses.replace(SETTINGS.scoring, weights=weights)
    )
    report = score_claims(store, heavier)
    assert (report.scored, report.changed) == (2, 2)
    assert score_claims(store, heavier).scored == 0


def test_a_newly_covered_period_rescores_the_claims_it_covers_once(store: Store) -> None:
    add_post(store, 1, POSTED - timedelta(days=20), CLAIM.replace("الأحد", "الاثنين"))
    recent = add_post(store, 2, POSTED, CLAIM)
    alerts(store, POSTED - timedelta(days=60), area="מטולה", rid=1)
    alerts(store, POSTED - timedelta(days=40), area="מטולה", rid=2)
    score_claims(store, SETTINGS)
    # A live fetch that brought no new alert, but covered the recent claim's dawn.
    store.alerts.add_period("oref-live", POSTED - timedelta(days=2), POSTED + timedelta(days=1))
    assert score_claims(store, SETTINGS).scored == 1
    claim = store.claims.for_post(recent.id)
    assert claim is not None and "alert_missing" in factor_names(store, claim.id)
    assert score_claims(store, SETTINGS).scored == 0
