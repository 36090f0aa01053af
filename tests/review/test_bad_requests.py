"""Addresses and forms no page can answer get a clear 400 or 404, never a server error."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.review.conftest import Site, page_token

# Past PostgreSQL's integer ids, and past SQLite's 64-bit ones.
TOO_LARGE = ["2147483648", "9223372036854775808", "99999999999999999999"]


@pytest.mark.parametrize("number", TOO_LARGE)
@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/matches/{}", "There is no match"),
        ("/claims/{}", "There is no claim"),
        ("/posts/{}", "There is no post"),
        ("/api/matches/{}", "There is no match"),
        ("/api/claims/{}", "There is no claim"),
        ("/api/posts/{}", "There is no post"),
    ],
)
def test_an_id_too_large_to_exist_is_not_found(
    reader: TestClient, path: str, says: str, number: str
) -> None:
    response = reader.get(path.format(number))
    assert response.status_code == 404
    assert f"{says} {number}." in response.text


@pytest.mark.parametrize("number", TOO_LARGE)
def test_a_decision_on_an_id_too_large_to_exist_is_not_found(
    writer: TestClient, fresh: Site, number: str
) -> None:
    token = page_token(writer)
    match = writer.post(
        f"/matches/{number}/verdict", data={"decision": "recycled", "csrf_token": token}
    )
    assert match.status_code == 404 and f"there is no match {number}" in match.text
    claim = writer.post(
        f"/api/claims/{number}/verdict", json={"decision": "false"}, headers={"X-CSRF-Token": token}
    )
    assert claim.status_code == 404
    assert claim.json() == {"error": f"there is no claim {number}"}


@pytest.mark.parametrize("page", ["²", "0", "1.5", "-1"])
def test_a_page_that_is_not_a_plain_number_is_refused(reader: TestClient, page: str) -> None:
    html = reader.get("/queue", params={"page": page})
    assert html.status_code == 400 and f"page &#39;{page}&#39; is not a page number" in html.text
    api = reader.get("/api/matches", params={"page": page})
    assert api.status_code == 400
    assert api.json() == {"error": f"page {page!r} is not a page number"}


@pytest.mark.parametrize("body", [b"[" * 50_000, b'{"decision": ' + b"1" * 5000 + b"}", b"{"])
def test_a_decision_body_that_is_not_readable_json_is_refused(
    writer: TestClient, fresh: Site, body: bytes
) -> None:
    response = writer.post(
        f"/api/claims/{fresh.seeded.first_claim}/verdict",
        content=body,
        headers={"X-CSRF-Token": page_token(writer), "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json() == {"error": "the request body must be JSON"}


def test_a_search_to_the_last_day_of_the_calendar_has_no_end(reader: TestClient) -> None:
    params = {"from": "2024-06-01", "to": "9999-12-31"}
    html = reader.get("/search", params=params)
    assert html.status_code == 200 and "Drone launch towards Eilat, first angle" in html.text
    api = reader.get("/api/search", params=params)
    assert api.status_code == 200
    assert {p["post"]["message_id"] for p in api.json()["posts"]} == {2, 3, 9}


def test_a_nul_in_a_note_is_kept_as_a_replacement_mark(writer: TestClient, fresh: Site) -> None:
    """PostgreSQL text cannot hold NUL; a note pasted from a post may carry one."""
    token, match, claim = page_token(writer), fresh.seeded.copy_match, fresh.seeded.first_claim
    form = {"decision": "recycled", "note": "same\x00launcher", "csrf_token": token}
    assert writer.post(f"/matches/{match}/verdict", data=form).status_code == 303
    api = writer.post(
        f"/api/claims/{claim}/verdict",
        json={"decision": "false", "note": "no\x00launch"},
        headers={"X-CSRF-Token": token},
    )
    assert api.status_code == 200 and api.json()["verdict"]["note"] == "no\ufffdlaunch"
    assert "same\ufffdlauncher" in writer.get(f"/matches/{match}").text
    assert "no\ufffdlaunch" in writer.get(f"/claims/{claim}").text
