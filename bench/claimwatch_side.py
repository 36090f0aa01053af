"""claimwatch's side of the benchmark: fingerprint every file, match every pair.

Uses only the public media API (fingerprint_file, Matcher, the scene finder, the
Hamming index) at the settings claimwatch ships with: nothing is tuned on the corpus.
Until the matcher exists in this checkout the column says "pending".
"""

from __future__ import annotations

import importlib
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench.index_bench import Archive
from bench.parallel import cpu_seconds, map_files
from bench.report import PENDING, Row, from_decisions
from bench.truth import Pair, Truth

LABEL = "claimwatch"


def _api() -> dict[str, Any] | None:
    try:
        from config.settings import MediaSettings
        from media.fingerprint import fingerprint_file
        from media.matcher import Matcher
    except ImportError:
        return None
    return {"settings": MediaSettings(), "fingerprint": fingerprint_file, "Matcher": Matcher}


def _fingerprint(path: Path) -> Any:
    from media.fingerprint import fingerprint_file

    return fingerprint_file(path)


def _scene_pairs(paths: dict[str, Path], fingerprints: dict[str, Any]) -> list[Any] | None:
    """Same-scene leads among the files, if this checkout has the scene finder."""
    try:
        scene = importlib.import_module("media.scene")
    except ImportError:
        return None
    finder = getattr(scene, "scene_pairs", None)
    return None if finder is None else list(finder(paths, fingerprints))


def run_claimwatch(paths: dict[str, Path], truth: Truth, minutes: float) -> Row:
    api = _api()
    if api is None:
        return Row("claimwatch", LABEL, error=PENDING)
    fingerprints, fingerprint_cpu, error = map_files(_fingerprint, paths)
    if error:
        return Row("claimwatch", LABEL, error=f"fingerprinting failed: {error}")
    started = cpu_seconds()
    matcher = api["Matcher"](api["settings"])
    matcher.add_many(fingerprints.items())
    results = list(matcher.all_pairs())
    scenes = _scene_pairs(paths, fingerprints)
    match_cpu = cpu_seconds() - started
    decisions: dict[Pair, str | None] = {}
    for result in [*results, *(scenes or [])]:
        for pair in ((result.a, result.b), (result.b, result.a)):
            if decisions.get(pair) != "copy":  # a copy outranks a same-scene lead
                decisions[pair] = result.kind
    row = Row("claimwatch", LABEL, cpu_ms_per_min=fingerprint_cpu * 1000 / minutes)
    row.match_cpu_ms_per_min = match_cpu * 1000 / minutes
    row = from_decisions(row, decisions, truth)
    if scenes is None:
        row.angles_same_scene = None
        row.error = "same-scene finder not in this checkout yet"
    return row


def claimwatch_index(archive: Archive) -> dict[str, dict[str, float]]:
    """The Hamming index on the archive: the plain query and the matcher's real one."""
    try:
        from config.settings import MediaSettings
        from media.index import HammingIndex
        from media.windows import INDEXED, WINDOWS
    except ImportError:
        return {}
    radius = MediaSettings().index_radius
    index = HammingIndex()
    index.add(archive.hashes)
    figures = {}
    # the matcher looks up every window of every query frame, and of its mirror image
    extra = len(archive.query) * (2 * len(WINDOWS) - 1)
    rng = np.random.default_rng(11)
    full = np.concatenate([archive.query, rng.integers(0, 2**64, extra, dtype=np.uint64)])
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
