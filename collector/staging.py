"""Folders where a batch's media wait until the batch is stored.

A source downloads into a fresh folder, yields the batch, and the folder is removed when
the caller asks for the next batch (so after the batch is stored). A killed process leaves
its folders behind; `sweep` removes those of processes that no longer run.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class Staging:
    """Per-batch scratch folders under one root, named after the owning process."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @contextmanager
    def folder(self) -> Iterator[Path]:
        self.root.mkdir(parents=True, exist_ok=True)
        path = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=self.root))
        try:
            yield path
        finally:
            shutil.rmtree(path, ignore_errors=True)

    def sweep(self) -> int:
        """Remove folders left by processes that are gone; returns how many."""
        if not self.root.is_dir():
            return 0
        removed = 0
        for path in self.root.iterdir():
            owner = path.name.split("-", 1)[0]
            if path.is_dir() and owner.isdigit() and not _alive(int(owner)):
                shutil.rmtree(path, ignore_errors=True)
                removed += 1
        return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
