"""Numerical libraries kept on the calling thread while media/ works.

Matching multiplies, warps and blurs many small arrays. Left to themselves, numpy's BLAS
and OpenCV spread each call over every core, and their threads' waiting costs more CPU
than it saves time: on the benchmark, comparing all pairs took 128 s of CPU in 70 s
with their threads and 69 s of CPU in 69 s without. Parallelism comes from processes
instead (one video's pairs per core), so each works on one thread.

Only the process that forks the workers changes the limits: a forked child that asked
OpenBLAS for a thread count its parent's threads were using could wait forever.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import cv2
from threadpoolctl import threadpool_limits


@contextmanager
def single_threaded() -> Iterator[None]:
    """Within the block BLAS and OpenCV run on the calling thread (processes forked
    inside inherit it)."""
    previous = cv2.getNumThreads()
    cv2.setNumThreads(1)
    try:
        with threadpool_limits(limits=1, user_api="blas"):
            yield
    finally:
        cv2.setNumThreads(previous)
