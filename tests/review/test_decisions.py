"""Deciding on a match or a claim: recorded with reviewer and time, reversible, re-scored."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.review.conftest import ANALYST, Site, page_token, status_of


def decide(client: TestClient, match_id: int, decision: str, note: str = "", **extra: str) -> str:
    form = {"decision": decision, "note": note, "csrf_token": page_token(client), **extra}
    response = client.post(f"/matches/{match_id}/verdict", data=form)
    assert response.status_code == 303, response.text
    return response.headers["location"]


def test_recycled_sets_the_status_records_who_and_rescoring_drops_the_later_claim(
    writer: TestClient, fresh: Site
) -> None:
    store, seeded = fresh.store, fresh.seeded
    before = store.claims.get(seeded.reused_claim).score  # type: ignore[union-attr]
    decide(writer, seeded.copy_match, "recycled", "same launcher, first posted in May")
    assert status_of(store, seeded.copy_match) == "recycled"
    (verdict,) = store.verdicts.for_target("match", seeded.copy_match)
    assert (verdict.reviewer, verdict.decision) == (ANALYST, "recycled")
    assert verdict.note == "same launcher, first posted in May"
    after = store.claims.get(seeded.reused_claim).score  # type: ignore[union-attr]
    assert before is not None and after is not None
    assert after.value < before.value
    assert "media_recycled_confirmed" in {f.name for f in after.factors}
    assert len(store.claims.history(seeded.reused_claim)) == 2


def test_a_decision_is_reversible_and_the_history_stays(writer: TestClient, fresh: Site) -> None:
    store, seeded = fresh.store, fresh.seeded
    original = store.claims.get(seeded.reused_claim).score.value  # type: ignore[union-attr]
    decide(writer, seeded.copy_match, "recycled")
    decide(writer, seeded.copy_match, "reopen", "second look")
    decide(writer, seeded.copy_match, "not_same")
    decisions = [v.decision for v in store.verdicts.for_target("match", seeded.copy_match)]
    assert decisions == ["recycled", "reopen", "not_same"]
    assert status_of(store, seeded.copy_match) == "not_same"
    restored = store.claims.get(seeded.reused_claim).score.value  # type: ignore[union-attr]
    assert restored == original
    page = writer.get(f"/matches/{seeded.copy_match}").text
    assert page.count(f"<bdi>{ANALYST}</bdi>:") == 3 and "second look" in page


def test_from_the_match_page_the_next_match_follows(writer: TestClient, fresh: Site) -> None:
    seeded = fresh.seeded
    # Newest first: the same-scene match (flagged 13 June) comes before the copy (11 June).
    location = decide(writer, seeded.scene_match, "legitimate")
    assert location == f"/matches/{seeded.copy_match}?status=pending"
    assert "Same event, legitimate (by zainab)" in writer.get(location).text
    assert decide(writer, seeded.copy_match, "recycled") == "/queue?status=pending"
    assert "Nothing to review" in writer.get("/queue").text


def test_from_the_queue_the_page_comes_back_at_the_next_item(
    writer: TestClient, fresh: Site
) -> None:
    seeded = fresh.seeded
    location = decide(writer, seeded.scene_match, "not_same", back="/queue?status=pending")
    assert location == f"/queue?status=pending#m{seeded.copy_match}"
    page = writer.get("/queue?status=pending").text
    assert f'id="m{seeded.copy_match}"' in page and f'id="m{seeded.scene_match}"' not in page
    assert "2 claims re-scored" not in page and "1 claim re-scored" in page


def test_unknown_decisions_and_long_notes_are_refused(writer: TestClient, fresh: Site) -> None:
    token = page_token(writer)
    path = f"/matches/{fresh.seeded.copy_match}/verdict"
    bad = writer.post(path, data={"decision": "delete", "csrf_token": token})
    assert bad.status_code == 400 and "unknown decision" in bad.text
    long = writer.post(path, data={"decision": "recycled", "note": "x" * 2001, "csrf_token": token})
    assert long.status_code == 400 and "keep it under 2000" in long.text
    assert fresh.store.verdicts.for_target("match", fresh.seeded.copy_match) == []
    missing = writer.post(
        "/matches/999/verdict", data={"decision": "recycled", "csrf_token": token}
    )
    assert missing.status_code == 404 and "no match 999" in missing.text


def test_claim_verdicts_are_recorded_and_rescore_the_claim(writer: TestClient, fresh: Site) -> None:
    claim = fresh.seeded.first_claim
    form = {"decision": "false", "note": "no launch that night", "csrf_token": page_token(writer)}
    response = writer.post(f"/claims/{claim}/verdict", data=form)
    assert response.status_code == 303 and response.headers["location"] == f"/claims/{claim}"
    (verdict,) = fresh.store.verdicts.for_target("claim", claim)
    assert (verdict.decision, verdict.reviewer) == ("false", ANALYST)
    page = writer.get(f"/claims/{claim}").text
    assert "recorded &#39;false&#39; and re-scored" in page and "no launch that night" in page


def test_warming_cuts_every_keyframe_of_the_first_page(fresh: Site) -> None:
    from review.warm import warm_thumbnails

    warmed = warm_thumbnails(fresh.store)
    assert (warmed.matches, warmed.keyframes, warmed.failures) == (2, 8, 0)
    cut = list((fresh.store.data_dir / "thumbs").rglob("*.jpg"))
    assert len(cut) == 8
