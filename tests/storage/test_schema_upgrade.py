"""The schema upgrade every process makes at start, also when two start at once."""

from __future__ import annotations

import multiprocessing
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest
from sqlalchemy import text

from claimwatch.errors import StorageError
from storage import database, open_store
from storage.database import MIGRATION_LOCK, create, pending_migrations
from tests.conftest import MAX_MEDIA


def open_at_once(url: str, data_dir: Path, start: Barrier, said: Queue[str]) -> None:
    """One claimwatch process starting: open the archive when every other one does."""
    start.wait()
    try:
        open_store(url, data_dir, MAX_MEDIA).close()
        said.put("opened")
    except Exception as exc:  # what the process would have printed before exiting
        said.put(f"{type(exc).__name__}: {exc}")


def test_two_processes_starting_at_once_on_a_new_archive_both_open_it(
    empty_url: str, tmp_path: Path
) -> None:
    """`claimwatch run` and `claimwatch serve` started together: one upgrades the schema,
    the other waits for it and finds the schema current."""
    spawn = multiprocessing.get_context("spawn")
    start, said = spawn.Barrier(2), spawn.Queue()
    processes = [
        spawn.Process(target=open_at_once, args=(empty_url, tmp_path / "data", start, said))
        for _ in range(2)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(120)
    assert [said.get(timeout=5) for _ in processes] == ["opened", "opened"]
    engine = create(empty_url)
    try:
        assert not pending_migrations(engine)
    finally:
        engine.dispose()


def test_a_process_kept_waiting_too_long_says_why(
    empty_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "MIGRATION_WAIT_SECONDS", 1)
    engine = create(empty_url)
    with engine.connect() as upgrading:  # another process's upgrade, never finishing
        if engine.dialect.name == "postgresql":
            upgrading.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
        else:
            upgrading.exec_driver_sql("BEGIN EXCLUSIVE")
        with pytest.raises(StorageError, match="stayed locked for 1 second while another"):
            open_store(empty_url, tmp_path / "data", MAX_MEDIA)
    engine.dispose()
