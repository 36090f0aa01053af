"""The archive keeps every post as first seen, adds revisions, and never duplicates."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect

from claimwatch.errors import InputError
from storage import Store
from storage.records import Batch, Channel, Checkpoint, MediaRef, Post

CHANNEL = Channel("telegram", "sabreenS1", "1234567890", "صابرين نيوز", "Harakat al-Nujaba")
WHEN = datetime(2024, 10, 29, 3, 15, tzinfo=UTC)


def post(message_id: int, text: str = "نص", **fields: object) -> Post:
    return Post(
        "telegram",
        CHANNEL.handle,
        message_id,
        WHEN + timedelta(hours=message_id),
        text,
        "telegram-web",
        **fields,  # type: ignore[arg-type]
    )


def batch(*posts: Post, checkpoint: str | None = None) -> Batch:
    cp = Checkpoint("telegram-web", CHANNEL.handle, checkpoint) if checkpoint else None
    return Batch(CHANNEL, tuple(posts), cp)


def test_schema_is_created_by_migrations(store: Store) -> None:
    tables = set(inspect(store.engine).get_table_names())
    assert {
        "posts",
        "post_revisions",
        "media_files",
        "post_media",
        "checkpoints",
        "channels",
        "alembic_version",
    } <= tables


def test_ingesting_twice_adds_nothing(store: Store) -> None:
    first = store.archive.ingest(batch(post(1), post(2), checkpoint="2"))
    again = store.archive.ingest(batch(post(1), post(2), checkpoint="2"))
    assert (first.new_posts, again.new_posts, again.unchanged) == (2, 0, 2)
    assert store.archive.counts()["posts"] == 2
    assert store.archive.checkpoint("telegram-web", CHANNEL.handle) == "2"


def test_an_edit_adds_a_revision_and_keeps_the_first_text(store: Store) -> None:
    store.archive.ingest(batch(post(7, "استهدفنا هدفاً في أم الرشراش")))
    edited = post(7, "استهدفنا هدفين في أم الرشراش", edited_at=WHEN + timedelta(days=1))
    result = store.archive.ingest(batch(edited))
    stored = store.archive.find("telegram", CHANNEL.handle, 7)
    assert result.new_revisions == 1
    assert stored is not None
    assert stored.post.text == "استهدفنا هدفين في أم الرشراش"
    assert [r.text for r in stored.revisions] == [
        "استهدفنا هدفاً في أم الرشراش",
        "استهدفنا هدفين في أم الرشراش",
    ]
    assert stored.post.edited_at == WHEN + timedelta(days=1)


def test_an_older_copy_read_after_a_newer_one_changes_nothing(store: Store) -> None:
    """An older export imported after a newer one must not make the old text current."""
    first, second = "هدف واحد", "هدفان"
    edited = WHEN + timedelta(days=1)
    store.archive.ingest(batch(post(7, first)))
    store.archive.ingest(batch(post(7, second, edited_at=edited)))

    stale = store.archive.ingest(batch(post(7, first)))
    stale_edit = store.archive.ingest(batch(post(7, first, edited_at=edited - timedelta(hours=1))))

    assert (stale.new_revisions, stale_edit.new_revisions) == (0, 0)
    kept = store.archive.find("telegram", CHANNEL.handle, 7)
    assert kept is not None and kept.post.text == second
    # the channel really putting the first text back is a new revision
    back = store.archive.ingest(batch(post(7, first, edited_at=edited + timedelta(days=1))))
    again = store.archive.find("telegram", CHANNEL.handle, 7)
    assert back.new_revisions == 1 and again is not None and again.post.text == first
    assert [r.text for r in again.revisions] == [first, second, first]


def test_a_batch_of_new_and_known_posts_stores_each_once(store: Store) -> None:
    store.archive.ingest(batch(post(1), post(2, "أولى")))
    result = store.archive.ingest(batch(post(2, "ثانية"), post(3), post(1)))
    assert (result.new_posts, result.new_revisions, result.unchanged) == (1, 1, 1)
    second = store.archive.find("telegram", CHANNEL.handle, 2)
    assert second is not None and [r.text for r in second.revisions] == ["أولى", "ثانية"]
    assert store.archive.counts()["posts"] == 3


def test_a_batch_naming_a_message_twice_keeps_both_texts(store: Store) -> None:
    result = store.archive.ingest(batch(post(4, "قبل"), post(4, "بعد")))
    assert (result.new_posts, result.new_revisions) == (1, 1)
    stored = store.archive.find("telegram", CHANNEL.handle, 4)
    assert stored is not None
    assert [r.text for r in stored.revisions] == ["قبل", "بعد"]


def test_hostile_text_is_stored_verbatim(store: Store) -> None:
    text = "<script>alert(1)</script>\u202e<img src=x onerror=alert(2)> \"'\x00"
    store.archive.ingest(batch(post(3, text)))
    stored = store.archive.find("telegram", CHANNEL.handle, 3)
    assert stored is not None and stored.post.text == text


def test_dates_come_back_in_utc(store: Store) -> None:
    from zoneinfo import ZoneInfo

    baghdad = WHEN.astimezone(ZoneInfo("Asia/Baghdad"))
    store.archive.ingest(batch(dataclasses.replace(post(4), posted_at=baghdad)))
    stored = store.archive.find("telegram", CHANNEL.handle, 4)
    assert stored is not None
    assert stored.post.posted_at == WHEN and stored.post.posted_at.utcoffset() == timedelta(0)


def test_media_is_deduplicated_by_hash(store: Store, tmp_path: Path) -> None:
    clip = tmp_path / "launch.mp4"
    clip.write_bytes(b"same launch footage")
    copy = tmp_path / "copy.mp4"
    copy.write_bytes(b"same launch footage")
    store.archive.ingest(
        batch(
            post(5, media=(MediaRef("video", path=clip),)),
            post(6, media=(MediaRef("video", path=copy),)),
        )
    )
    assert store.archive.counts()["media_files"] == 1
    first = store.archive.find("telegram", CHANNEL.handle, 5)
    assert first is not None and first.media[0].path.read_bytes() == b"same launch footage"
    assert [p.post.message_id for p in store.archive.posts_with_media(first.media[0].sha256)] == [
        5,
        6,
    ]


def test_missing_media_is_recorded_with_its_reason(store: Store) -> None:
    store.archive.ingest(batch(post(8, media=(MediaRef("video", missing="Media is too big"),))))
    stored = store.archive.find("telegram", CHANNEL.handle, 8)
    assert stored is not None and stored.post.media[0].missing == "Media is too big"
    assert store.archive.counts()["media_missing"] == 1


def test_oversized_media_is_refused_and_the_post_kept(store: Store, tmp_path: Path) -> None:
    big = tmp_path / "big.mp4"
    big.write_bytes(b"x" * (store.files.max_bytes + 1))
    result = store.archive.ingest(batch(post(9, media=(MediaRef("video", path=big),))))
    stored = store.archive.find("telegram", CHANNEL.handle, 9)
    assert stored is not None and "over the media size limit" in (
        stored.post.media[0].missing or ""
    )
    assert result.errors and "over the media size limit" in result.errors[0]
    assert not list((store.files.root).glob("??/??/*"))


def test_deleted_posts_stay_in_the_archive(store: Store) -> None:
    store.archive.ingest(batch(post(10), post(11)))
    assert store.archive.mark_deleted("telegram", CHANNEL.handle, [10]) == 1
    stored = store.archive.find("telegram", CHANNEL.handle, 10)
    assert stored is not None and stored.deleted_at is not None
    assert store.archive.counts()["posts"] == 2 and store.archive.counts()["deleted_posts"] == 1


def test_a_failed_batch_writes_nothing(store: Store) -> None:
    naive = dataclasses.replace(post(13), posted_at=datetime(2024, 10, 1, 12, 0))
    with pytest.raises(InputError, match="date without a zone"):
        store.archive.ingest(batch(post(12), naive, checkpoint="13"))
    assert store.archive.counts()["posts"] == 0
    assert store.archive.checkpoint("telegram-web", CHANNEL.handle) is None


def test_iter_posts_is_oldest_first_and_filters(store: Store) -> None:
    store.archive.ingest(batch(post(3), post(1), post(2)))
    assert [p.post.message_id for p in store.archive.iter_posts()] == [1, 2, 3]
    since = WHEN + timedelta(hours=2)
    assert [p.post.message_id for p in store.archive.iter_posts(since=since)] == [2, 3]
    assert list(store.archive.iter_posts(channel="other")) == []


@pytest.mark.parametrize(
    "text",
    [
        "\x00",
        "\ue000",
        "\ue0000",
        "a\x00\ue000\x01b",
        "\ue000\x00\ue000",
        "cut inside an emoji \ud83d",
        "\udd25\ud83d",
        "\ud83d\udd25",
        "\ue000ud83d",
        "\ue000\ud83d\x00",
    ],
)
def test_any_text_round_trips_exactly(store: Store, text: str) -> None:
    store.archive.ingest(batch(post(20, text, author=text)))
    stored = store.archive.find("telegram", CHANNEL.handle, 20)
    assert stored is not None and (stored.post.text, stored.post.author) == (text, text)


@pytest.mark.parametrize("number", [0, -1, 2**31, 2**63, 10**20])
def test_a_number_no_row_can_have_finds_nothing(store: Store, number: int) -> None:
    """Numbers from addresses reach these look-ups; the database must not be asked."""
    assert store.archive.get(number) is None
    assert store.claims.get(number) is None and store.claims.for_post(number) is None
    assert store.matches.get(number) is None
    with pytest.raises(InputError, match=f"no match with id {number}"):
        store.matches.set_status(number, "recycled")
