"""Worker processes end with the process that forked them.

A service killed with SIGKILL (or by the OOM killer) takes none of its workers with it:
a forked worker waiting for its next file would wait forever, holding its memory. Each
worker of media/ watches its parent and exits once it is gone.
"""

from __future__ import annotations

import os
import threading
import time

POLL_S = 1.0


def exit_with_parent() -> None:
    """A process pool's initializer: a daemon thread ends this worker once the process
    that started it is gone (the worker is then re-parented)."""
    parent = os.getppid()
    threading.Thread(target=_watch, args=(parent,), daemon=True, name="parent-watch").start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(POLL_S)
    os._exit(1)
