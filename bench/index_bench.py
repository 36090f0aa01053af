"""Matching a new video against a million archived frame hashes: time and memory.

The archive holds 1,000,000 random 64-bit frame hashes plus the frames of one earlier
upload of the query video (its hashes with a few bits flipped, as a re-encode does). A
query is one minute of video at the fingerprint's sampling rate. The baseline is what
anyone would write first: numpy XOR + popcount over the whole archive per query hash.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

ARCHIVED = 1_000_000
QUERY_RATE = 4  # frame hashes per second of the query video
RADIUS = 10  # Hamming distance that counts as the same frame


@dataclass(frozen=True)
class Archive:
    hashes: np.ndarray  # uint64
    media: np.ndarray  # uint32 id of the archived file each hash belongs to
    times: np.ndarray  # float32 second of that frame
    query: np.ndarray  # the new video's hashes
    planted_media: int  # the id of the archived earlier upload of the query video


def make_archive(archived: int = ARCHIVED, seed: int = 5) -> Archive:
    rng = np.random.default_rng(seed)
    per_file = 240
    hashes = rng.integers(0, 2**64, archived, dtype=np.uint64)
    media = (np.arange(archived) // per_file).astype(np.uint32)
    times = ((np.arange(archived) % per_file) / QUERY_RATE).astype(np.float32)
    query = rng.integers(0, 2**64, 60 * QUERY_RATE, dtype=np.uint64)
    planted = archived // 2 // per_file
    start = planted * per_file
    flips = np.zeros(len(query), np.uint64)
    for _bit in range(3):  # a re-encode flips a few bits of each frame hash
        flips |= np.uint64(1) << rng.integers(0, 64, len(query)).astype(np.uint64)
    hashes[start : start + len(query)] = query ^ flips
    return Archive(hashes, media, times, query, planted)


def brute_force(archive: Archive, radius: int = RADIUS) -> dict[str, float]:
    """Figures of the numpy scan: one XOR + popcount pass over the archive per query hash."""
    times = []
    for _ in range(3):  # the median of three: other work on the machine adds noise
        started = time.perf_counter()
        votes: dict[int, int] = {}
        for q in archive.query:
            near = np.flatnonzero(np.bitwise_count(archive.hashes ^ q) <= radius)
            for m in archive.media[near]:
                votes[int(m)] = votes.get(int(m), 0) + 1
        times.append((time.perf_counter() - started) * 1000)
    elapsed = float(np.median(times))
    found = max(votes, key=lambda m: votes[m]) if votes else -1
    size = archive.hashes.nbytes + archive.media.nbytes + archive.times.nbytes
    return {
        "archived": float(len(archive.hashes)),
        "query_hashes": float(len(archive.query)),
        "query_ms": elapsed,
        "bytes_per_hash": size / len(archive.hashes),
        "entries_per_frame": 1.0,
        "found": float(found == archive.planted_media),
        "radius": float(radius),
    }
