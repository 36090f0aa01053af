"""The JSON API for notebooks: token or session, the same data as the pages."""

from __future__ import annotations

from starlette.testclient import TestClient

from review.accounts import api_token, change_password
from review.app import MAX_BODY_BYTES
from review.passwords import hash_password
from tests.review.conftest import ANALYST, Site, client_for, status_of


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_token_reads_the_queue_without_a_session(site: Site) -> None:
    token = api_token(site.store, site.settings, ANALYST)
    with client_for(site) as notebook:
        response = notebook.get("/api/matches?kind=copy", headers=bearer(token))
    assert response.status_code == 200
    (match,) = response.json()["matches"]
    assert match["match"]["id"] == site.seeded.copy_match
    assert match["match"]["segments"] == [
        {"a_start": 0.0, "a_end": 6.0, "b_start": 1.0, "b_end": 7.0}
    ]
    assert match["a"]["first"] is True and match["b"]["first"] is False
    assert match["a"]["media"]["sha256"] == site.seeded.first_sha
    assert "path" not in match["a"]["media"], "server paths stay on the server"
    assert {c["id"] for c in match["claims"]} == {site.seeded.first_claim, site.seeded.reused_claim}


def test_claim_json_has_score_factors_evidence_and_history(reader: TestClient, site: Site) -> None:
    data = reader.get(f"/api/claims/{site.seeded.first_claim}").json()
    assert data["claim"]["extraction"]["targets"][0]["name"] == "Eilat"
    score = data["claim"]["score"]
    assert 0 <= score["value"] <= 100 and score["label"]
    assert all(
        {"name", "direction", "weight", "explanation", "evidence"} <= set(f)
        for f in score["factors"]
    )
    assert len(data["history"]) >= 1
    assert data["post"]["post"]["text"].startswith("المقاومة")
    # each name in the one-line summary is isolated, as in the explanations beside it
    assert "\u2068Eilat\u2069" in data["summary"]
    post = reader.get(f"/api/posts/{data['claim']['post_id']}").json()
    assert post["summary"] == data["summary"]


def test_forged_expired_or_stale_tokens_are_refused(site: Site) -> None:
    token = api_token(site.store, site.settings, ANALYST)
    with client_for(site) as notebook:
        assert notebook.get("/api/channels", headers=bearer(token[:-2] + "xx")).status_code == 401
        assert notebook.get("/api/channels", headers=bearer("")).status_code == 401
    site.store.users.add("temp", hash_password("temporary password"))
    temp = api_token(site.store, site.settings, "temp")
    with client_for(site) as notebook:
        assert notebook.get("/api/channels", headers=bearer(temp)).status_code == 200
        change_password(site.store, "temp", "a new password")
        assert notebook.get("/api/channels", headers=bearer(temp)).status_code == 401
    site.store.users.remove("temp")


def test_a_token_may_decide_without_a_csrf_token(fresh: Site) -> None:
    token = api_token(fresh.store, fresh.settings, ANALYST)
    with client_for(fresh) as notebook:
        response = notebook.post(
            f"/api/matches/{fresh.seeded.copy_match}/verdict",
            json={"decision": "recycled", "note": "from a notebook"},
            headers=bearer(token),
        )
        assert response.status_code == 200
        body = response.json()
        assert body["verdict"]["decision"] == "recycled"
        assert set(body["claims_rescored"]) == {fresh.seeded.first_claim, fresh.seeded.reused_claim}
        assert body["rescore_error"] is None
        bad = notebook.post(
            f"/api/matches/{fresh.seeded.copy_match}/verdict", content=b"[1]", headers=bearer(token)
        )
        assert bad.status_code == 400 and "decision" in bad.json()["error"]


def test_search_and_channel_json(reader: TestClient) -> None:
    posts = reader.get("/api/search", params={"q": "ايلات"}).json()["posts"]
    assert {p["post"]["message_id"] for p in posts} == {1, 2}
    channel = reader.get("/api/channels/telegram/kataib_test").json()
    assert channel["claims"] == 3
    assert sum(w["claims"] for w in channel["weekly_claims"]) == 3
    assert set(channel["labels"]) >= {"plausible", "likely false"}
    assert reader.get("/api/channels/telegram/nobody").status_code == 404
    assert reader.get("/api/claims/999").json() == {"error": "There is no claim 999."}


def test_a_body_too_large_is_refused_in_json_like_every_api_error(site: Site) -> None:
    token = api_token(site.store, site.settings, ANALYST)
    path = f"/api/matches/{site.seeded.copy_match}/verdict"
    big = b'{"decision": "recycled", "note": "' + b"x" * MAX_BODY_BYTES + b'"}'
    headers = {**bearer(token), "Content-Type": "application/json"}
    with client_for(site) as notebook:
        declared = notebook.post(path, content=big, headers=headers)
        streamed = notebook.post(path, content=iter([big[:1000], big[1000:]]), headers=headers)
        missing = notebook.get("/api/matches/999999", headers=bearer(token))
    assert missing.status_code == 404 and list(missing.json()) == ["error"]
    for response in (declared, streamed):
        assert response.status_code == 413
        assert response.headers["content-type"] == "application/json"
        assert response.json() == {
            "error": "The request is too large: at most 1,048,576 bytes are accepted."
        }
        assert response.headers["x-content-type-options"] == "nosniff"
    assert status_of(site.store, site.seeded.copy_match) == "pending"  # nothing was decided
