"""Fingerprints and matches in the archive, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from claimwatch.errors import InputError
from storage import Store
from storage.records import Batch, Channel, Fingerprint, Match, MatchKind, MediaRef, Post, Segment

WHEN = datetime(2024, 11, 2, 18, 30, tzinfo=UTC)


def archive_files(
    store: Store, tmp_path: Path, count: int, channel: str = "sabreenS1"
) -> list[str]:
    """`count` archived video files, each carried by its own post an hour apart."""
    posts = []
    for i in range(count):
        source = tmp_path / f"{channel}-{i}.mp4"
        source.write_bytes(f"not really a video {channel} {i}".encode())
        posts.append(
            Post(
                "telegram",
                channel,
                i + 1,
                WHEN + timedelta(hours=i),
                f"post {i}",
                "telegram-web",
                media=(MediaRef("video", path=source, mime="video/mp4"),),
            )
        )
    store.archive.ingest(Batch(Channel("telegram", channel), tuple(posts)))
    found = [store.archive.find("telegram", channel, i + 1) for i in range(count)]
    return [post.media[0].sha256 for post in found if post is not None]


def fingerprint(sha: str, algorithm: str = "cw-test-v1", data: bytes = b"\x01\x02") -> Fingerprint:
    return Fingerprint(sha, algorithm, 12, 3.5, data)


def match(a: str, b: str, kind: MatchKind = "copy", similarity: float = 0.9) -> Match:
    segments = (Segment(0.0, 4.0, 2.0, 6.0),)
    return Match(a, b, kind, similarity, segments, "cw-test-v1", first_posted=a)


def stored(store: Store, match: Match) -> int:
    """The id of a stored match (upsert always returns one)."""
    assert match.id is not None
    return match.id


def test_fingerprints_round_trip_and_replace(store: Store, tmp_path: Path) -> None:
    (sha,) = archive_files(store, tmp_path, 1)
    store.fingerprints.put(fingerprint(sha, data=b"first"))
    store.fingerprints.put(fingerprint(sha, "cw-test-v2", b"second"))
    got = store.fingerprints.get(sha)
    assert got == Fingerprint(sha, "cw-test-v2", 12, 3.5, b"second")
    assert store.fingerprints.get("0" * 64) is None
    assert store.fingerprints.count() == 1


def test_iter_all_filters_by_algorithm_in_chunks(store: Store, tmp_path: Path) -> None:
    shas = archive_files(store, tmp_path, 5)
    for i, sha in enumerate(shas):
        store.fingerprints.put(fingerprint(sha, "old" if i == 0 else "new"))
    assert sorted(f.sha256 for f in store.fingerprints.iter_all("new", chunk=2)) == sorted(shas[1:])
    assert len(list(store.fingerprints.iter_all())) == 5


def test_missing_lists_done_files_without_a_current_fingerprint(
    store: Store, tmp_path: Path
) -> None:
    old, fresh, absent, pending = archive_files(store, tmp_path, 4)
    for sha in (old, fresh, absent):
        store.media.set_status(sha, "done")
    store.fingerprints.put(fingerprint(old, "v1"))
    store.fingerprints.put(fingerprint(fresh, "v2"))
    assert set(store.fingerprints.missing("v2")) == {old, absent}
    assert pending not in store.fingerprints.missing("v2")


def test_upsert_is_idempotent_and_keeps_the_analysts_status(store: Store, tmp_path: Path) -> None:
    a, b = archive_files(store, tmp_path, 2)
    first = store.matches.upsert(match(a, b))
    reviewed = store.matches.set_status(stored(store, first), "recycled")
    again = store.matches.upsert(match(a, b, similarity=0.95))
    assert again.id == first.id and again.status == "recycled" == reviewed.status
    assert again.similarity == pytest.approx(0.95)
    assert again.segments == (Segment(0.0, 4.0, 2.0, 6.0),)
    assert len(store.matches.list()) == 1


def test_the_same_pair_found_the_other_way_round_is_one_match(store: Store, tmp_path: Path) -> None:
    a, b = archive_files(store, tmp_path, 2)
    first = store.matches.upsert(match(a, b))
    swapped = store.matches.upsert(match(b, a))
    assert swapped.id == first.id and (swapped.a, swapped.b) == (b, a)
    other_kind = store.matches.upsert(match(a, b, kind="same_scene"))
    assert other_kind.id != first.id


def test_for_media_list_filters_and_counts(store: Store, tmp_path: Path) -> None:
    a, b, c = archive_files(store, tmp_path, 3)
    (d,) = archive_files(store, tmp_path, 1, channel="kataibhezbollah")
    m1 = store.matches.upsert(match(a, b))
    m2 = store.matches.upsert(match(b, c, kind="same_scene"))
    m3 = store.matches.upsert(match(c, d))
    store.matches.set_status(stored(store, m3), "not_same")
    assert {m.id for m in store.matches.for_media(b)} == {m1.id, m2.id}
    assert [m.id for m in store.matches.list()] == [m3.id, m2.id, m1.id]
    assert [m.id for m in store.matches.list(kind="copy", status="pending")] == [m1.id]
    assert {m.id for m in store.matches.list(channel="kataibhezbollah")} == {m3.id}
    assert [m.id for m in store.matches.list(limit=1, offset=1)] == [m2.id]
    assert store.matches.counts() == {"pending": 2, "recycled": 0, "not_same": 1, "legitimate": 0}
    again = store.matches.get(stored(store, m2))
    assert again is not None and again.kind == "same_scene"
    assert store.matches.get(10_000) is None
    assert {m.id for m in store.matches.among({a, b, c})} == {m1.id, m2.id}
    assert store.matches.among({a, d}) == [] and store.matches.among(set()) == []


def test_bad_status_and_unknown_match_are_refused(store: Store, tmp_path: Path) -> None:
    a, b = archive_files(store, tmp_path, 2)
    kept = store.matches.upsert(match(a, b))
    with pytest.raises(InputError, match="unknown match status 'maybe'"):
        store.matches.set_status(stored(store, kept), "maybe")
    with pytest.raises(InputError, match="no match with id 999"):
        store.matches.set_status(999, "recycled")
    with pytest.raises(InputError, match="two different files"):
        store.matches.upsert(match(a, a))
    with pytest.raises(InputError, match="unknown match status"):
        store.matches.list(status="whatever")
