"""Security of the review app as a browser or a script meets it: headers, log-in, CSRF."""

from __future__ import annotations

import time

import pytest
from starlette.applications import Starlette
from starlette.routing import BaseRoute, Route
from starlette.testclient import TestClient

from review.accounts import api_token
from review.app import SESSION_COOKIE
from tests.review.conftest import (
    ANALYST,
    PASSWORD,
    Site,
    client_for,
    login,
    page_token,
    status_of,
)

PUBLIC = {"/health", "/login"}


def routes(client: TestClient) -> list[BaseRoute]:
    app = client.app
    assert isinstance(app, Starlette)
    return app.routes


def test_every_answer_carries_the_security_headers(client: TestClient) -> None:
    for response in (
        client.get("/login"),
        client.get("/queue"),
        client.get("/nowhere"),
        client.get("/health"),
        client.get("/static/review.css"),
    ):
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["x-frame-options"] == "DENY"


def test_pages_send_the_visitor_to_log_in_and_back(client: TestClient) -> None:
    response = client.get("/queue?status=all")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fqueue%3Fstatus%3Dall"
    answer = login(client, ANALYST, PASSWORD, next_page="/queue?status=all")
    assert answer.headers["location"] == "/queue?status=all"


def test_every_route_but_health_and_login_needs_a_log_in(client: TestClient) -> None:
    for route in routes(client):
        if not isinstance(route, Route) or route.path in PUBLIC:
            continue
        path = route.path.replace("{match_id:int}", "1").replace("{claim_id:int}", "1")
        path = path.replace("{post_id:int}", "1").replace("{platform}", "telegram")
        path = path.replace("{handle}", "x").replace("{sha}", "a" * 64).replace("{second}", "1")
        for method in route.methods or ():
            if method == "HEAD":
                continue
            response = client.request(method, path)
            expected = 401 if path.startswith("/api/") else 303
            assert response.status_code == expected, f"{method} {path}"


def test_api_answers_401_with_json(client: TestClient) -> None:
    response = client.get("/api/matches")
    assert response.status_code == 401
    assert response.json() == {"error": "log-in required: send 'Authorization: Bearer <token>'"}


def test_health_is_public_and_short(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_wrong_password_and_unknown_user_get_the_same_answer(client: TestClient) -> None:
    wrong = login(client, ANALYST, "not the password")
    unknown = login(client, "nobody", PASSWORD)
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert "Wrong user name or password." in response.text
    assert client.get("/queue").status_code == 303


def test_an_unknown_name_takes_as_long_to_refuse_as_a_wrong_password(client: TestClient) -> None:
    """Otherwise the time an answer takes tells which user names exist."""

    def refusal_time(name: str) -> float:
        times = []
        for _ in range(3):
            token = page_token(client, "/login")
            form = {"name": name, "password": "not the password", "csrf_token": token}
            start = time.perf_counter()
            assert client.post("/login", data=form).status_code == 401
            times.append(time.perf_counter() - start)
        return min(times)

    assert refusal_time("nobody") > refusal_time(ANALYST) / 3


def test_session_cookie_is_httponly_strict_and_expires(client: TestClient) -> None:
    response = login(client, ANALYST, PASSWORD)
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
    assert f"Max-Age={12 * 3600}" in cookie
    assert "secure" not in cookie.lower()  # plain http on 127.0.0.1


def test_logging_in_replaces_the_session(client: TestClient) -> None:
    client.get("/login")
    before = client.cookies.get(SESSION_COOKIE)
    login(client, ANALYST, PASSWORD)
    assert client.cookies.get(SESSION_COOKIE) != before
    assert client.get("/queue").status_code == 200


@pytest.mark.parametrize(
    "target", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:x"]
)
def test_log_in_never_redirects_off_site(client: TestClient, target: str) -> None:
    response = login(client, ANALYST, PASSWORD, next_page=target)
    assert response.headers["location"] == "/"


def test_repeated_failures_lock_the_name_out(client: TestClient) -> None:
    for _ in range(5):
        assert login(client, ANALYST, "guess").status_code == 401
    locked = login(client, ANALYST, PASSWORD)
    assert locked.status_code == 429
    assert "Too many failed log-ins" in locked.text
    assert client.get("/queue").status_code == 303


def test_logout_ends_the_session(writer: TestClient) -> None:
    token = page_token(writer)
    assert writer.post("/logout", data={"csrf_token": token}).status_code == 303
    assert writer.get("/queue").status_code == 303


def test_logout_voids_a_copied_session_cookie_but_not_api_tokens(
    writer: TestClient, fresh: Site
) -> None:
    stolen = writer.cookies.get(SESSION_COOKIE)
    token = api_token(fresh.store, fresh.settings, ANALYST)
    assert writer.post("/logout", data={"csrf_token": page_token(writer)}).status_code == 303
    with client_for(fresh) as thief:
        thief.cookies.set(SESSION_COOKIE, stolen or "")
        assert thief.get("/queue").status_code == 303
        notebook = thief.get("/api/matches", headers={"Authorization": f"Bearer {token}"})
        assert notebook.status_code == 200
    assert login(writer, ANALYST, PASSWORD).status_code == 303  # logging in again works
    assert writer.get("/queue").status_code == 200


def test_signing_a_user_out_ends_their_sessions_everywhere(writer: TestClient, fresh: Site) -> None:
    with client_for(fresh) as laptop:
        assert login(laptop, ANALYST, PASSWORD).status_code == 303
        fresh.store.users.sign_out(ANALYST)
        assert laptop.get("/queue").status_code == 303
    assert writer.get("/queue").status_code == 303


def test_a_removed_user_is_logged_out(writer: TestClient, fresh: Site) -> None:
    fresh.store.users.remove(ANALYST)
    assert writer.get("/queue").status_code == 303


def test_other_host_names_are_refused(client: TestClient) -> None:
    response = client.get("/login", headers={"host": "rebind.evil.example"})
    assert response.status_code == 421
    assert "review.public_url" in response.text


def test_post_without_csrf_token_changes_nothing(writer: TestClient, fresh: Site) -> None:
    match = fresh.seeded.copy_match
    for data in ({"decision": "recycled"}, {"decision": "recycled", "csrf_token": "forged"}):
        response = writer.post(f"/matches/{match}/verdict", data=data)
        assert response.status_code == 403
        assert response.headers["content-type"].startswith("text/html")
        assert "did not come from this site" in response.text
        assert "Back to the queue" in response.text  # the site's own error page
    assert status_of(fresh.store, match) == "pending"
    assert fresh.store.verdicts.for_target("match", match) == []


def test_another_sessions_token_is_refused(logged_in: TestClient, site: Site) -> None:
    with TestClient(logged_in.app, base_url="http://127.0.0.1") as other:
        foreign = page_token(other, "/login")
    response = logged_in.post(
        f"/matches/{site.seeded.copy_match}/verdict",
        data={"decision": "recycled", "csrf_token": foreign},
    )
    assert response.status_code == 403


def test_every_state_changing_route_checks_the_token(logged_in: TestClient) -> None:
    for route in routes(logged_in):
        if not isinstance(route, Route) or "POST" not in (route.methods or ()):
            continue
        path = route.path.replace("{match_id:int}", "1").replace("{claim_id:int}", "1")
        response = logged_in.post(path, data={"decision": "recycled"})
        assert response.status_code == 403, path


def test_the_csrf_header_works_for_scripts(writer: TestClient, fresh: Site) -> None:
    token = page_token(writer)
    path = f"/api/matches/{fresh.seeded.copy_match}/verdict"
    refused = writer.post(path, json={"decision": "recycled"})
    assert refused.status_code == 403
    assert refused.json()["error"].startswith("This form has expired")
    accepted = writer.post(path, json={"decision": "recycled"}, headers={"X-CSRF-Token": token})
    assert accepted.status_code == 200
    assert accepted.json()["verdict"]["reviewer"] == "zainab"


def test_login_form_needs_its_token(client: TestClient) -> None:
    client.get("/login")
    response = client.post("/login", data={"name": ANALYST, "password": PASSWORD})
    assert response.status_code == 403
    assert "did not come from this site" in response.text


def test_oversized_forms_are_refused(logged_in: TestClient, site: Site) -> None:
    response = logged_in.post(
        f"/matches/{site.seeded.copy_match}/verdict", data={"note": "x" * 70_000}
    )
    assert response.status_code == 413
    assert "The form is too large." in response.text
    assert response.headers["content-type"].startswith("text/html")


def test_a_body_too_large_for_any_form_gets_the_error_page(
    logged_in: TestClient, site: Site
) -> None:
    """A script may send the CSRF token in its header, and then a body of any size."""
    token = page_token(logged_in)
    response = logged_in.post(
        f"/matches/{site.seeded.copy_match}/verdict",
        content=b"x" * (2 << 20),
        headers={"X-CSRF-Token": token, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert "at most 1,048,576 bytes are accepted" in response.text
    assert status_of(site.store, site.seeded.copy_match) == "pending"


def test_health_names_a_failing_check_with_503(site: Site) -> None:
    from review.app import create_app

    app = create_app(site.store, site.settings, health_checks=[lambda _store: "scheduler stopped"])
    with TestClient(app, base_url="http://127.0.0.1") as monitor:
        response = monitor.get("/health")
    assert response.status_code == 503
    assert response.json() == {"status": "failing", "problems": ["scheduler stopped"]}


def test_a_log_in_lasts_session_hours_however_busy(
    writer: TestClient, fresh: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = time.time()
    monkeypatch.setattr(time, "time", lambda: start + 11.9 * 3600)
    token = page_token(writer)
    decision = {"decision": "recycled", "csrf_token": token}
    # A decision re-signs the cookie, so the cookie alone would now last until 23.9 h.
    assert writer.post(f"/matches/{fresh.seeded.copy_match}/verdict", data=decision).is_redirect
    assert writer.get("/queue").status_code == 200
    monkeypatch.setattr(time, "time", lambda: start + 12.1 * 3600)
    assert writer.get("/queue").status_code == 303


def test_a_decision_sent_after_the_log_in_expired_comes_back_to_its_page(
    writer: TestClient, fresh: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    match = fresh.seeded.copy_match
    token = page_token(writer)
    start = time.time()
    monkeypatch.setattr(time, "time", lambda: start + 13 * 3600)
    decision = {"decision": "recycled", "csrf_token": token}

    sent = writer.post(f"/matches/{match}/verdict?status=all", data=decision)

    assert sent.status_code == 303
    form = writer.get(sent.headers["location"])
    assert "Your log-in had expired, so what you sent was not saved" in form.text
    assert f'name="next" value="/matches/{match}?status=all"' in form.text
    back = login(writer, ANALYST, PASSWORD, next_page=f"/matches/{match}?status=all")
    page = writer.get(back.headers["location"])
    assert page.status_code == 200 and f"Match {match}" in page.text
    assert status_of(fresh.store, match) == "pending"
    assert "continue to the page" not in form.text  # the analyst is not logged in any more
    # Logging out once the log-in expired just shows the log-in page.
    token = page_token(writer)
    monkeypatch.setattr(time, "time", lambda: start + 26 * 3600)
    logout = writer.post("/logout", data={"csrf_token": token})
    assert logout.headers["location"] == "/login"


def test_a_link_from_another_site_is_reopened_from_this_one(client: TestClient) -> None:
    """The Strict cookie is not sent on a link from an email; the page opens itself again."""
    cross = {"sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate"}
    response = client.get("/matches/1?status=all", headers=cross)
    assert response.status_code == 200
    assert '<meta http-equiv="refresh" content="0; url=/matches/1?status=all">' in response.text
    assert "set-cookie" not in response.headers
    hostile = client.get('/channels/telegram/"><script>x</script>', headers=cross)
    assert "<script>" not in hostile.text and "%3Cscript%3E" in hostile.text
    same_site = client.get("/matches/1", headers={**cross, "sec-fetch-site": "same-origin"})
    assert same_site.status_code == 303
    api = client.get("/api/matches", headers=cross)
    assert api.status_code == 401


@pytest.mark.parametrize("name", ["zain\x00ab", "zainab\x00", "\x00"])
def test_a_user_name_no_account_can_have_is_a_wrong_log_in(fresh: Site, name: str) -> None:
    with client_for(fresh) as client:
        response = login(client, name, PASSWORD)
    assert response.status_code == 401
    assert "Wrong user name or password." in response.text
