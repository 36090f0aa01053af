"""The Hamming index finds what brute force finds, also after incremental additions."""

from __future__ import annotations

import numpy as np
import pytest

from media import index as index_module
from media.index import PARALLEL_QUERIES, PENDING_LIMIT, HammingIndex, brute_force
from media.windows import INDEXED


def flipped(hashes: np.ndarray, bits: int, rng: np.random.Generator) -> np.ndarray:
    out = hashes.copy()
    for i in range(len(out)):
        for bit in rng.choice(64, bits, replace=False):
            out[i] ^= np.uint64(1) << np.uint64(int(bit))
    return out


def pairs(found: object) -> set[tuple[int, int]]:
    return set(zip(found.query.tolist(), found.entry.tolist(), strict=True))  # type: ignore[attr-defined]


def test_every_hit_is_within_the_radius_and_near_copies_are_all_found() -> None:
    rng = np.random.default_rng(7)
    archive = rng.integers(0, 2**64, 50_000, dtype=np.uint64)
    index = HammingIndex()
    index.add(archive)
    sources = rng.integers(0, len(archive), 300)
    queries = flipped(archive[sources], 4, rng)
    found = index.search(queries, radius=10)
    exact = brute_force(queries, archive, radius=10)
    assert pairs(found) <= pairs(exact)
    assert {(i, int(s)) for i, s in enumerate(sources)} <= pairs(found)
    assert (found.distance <= 10).all()
    assert (found.distance == np.bitwise_count(queries[found.query] ^ archive[found.entry])).all()


def test_most_pairs_up_to_the_radius_are_found() -> None:
    rng = np.random.default_rng(8)
    archive = rng.integers(0, 2**64, 20_000, dtype=np.uint64)
    index = HammingIndex()
    index.add(archive)
    sources = rng.integers(0, len(archive), 400)
    found = pairs(index.search(flipped(archive[sources], 7, rng), radius=10))
    recall = np.mean([(i, int(s)) in found for i, s in enumerate(sources)])
    assert recall > 0.5  # beyond distance 5 the probes catch most pairs, not all


def test_incremental_additions_are_searchable_before_and_after_merging() -> None:
    rng = np.random.default_rng(9)
    first = rng.integers(0, 2**64, 10_000, dtype=np.uint64)
    index = HammingIndex()
    index.add(first)
    small = rng.integers(0, 2**64, 100, dtype=np.uint64)
    entries = index.add(small)
    assert entries.tolist() == list(range(10_000, 10_100))
    found = index.search(small, radius=0)
    assert set(found.entry.tolist()) >= set(entries.tolist())
    big = rng.integers(0, 2**64, PENDING_LIMIT + 1, dtype=np.uint64)
    index.add(big)  # past the limit: merged into the sorted tables
    everything = np.concatenate([first, small, big])
    queries = flipped(everything[rng.integers(0, len(everything), 200)], 2, rng)
    assert pairs(index.search(queries, 6)) == pairs(brute_force(queries, everything, 6))


@pytest.mark.parametrize("size", [186_000, 300_000])  # the worst and a usual table size
def test_memory_per_archived_frame_stays_within_64_bytes(size: int) -> None:
    rng = np.random.default_rng(10)
    index = HammingIndex()
    index.add(rng.integers(0, 2**64, size, dtype=np.uint64))
    assert index.nbytes / len(index) * len(INDEXED) <= 64


def test_keys_longer_than_a_substring_still_find_every_near_copy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Huge archives key buckets by 22 bits: the 21-bit substrings probe fewer buckets."""
    monkeypatch.setattr("media.index.KEY_SLACK", -12)
    rng = np.random.default_rng(12)
    archive = rng.integers(0, 2**64, 20_000, dtype=np.uint64)
    index = HammingIndex()
    index.add(archive)
    queries = flipped(archive[rng.integers(0, len(archive), 300)], 3, rng)
    assert pairs(index.search(queries, 5)) == pairs(brute_force(queries, archive, 5))


def test_an_empty_index_finds_nothing() -> None:
    found = HammingIndex().search(np.array([1, 2, 3], dtype=np.uint64), radius=8)
    assert len(found) == 0


def test_a_large_search_split_over_threads_finds_exactly_what_one_thread_finds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(10)
    archive = rng.integers(0, 2**64, 40_000, dtype=np.uint64)
    index = HammingIndex()
    index.add(archive)
    index.add(archive[:50])  # a few pending too: both parts of the answer are split
    queries = flipped(archive[rng.integers(0, len(archive), 3 * PARALLEL_QUERIES)], 3, rng)
    monkeypatch.setattr(index_module, "_threads", lambda: 3)
    split = index.search(queries, radius=10)
    monkeypatch.setattr(index_module, "_threads", lambda: 1)
    whole = index.search(queries, radius=10)
    assert len(whole) > 3 * PARALLEL_QUERIES
    for field in ("query", "entry", "distance"):
        assert np.array_equal(getattr(split, field), getattr(whole, field))
