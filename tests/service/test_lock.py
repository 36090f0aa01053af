"""One service per archive: the lock on each backend, held and freed as an operator expects."""

from __future__ import annotations

import pytest

from claimwatch.service.lock import AlreadyRunningError, ServiceLock
from storage import Store


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
        lock._connection.invalidate()  # the connection drops, as when the database restarts
        assert not lock.held()
        with ServiceLock(store.engine, store.data_dir) as another:  # another service could start
            assert another.held()
