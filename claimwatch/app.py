"""The wiring: settings loaded once, the store opened once, handed to every command."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import config
from storage import Store, open_store


@dataclass
class App:
    """What every CLI command and scheduled job receives."""

    config_path: Path | None = None
    data_dir: Path | None = None
    _settings: config.Settings | None = field(default=None, repr=False)
    _store: Store | None = field(default=None, repr=False)

    @property
    def settings(self) -> config.Settings:
        if self._settings is None:
            settings = config.load(self.config_path)
            if self.data_dir is not None:
                settings = config.with_data_dir(settings, self.data_dir)
            self._settings = settings
        return self._settings

    @property
    def store(self) -> Store:
        if self._store is None:
            storage = self.settings.storage
            self._store = open_store(storage.url, storage.data_dir, storage.max_media_bytes)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
