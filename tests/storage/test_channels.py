"""A handle names one channel: the archive refuses another channel's posts under it, and
an archived channel can be moved to another name when its username passes to another."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from claimwatch.errors import ChannelIdMismatchError, InputError
from storage import Store
from storage.records import Batch, Channel, Checkpoint, MediaRef, Post, canonical_channel_id

WHEN = datetime(2024, 10, 29, 3, 15, tzinfo=UTC)
ARCHIVED = Channel("telegram", "sabreenS1", "-1001234567890", "صابرين نيوز")
SUCCESSOR = Channel("telegram", "sabreenS1", "-1009876543210", "Another channel")


def post(message_id: int, text: str = "نص", handle: str = "sabreenS1", **fields: object) -> Post:
    return Post(
        "telegram",
        handle,
        message_id,
        WHEN + timedelta(hours=message_id),
        text,
        "telegram",
        **fields,  # type: ignore[arg-type]
    )


def batch(channel: Channel, *posts: Post, checkpoint: str | None = None) -> Batch:
    mark = Checkpoint("telegram", channel.handle, checkpoint) if checkpoint else None
    return Batch(channel, posts, mark)


@pytest.mark.parametrize(
    ("external_id", "canonical"),
    [
        ("-1001234567890", "1234567890"),  # Telethon's marked id
        ("-1234567890", "1234567890"),  # the web preview's data-view
        ("1234567890", "1234567890"),  # a Telegram Desktop export
        ("-1000000000005", "5"),  # a small id keeps no zeros of the mark
        ("-5", "5"),
        ("5", "5"),
        ("1849293846839611392", "1849293846839611392"),  # an X user id
        (None, None),
        ("", None),
    ],
)
def test_every_form_of_an_id_has_one_canonical_form(
    external_id: str | None, canonical: str | None
) -> None:
    assert canonical_channel_id(external_id) == canonical


def test_a_batch_of_another_channel_under_the_handle_stores_nothing(
    store: Store, tmp_path: Path
) -> None:
    store.archive.ingest(batch(ARCHIVED, post(7, "first"), checkpoint="7"))
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"another channel's footage")
    other = batch(
        SUCCESSOR, post(7, "other"), post(2, media=(MediaRef("video", path=clip),)), checkpoint="2"
    )

    with pytest.raises(ChannelIdMismatchError) as refused:
        store.archive.ingest(other)

    message = str(refused.value)
    assert "\n" not in message and "sabreenS1" in message
    assert "1234567890" in message and "9876543210" in message
    assert "nothing was stored" in message
    assert "claimwatch channels rename telegram sabreenS1" in message and "disable" in message
    assert isinstance(refused.value, InputError)
    stored = store.archive.find("telegram", "sabreenS1", 7)
    assert stored is not None and [r.text for r in stored.revisions] == ["first"]
    assert store.archive.counts()["posts"] == 1 and store.archive.counts()["media_files"] == 0
    assert not list(store.files.root.glob("??/??/*"))
    assert store.archive.checkpoint("telegram", "sabreenS1") == "7"
    assert [c.external_id for c in store.archive.channels()] == ["-1001234567890"]


def test_the_same_channel_in_another_form_and_with_a_new_title_is_accepted(
    store: Store,
) -> None:
    store.archive.ingest(batch(ARCHIVED, post(1)))
    retitled = Channel("telegram", "sabreenS1", "-1234567890", "صابرين نيوز - عاجل")
    result = store.archive.ingest(batch(retitled, post(2)))
    exported = Channel("telegram", "sabreenS1", "1234567890")
    result += store.archive.ingest(batch(exported, post(3)))
    assert result.new_posts == 2
    (channel,) = store.archive.channels()
    assert channel.title == "صابرين نيوز - عاجل"


def test_a_channel_archived_without_an_id_takes_the_first_id_it_sees(store: Store) -> None:
    store.archive.ingest(batch(Channel("telegram", "sabreenS1"), post(1)))
    store.archive.ingest(batch(ARCHIVED, post(2)))
    assert [c.external_id for c in store.archive.channels()] == ["-1001234567890"]
    with pytest.raises(ChannelIdMismatchError):
        store.archive.ingest(batch(SUCCESSOR, post(3)))


def test_an_id_recorded_while_files_were_copied_is_checked_again(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another import may name the channel between the first check and the transaction."""
    store.archive.ingest(batch(Channel("telegram", "sabreenS1"), post(1)))
    put = store.files.put

    def put_while_another_channel_is_named(*args: object, **kwargs: object) -> object:
        store.archive.ingest(batch(ARCHIVED))
        return put(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store.files, "put", put_while_another_channel_is_named)
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"footage")
    with pytest.raises(ChannelIdMismatchError):
        store.archive.ingest(batch(SUCCESSOR, post(2, media=(MediaRef("video", path=clip),))))
    assert store.archive.counts()["posts"] == 1


def test_rename_moves_the_channel_and_everything_keyed_by_its_handle(store: Store) -> None:
    store.archive.ingest(batch(ARCHIVED, post(7, "first"), checkpoint="7"))
    store.archive.ingest(batch(ARCHIVED, post(7, "second")))
    gone = MediaRef("video", url="https://cdn.example/a.mp4", missing="download failed: 502")
    store.archive.ingest(batch(ARCHIVED, post(8, media=(gone,))))
    web = Checkpoint("telegram-web", "sabreenS1", "8")
    store.archive.ingest(Batch(ARCHIVED, (), web))
    store.archive.ingest(
        Batch(Channel("x", "sabreenS1", "42"), (), Checkpoint("x", "sabreenS1", "9"))
    )
    store.status.failure("telegram-web", "sabreenS1", "the page is gone")
    store.status.success("x", "sabreenS1")

    moved = store.channels.rename("telegram", "sabreenS1", "sabreenS1_2024")

    assert (moved.posts, moved.checkpoints, moved.statuses) == (2, 2, 1)
    kept = store.archive.find("telegram", "sabreenS1_2024", 7)
    assert kept is not None and [r.text for r in kept.revisions] == ["first", "second"]
    assert store.archive.find("telegram", "sabreenS1", 7) is None
    assert store.archive.checkpoint("telegram", "sabreenS1") is None
    assert store.archive.checkpoint("telegram-web", "sabreenS1_2024") == "8"
    assert store.archive.checkpoint("x", "sabreenS1") == "9"  # another platform's account
    health = {(h.source, h.channel): h.last_error for h in store.status.all()}
    assert health == {
        ("telegram-web", "sabreenS1_2024"): "the page is gone",
        ("x", "sabreenS1"): None,
    }
    later = datetime.now(UTC) + timedelta(minutes=1)
    assert [
        p.message_id for p in store.media_retries.due("telegram", "sabreenS1_2024", 3, later)
    ] == [8]
    assert store.media_retries.due("telegram", "sabreenS1", 3, later) == []

    fresh = store.archive.ingest(batch(SUCCESSOR, post(1, "the new channel"), checkpoint="1"))
    assert fresh.new_posts == 1
    assert {
        c.handle: c.external_id for c in store.archive.channels() if c.platform == "telegram"
    } == {
        "sabreenS1_2024": "-1001234567890",
        "sabreenS1": "-1009876543210",
    }


def test_rename_refuses_a_missing_channel_and_a_taken_name(store: Store) -> None:
    store.archive.ingest(batch(ARCHIVED, post(1)))
    store.archive.ingest(batch(Channel("telegram", "other", "-1005"), post(1, handle="other")))
    store.status.failure("telegram-web", "configured_only", "the page is gone")

    with pytest.raises(InputError, match="no telegram channel sabreenS2 in the archive"):
        store.channels.rename("telegram", "sabreenS2", "sabreenS1_2024")
    with pytest.raises(InputError, match="other is taken"):
        store.channels.rename("telegram", "sabreenS1", "other")
    with pytest.raises(InputError, match="configured_only is taken"):
        store.channels.rename("telegram", "sabreenS1", "configured_only")
    with pytest.raises(InputError, match="no x channel sabreenS1"):
        store.channels.rename("x", "sabreenS1", "sabreenS1_2024")
    assert {c.handle for c in store.archive.channels()} == {"sabreenS1", "other"}


def test_a_channel_that_changed_its_username_is_not_archived_twice(store: Store) -> None:
    store.archive.ingest(batch(ARCHIVED, post(7, "first"), checkpoint="7"))
    renamed = Channel("telegram", "sabreen_news", "-1234567890", "صابرين نيوز")  # web form

    with pytest.raises(ChannelIdMismatchError) as refused:
        store.archive.ingest(batch(renamed, post(1, "old post again", "sabreen_news")))

    assert "channel id 1234567890 is archived as @sabreenS1" in str(refused.value)
    assert "claimwatch channels rename telegram sabreenS1 sabreen_news" in str(refused.value)
    assert [c.handle for c in store.archive.channels()] == ["sabreenS1"]
    assert store.archive.counts()["posts"] == 1
    store.channels.rename("telegram", "sabreenS1", "sabreen_news")
    later = store.archive.ingest(batch(renamed, post(8, "next", "sabreen_news")))
    assert later.new_posts == 1 and store.archive.counts()["posts"] == 2
