"""Polls, places, contacts and dice kept with their posts, revised like text, migrated in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from storage import Store, open_store
from storage.attachments import attachment, parsed
from storage.database import alembic_config, create, upgrade
from storage.records import Batch, Channel, Post
from tests.conftest import MAX_MEDIA

CHANNEL = Channel("telegram", "pollchan", "1234567890", "Poll channel")
WHEN = datetime(2024, 10, 29, 3, 15, tzinfo=UTC)
HOSTILE = ["NUL \x00 here", "half \ud83d an emoji", "<script>alert(1)</script> & <b>"]
POLL = attachment("poll", question="Which target next?", options=["Eilat", "Haifa"], closed=False)


def post(message_id: int = 1, text: str = "", **fields: object) -> Post:
    fields = {"attachment": POLL, "source": "telegram", **fields}
    return Post("telegram", "pollchan", message_id, WHEN, text, **fields)  # type: ignore[arg-type]


def ingest(store: Store, *posts: Post) -> None:
    store.archive.ingest(Batch(CHANNEL, posts))


def stored_attachment(store: Store, message_id: int = 1) -> dict[str, object] | None:
    found = store.archive.find("telegram", "pollchan", message_id)
    assert found is not None
    return parsed(found.post.attachment)


def test_a_poll_comes_back_identical_with_hostile_options(store: Store) -> None:
    poll = attachment("poll", question=HOSTILE[0], options=HOSTILE, closed=True, quiz=False)
    venue = attachment("venue", latitude=29.557669, longitude=34.951925, title=HOSTILE[1])
    ingest(store, post(1, attachment=poll), post(2, "Here", attachment=venue))
    one, two = (store.archive.find("telegram", "pollchan", n) for n in (1, 2))
    assert one is not None and two is not None
    assert one.post.attachment == poll and two.post.attachment == venue
    assert parsed(poll) == {
        "kind": "poll", "question": HOSTILE[0], "options": HOSTILE, "closed": True, "quiz": False,
    }  # fmt: skip
    assert len(one.revisions) == 1 and one.revisions[0].attachment == poll


def test_an_edit_of_the_options_is_a_revision_and_the_first_is_kept(store: Store) -> None:
    ingest(store, post())
    edited = attachment(
        "poll", question="Which target next?", options=["Eilat", "Tel Aviv"], closed=False
    )
    later = WHEN + timedelta(hours=1)
    ingest(store, post(attachment=edited, edited_at=later))
    closed = attachment("poll", question="Which target next?", options=["Eilat", "Tel Aviv"],
                        closed=True)  # fmt: skip
    ingest(store, post(attachment=closed, edited_at=later))
    found = store.archive.find("telegram", "pollchan", 1)
    assert found is not None
    assert [r.attachment for r in found.revisions] == [POLL, edited, closed]
    assert found.post.attachment == closed
    assert store.archive.counts()["revisions"] == 2


def test_the_same_poll_seen_again_or_by_a_source_blind_to_it_is_no_revision(
    store: Store,
) -> None:
    ingest(store, post(views=10))
    ingest(store, post(views=900))  # votes and views moved: the poll itself did not
    ingest(store, post(attachment=None, source="telegram-web"))  # the preview shows no poll
    # An export says nothing of quizzes and writes six decimals; the API says more.
    api_place = attachment("location", latitude=31.50171234, longitude=34.4667891, live=False)
    export_place = attachment("location", latitude=31.501712, longitude=34.466789)
    ingest(store, post(2, "At", attachment=api_place), post(2, "At", attachment=export_place))
    found = store.archive.find("telegram", "pollchan", 1)
    assert found is not None and found.post.attachment == POLL and len(found.revisions) == 1
    assert store.archive.counts()["revisions"] == 0
    assert stored_attachment(store, 2) == parsed(api_place)


def test_a_text_edit_of_a_poll_post_keeps_the_poll(store: Store) -> None:
    ingest(store, post(text="Vote"))
    ingest(store, post(text="Vote now", attachment=None, source="telegram-web"))
    found = store.archive.find("telegram", "pollchan", 1)
    assert found is not None
    assert [(r.text, r.attachment) for r in found.revisions] == [("Vote", POLL), ("Vote now", POLL)]


def test_upgrade_from_0007_keeps_posts_as_they_were(empty_url: str, tmp_path: Path) -> None:
    engine = create(empty_url)
    command.upgrade(alembic_config(engine), "0007_alert_periods")
    with engine.begin() as connection:  # what 0007's code wrote: no attachment column
        connection.execute(
            sa.text(
                "INSERT INTO channels (platform, handle, created_at) "
                "VALUES ('telegram', 'pollchan', :at)"
            ),
            {"at": WHEN},
        )
        connection.execute(
            sa.text(
                "INSERT INTO posts (channel_id, message_id, posted_at, text, source, "
                "first_seen_at, last_seen_at) VALUES (1, 7, :at, 'نص <b>', 'telegram', :at, :at)"
            ),
            {"at": WHEN},
        )
    upgrade(engine)
    engine.dispose()
    store = open_store(empty_url, tmp_path / "data", MAX_MEDIA)
    try:
        found = store.archive.find("telegram", "pollchan", 7)
        assert found is not None
        assert (found.post.text, found.post.attachment, found.revisions[0].attachment) == (
            "نص <b>", None, None,
        )  # fmt: skip
        ingest(store, post(7, "نص <b>"))  # a later capture that sees the poll
        again = store.archive.find("telegram", "pollchan", 7)
        assert again is not None
        assert [r.attachment for r in again.revisions] == [None, POLL]
    finally:
        store.close()
