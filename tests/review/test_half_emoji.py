"""Text cut inside an emoji (an unpaired surrogate, as X sends it) on the pages and the API."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from starlette.testclient import TestClient

from review.accounts import api_token
from scoring.pipeline import rescore
from storage.records import Batch, Channel, Extraction, MediaRef, Post
from tests.review.archive import EILAT
from tests.review.conftest import ANALYST, Site, client_for, page_token

HALF = "\ud83d"  # the first half of 🔥, without its second
TEXT = f"Drone attack on Eilat {HALF}"
SHOWN = "Drone attack on Eilat \ufffd"


def archive_cut_post(site: Site) -> tuple[int, int]:
    """A channel and a claim whose texts end in half an emoji: (post id, claim id)."""
    channel = Channel("x", "cut_test", title=f"Cut {HALF}", group="Kataib Hezbollah")
    media = MediaRef("photo", url=f"https://pbs.twimg.com/{HALF}.jpg", missing=f"gone {HALF}")
    at = datetime(2024, 6, 13, 18, tzinfo=UTC)
    post = Post("x", "cut_test", 1, at, TEXT, "x", author=f"Editor {HALF}", media=(media,))
    site.store.archive.ingest(Batch(channel, (post,)))
    stored = site.store.archive.find("x", "cut_test", 1)
    assert stored is not None
    extraction = Extraction(
        is_claim=True,
        group="Kataib Hezbollah",
        targets=(EILAT,),
        claimed_date=date(2024, 6, 13),
        extractor="test",
        evidence=(f"Eilat {HALF}",),
    )
    claim = site.store.claims.save(stored.id, extraction)
    rescore(site.store, site.settings, [claim])
    return stored.id, claim


def test_every_page_shows_half_an_emoji_as_a_replacement_mark(
    writer: TestClient, fresh: Site
) -> None:
    post_id, claim_id = archive_cut_post(fresh)
    pages = {
        f"/posts/{post_id}": SHOWN,
        f"/claims/{claim_id}": SHOWN,
        "/search?q=eilat": SHOWN,
        "/channels": "Cut \ufffd",
        "/channels/x/cut_test": "Cut \ufffd",
    }
    for path, shown in pages.items():
        response = writer.get(path)
        assert response.status_code == 200, path
        assert shown in response.text, path
        assert HALF not in response.text, path


def test_the_api_gives_the_archived_text_back_exactly(fresh: Site) -> None:
    post_id, claim_id = archive_cut_post(fresh)
    token = {"Authorization": f"Bearer {api_token(fresh.store, fresh.settings, ANALYST)}"}
    with client_for(fresh) as notebook:
        post = notebook.get(f"/api/posts/{post_id}", headers=token)
        claim = notebook.get(f"/api/claims/{claim_id}", headers=token)
        found = notebook.get("/api/search", params={"q": "eilat"}, headers=token)
        channels = notebook.get("/api/channels", headers=token)
    assert post.status_code == claim.status_code == found.status_code == 200
    assert b"\\ud83d" in post.content  # written as its JSON escape, which UTF-8 can carry
    archived = post.json()["post"]["post"]
    assert archived["text"] == TEXT and archived["media"][0]["missing"] == f"gone {HALF}"
    assert claim.json()["claim"]["extraction"]["evidence"] == [f"Eilat {HALF}"]
    assert TEXT in [p["post"]["text"] for p in found.json()["posts"]]
    assert f"Cut {HALF}" in [c["title"] for c in channels.json()["channels"]]


def test_a_note_with_half_an_emoji_is_kept_as_a_replacement_mark(
    writer: TestClient, fresh: Site
) -> None:
    _, claim_id = archive_cut_post(fresh)
    body = json.dumps({"decision": "confirmed", "note": f"see {HALF}"})  # "\\ud83d" in it
    response = writer.post(
        f"/api/claims/{claim_id}/verdict",
        content=body.encode("ascii"),
        headers={"X-CSRF-Token": page_token(writer), "Content-Type": "application/json"},
    )
    assert response.status_code == 200
    assert response.json()["verdict"]["note"] == "see \ufffd"
