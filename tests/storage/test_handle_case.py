"""A channel is the same channel whatever the case of its handle: posts, checkpoints,
status, deletions, filters and renames all find the one archived channel."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from claimwatch.errors import InputError
from scoring.arabic import normalize
from storage import Store
from storage.models import ChannelRow, SourceStatusRow
from storage.post_search import PostSearch
from storage.records import Batch, Channel, Checkpoint, Extraction, Match, MediaRef
from tests.storage.test_channels import post

WHEN = datetime(2024, 10, 29, 3, 15, tzinfo=UTC)
ARCHIVED = Channel("telegram", "sabreen_news", "-1001234567890", "صابرين نيوز")


def batch(channel: Channel, *message_ids: int, checkpoint: str | None = None) -> Batch:
    mark = Checkpoint("telegram-web", channel.handle, checkpoint) if checkpoint else None
    return Batch(channel, tuple(post(i, handle=channel.handle) for i in message_ids), mark)


def handles(store: Store) -> list[str]:
    return [c.handle for c in store.archive.channels()]


def recorded_apart(store: Store, *rows: ChannelRow | SourceStatusRow) -> None:
    """Rows as archives from before case was ignored may hold them: one channel, or its
    status, under two cases of its handle."""
    with store.sessions.begin() as session:
        session.add_all(rows)


def test_posts_under_another_case_of_a_handle_join_the_archived_channel(store: Store) -> None:
    store.archive.ingest(batch(Channel("telegram", "sabreen_news"), 1, 2, checkpoint="2"))

    again = store.archive.ingest(batch(Channel("telegram", "Sabreen_News"), 2, 3, checkpoint="3"))

    assert (again.new_posts, again.unchanged) == (1, 1)
    assert handles(store) == ["sabreen_news"]
    assert store.archive.counts()["posts"] == 3
    for spelling in ("sabreen_news", "Sabreen_News", "SABREEN_NEWS"):
        assert store.archive.checkpoint("telegram-web", spelling) == "3"
        found = store.archive.find("telegram", spelling, 3)
        assert found is not None and found.post.channel == "sabreen_news"
        assert [p.post.message_id for p in store.archive.iter_posts(channel=spelling)] == [1, 2, 3]
        assert store.archive.recent_message_ids("telegram", spelling, 2) == [3, 2]
    assert [(s, c) for s, c, _, _ in store.status.checkpoints()] == [
        ("telegram-web", "sabreen_news")
    ]


def test_a_known_channel_id_under_another_case_is_accepted(store: Store) -> None:
    store.archive.ingest(batch(ARCHIVED, 1))

    shouted = Channel("telegram", "SABREEN_NEWS", "-1234567890")
    result = store.archive.ingest(batch(shouted, 2))

    assert result.new_posts == 1
    assert handles(store) == ["sabreen_news"]


def test_deletions_found_under_another_case_are_recorded(store: Store) -> None:
    store.archive.ingest(batch(ARCHIVED, 1, 2, 3))

    gone = store.archive.mark_deleted("telegram", "Sabreen_News", [2, 3])

    assert gone == 2
    assert store.archive.recent_message_ids("telegram", "sabreen_news", 10) == [1]
    stored = store.archive.find("telegram", "sabreen_news", 2)
    assert stored is not None and stored.deleted_at is not None


def test_filters_by_channel_find_it_in_any_case(store: Store, tmp_path: Path) -> None:
    clips = []
    for name in ("a", "b"):
        clips.append(tmp_path / f"{name}.mp4")
        clips[-1].write_bytes(f"footage {name}".encode())
    failed = MediaRef("video", url="https://cdn.example/c.mp4", missing="download failed: 502")
    posts = (
        post(1, "استهداف ايلات", "sabreen_news", media=(MediaRef("video", path=clips[0]),)),
        post(2, handle="sabreen_news", media=(MediaRef("video", path=clips[1]), failed)),
    )
    store.archive.ingest(Batch(ARCHIVED, posts))
    first = store.archive.find("telegram", "sabreen_news", 1)
    second = store.archive.find("telegram", "sabreen_news", 2)
    assert first is not None and second is not None
    claim = store.claims.save(first.id, Extraction(is_claim=True, extractor="test"))
    a, b = first.media[0].sha256, second.media[0].sha256
    match = store.matches.upsert(Match(a, b, "copy", 0.97, (), "test"))
    search = PostSearch(store.sessions, store.files, normalize)
    later = datetime.now(UTC) + timedelta(minutes=1)

    for spelling in ("Sabreen_News", "SABREEN_NEWS"):
        assert [c.id for c in store.claims.list(channel=spelling)] == [claim]
        assert [m.id for m in store.matches.list(channel=spelling)] == [match.id]
        found, _ = search.find(["ايلات"], channel=spelling)
        assert [p.post.message_id for p in found] == [1]
        due = store.media_retries.due("telegram", spelling, 3, later)
        assert [p.message_id for p in due] == [2]
    assert store.claims.list(channel="sabreen") == []


def test_a_change_of_case_is_a_rename_the_archive_accepts(store: Store) -> None:
    store.archive.ingest(batch(ARCHIVED, 1, 2, checkpoint="2"))
    recorded_apart(
        store,
        SourceStatusRow(source="telegram-web", channel="sabreen_news", failures=0),
        SourceStatusRow(source="telegram-web", channel="Sabreen_News", failures=3),
    )

    moved = store.channels.rename("telegram", "SABREEN_NEWS", "Sabreen_News")

    assert (moved.old, moved.posts, moved.checkpoints, moved.statuses) == (
        "sabreen_news",
        2,
        1,
        1,
    )
    assert moved.case_only
    assert handles(store) == ["Sabreen_News"]
    assert store.archive.checkpoint("telegram-web", "Sabreen_News") == "2"
    assert [(h.source, h.channel, h.failures) for h in store.status.all()] == [
        ("telegram-web", "Sabreen_News", 0)
    ]
    assert store.archive.ingest(batch(ARCHIVED, 3)).new_posts == 1
    assert handles(store) == ["Sabreen_News"] and store.archive.counts()["posts"] == 3


def test_rename_refuses_a_name_another_channel_holds_in_any_case(store: Store) -> None:
    store.archive.ingest(batch(ARCHIVED, 1))
    store.archive.ingest(batch(Channel("telegram", "other", "-1005"), 1))
    store.status.failure("telegram-web", "Configured_Only", "the page is gone")

    with pytest.raises(InputError, match=r"OTHER is taken: .* \(as other\)"):
        store.channels.rename("telegram", "sabreen_news", "OTHER")
    with pytest.raises(InputError, match="Sabreen_News is taken"):
        store.channels.rename("telegram", "other", "Sabreen_News")
    with pytest.raises(InputError, match="configured_only is taken"):
        store.channels.rename("telegram", "sabreen_news", "configured_only")
    assert handles(store) == ["sabreen_news", "other"]


def test_two_channels_archived_under_one_handle_in_two_cases_stay_apart(store: Store) -> None:
    """Archives from before case was ignored may hold a channel twice; nothing is lost."""
    store.archive.ingest(batch(Channel("telegram", "abc"), 1, 2, checkpoint="2"))
    recorded_apart(store, ChannelRow(platform="telegram", handle="ABC", created_at=WHEN))
    store.archive.ingest(batch(Channel("telegram", "ABC"), 2, 3, checkpoint="3"))

    assert store.archive.ingest(batch(Channel("telegram", "ABC"), 4)).new_posts == 1
    assert store.archive.ingest(batch(Channel("telegram", "Abc"), 5)).new_posts == 1

    assert handles(store) == ["abc", "ABC"]
    assert [p.post.message_id for p in store.archive.iter_posts(channel="abc")] == [1, 2, 5]
    assert [p.post.message_id for p in store.archive.iter_posts(channel="ABC")] == [2, 3, 4]
    assert store.archive.checkpoint("telegram-web", "ABC") == "3"
    assert store.channels.spelling("telegram", "Abc").handle == "abc"
    note = store.channels.spelling("telegram", "ABC").note
    assert note is not None and "also archived as abc" in note
    assert "claimwatch channels rename telegram abc" in note
    with pytest.raises(InputError, match="abc and ABC"):
        store.channels.rename("telegram", "Abc", "abc_2023")
    store.channels.rename("telegram", "ABC", "ABC_2023")
    with pytest.raises(InputError, match="abc_2023 is taken"):
        store.channels.rename("telegram", "abc", "abc_2023")
    assert handles(store) == ["abc", "ABC_2023"]
    assert store.channels.spelling("telegram", "abc").note is None


@pytest.mark.parametrize(
    ("archived", "offered", "same"),
    [
        ("Öl_news", "ÖL_NEWS", True),  # the ASCII letters differ only by case
        ("Öl_news", "öl_news", False),  # Ö and ö are not folded
        ("صابرين نيوز", "صابرين نيوز", True),
        ("CAFÉ", "café", False),
    ],
)
def test_only_ascii_letters_are_folded(
    store: Store, archived: str, offered: str, same: bool
) -> None:
    """Titles filed as handles may be any text; every database compares them alike."""
    store.archive.ingest(batch(Channel("telegram", archived), 1))
    store.archive.ingest(batch(Channel("telegram", offered), 2))
    assert handles(store) == ([archived] if same else [archived, offered])


def test_a_channel_has_one_status_row_whatever_case_it_was_recorded_under(
    store: Store,
) -> None:
    recorded_apart(
        store, SourceStatusRow(source="telegram-web", channel="Sabreen_News", failures=1)
    )
    store.status.failure("telegram-web", "sabreen_news", "the page is gone")
    store.status.success("x", "sabreen_news")

    assert [(h.source, h.channel, h.failures) for h in store.status.all()] == [
        ("telegram-web", "sabreen_news", 2),
        ("x", "sabreen_news", 0),
    ]
    store.status.success("telegram-web", "SABREEN_NEWS")
    assert [(h.channel, h.failures) for h in store.status.all()] == [
        ("SABREEN_NEWS", 0),
        ("sabreen_news", 0),
    ]
