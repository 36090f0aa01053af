"""One scheduler per archive: a lock so two `claimwatch run` processes never both schedule.

PostgreSQL: a session-level advisory lock held on a dedicated connection for the life of
the service. SQLite: an exclusive flock on a file beside the database (the database file
is what two processes would share, whatever their data directories). Both vanish when
the process dies, so a crashed service never leaves a stale lock behind: the workers it
forked do not keep them (their copies of the file and the connection are dropped at fork).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from claimwatch.errors import ServiceError

ADVISORY_KEY = 0x636C61696D  # "claim"
log = logging.getLogger("claimwatch.service")
_HELD: set[int] = set()  # the descriptors that hold a lock: the file, or the connection


def _drop_in_child() -> None:
    """A forked child (a media job's worker) lets go of the service's lock. Workers
    outlive a service killed with SIGKILL or by the OOM killer, and while they held the
    lock's file or connection, no service could start again until they were found."""
    if not _HELD:
        return
    null = os.open(os.devnull, os.O_RDWR)
    for descriptor in _HELD:  # the parent's lock stays: only this copy now points elsewhere
        with contextlib.suppress(OSError):
            os.dup2(null, descriptor)
    os.close(null)
    _HELD.clear()


os.register_at_fork(after_in_child=_drop_in_child)


def _socket(connection: Any) -> int:
    """The descriptor of a database connection's socket."""
    return int(connection.connection.dbapi_connection.fileno())


class AlreadyRunningError(ServiceError):
    """Another claimwatch service already schedules jobs on this archive."""


class ServiceLock:
    """Held while the service runs; `acquire` raises AlreadyRunningError when taken."""

    def __init__(self, engine: Engine, data_dir: Path) -> None:
        self._engine = engine
        self.path = lock_file(engine, data_dir)
        self._connection: Any = None
        self._backend_pid: int | None = None
        self._file: IO[str] | None = None
        self._descriptor: int | None = None  # the one a forked child must let go of

    def acquire(self) -> None:
        if self._engine.dialect.name == "postgresql":
            self._acquire_advisory()
        else:
            self._acquire_file()

    def held(self) -> bool:
        """Still ours? A PostgreSQL lock dies with its connection (a database restart)."""
        if self._file is not None:
            return True
        if self._backend_pid is None:
            return False
        query = text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
            "AND pid = :pid AND ((classid::bigint << 32) | objid::bigint) = :key"
        )
        with self._engine.connect() as connection:
            found = connection.execute(query, {"pid": self._backend_pid, "key": ADVISORY_KEY})
            return bool(found.scalar())

    def keep(self) -> None:
        """Take the lock again if its connection dropped (a database restart); raises
        AlreadyRunningError if another service took it meanwhile, SQLAlchemyError if the
        database cannot be reached to tell."""
        if self.held():
            return
        log.warning("service lock lost with its database connection; taking it again")
        self.release()
        self.acquire()

    def _acquire_advisory(self) -> None:
        connection = self._engine.connect()
        taken = connection.execute(
            text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY}
        ).scalar()
        pid = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
        connection.commit()
        if not taken:
            connection.close()
            raise AlreadyRunningError(
                "another `claimwatch run` already runs on this database "
                f"({self._engine.url.render_as_string(hide_password=True)}); stop it first, "
                "or use `claimwatch status` to see what it is doing"
            )
        self._connection, self._backend_pid = connection, int(pid)
        self._hold(_socket(connection))

    def _acquire_file(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            handle.close()
            raise AlreadyRunningError(
                f"another `claimwatch run` already runs on this archive (process {holder}, "
                f"lock {self.path}); stop it first, or use `claimwatch status` to see what "
                "it is doing"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle
        self._hold(handle.fileno())

    def _hold(self, descriptor: int) -> None:
        self._descriptor = descriptor
        _HELD.add(descriptor)

    def release(self) -> None:
        if self._descriptor is not None:  # known at acquire: a closed connection has none
            _HELD.discard(self._descriptor)
            self._descriptor = None
        if self._connection is not None:
            try:
                self._connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY}
                )
            except SQLAlchemyError as exc:  # gone with its connection: nothing left to free
                log.warning("could not release the service lock", extra={"error": str(exc)})
            with contextlib.suppress(SQLAlchemyError):
                self._connection.close()
            self._connection = self._backend_pid = None
        if self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None

    def __enter__(self) -> ServiceLock:
        self.acquire()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()


def lock_file(engine: Engine, data_dir: Path) -> Path:
    """`<database>.lock` beside a SQLite file; in the data directory for anything else."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if database and database != ":memory:" and not database.startswith("file:"):
        return Path(database).expanduser().resolve().with_name(Path(database).name + ".lock")
    return data_dir / "claimwatch.lock"
