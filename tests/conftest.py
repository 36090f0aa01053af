"""Shared fixtures: a fresh archive on SQLite, and on PostgreSQL when CI provides one.

Set CLAIMWATCH_TEST_POSTGRES_URL (for example postgresql://postgres@127.0.0.1:5432/postgres)
to run every storage-backed test on PostgreSQL too. Each test gets its own database,
copied from a migrated template, so tests never see each other's rows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from storage import Store, open_store
from storage.database import create, normalise_url, upgrade

POSTGRES_URL = os.environ.get("CLAIMWATCH_TEST_POSTGRES_URL", "")
BACKENDS = ["sqlite", "postgres"] if POSTGRES_URL else ["sqlite"]
MAX_MEDIA = 50 * 1024 * 1024


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A migrated PostgreSQL database to copy per test."""
    admin = create_engine(normalise_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    name = f"cw_template_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create(str(make_url(normalise_url(POSTGRES_URL)).set(database=name)))
    upgrade(engine)
    engine.dispose()
    yield name
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def postgres_database(template: str) -> tuple[str, object]:
    """A new database copied from the template: (url, dropper)."""
    admin = create_engine(normalise_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    name = f"cw_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    url = make_url(normalise_url(POSTGRES_URL)).set(database=name)
    return url.render_as_string(hide_password=False), drop


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'claimwatch.db'}"
        return
    url, drop = postgres_database(request.getfixturevalue("postgres_template"))
    yield url
    drop()  # type: ignore[operator]


@pytest.fixture(params=BACKENDS)
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database with no schema on each backend, for migrations from an old
    revision."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'claimwatch.db'}"
        return
    url, drop = postgres_database("template0")
    yield url
    drop()  # type: ignore[operator]


@pytest.fixture
def store(database_url: str, tmp_path: Path) -> Iterator[Store]:
    """A migrated, empty archive with its media folder under tmp_path."""
    opened = open_store(database_url, tmp_path / "data", MAX_MEDIA)
    yield opened
    opened.close()
