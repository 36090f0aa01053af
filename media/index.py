"""Find archived 64-bit frame hashes near a query hash: multi-index hashing in numpy.

Every hash is cut into three substrings (22, 21, 21 bits). Two hashes within distance 5
share a substring within distance 1 (pigeonhole), so probing the buckets of each query
substring and its one-bit neighbours finds every such hash; hashes up to the search
radius (10-12) are found when their differing bits are spread unevenly, which is most
of them. Candidates are then checked with an exact popcount. A bucket is keyed by the
top bits of a substring, about log2(hashes) - 2 of them, so it holds about four hashes
and a query touches 3 x (1 + key bits) buckets instead of every archived hash.

Memory per archived hash: the hash (8 bytes) and its position in three sort orders
(3 x 4 bytes), plus three bucket tables of 2^key-bits offsets, 3-6 bytes per hash:
about 23-26 bytes in all (bench/ measures it). Candidates of all probes are gathered in
one pass (`_expand_runs`) and checked before their query rows are worked out.
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
KEY_SLACK = 2  # buckets hold about 2^KEY_SLACK hashes: smaller tables, a few more checks


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
        self._order_all = np.zeros(0, np.uint32)  # the tables' sort orders, end to end
        self._starts: list[NDArray[np.uint32]] = []

    def __len__(self) -> int:
        return len(self._hashes)

    @property
    def nbytes(self) -> int:
        """Bytes held by the index (hashes, sort orders and bucket tables)."""
        tables = self._order_all.nbytes + sum(a.nbytes for a in self._starts)
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
        self._key_bits = min(22, max(12, math.ceil(math.log2(max(count, 2))) - KEY_SLACK))
        orders, self._starts = [], []
        for shift, bits in CHUNKS:
            keys = self._keys(self._hashes, shift, bits)
            order = np.argsort(keys, kind="stable").astype(np.uint32)
            counts = np.bincount(keys, minlength=1 << self._key_bits)
            starts = np.zeros(len(counts) + 1, np.uint32)
            np.cumsum(counts, out=starts[1:])
            orders.append(order)
            self._starts.append(starts)
        self._order_all = np.concatenate(orders)
        self._sorted = count

    def _keys(self, hashes: NDArray[np.uint64], shift: int, bits: int) -> NDArray[np.intp]:
        """The bucket key: the top `_key_bits` bits of a substring."""
        used = min(bits, self._key_bits)
        top = np.uint64(shift + bits - used)
        return ((hashes >> top) & np.uint64((1 << used) - 1)).astype(np.intp)

    def _search_sorted(self, queries: NDArray[np.uint64], radius: int) -> Found:
        if not self._sorted or not len(queries):
            return _empty()
        probe_begin: list[NDArray[np.int64]] = []
        probe_count: list[NDArray[np.int64]] = []
        probe_row: list[NDArray[np.intp]] = []
        for (shift, bits), starts in zip(CHUNKS, self._starts, strict=True):
            used = min(bits, self._key_bits)
            flips = np.concatenate([[0], 1 << np.arange(used)]).astype(np.intp)
            probes = (self._keys(queries, shift, bits)[:, None] ^ flips[None, :]).ravel()
            base = len(probe_begin) * self._sorted  # the tables' orders are stored end to end
            probe_begin.append(starts[probes].astype(np.int64) + base)
            probe_count.append((starts[probes + 1] - starts[probes]).astype(np.int64))
            probe_row.append(np.repeat(np.arange(len(queries)), len(flips)))
        begin, count = np.concatenate(probe_begin), np.concatenate(probe_count)
        row_of_probe = np.concatenate(probe_row)
        hit = count > 0
        begin, count, row_of_probe = begin[hit], count[hit], row_of_probe[hit]
        if not len(count):
            return _empty()
        entries = self._order_all[_expand_runs(begin, count)]
        asked = np.repeat(queries[row_of_probe], count)
        distance = np.bitwise_count(self._hashes[entries] ^ asked).astype(np.uint8)
        keep = np.flatnonzero(distance <= radius)
        probe = np.searchsorted(np.cumsum(count), keep, side="right")
        return _deduplicated(
            row_of_probe[probe].astype(np.intp),
            entries[keep].astype(np.intp),
            distance[keep],
            len(self._hashes),
        )

    def _search_pending(self, queries: NDArray[np.uint64], radius: int) -> Found:
        pending = self._hashes[self._sorted :]
        if not len(pending) or not len(queries):
            return _empty()
        distance = np.bitwise_count(queries[:, None] ^ pending[None, :])
        row, col = np.nonzero(distance <= radius)
        return Found(row, col + self._sorted, distance[row, col].astype(np.uint8))


def _deduplicated(
    rows: NDArray[np.intp], entries: NDArray[np.intp], distance: NDArray[np.uint8], size: int
) -> Found:
    """Each (query, entry) pair once: a hash near in two substrings is probed twice."""
    if not len(rows):
        return Found(rows, entries, distance)
    _, first = np.unique(rows.astype(np.int64) * size + entries, return_index=True)
    return Found(rows[first], entries[first], distance[first])


def _expand_runs(begin: NDArray[np.int64], count: NDArray[np.int64]) -> NDArray[np.int64]:
    """begin[0], begin[0]+1, ..., begin[0]+count[0]-1, begin[1], ...: every run's positions.

    One cumulative sum of steps (1 within a run, a jump between runs) instead of a repeat
    and an arange per run; `count` must be positive.
    """
    total = int(count.sum())
    step = np.ones(total, np.int64)
    first = np.cumsum(count) - count
    step[first[0]] = begin[0]
    step[first[1:]] = begin[1:] - (begin[:-1] + count[:-1] - 1)
    return np.cumsum(step)


def _empty() -> Found:
    return Found(np.zeros(0, np.intp), np.zeros(0, np.intp), np.zeros(0, np.uint8))


def brute_force(queries: NDArray[np.uint64], hashes: NDArray[np.uint64], radius: int) -> Found:
    """The exact answer (every pair within `radius`), for tests and as a baseline."""
    distance = np.bitwise_count(np.asarray(queries, np.uint64)[:, None] ^ hashes[None, :])
    row, col = np.nonzero(distance <= radius)
    return Found(row, col, distance[row, col].astype(np.uint8))
