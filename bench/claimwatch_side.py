"""claimwatch's side of the benchmark: fingerprint every file, match every pair.

Uses only the public media API (`scan_paths`, what `claimwatch media scan` runs, and the
Hamming index) at the settings claimwatch ships with: nothing is tuned on the corpus.
Until the matcher exists in this checkout the column says "pending".
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from bench.index_bench import Archive
from bench.parallel import cpu_seconds
from bench.report import PENDING, Row, from_decisions
from bench.truth import Pair, Truth

LABEL = "claimwatch"


def run_claimwatch(paths: dict[str, Path], truth: Truth, minutes: float) -> Row:
    """`media.scan.scan_paths` over the corpus, exactly as `claimwatch media scan` runs."""
    try:
        from media.scan import scan_paths
    except ImportError:
        return Row("claimwatch", LABEL, error=PENDING)
    root = next(iter(paths.values())).parent
    started = cpu_seconds()  # pool workers are reaped at the end, so their CPU counts
    report = scan_paths(root, list(paths.values()))
    total_cpu = cpu_seconds() - started
    if report.failed:
        return Row(
            "claimwatch",
            LABEL,
            error=f"scan failed on {report.failed[0].path}: {report.failed[0].error}",
        )
    fingerprint_cpu = sum(f.seconds_to_fingerprint for f in report.files)
    decisions: dict[Pair, str | None] = {}
    for match in report.matches:
        a, b = Path(match.a).stem, Path(match.b).stem
        for pair in ((a, b), (b, a)):
            if decisions.get(pair) != "copy":  # a copy outranks a same-scene lead
                decisions[pair] = match.kind
    row = Row(
        "claimwatch",
        LABEL,
        cpu_ms_per_min=fingerprint_cpu * 1000 / minutes,
        match_cpu_ms_per_min=(total_cpu - fingerprint_cpu) * 1000 / minutes,
    )
    return from_decisions(row, decisions, truth)


def claimwatch_index(archive: Archive) -> dict[str, dict[str, float]]:
    """The Hamming index on the archive: the plain query and the matcher's real one."""
    try:
        from config.settings import MediaSettings
        from media.index import HammingIndex
        from media.matcher import NOMINATE_EVERY
        from media.windows import INDEXED, WINDOWS
    except ImportError:
        return {}
    radius = MediaSettings().index_radius
    index = HammingIndex()
    index.add(archive.hashes)
    figures = {}
    # the matcher looks up every window of every other query frame, and of its mirror
    asked = archive.query[::NOMINATE_EVERY]
    extra = len(asked) * (2 * len(WINDOWS) - 1)
    rng = np.random.default_rng(11)
    full = np.concatenate([asked, rng.integers(0, 2**64, extra, dtype=np.uint64)])
    plain = "claimwatch HammingIndex"
    for name, queries in ((plain, archive.query), (f"{plain}, matcher's query", full)):
        index.search(queries[:8], radius)  # warm the tables once
        times = []
        for _ in range(5):  # the median of five: other work on the machine adds noise
            began = time.perf_counter()
            found = index.search(queries, radius)
            times.append((time.perf_counter() - began) * 1000)
        ms = float(np.median(times))
        media = archive.media[found.entry]
        hit = np.bincount(media).argmax() if len(media) else -1
        figures[name] = {
            "archived": float(len(archive.hashes)),
            "query_hashes": float(len(queries)),
            "query_ms": ms,
            "bytes_per_hash": index.nbytes / len(archive.hashes),
            "entries_per_frame": float(len(INDEXED)),
            "found": float(hit == archive.planted_media),
            "radius": float(radius),
        }
    return figures
