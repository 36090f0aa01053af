"""All of claimwatch's settings, typed, in one tree.

One TOML file (see config/example.toml, which documents every key) plus environment
overrides named CLAIMWATCH_<SECTION>_<KEY>. Secrets are read only from the environment or
from a file named by the `<key>_file` setting, and never printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from config.loader import build, environment, read_toml

DEFAULT_CONFIG_NAME = "claimwatch.toml"


@dataclass(frozen=True)
class StorageSettings:
    data_dir: Path = Path("~/.local/share/claimwatch").expanduser()
    database_url: str = ""
    max_media_mb: int = 2048

    @property
    def url(self) -> str:
        """The database URL: the configured one, or the SQLite file in the data directory."""
        return self.database_url or f"sqlite:///{self.data_dir / 'claimwatch.db'}"

    @property
    def max_media_bytes(self) -> int:
        return self.max_media_mb * 1024 * 1024


@dataclass(frozen=True)
class Settings:
    storage: StorageSettings = field(default_factory=StorageSettings)
    source: str = "defaults"


def load(path: Path | None = None, env: dict[str, str] | None = None) -> Settings:
    """Read settings from `path` (or $CLAIMWATCH_CONFIG, or ./claimwatch.toml) and env."""
    env = environment() if env is None else env
    if path is None and env.get("CLAIMWATCH_CONFIG"):
        path = Path(env["CLAIMWATCH_CONFIG"])
    if path is None and Path(DEFAULT_CONFIG_NAME).exists():
        path = Path(DEFAULT_CONFIG_NAME)
    data = read_toml(path) if path is not None else {}
    origin = str(path) if path is not None else "the defaults"
    data = {**data, "source": origin}
    return build(Settings, data, env, origin)


def with_data_dir(settings: Settings, data_dir: Path) -> Settings:
    """The same settings with another data directory and its default SQLite database."""
    storage = replace(settings.storage, data_dir=data_dir, database_url="")
    return replace(settings, storage=storage)


