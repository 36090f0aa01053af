"""The store: one database and one media folder, and the repositories over them."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from claimwatch.errors import StorageError
from storage import database
from storage.alerts import Alerts
from storage.archive import Archive
from storage.channels import Channels
from storage.claims import Claims
from storage.digests import Digests
from storage.fingerprints import Fingerprints
from storage.matches import Matches
from storage.media_files import MediaFiles
from storage.media_retries import MediaRetries
from storage.media_store import MediaStore
from storage.status import StatusBoard
from storage.users import Users
from storage.verdicts import Verdicts


class Store:
    """Every repository of one archive; open it with `open_store`."""

    def __init__(self, engine: Engine, data_dir: Path, max_media_bytes: int) -> None:
        self.engine = engine
        self.data_dir = data_dir
        self.sessions = sessionmaker(engine, expire_on_commit=False)
        self.files = MediaStore(data_dir / "media", max_media_bytes)

    @cached_property
    def archive(self) -> Archive:
        return Archive(self.sessions, self.files)

    @cached_property
    def channels(self) -> Channels:
        return Channels(self.sessions)

    @cached_property
    def media(self) -> MediaFiles:
        return MediaFiles(self.sessions, self.files)

    @cached_property
    def media_retries(self) -> MediaRetries:
        return MediaRetries(self.sessions, self.files)

    @cached_property
    def status(self) -> StatusBoard:
        return StatusBoard(self.sessions)

    @cached_property
    def digests(self) -> Digests:
        return Digests(self.sessions)

    @cached_property
    def verdicts(self) -> Verdicts:
        return Verdicts(self.sessions)

    @cached_property
    def users(self) -> Users:
        return Users(self.sessions)

    @cached_property
    def claims(self) -> Claims:
        return Claims(self.sessions)

    @cached_property
    def alerts(self) -> Alerts:
        return Alerts(self.sessions)

    @cached_property
    def fingerprints(self) -> Fingerprints:
        return Fingerprints(self.sessions)

    @cached_property
    def matches(self) -> Matches:
        return Matches(self.sessions)

    def close(self) -> None:
        self.engine.dispose()


def open_store(url: str, data_dir: Path, max_media_bytes: int, migrate: bool = True) -> Store:
    """Open the archive at `url` with media under `data_dir`, upgrading its schema first."""
    if data_dir.exists() and not data_dir.is_dir():
        raise StorageError(f"the data directory {data_dir} is a file, not a directory")
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(
            f"cannot create the data directory {data_dir}: {exc.strerror or exc}"
        ) from None
    engine = database.create(url)
    if migrate:
        database.upgrade(engine)
    return Store(engine, data_dir, max_media_bytes)
