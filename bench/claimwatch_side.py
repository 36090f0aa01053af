"""claimwatch's side of the benchmark: fingerprint every file, match every judged pair.

Uses only the public media API (fingerprint_file, the matcher and the index), at the
settings claimwatch ships with.
"""

from __future__ import annotations

from pathlib import Path

from bench.index_bench import Archive
from bench.report import PENDING, Row
from bench.truth import Truth

LABEL = "claimwatch"


def run_claimwatch(paths: dict[str, Path], truth: Truth, minutes: float) -> Row:
    try:
        from media import matcher  # noqa: F401
    except ImportError:
        return Row("claimwatch", LABEL, error=PENDING)
    return Row("claimwatch", LABEL, error=PENDING)


def claimwatch_index(archive: Archive) -> dict[str, float] | None:
    return None
