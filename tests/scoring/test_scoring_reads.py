"""Scoring a few claims reads their neighbours, not the archive, and scores them the same.

An analyst's decision in the review page re-scores the claims it touches at once; with a
year of several channels in the archive that must not mean reading every claim.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import config
from scoring import decisions
from scoring.gather import load_run
from scoring.pipeline import rescore, score_claims
from scoring.scorer import evaluate
from storage import Store
from storage.records import Score, Verdict
from tests.scoring.helpers import add_post, video_file

SETTINGS = config.Settings()
T0 = datetime(2024, 9, 29, 3, 20, tzinfo=UTC)


def claim_text(target: str, part: str = "فجر اليوم") -> str:
    return (
        "بسم الله الرحمن الرحيم\nاستهدف مجاهدو المقاومة الإسلامية في العراق، "
        f"{part}، هدفاً حيوياً في {target}، بواسطة الطيران المسيّر."
    )


def busy_archive(store: Store, tmp_path: Path) -> None:
    """Two channels over four months: a burst, a repost, footage re-used 40 days later,
    and analysts' verdicts on claims far from the others in time."""
    clip = video_file(tmp_path / "in", "launch.mp4", b"launch footage")
    add_post(store, 1, T0, claim_text("أم الرشراش"), media=clip)
    add_post(store, 2, T0 + timedelta(minutes=3), claim_text("حيفا"))
    add_post(store, 3, T0 + timedelta(minutes=6), claim_text("طبريا"))
    add_post(store, 1, T0 + timedelta(hours=2), claim_text("أم الرشراش"), channel="aggregator")
    add_post(store, 4, T0 + timedelta(days=40), claim_text("الجولان المحتل"), media=clip)
    for day in range(1, 120, 7):  # the channel's other claims, months apart
        add_post(store, 100 + day, T0 - timedelta(days=day), claim_text("ميناء حيفا", "مساء اليوم"))
    score_claims(store, SETTINGS)
    old = [c for c in store.claims.list() if c.posted_at < T0 - timedelta(days=60)]
    judged = (decisions.FALSE, decisions.FALSE, decisions.CONFIRMED)
    for claim, decision in zip(old[:3], judged, strict=True):
        store.verdicts.add(Verdict("claim", claim.id, "zainab", decision, "", claim.posted_at))


def same(a: Score, b: Score) -> bool:
    return (a.value, a.label, a.factors, dict(a.inputs)) == (
        b.value,
        b.label,
        b.factors,
        dict(b.inputs),
    )


def test_scoring_one_claim_gives_what_scoring_everything_gives(
    store: Store, tmp_path: Path
) -> None:
    busy_archive(store, tmp_path)
    everything = load_run(store, SETTINGS.scoring)
    for claim in everything.claims:
        (full,) = evaluate(everything, [claim])
        alone = load_run(store, SETTINGS.scoring, {claim.id})
        (own,) = evaluate(alone, [c for c in alone.claims if c.id == claim.id])
        assert same(own.score, full.score), claim.id
        assert len(alone.claims) < len(everything.claims)  # its neighbours, not the archive


def test_a_decision_rescores_its_claim_with_the_channels_whole_track_record(
    store: Store, tmp_path: Path
) -> None:
    busy_archive(store, tmp_path)
    recycled = next(c for c in store.claims.list() if c.posted_at == T0 + timedelta(days=40))
    store.verdicts.add(
        Verdict("claim", recycled.id, "zainab", decisions.CONTRADICTED, "no alert", T0)
    )
    report = rescore(store, SETTINGS, [recycled.id])
    assert report.scored == 1
    stored = store.claims.get(recycled.id)
    assert stored is not None and stored.score is not None
    names = {f.name for f in stored.score.factors}
    assert {"media_recycled", "track_record"} <= names
    # the track record counts the verdicts on claims months away, as a full run does
    assert stored.score.inputs["track"]["false"] == 2
    assert stored.score.inputs["track"]["confirmed"] == 1
    everything = load_run(store, SETTINGS.scoring)
    (full,) = evaluate(everything, [c for c in everything.claims if c.id == recycled.id])
    assert same(stored.score, full.score)


def test_claims_in_outline_agree_with_claims_read_in_full(store: Store, tmp_path: Path) -> None:
    busy_archive(store, tmp_path)
    add_post(store, 999, T0 + timedelta(days=50), claim_text("حيفا"))  # not scored yet
    full = {c.id: c for c in store.claims.list()}
    outlines = store.claims.outlines()
    assert [o.id for o in outlines] == [c.id for c in store.claims.list(newest_first=False)]
    for outline in outlines:
        claim = full[outline.id]
        assert (outline.post_id, outline.platform, outline.channel, outline.posted_at) == (
            claim.post_id, claim.platform, claim.channel, claim.posted_at,
        )  # fmt: skip
        assert outline.group == claim.group
        if claim.score is None:
            assert (outline.label, outline.scored_at, dict(outline.outcome)) == (None, None, {})
        else:
            assert outline.label == claim.score.label
            assert outline.scored_at == claim.score.computed_at
            assert dict(outline.outcome) == claim.score.inputs["outcome"]
    aggregator = store.claims.outlines([("telegram", "aggregator")])
    assert [o.channel for o in aggregator] == ["aggregator"]
    assert store.claims.outlines([]) == []
    history = store.claims.outcome_history(list(full))
    for claim_id, scores in history.items():
        stored = store.claims.history(claim_id)
        assert [s.computed_at for s in scores] == [s.computed_at for s in stored]
        assert [dict(s.outcome) for s in scores] == [s.inputs["outcome"] for s in stored]


def test_score_bases_hold_what_each_score_rested_on(store: Store, tmp_path: Path) -> None:
    busy_archive(store, tmp_path)
    add_post(store, 999, T0 + timedelta(days=50), claim_text("حيفا"))  # not scored yet
    full = {c.id: c for c in store.claims.list()}
    bases = store.claims.score_bases()
    assert [b.id for b in bases] == [o.id for o in store.claims.outlines()]
    for basis in bases:
        claim = full[basis.id]
        assert basis.claimed_date == claim.extraction.claimed_date
        assert basis.part_of_day == claim.extraction.part_of_day
        if claim.score is None:
            assert (basis.model_version, dict(basis.inputs)) == (None, {})
            continue
        inputs = claim.score.inputs
        assert basis.model_version == claim.score.model_version
        assert dict(basis.inputs) == {
            "media": inputs["media"],
            "verdicts": inputs["verdicts"],
            "alerts": {
                key: inputs["alerts"][key]
                for key in ("history", "start", "end", "areas", "found", "covered", "base_covered")
            },
            "track": inputs["track"],
            "outcome": inputs["outcome"],
        }


def test_claims_counted_carry_their_current_text(store: Store, tmp_path: Path) -> None:
    busy_archive(store, tmp_path)
    add_post(store, 2, T0 + timedelta(minutes=3), claim_text("طبريا"))  # an edit
    full = {c.id: c for c in store.claims.list()}
    counted = store.claims.counted()
    assert [c.id for c in counted] == [o.id for o in store.claims.outlines()]
    for claim in counted:
        assert (claim.posted_at, claim.channel, claim.group, claim.text) == (
            full[claim.id].posted_at, full[claim.id].channel, full[claim.id].group,
            full[claim.id].text,
        )  # fmt: skip
    assert any("طبريا" in c.text and c.posted_at == T0 + timedelta(minutes=3) for c in counted)
    late = store.claims.counted(since=T0, until=T0 + timedelta(days=1))
    assert {c.posted_at for c in late} == {
        T0,
        T0 + timedelta(minutes=3),
        T0 + timedelta(minutes=6),
        T0 + timedelta(hours=2),
    }
