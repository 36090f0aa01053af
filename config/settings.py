"""All of claimwatch's settings, typed, in one tree.

One TOML file (see config/example.toml, which documents every key) plus environment
overrides named CLAIMWATCH_<SECTION>_<KEY>. Secrets are read only from the environment or
from a file named by the `<key>_file` setting, and never printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import time
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from claimwatch.errors import ConfigError
from config.loader import Secret, build, environment, read_toml

DEFAULT_CONFIG_NAME = "claimwatch.toml"


@dataclass(frozen=True)
class StorageSettings:
    data_dir: Path = field(default_factory=lambda: Path("~/.local/share/claimwatch").expanduser())
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
class ReviewSettings:
    """The review web page: where it listens, how long a log-in lasts, how links are made."""

    host: str = "127.0.0.1"
    port: int = 8750
    session_hours: int = 12
    secret_key: Secret | None = None
    public_url: str = ""
    login_max_failures: int = 5
    login_lockout_minutes: int = 15
    api_token_days: int = 90


@dataclass(frozen=True)
class DigestSettings:
    """The daily email digest: when, to whom, from whom."""

    enabled: bool = False
    send_at: str = "07:00"
    timezone: str = "Asia/Baghdad"
    recipients: tuple[str, ...] = ()
    sender: str = ""
    subject_prefix: str = "[claimwatch]"
    attempts: int = 3
    retry_seconds: float = 30.0

    def __post_init__(self) -> None:
        self.send_time  # noqa: B018 - fail at load time, naming the key, not at 07:00
        self.zone  # noqa: B018

    @property
    def send_time(self) -> time:
        try:
            hour, minute = (int(part) for part in self.send_at.split(":"))
            return time(hour, minute)
        except ValueError:
            raise ConfigError(
                f"digest.send_at is {self.send_at!r}; expected a local time like \"07:00\""
            ) from None

    @property
    def zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                f"digest.timezone is {self.timezone!r}; expected an IANA zone like "
                "\"Asia/Baghdad\""
            ) from None


@dataclass(frozen=True)
class SmtpSettings:
    """The mail server the digest is handed to."""

    host: str = "localhost"
    port: int = 587
    security: Literal["starttls", "tls", "none"] = "starttls"
    username: str = ""
    password: Secret | None = None
    timeout: float = 30.0
    verify: bool = True
    ca_file: Path | None = None


@dataclass(frozen=True)
class Settings:
    storage: StorageSettings = field(default_factory=StorageSettings)
    digest: DigestSettings = field(default_factory=DigestSettings)
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    review: ReviewSettings = field(default_factory=ReviewSettings)
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
