"""One service per archive: the lock on each backend, held and freed as an operator expects."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from claimwatch.service import runner
from claimwatch.service.jobs import JobSpec
from claimwatch.service.lock import ADVISORY_KEY, AlreadyRunningError, ServiceLock
from storage import Store
from tests.service.conftest import MakeConfig
from tests.service.process import Service
from tests.service.test_runner import settings_for


def test_a_second_lock_on_the_same_archive_is_refused_until_the_first_is_released(
    store: Store,
) -> None:
    first = ServiceLock(store.engine, store.data_dir)
    second = ServiceLock(store.engine, store.data_dir)
    with first:
        assert first.held()
        with pytest.raises(AlreadyRunningError, match="already runs on this"):
            second.acquire()
        assert not second.held()
    with second:  # released: the next service may start
        assert second.held()


def test_the_sqlite_lock_sits_beside_the_database_whatever_the_data_directory(
    store: Store,
) -> None:
    if store.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL locks the database itself")
    elsewhere = store.data_dir.parent / "another-data-dir"
    with ServiceLock(store.engine, store.data_dir) as lock:
        assert lock.path.name == "claimwatch.db.lock"
        with pytest.raises(AlreadyRunningError, match=str(lock.path)):
            ServiceLock(store.engine, elsewhere).acquire()


def test_a_lost_postgresql_lock_shows(store: Store) -> None:
    if store.engine.dialect.name != "postgresql":
        pytest.skip("a file lock cannot be lost while the process lives")
    lock = ServiceLock(store.engine, store.data_dir)
    with lock:
        assert lock.held()
        terminate_holder(store)
        assert not lock.held()
        with ServiceLock(store.engine, store.data_dir) as another:  # another service could start
            assert another.held()


def test_a_second_run_on_the_same_archive_exits_with_a_clear_message(
    service: Service, make_config: MakeConfig, tmp_path: Path
) -> None:
    make_config(collect={"interval_minutes": 60})
    service.start()
    service.wait_started()
    second = Service(service.config, tmp_path / "second.log", service.env)
    try:
        code = second.start().wait(60)
    finally:
        second.close()
    assert code == 1
    assert "cannot run: another `claimwatch run` already runs on this" in second.text()
    assert "job done" not in second.text() and "service started" not in second.text()
    assert service.stop()[0] == 0


def terminate_holder(store: Store) -> None:
    """Drop the connection holding the lock on this test's database, as a PostgreSQL
    restart does, and wait (up to 10 s) until its backend is gone."""
    with store.engine.connect() as connection:
        ended = connection.execute(
            text(
                "SELECT pg_terminate_backend(pid, 10000) FROM pg_locks "
                "WHERE locktype = 'advisory' AND ((classid::bigint << 32) | objid::bigint) = :key "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            ),
            {"key": ADVISORY_KEY},
        ).scalars()
        assert list(ended) == [True]


def test_a_lock_lost_with_its_connection_is_taken_again_unless_another_took_it(
    store: Store,
) -> None:
    if store.engine.dialect.name != "postgresql":
        pytest.skip("a file lock cannot be lost while the process lives")
    ours = ServiceLock(store.engine, store.data_dir)
    with ours:
        terminate_holder(store)
        assert not ours.held()
        ours.keep()
        assert ours.held()

        terminate_holder(store)
        second = ServiceLock(store.engine, store.data_dir)  # a service started meanwhile
        with second, pytest.raises(AlreadyRunningError):
            ours.keep()


def test_a_service_whose_lock_was_taken_stops(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def taken(_lock: ServiceLock) -> None:
        raise AlreadyRunningError("another `claimwatch run` already runs on this database")

    monkeypatch.setattr(runner, "LOCK_CHECK_SECONDS", 0.1)
    monkeypatch.setattr(ServiceLock, "keep", taken)
    ran: list[str] = []
    stop = threading.Event()
    jobs = [JobSpec("score", lambda *_: ran.append("score"), "interval", {"seconds": 60})]
    stopped = runner.serve_until_stopped(store, settings_for(store), jobs, None, stop)
    assert stopped.lock_lost and not stop.is_set()


HOLDER = """
import os, sys, time
from pathlib import Path
from sqlalchemy import create_engine
from claimwatch.service.lock import ServiceLock

lock = ServiceLock(create_engine(sys.argv[1]), Path(sys.argv[2]))
lock.acquire()
worker = os.fork()  # as the media job's worker processes are forked
if worker == 0:
    time.sleep(120)
    os._exit(0)
print(worker, flush=True)
time.sleep(120)
"""


def test_a_killed_service_leaves_no_lock_behind_in_its_orphaned_workers(
    store: Store, tmp_path: Path
) -> None:
    """`kill -9` (or the OOM killer) ends the service but not the workers it forked; they
    must not keep the lock, or no service could start again until they are found."""
    url = store.engine.url.render_as_string(hide_password=False)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, url, str(store.data_dir)], stdout=subprocess.PIPE
    )
    assert holder.stdout is not None
    worker = int(holder.stdout.readline())
    try:
        with pytest.raises(AlreadyRunningError):
            ServiceLock(store.engine, store.data_dir).acquire()
        holder.kill()
        holder.wait()
        deadline = time.monotonic() + 10  # the server notices the closed connection
        while True:
            try:
                with ServiceLock(store.engine, store.data_dir) as lock:
                    assert lock.held()
                break
            except AlreadyRunningError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        os.kill(worker, 0)  # the orphaned worker still runs: it holds nothing
    finally:
        holder.kill()
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker, signal.SIGKILL)
