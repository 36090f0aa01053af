"""A SQLite-only database for tests of what the digest says or how it is delivered: the
database does not matter there (the once-a-day tests run on SQLite and PostgreSQL).
Import `database_url` from here into such a test module."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'claimwatch.db'}"
