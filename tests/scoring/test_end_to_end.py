"""End to end through the store: recycled footage against fresh footage with a UAV alert."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import config
from claimwatch.phrase import told
from scoring.pipeline import claims_for_media, rescore, score_claims
from storage import Store
from storage.records import Match, Segment, StoredClaim
from tests.scoring.helpers import add_post, video_file
from tests.scoring.test_pipeline import CLAIM, alerts, history_bounds

SETTINGS = config.Settings()
FRESH_AT = datetime(2024, 9, 29, 3, 20, tzinfo=UTC)  # a Sunday, 06:20 in Baghdad
RECYCLED_AT = datetime(2024, 10, 6, 3, 20, tzinfo=UTC)  # the next Sunday


def only_claim(store: Store, channel: str) -> StoredClaim:
    (claim,) = store.claims.list(channel=channel)
    assert claim.score is not None
    return claim


def build(store: Store, tmp_path: Path) -> tuple[str, str]:
    """An old launch video, a claim re-using a copy of it, and a claim with new footage."""
    clips = tmp_path / "clips"
    archived = video_file(clips, "old.mp4", b"old launch")
    old_at = datetime(2024, 8, 1, 17, tzinfo=UTC)
    old = add_post(store, 1, old_at, "فيديو من الأرشيف", channel="archive_ch", media=archived)
    reused = add_post(store, 1, RECYCLED_AT, CLAIM, channel="recycled_ch",
                      media=video_file(clips, "reused.mp4", b"old launch, re-encoded"))  # fmt: skip
    add_post(store, 1, FRESH_AT, CLAIM, channel="fresh_ch",
             media=video_file(clips, "new.mp4", b"a launch never seen before"))  # fmt: skip
    for post in (old, reused, store.archive.find("telegram", "fresh_ch", 1)):
        assert post is not None
        store.media.set_status(post.media[0].sha256, "done")
    old_sha, reused_sha = old.media[0].sha256, reused.media[0].sha256
    store.matches.upsert(Match(old_sha, reused_sha, "copy", 0.96, (Segment(0, 8, 0, 8),),
                               "test-1", first_posted=old_sha))  # fmt: skip
    history_bounds(store)
    alerts(store, FRESH_AT - timedelta(minutes=50), rid=43000)  # 05:30 in Baghdad, Eilat
    return old_sha, reused_sha


def test_recycled_footage_scores_clearly_lower_than_fresh_footage_with_an_alert(
    store: Store, tmp_path: Path
) -> None:
    _, reused_sha = build(store, tmp_path)
    report = score_claims(store, SETTINGS)
    assert (report.claims_found, report.scored) == (2, 2)
    fresh, recycled = only_claim(store, "fresh_ch"), only_claim(store, "recycled_ch")
    assert fresh.score is not None and recycled.score is not None
    assert fresh.score.value - recycled.score.value >= 40
    assert fresh.score.label == "corroborated"
    assert recycled.score.label in ("doubtful", "likely false")
    reasons = {f.name: f for f in recycled.score.factors}
    copy = reasons["media_recycled"]
    assert copy.direction == "undermines"
    assert "@archive_ch on 2024-08-01, 65 days before this claim" in told(copy.explanation)
    assert [e.kind for e in copy.evidence] == ["post", "match"]
    assert {f.name for f in fresh.score.factors} >= {"media_fresh", "alert_match"}
    assert claims_for_media(store, reused_sha) == [recycled.id]


def test_analyst_decisions_on_the_match_move_the_score_and_history_explains(
    store: Store, tmp_path: Path
) -> None:
    _, reused_sha = build(store, tmp_path)
    score_claims(store, SETTINGS)
    before = only_claim(store, "recycled_ch")
    (match,) = store.matches.for_media(reused_sha)
    assert match.id is not None
    store.matches.set_status(match.id, "recycled")
    rescore(store, SETTINGS, claims_for_media(store, reused_sha))
    confirmed = only_claim(store, "recycled_ch")
    assert confirmed.score is not None and before.score is not None
    assert confirmed.score.value < before.score.value
    assert "media_recycled_confirmed" in {f.name for f in confirmed.score.factors}
    store.matches.set_status(match.id, "legitimate")
    rescore(store, SETTINGS, claims_for_media(store, reused_sha))
    cleared = only_claim(store, "recycled_ch")
    assert cleared.score is not None and cleared.score.value > before.score.value
    assert any(
        "'legitimate': it does not count" in told(f.explanation) for f in cleared.score.factors
    )
    history = store.claims.history(cleared.id)
    assert [s.value for s in history] == [
        before.score.value, confirmed.score.value, cleared.score.value
    ]  # fmt: skip
