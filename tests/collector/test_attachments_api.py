"""Polls, places, contacts and dice through the telegram (API) source, as Telethon gives them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from telethon.tl import types

from collector.telethon_link import close_links
from storage import Store
from storage.attachments import parsed
from tests.collector.clock import FakeClock
from tests.collector.conftest import MakeSettings
from tests.collector.fake_telegram import FakeClient, message
from tests.collector.test_telegram_api import api_settings, run, stored

HOSTILE = ["NUL \x00", "half \ud83d", "<img src=x onerror=alert(1)>"]


def text(value: str) -> types.TextWithEntities:
    return types.TextWithEntities(value, [])


def poll(options: list[str], votes: list[int], closed: bool = False) -> types.MessageMediaPoll:
    answers = [types.PollAnswer(text(o), bytes([i])) for i, o in enumerate(options)]
    results = [types.PollAnswerVoters(bytes([i]), v) for i, v in enumerate(votes)]
    return types.MessageMediaPoll(
        poll=types.Poll(1, text("Which base next?"), answers, 0, closed=closed, quiz=True),
        results=types.PollResults(results=results, total_voters=sum(votes)),
    )


@pytest.fixture
def fake() -> Iterator[FakeClient]:
    place = types.GeoPoint(long=34.951925, lat=29.557669, access_hash=0)
    yield FakeClient(
        [
            message(1, "", media=poll(["Ain al-Asad", *HOSTILE], [3, 1, 0, 0])),
            message(2, "", media=types.MessageMediaVenue(place, "Port", "Eilat", "", "", "")),
            message(3, "Here", media=types.MessageMediaGeo(place)),
            message(4, "", media=types.MessageMediaContact("+9647", "Abu", "Ali", "", 0)),
            message(5, "", media=types.MessageMediaDice(6, "🎲")),
        ]
    )
    close_links()


def test_each_kind_is_archived_with_what_the_channel_posted(
    store: Store, make_settings: MakeSettings, clock: FakeClock, fake: FakeClient
) -> None:
    report = run(store, api_settings(make_settings), fake, clock)
    assert report.channels[0].new_posts == 5
    assert parsed(stored(store, 1).post.attachment) == {
        "kind": "poll", "question": "Which base next?", "options": ["Ain al-Asad", *HOSTILE],
        "closed": False, "quiz": True, "multiple_choice": False, "public_voters": False,
    }  # fmt: skip
    assert parsed(stored(store, 2).post.attachment) == {
        "kind": "venue", "latitude": 29.557669, "longitude": 34.951925,
        "title": "Port", "address": "Eilat",
    }  # fmt: skip
    assert parsed(stored(store, 3).post.attachment) == {
        "kind": "location", "latitude": 29.557669, "longitude": 34.951925, "live": False,
    }  # fmt: skip
    assert parsed(stored(store, 4).post.attachment) == {
        "kind": "contact", "first_name": "Abu", "last_name": "Ali", "phone": "+9647",
    }  # fmt: skip
    assert parsed(stored(store, 5).post.attachment) == {"kind": "dice", "emoji": "🎲", "value": 6}
    assert stored(store, 1).post.text == ""


def test_new_votes_are_no_revision_and_closing_the_poll_is(
    store: Store, make_settings: MakeSettings, clock: FakeClock, fake: FakeClient
) -> None:
    settings = api_settings(make_settings, recheck_recent=20)
    run(store, settings, fake, clock)
    first = stored(store, 1).post.attachment
    fake.messages[1].media = poll(["Ain al-Asad", *HOSTILE], [300, 12, 9, 4])
    assert run(store, settings, fake, clock).channels[0].revisions == 0
    fake.messages[1].media = poll(["Ain al-Asad", *HOSTILE], [300, 12, 9, 4], closed=True)
    assert run(store, settings, fake, clock).channels[0].revisions == 1
    revisions = stored(store, 1).revisions
    assert revisions[0].attachment == first
    assert [parsed(r.attachment)["closed"] for r in revisions] == [False, True]  # type: ignore[index]
