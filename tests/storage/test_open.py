"""Opening an archive that cannot be used: each refusal names what is wrong, and nothing in
the database is changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from claimwatch.errors import StorageError
from storage import open_store
from tests.conftest import MAX_MEDIA


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "claimwatch.db"
    content = b"these are an analyst's notes, not a database " * 100
    path.write_bytes(content)
    with pytest.raises(StorageError, match=r"cannot open the database .*: file is not a database"):
        open_store(f"sqlite:///{path}", tmp_path, MAX_MEDIA)
    assert path.read_bytes() == content


def test_a_data_directory_that_is_a_file_is_refused(tmp_path: Path) -> None:
    where = tmp_path / "data"
    where.write_text("x")
    with pytest.raises(StorageError, match=rf"the data directory {where} is a file"):
        open_store(f"sqlite:///{tmp_path / 'a.db'}", where, MAX_MEDIA)
    with pytest.raises(StorageError, match=rf"cannot create the data directory {where}/media"):
        open_store(f"sqlite:///{tmp_path / 'a.db'}", where / "media", MAX_MEDIA)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "storage.database_url is not a database URL"),
        ("mysql://claimwatch:s3cret@127.0.0.1/claimwatch", "names a 'mysql' database"),
        ("postgresql+asyncpg://claimwatch@127.0.0.1/cw", "needs the database driver 'asyncpg'"),
    ],
)
def test_a_database_url_claimwatch_cannot_use_is_named(
    tmp_path: Path, url: str, message: str
) -> None:
    with pytest.raises(StorageError, match=message) as raised:
        open_store(url, tmp_path, MAX_MEDIA)
    assert "s3cret" not in str(raised.value)


def test_a_database_newer_than_this_version_is_refused_and_left_as_it_was(
    database_url: str, tmp_path: Path
) -> None:
    store = open_store(database_url, tmp_path, MAX_MEDIA)
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099_future'"))
    store.close()
    with pytest.raises(StorageError, match=r"schema revision '0099_future'.* newer claimwatch"):
        open_store(database_url, tmp_path, MAX_MEDIA)
    store = open_store(database_url, tmp_path, MAX_MEDIA, migrate=False)
    with store.engine.connect() as connection:
        version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    store.close()
    assert version == "0099_future"
