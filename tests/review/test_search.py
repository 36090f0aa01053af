"""Post search: Arabic spelling variants fold together, dates narrow, edits are seen."""

from __future__ import annotations

from datetime import UTC, datetime

from scoring.arabic import normalize
from storage import Store
from storage.post_search import PostSearch
from storage.records import Batch, Channel, Post, StoredPost

KH = Channel("telegram", "kataib_test")
OTHER = Channel("telegram", "other")


def post(message_id: int, day: int, text: str, channel: str = "kataib_test") -> Post:
    at = datetime(2024, 5, day, 12, tzinfo=UTC)
    return Post("telegram", channel, message_id, at, text, "tg-export")


def archive(store: Store) -> PostSearch:
    store.archive.ingest(Batch(KH, (
        post(1, 1, "استهداف ميناء إيلات بالطيران المسيّر"),
        post(2, 2, "بيان: استهداف ميناء ايلات"),
        post(3, 3, "قصف قاعدة عين الأسد"),
        post(4, 4, "Drone attack on EILAT port"),
    )))  # fmt: skip
    store.archive.ingest(Batch(OTHER, (post(9, 5, "إِيلَات", channel="other"),)))
    return PostSearch(store.sessions, store.files, normalize, cache_posts=3)


def ids(found: tuple[list[StoredPost], bool]) -> list[int]:
    return [p.post.message_id for p in found[0]]


def test_spelling_variants_match_newest_first(store: Store) -> None:
    search = archive(store)
    assert ids(search.find(["ايلات"])) == [9, 2, 1]
    assert ids(search.find(["إيلات", "ميناء"])) == [2, 1]
    assert ids(search.find(["eilat"])) == [4]
    assert ids(search.find(["غزة"])) == []


def test_dates_channel_and_limit_narrow_the_search(store: Store) -> None:
    search = archive(store)
    since, until = datetime(2024, 5, 2, tzinfo=UTC), datetime(2024, 5, 5, tzinfo=UTC)
    assert ids(search.find(["ايلات"], since=since, until=until)) == [2]
    assert ids(search.find(["ايلات"], channel="other")) == [9]
    assert ids(search.find([], channel="kataib_test", limit=2)) == [4, 3]
    assert search.find([], channel="kataib_test", limit=2)[1] is True


def test_an_edited_post_is_found_by_its_new_text(store: Store) -> None:
    search = archive(store)
    assert ids(search.find(["طبريا"])) == []
    store.archive.ingest(Batch(KH, (post(3, 3, "قصف قاعدة عين الأسد وطبريا"),)))
    assert ids(search.find(["طبريا"])) == [3]
    assert ids(search.find(["الاسد"])) == [3]
