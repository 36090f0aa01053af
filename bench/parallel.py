"""Compute per-file signatures on every core, and count the CPU they really took.

Wall time on a shared 2-core machine is not a measure of anything; CPU time is. Each
worker measures its own CPU (all its threads, plus child processes such as ffmpeg) per
file, and the totals are summed, so running in parallel changes the wall time only.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

Compute = Callable[[Path], Any]


def cpu_seconds() -> float:
    """CPU of this process (all threads) plus its finished children."""
    own = time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own + children.ru_utime + children.ru_stime


def _one(compute: Compute, name: str, path: Path) -> tuple[str, Any, float, str]:
    started = cpu_seconds()
    try:
        value, error = compute(path), ""
    except Exception as failure:  # reported in the method's row, never hidden
        value, error = None, f"{path.name}: {type(failure).__name__}: {failure}"
    return name, value, cpu_seconds() - started, error


def map_files(
    compute: Compute, paths: dict[str, Path], workers: int = 2
) -> tuple[dict[str, Any], float, str]:
    """(signature per name, total CPU seconds, first error) of `compute` over the files.

    `compute` must be a module-level function (it is sent to worker processes).
    """
    names = list(paths)
    with ProcessPoolExecutor(workers) as pool:
        done = list(pool.map(_one, [compute] * len(names), names, [paths[n] for n in names]))
    errors = [e for *_, e in done if e]
    return (
        {n: v for n, v, _, e in done if not e},
        sum(c for _, _, c, _ in done),
        (errors[0] if errors else ""),
    )
