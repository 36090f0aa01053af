"""Claims in the store: extraction, listing, score history kept append-only, verdicts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from claimwatch.phrase import Field
from scoring import decisions
from storage import Store
from storage.records import EvidenceRef, Factor, Post, Score, Verdict
from tests.scoring.cases import EILAT, extraction
from tests.scoring.helpers import add_post, video_file

T0 = datetime(2024, 9, 29, 3, 20, tzinfo=UTC)
OLD_POST = ("@", Field("قديم\u202e"), ", 2024-08-01")


def score(claim_id: int, value: float, weight: float = -1.5, label: str = "doubtful") -> Score:
    factor = Factor("media_recycled", "undermines", weight, ("recycled",),
                    (EvidenceRef("post", "3", OLD_POST),))  # fmt: skip
    return Score(claim_id, value, label, (factor,), "score-1+test", {"alerts": {"found": []}})  # type: ignore[arg-type]


def test_extraction_round_trip_and_listing(store: Store) -> None:
    first = add_post(store, 1, T0, "claim one")
    second = add_post(store, 2, T0 + timedelta(hours=2), "claim two", channel="other")
    statement = add_post(store, 3, T0 + timedelta(hours=3), "a statement")
    one = store.claims.save(first.id, extraction())
    two = store.claims.save(second.id, extraction(targets=(), vague_target=True))
    store.claims.save(statement.id, extraction(is_claim=False, targets=()))
    stored = store.claims.get(one)
    assert stored is not None
    assert stored.extraction == extraction() and stored.extraction.targets[0] == EILAT
    assert (stored.text, stored.channel) == ("claim one", "sabreen")
    assert stored.group == "Islamic Resistance in Iraq"
    assert [c.id for c in store.claims.list()] == [two, one]  # newest first, claims only
    assert [c.id for c in store.claims.list(channel="other")] == [two]
    assert [c.id for c in store.claims.list(since=T0 + timedelta(hours=1))] == [two]
    assert store.claims.counts()["extracted_posts"] == 3
    assert store.claims.counts()["claims"] == 2


def test_saving_again_replaces_the_extraction(store: Store) -> None:
    post = add_post(store, 1, T0, "claim")
    first = store.claims.save(post.id, extraction())
    again = store.claims.save(post.id, extraction(part_of_day="night"))
    assert first == again
    claim = store.claims.get(first)
    assert claim is not None and claim.extraction.part_of_day == "night"


def test_posts_to_extract_new_edited_or_new_extractor(store: Store) -> None:
    a = add_post(store, 1, T0, "claim a")
    b = add_post(store, 2, T0, "claim b")
    assert store.claims.posts_to_extract("test-1") == [a.id, b.id]
    store.claims.save(a.id, extraction())
    store.claims.save(b.id, extraction())
    assert store.claims.posts_to_extract("test-1") == []
    assert store.claims.posts_to_extract("test-2", post_ids=[b.id]) == [b.id]
    add_post(store, 2, T0, "claim b, edited")  # the same message seen again with new text
    assert store.claims.posts_to_extract("test-1") == [b.id]
    edited = store.claims.for_post(b.id)
    assert edited is not None and edited.text == "claim b, edited"


def test_scores_are_appended_only_when_they_change(store: Store) -> None:
    post = add_post(store, 1, T0, "claim")
    claim_id = store.claims.save(post.id, extraction())
    assert store.claims.add_score(score(claim_id, 25.0))
    assert not store.claims.add_score(score(claim_id, 25.04))  # same at 0.1 precision
    assert store.claims.add_score(score(claim_id, 25.0, weight=-3.0))  # a factor changed
    assert store.claims.add_score(score(claim_id, 80.0, weight=2.0, label="plausible"))
    history = store.claims.history(claim_id)
    assert [s.value for s in history] == [25.0, 25.0, 80.0]
    assert history[0].factors[0].evidence[0].label == OLD_POST
    assert history[0].inputs == {"alerts": {"found": []}}
    latest = store.claims.get(claim_id)
    assert latest is not None and latest.score is not None and latest.score.value == 80.0
    assert [c.id for c in store.claims.list(label="plausible")] == [claim_id]
    assert store.claims.list(label="doubtful") == []


def test_verdicts_on_claims(store: Store) -> None:
    post = add_post(store, 1, T0, "claim")
    claim_id = store.claims.save(post.id, extraction())
    store.verdicts.add(Verdict("claim", claim_id, "lina", decisions.FALSE, "no alert", T0))
    store.verdicts.add(Verdict("match", claim_id, "lina", "recycled", "", T0))
    found = store.claims.verdicts([claim_id, 999])
    assert [v.decision for v in found[claim_id]] == ["false"] and found[999] == []


def test_claims_for_a_media_file(store: Store, tmp_path: Path) -> None:
    clip = video_file(tmp_path / "in", "launch.mp4", b"launch footage")
    one = add_post(store, 1, T0, "claim one", media=clip)
    two = add_post(store, 2, T0 + timedelta(days=9), "claim two", media=clip, channel="other")
    ids = [store.claims.save(p.id, extraction()) for p in (one, two)]
    sha = one.media[0].sha256
    assert store.claims.ids_for_media(sha) == ids


def test_claims_of_posts(store: Store) -> None:
    posts = [add_post(store, n, T0 + timedelta(hours=n), f"post {n}") for n in range(1, 5)]
    ids = [store.claims.save(p.id, extraction()) for p in posts[:3]]
    store.claims.save(posts[3].id, extraction(is_claim=False))
    wanted = [posts[2].id, posts[0].id, posts[3].id, 10**9]
    assert store.claims.ids_for_posts(wanted) == [ids[0], ids[2]]
    assert store.claims.ids_for_posts([]) == []


def test_text_is_kept_verbatim(store: Store) -> None:
    hostile = "[bold]\x1b[31mعاجل\u202e</script>"
    post = add_post(store, 1, T0, hostile)
    claim = store.claims.get(store.claims.save(post.id, extraction()))
    assert claim is not None and claim.text == hostile
    assert replace(claim.extraction) == extraction()
    assert isinstance(post.post, Post)
