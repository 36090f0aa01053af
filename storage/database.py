"""Open the archive database and bring its schema up to date with Alembic.

Every claimwatch process upgrades the schema when it opens the archive, so two started
at once on a new archive (the service and the review page, say) would both create the
same tables. The upgrade holds the database's own lock (a PostgreSQL advisory lock, an
exclusive SQLite transaction) for its whole run: the second process waits, then finds the
schema current and changes nothing.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError
from sqlalchemy.orm import Session

from claimwatch.errors import StorageError
from claimwatch.text import counted

MIGRATIONS = Path(__file__).parent / "migrations"
MIGRATION_LOCK = 0x636C61696D736368  # "claimsch": the schema's PostgreSQL advisory lock
# How long a process waits for another one's upgrade (a large archive's takes minutes).
MIGRATION_WAIT_SECONDS = 15 * 60
WAL_WAIT_SECONDS = 30.0  # as long as SQLite's own wait for a lock (`create`)


def normalise_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs given in the common short form."""
    for short in ("postgresql://", "postgres://"):
        if url.startswith(short):
            return "postgresql+psycopg://" + url[len(short) :]
    return url


def create(url: str) -> Engine:
    """An engine for `url`; SQLite gets WAL, foreign keys and a generous busy timeout."""
    url = normalise_url(url)
    _check_url(url)
    try:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"timeout": 30})
            event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        return create_engine(url, pool_pre_ping=True)
    except ImportError as exc:
        raise StorageError(
            f"storage.database_url needs the database driver {exc.name!r}, which is not "
            "installed; postgresql:// URLs use psycopg 3"
        ) from None


def _check_url(url: str) -> None:
    """Refuse, naming the setting, a URL that is not SQLite or PostgreSQL (the only two
    databases the archive's queries are written for)."""
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError:
        # The URL is not shown: it may hold a password.
        raise StorageError(
            "storage.database_url is not a database URL; use sqlite:////path/to/claimwatch.db "
            "or postgresql://user@host:5432/database"
        ) from None
    if backend not in ("sqlite", "postgresql"):
        raise StorageError(
            f"storage.database_url names a {backend!r} database; claimwatch keeps its archive "
            "in SQLite (sqlite:///...) or PostgreSQL (postgresql://...)"
        )


def chunks(ids: list[int], size: int = 500) -> Iterator[list[int]]:
    """Slices of `ids` small enough for one IN (...) on every database."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def insert_for(session: Session, table: Any) -> Any:
    """An INSERT of the session's own dialect, which can say what to do on a conflict."""
    module = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return module.insert(table)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    _write_ahead_log(cursor)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def _write_ahead_log(cursor: Any) -> None:
    """Put the file in WAL mode, which it keeps once set. Switching a new file takes a lock
    SQLite does not wait for: when another process switches it at the same instant (two
    claimwatch commands started together on a new archive), SQLite answers "database is
    locked" at once, so the switch is tried again for up to WAL_WAIT_SECONDS."""
    deadline = time.monotonic() + WAL_WAIT_SECONDS
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> None:
    """Apply every migration not yet applied; safe to call at every start, from any number
    of processes at once."""
    try:
        if not pending_migrations(engine):
            return  # the usual start: no lock, so no wait behind another process's writes
        with engine.begin() as connection:
            _lock_schema(connection)
            config = alembic_config(engine)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except OperationalError as exc:
        raise StorageError(f"cannot reach the database {engine.url!r}: {exc.orig}") from None
    except DatabaseError as exc:  # a file that is not a SQLite database, for one
        raise StorageError(f"cannot open the database {engine.url!r}: {exc.orig}") from None
    except CommandError:
        raise StorageError(_newer_schema(engine)) from None


def _lock_schema(connection: Connection) -> None:
    """Take the database's lock for the rest of this transaction, waiting for another
    process's upgrade; a StorageError when it lasts over MIGRATION_WAIT_SECONDS."""
    try:
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"SET LOCAL lock_timeout = '{MIGRATION_WAIT_SECONDS}s'"))
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        else:
            usual = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
            connection.exec_driver_sql(f"PRAGMA busy_timeout = {MIGRATION_WAIT_SECONDS * 1000}")
            connection.exec_driver_sql("BEGIN EXCLUSIVE")
            connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(usual or 0)}")
    except OperationalError as exc:
        raise StorageError(
            f"the database {connection.engine.url!r} stayed locked for {_wait()} while another "
            f"claimwatch upgraded its schema or wrote to it ({exc.orig}); try again when that "
            "is done"
        ) from None


def _wait() -> str:
    seconds = MIGRATION_WAIT_SECONDS
    return counted(seconds // 60, "minute") if seconds % 60 == 0 else counted(seconds, "second")


def _newer_schema(engine: Engine) -> str:
    """Why Alembic could not upgrade: a schema revision this version does not know."""
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    return (
        f"the database {engine.url!r} has schema revision {current!r}, which this version of "
        f"claimwatch does not know (it knows up to {head!r}): it was made or upgraded by a "
        "newer claimwatch; run that version, or upgrade claimwatch"
    )


def pending_migrations(engine: Engine) -> bool:
    """True when the database's schema is older than this version of claimwatch."""
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return current != head
