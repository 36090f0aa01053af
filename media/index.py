"""Find archived 64-bit frame hashes near a query hash: multi-index hashing in numpy.

Every hash is cut into three substrings (22, 21, 21 bits). Two hashes within distance 5
share a substring within distance 1 (pigeonhole), so probing the buckets of each query
substring and its one-bit neighbours finds every such hash; hashes up to the search
radius (10-12) are found when their differing bits are spread unevenly, which is most
of them. Candidates are then checked with an exact popcount. A bucket is keyed by the
top bits of a substring, round(log2(hashes)) - 1 of them, so it holds 1.4-2.8 hashes
and a query touches 3 x (1 + key bits) buckets instead of every archived hash.

Memory per archived hash: the hash (8 bytes) and its position in three sort orders
(3 x 4 bytes), plus three bucket tables of 2^key-bits starts, 4-8.5 bytes per hash:
24-28.5 bytes in all (bench/ measures it). The three tables are stored end to end, so
one gather finds every probed bucket of every query, and candidates of all probes are
checked in one pass (`_expand_runs`).
Positions are the entry numbers callers use; entries are only ever appended.

New hashes go to a small pending list searched by brute force and are merged into the
sorted tables once it grows, so adding one video never re-sorts the archive.

A large search (a minute of video asks about 4,000 hashes) is split over the cores in
threads: its time goes to gathers from tables too large for the cache, which numpy does
without the GIL, so two threads take about 60% of the time of one.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

CHUNKS = ((42, 22), (21, 21), (0, 21))  # (shift, bits) of each substring
PENDING_LIMIT = 4096
KEY_SLACK = 1  # buckets hold 1.4-2.8 hashes: tables of 4-8.5 bytes per hash
PARALLEL_QUERIES = 1024  # a search of this many hashes or more is split over the cores
MAX_THREADS = 4


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
        self._starts_all = np.zeros(1, np.int32)  # the tables' bucket starts, end to end

    def __len__(self) -> int:
        return len(self._hashes)

    @property
    def nbytes(self) -> int:
        """Bytes held by the index (hashes, sort orders and bucket tables)."""
        tables = self._order_all.nbytes + self._starts_all.nbytes
        return self._hashes.nbytes + tables

    def add(self, hashes: NDArray[np.uint64]) -> NDArray[np.intp]:
        """Append hashes; returns their entry numbers."""
        first = len(self._hashes)
        self._hashes = np.concatenate([self._hashes, np.asarray(hashes, np.uint64).ravel()])
        if len(self._hashes) - self._sorted > PENDING_LIMIT:
            self._rebuild()
        return np.arange(first, len(self._hashes), dtype=np.intp)

    def search(self, queries: NDArray[np.uint64], radius: int) -> Found:
        """Every (query, entry) pair within `radius` found by the probes (see module doc):
        pairs from the sorted tables by query, then those from the pending list."""
        queries = np.asarray(queries, np.uint64).ravel()
        threads = _threads() if len(queries) >= PARALLEL_QUERIES else 1
        chunks = np.array_split(queries, threads)
        starts = np.cumsum([0] + [len(c) for c in chunks[:-1]])

        def search_chunk(chunk: NDArray[np.uint64]) -> tuple[Found, Found]:
            return self._search_sorted(chunk, radius), self._search_pending(chunk, radius)

        if threads == 1:
            found = [search_chunk(queries)]
        else:  # a pool per search: a worker process forked meanwhile has no stale threads
            with ThreadPoolExecutor(threads) as pool:
                found = list(pool.map(search_chunk, chunks))
        parts = [
            (f[kind], int(start)) for kind in (0, 1) for f, start in zip(found, starts, strict=True)
        ]
        return Found(
            np.concatenate([p.query + start for p, start in parts]),
            np.concatenate([p.entry for p, _ in parts]),
            np.concatenate([p.distance for p, _ in parts]),
        )

    def _rebuild(self) -> None:
        count = len(self._hashes)
        self._key_bits = min(22, max(12, round(math.log2(max(count, 2))) - KEY_SLACK))
        size = 1 << self._key_bits
        position = np.int64 if 3 * count >= 2**31 else np.int32  # narrow: faster gathers
        orders, starts = [], []
        for table, (shift, bits) in enumerate(CHUNKS):
            keys = self._keys(self._hashes, shift, bits)
            orders.append(np.argsort(keys, kind="stable").astype(np.uint32))
            table_starts = np.zeros(size + 1, position)
            np.cumsum(np.bincount(keys, minlength=size), out=table_starts[1:])
            starts.append(table_starts + table * count)  # the orders are stored end to end
        self._order_all = np.concatenate(orders)
        # a last start closes the last table's end slot (see _probes)
        self._starts_all = np.concatenate([*starts, np.array([3 * count], position)])
        self._sorted = count

    def _keys(self, hashes: NDArray[np.uint64], shift: int, bits: int) -> NDArray[np.intp]:
        """The bucket key: the top `_key_bits` bits of a substring."""
        used = min(bits, self._key_bits)
        top = np.uint64(shift + bits - used)
        return ((hashes >> top) & np.uint64((1 << used) - 1)).astype(np.intp)

    def _probes(self, queries: NDArray[np.uint64]) -> NDArray[np.intp]:
        """Where in `_starts_all` each query's buckets start: (tables, queries, 1 + key bits).

        In every table, a query probes its own bucket and those one key bit away; a
        substring shorter than the key probes the empty slot at its table's end instead.
        """
        size = (1 << self._key_bits) + 1
        flips = (1 << np.arange(self._key_bits)).astype(np.intp)
        probes = np.full((len(CHUNKS), len(queries), 1 + self._key_bits), size - 1, np.intp)
        for table, (shift, bits) in enumerate(CHUNKS):
            keys = self._keys(queries, shift, bits)
            used = min(bits, self._key_bits)
            probes[table, :, 0] = keys
            probes[table, :, 1 : used + 1] = keys[:, None] ^ flips[None, :used]
            probes[table] += table * size
        return probes

    def _search_sorted(self, queries: NDArray[np.uint64], radius: int) -> Found:
        if not self._sorted or not len(queries):
            return _empty()
        probes = self._probes(queries)
        per_query = probes.shape[2]
        flat = probes.ravel()
        begin = self._starts_all[flat]
        count = self._starts_all[flat + 1] - begin
        hit = np.flatnonzero(count)
        if not len(hit):
            return _empty()
        begin, count = begin[hit], count[hit]
        rows = np.repeat((hit // per_query) % len(queries), count)  # each candidate's query
        entries = self._order_all[_expand_runs(begin, count)]
        distance = np.bitwise_count(self._hashes[entries] ^ queries[rows]).astype(np.uint8)
        keep = np.flatnonzero(distance <= radius)
        return _deduplicated(
            rows[keep].astype(np.intp),
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


def _expand_runs(
    begin: NDArray[np.signedinteger], count: NDArray[np.signedinteger]
) -> NDArray[np.signedinteger]:
    """begin[0], begin[0]+1, ..., begin[0]+count[0]-1, begin[1], ...: every run's positions.

    One cumulative sum of steps (1 within a run, a jump between runs) instead of a repeat
    and an arange per run; `count` must be positive.
    """
    total = int(count.sum())
    step = np.ones(total, begin.dtype)
    first = np.cumsum(count, dtype=begin.dtype) - count
    step[first[0]] = begin[0]
    step[first[1:]] = begin[1:] - (begin[:-1] + count[:-1] - 1)
    return np.cumsum(step, dtype=begin.dtype)


def _threads() -> int:
    """The cores this process may run on (the machine's, where that cannot be asked)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(MAX_THREADS, cores or 1))


def _empty() -> Found:
    return Found(np.zeros(0, np.intp), np.zeros(0, np.intp), np.zeros(0, np.uint8))


def brute_force(queries: NDArray[np.uint64], hashes: NDArray[np.uint64], radius: int) -> Found:
    """The exact answer (every pair within `radius`), for tests and as a baseline."""
    distance = np.bitwise_count(np.asarray(queries, np.uint64)[:, None] ^ hashes[None, :])
    row, col = np.nonzero(distance <= radius)
    return Found(row, col, distance[row, col].astype(np.uint8))
