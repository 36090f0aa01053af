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
    return PostSearch(store.sessions, store.files, normalize)


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


class CountingNormaliser:
    """scoring.arabic.normalize, counting the texts it is given."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, text: str) -> str:
        self.calls += 1
        return normalize(text)


def test_normalised_texts_are_kept_so_a_later_search_is_done_in_sql(store: Store) -> None:
    archive(store)
    first = CountingNormaliser()
    assert ids(PostSearch(store.sessions, store.files, first).find(["ايلات"])) == [9, 2, 1]
    assert first.calls == 6  # the word, then each of the five posts

    later = CountingNormaliser()  # another process, or the review page after a restart
    assert ids(PostSearch(store.sessions, store.files, later).find(["ايلات"])) == [9, 2, 1]
    assert ids(PostSearch(store.sessions, store.files, later).find(["eilat"])) == [4]
    assert later.calls == 2  # only the words


def test_an_edit_or_a_new_normaliser_redoes_only_what_changed(store: Store) -> None:
    archive(store)
    PostSearch(store.sessions, store.files, normalize).find([])
    store.archive.ingest(Batch(KH, (post(3, 3, "قصف قاعدة عين الأسد وطبريا"),)))

    counting = CountingNormaliser()
    assert ids(PostSearch(store.sessions, store.files, counting).find(["طبريا"])) == [3]
    assert counting.calls == 1 + 2  # the word, then the edited post's first and latest text

    upgraded = CountingNormaliser()
    search = PostSearch(store.sessions, store.files, upgraded, version=2)
    assert ids(search.find(["الاسد"])) == [3]
    assert upgraded.calls == 1 + 6  # every post again: five, one of them with an edit


def test_query_words_are_text_not_patterns(store: Store) -> None:
    store.archive.ingest(Batch(KH, (
        post(1, 1, "50% of the base"),
        post(2, 2, "500 drones"),
        post(3, 3, "file_1 \x00 hidden"),
        post(4, 4, "file21"),
    )))  # fmt: skip
    search = PostSearch(store.sessions, store.files, normalize)
    for _ in range(2):  # normalised in Python, then matched in SQL
        assert ids(search.find(["50%"])) == [1]
        assert ids(search.find(["file_1"])) == [3]
        assert ids(search.find(["hidden"])) == [3]
    found = store.archive.find("telegram", "kataib_test", 3)
    assert found is not None and found.post.text == "file_1 \x00 hidden"  # kept verbatim


def test_a_post_cut_inside_an_emoji_is_found_and_its_search_text_kept(store: Store) -> None:
    store.archive.ingest(Batch(KH, (post(1, 1, "Drone attack on Eilat \ud83d"),)))
    assert PostSearch(store.sessions, store.files, normalize).prepare() == 1
    counting = CountingNormaliser()
    assert ids(PostSearch(store.sessions, store.files, counting).find(["eilat"])) == [1]
    assert counting.calls == 1  # only the word: the post's search text was stored


def test_prepared_texts_leave_only_the_words_to_normalise(store: Store) -> None:
    archive(store)
    assert PostSearch(store.sessions, store.files, normalize).prepare() == 5
    assert PostSearch(store.sessions, store.files, normalize).prepare() == 0

    counting = CountingNormaliser()
    assert ids(PostSearch(store.sessions, store.files, counting).find(["ايلات"])) == [9, 2, 1]
    assert counting.calls == 1

    store.archive.ingest(Batch(KH, (post(3, 3, "قصف قاعدة عين الأسد وطبريا"),)))
    assert PostSearch(store.sessions, store.files, normalize).prepare() == 1


def test_a_search_stopped_by_its_limit_still_keeps_what_it_normalised(store: Store) -> None:
    archive(store)
    PostSearch(store.sessions, store.files, normalize).find([], limit=1)
    counting = CountingNormaliser()
    assert ids(PostSearch(store.sessions, store.files, counting).find(["ايلات"])) == [9, 2, 1]
    assert counting.calls == 1
