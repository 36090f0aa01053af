"""The archive a `claimwatch --data-dir DATA` command opens, for tests that run the CLI."""

from __future__ import annotations

from pathlib import Path

from storage import Store, open_store


def data_dir_store(data: Path) -> Store:
    return open_store(f"sqlite:///{data / 'claimwatch.db'}", data, 50 * 2**20)
