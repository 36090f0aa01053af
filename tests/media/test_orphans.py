"""A media worker whose parent was killed (SIGKILL, the OOM killer) exits instead of
waiting forever to hand over a result nobody reads."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time

PARENT = """
import os, time
from concurrent.futures import ProcessPoolExecutor
from media.orphans import exit_with_parent

def fingerprint_like(seconds):  # a large result, ready after the parent is gone
    time.sleep(seconds)
    return b"x" * 10_000_000

with ProcessPoolExecutor(1, initializer=exit_with_parent) as pool:
    print(pool.submit(os.getpid).result(), flush=True)
    pool.submit(fingerprint_like, 1.0)
    time.sleep(120)
"""


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie has exited
        return stat.read().split(") ")[-1][0] != "Z"


def test_a_worker_ends_when_the_process_that_forked_it_is_killed() -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE)
    assert parent.stdout is not None
    worker = int(parent.stdout.readline())
    try:
        assert alive(worker)
        parent.kill()
        parent.wait()
        deadline = time.monotonic() + 10
        while alive(worker) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not alive(worker)
    finally:
        parent.kill()
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker, signal.SIGKILL)
