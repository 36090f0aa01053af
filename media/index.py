"""Find archived 64-bit frame hashes near a query hash: multi-index hashing in numpy.

Every hash is cut into three substrings (22, 21, 21 bits). Two hashes within distance 5
share a substring within distance 1 (pigeonhole), so probing the buckets of each query
substring and its one-bit neighbours finds every such hash; hashes up to the search
radius (10-12) are found when their differing bits are spread unevenly, which is most
of them. Candidates are then checked with an exact popcount. A query touches
3 x (1 + 21) buckets instead of every archived hash.

Memory per archived hash: the hash (8 bytes) and its position in three sort orders
(3 x 4 bytes), plus three bucket tables of at most 2^22 offsets shared by all hashes.
Positions are the entry numbers callers use; entries are only ever appended.

New hashes go to a small pending list searched by brute force and are merged into the
sorted tables once it grows, so adding one video never re-sorts the archive.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

CHUNKS = ((42, 22), (21, 21), (0, 21))  # (shift, bits) of each substring
PENDING_LIMIT = 4096


@dataclass(frozen=True)
class Found:
    """Index results: query row, entry number and Hamming distance of each pair."""

    query: NDArray[np.intp]
    entry: NDArray[np.intp]
    distance: NDArray[np.uint8]

    def __len__(self) -> int:
        return len(self.query)


class HammingIndex:
    """Append-only multi-index hash table over uint64 hashes."""

    def __init__(self) -> None:
        self._hashes = np.zeros(0, np.uint64)
        self._sorted = 0  # entries [0, _sorted) are in the tables, the rest pending
        self._key_bits = 0
        self._orders: list[NDArray[np.uint32]] = []
        self._starts: list[NDArray[np.uint32]] = []

    def __len__(self) -> int:
        return len(self._hashes)

    @property
    def nbytes(self) -> int:
        """Bytes held by the index (hashes, sort orders and bucket tables)."""
        tables = sum(a.nbytes for a in self._orders) + sum(a.nbytes for a in self._starts)
        return self._hashes.nbytes + tables

    def add(self, hashes: NDArray[np.uint64]) -> NDArray[np.intp]:
        """Append hashes; returns their entry numbers."""
        first = len(self._hashes)
        self._hashes = np.concatenate([self._hashes, np.asarray(hashes, np.uint64).ravel()])
        if len(self._hashes) - self._sorted > PENDING_LIMIT:
            self._rebuild()
        return np.arange(first, len(self._hashes), dtype=np.intp)

    def search(self, queries: NDArray[np.uint64], radius: int) -> Found:
        """Every (query, entry) pair within `radius` found by the probes (see module doc)."""
        queries = np.asarray(queries, np.uint64).ravel()
        parts = [self._search_sorted(queries, radius), self._search_pending(queries, radius)]
        return Found(
            np.concatenate([p.query for p in parts]),
            np.concatenate([p.entry for p in parts]),
            np.concatenate([p.distance for p in parts]),
        )

    def _rebuild(self) -> None:
        count = len(self._hashes)
        self._key_bits = min(22, max(12, math.ceil(math.log2(max(count, 2)))))
        self._orders, self._starts = [], []
        for shift, bits in CHUNKS:
            keys = self._keys(self._hashes, shift, bits)
            order = np.argsort(keys, kind="stable").astype(np.uint32)
            counts = np.bincount(keys, minlength=1 << self._key_bits)
            starts = np.zeros(len(counts) + 1, np.uint32)
            np.cumsum(counts, out=starts[1:])
            self._orders.append(order)
            self._starts.append(starts)
        self._sorted = count

    def _keys(self, hashes: NDArray[np.uint64], shift: int, bits: int) -> NDArray[np.intp]:
        """The bucket key: the top `_key_bits` bits of a substring."""
        used = min(bits, self._key_bits)
        top = np.uint64(shift + bits - used)
        return ((hashes >> top) & np.uint64((1 << used) - 1)).astype(np.intp)

    def _search_sorted(self, queries: NDArray[np.uint64], radius: int) -> Found:
        if not self._sorted or not len(queries):
            return _empty()
        rows: list[NDArray[np.intp]] = []
        entries: list[NDArray[np.intp]] = []
        for (shift, bits), order, starts in zip(CHUNKS, self._orders, self._starts, strict=True):
            used = min(bits, self._key_bits)
            flips = np.concatenate([[0], 1 << np.arange(used)]).astype(np.intp)
            probes = (self._keys(queries, shift, bits)[:, None] ^ flips[None, :]).ravel()
            begin, count = starts[probes].astype(np.intp), (starts[probes + 1] - starts[probes])
            count = count.astype(np.intp)
            row = np.repeat(np.repeat(np.arange(len(queries)), len(flips)), count)
            within = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
            rows.append(row)
            entries.append(order[np.repeat(begin, count) + within].astype(np.intp))
        return _verified(
            queries,
            self._hashes,
            np.concatenate(rows),
            np.concatenate(entries),
            radius,
            dedupe=True,
        )

    def _search_pending(self, queries: NDArray[np.uint64], radius: int) -> Found:
        pending = self._hashes[self._sorted :]
        if not len(pending) or not len(queries):
            return _empty()
        distance = np.bitwise_count(queries[:, None] ^ pending[None, :])
        row, col = np.nonzero(distance <= radius)
        return Found(row, col + self._sorted, distance[row, col].astype(np.uint8))


def _verified(
    queries: NDArray[np.uint64],
    hashes: NDArray[np.uint64],
    rows: NDArray[np.intp],
    entries: NDArray[np.intp],
    radius: int,
    dedupe: bool,
) -> Found:
    distance = np.bitwise_count(hashes[entries] ^ queries[rows]).astype(np.uint8)
    keep = distance <= radius
    rows, entries, distance = rows[keep], entries[keep], distance[keep]
    if dedupe and len(rows):
        pair = rows.astype(np.int64) * len(hashes) + entries
        _, first = np.unique(pair, return_index=True)
        rows, entries, distance = rows[first], entries[first], distance[first]
    return Found(rows, entries, distance)


def _empty() -> Found:
    return Found(np.zeros(0, np.intp), np.zeros(0, np.intp), np.zeros(0, np.uint8))


def brute_force(queries: NDArray[np.uint64], hashes: NDArray[np.uint64], radius: int) -> Found:
    """The exact answer (every pair within `radius`), for tests and as a baseline."""
    distance = np.bitwise_count(np.asarray(queries, np.uint64)[:, None] ^ hashes[None, :])
    row, col = np.nonzero(distance <= radius)
    return Found(row, col, distance[row, col].astype(np.uint8))
