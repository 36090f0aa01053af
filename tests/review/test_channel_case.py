"""A channel's address, and the filters by channel, name it in any case of its handle."""

from __future__ import annotations

from starlette.testclient import TestClient


def test_the_channel_page_answers_for_any_case_of_the_handle(reader: TestClient) -> None:
    for handle in ("kataib_test", "Kataib_Test", "KATAIB_TEST"):
        page = reader.get(f"/channels/telegram/{handle}")
        assert page.status_code == 200
        assert "<h1>Channel <bdi>kataib_test</bdi></h1>" in page.text
        assert "· 3 claims</p>" in page.text
        data = reader.get(f"/api/channels/telegram/{handle}").json()
        assert (data["channel"]["handle"], data["claims"]) == ("kataib_test", 3)
    assert reader.get("/channels/x/KATAIB_TEST").status_code == 404


def test_search_and_queue_filter_by_channel_in_any_case(reader: TestClient) -> None:
    found = reader.get("/api/search", params={"q": "ايلات", "channel": "KATAIB_TEST"}).json()
    assert {p["post"]["message_id"] for p in found["posts"]} == {1, 2}
    queue = reader.get("/api/matches", params={"channel": "Kataib_Test"}).json()
    assert len(queue["matches"]) == 2


def test_the_channel_filter_shows_the_channel_chosen_in_another_case(reader: TestClient) -> None:
    selected = '<option value="kataib_test" selected>'
    queue = reader.get("/queue", params={"channel": "Kataib_Test", "status": "all"})
    assert queue.status_code == 200 and selected in queue.text
    search = reader.get("/search", params={"q": "ايلات", "channel": "KATAIB_TEST"})
    assert search.status_code == 200 and selected in search.text
    assert selected not in reader.get("/search", params={"q": "ايلات"}).text
