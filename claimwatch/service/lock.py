"""One scheduler per archive: a lock so two `claimwatch run` processes never both schedule.

PostgreSQL: a session-level advisory lock held on a dedicated connection for the life of
the service. SQLite: an exclusive flock on a file beside the database. Both vanish when
the process dies, so a crashed service never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from sqlalchemy import Engine, text

from claimwatch.errors import ClaimwatchError

ADVISORY_KEY = 0x636C61696D  # "claim"


class AlreadyRunningError(ClaimwatchError):
    """Another claimwatch service already schedules jobs on this archive."""


class ServiceLock:
    """Held while the service runs; `acquire` raises AlreadyRunningError when taken."""

    def __init__(self, engine: Engine, data_dir: Path) -> None:
        self._engine = engine
        self._path = data_dir / "claimwatch.lock"
        self._connection: Any = None
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        if self._engine.dialect.name == "postgresql":
            self._acquire_advisory()
        else:
            self._acquire_file()

    def _acquire_advisory(self) -> None:
        connection = self._engine.connect()
        taken = connection.execute(
            text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY}
        ).scalar()
        connection.commit()
        if not taken:
            connection.close()
            raise AlreadyRunningError(
                "another claimwatch service already runs on this database; stop it first"
            )
        self._connection = connection

    def _acquire_file(self) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        handle = self._path.open("a+")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise AlreadyRunningError(
                f"another claimwatch service already runs on this archive (lock {self._path})"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle

    def release(self) -> None:
        if self._connection is not None:
            self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY})
            self._connection.close()
            self._connection = None
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
