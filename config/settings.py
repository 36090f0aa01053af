"""All of claimwatch's settings, typed, in one tree.

One TOML file (see config/example.toml, which documents every key) plus environment
overrides named CLAIMWATCH_<SECTION>_<KEY>. Secrets are read only from the environment or
from a file named by the `<key>_file` setting, and never printed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, time
from email.utils import getaddresses
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from claimwatch.errors import ConfigError
from config.loader import Secret, build, environment, read_toml

DEFAULT_CONFIG_NAME = "claimwatch.toml"


def time_zone(name: str, key: str) -> ZoneInfo:
    """The IANA zone `name`, or a ConfigError naming the setting `key`."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f'{key} is {name!r}; expected an IANA zone like "Asia/Baghdad"') from None


# Longest interval or lifetime any setting may name (in its own unit): a year. Longer ones
# overflow Python's dates and timers, and no schedule of this service means them.
YEAR_MINUTES = 366 * 24 * 60
PORTS = (1, 65535)


def within(section: str, owner: object, low: float, high: float, *names: str) -> None:
    """Refuse a number of `owner` outside low..high, naming the setting."""
    for name in names:
        value = getattr(owner, name)
        if not low <= value <= high:
            raise ConfigError(
                f"{section}.{name} is {_shown(value)}; use {_shown(low)} to {_shown(high)}"
            )


def _shown(number: float) -> str:
    """A number as a person would write it: 5 for 5.0, 1e+12 for 1e12, 70000 for 70000."""
    return f"{number:g}" if isinstance(number, float) else str(number)


def above_zero(section: str, owner: object, high: float, *names: str) -> None:
    """Refuse a number of `owner` that is not above 0 or is over `high`, naming the setting."""
    for name in names:
        value = getattr(owner, name)
        if not 0 < value <= high:
            raise ConfigError(
                f"{section}.{name} is {_shown(value)}; use above 0, up to {_shown(high)}"
            )


def one_line(key: str, value: str) -> None:
    """Refuse text bound for an email header that holds a line break or control character
    (it could add headers of its own), naming the setting."""
    bad = next((c for c in value if ord(c) < 32 or ord(c) == 127 or c in "\u2028\u2029"), None)
    if bad is not None:
        raise ConfigError(f"{key} holds the control character U+{ord(bad):04X}; give one line")


def email_address(key: str, value: str) -> None:
    """Refuse a value that is not one email address ("name@example.org", or with a display
    name, "claimwatch <digest@example.org>"), naming the setting."""
    one_line(key, value)
    found = getaddresses([value])
    address = found[0][1] if len(found) == 1 else ""
    local, at, domain = address.rpartition("@")
    if not (at and local and domain) or " " in address:
        raise ConfigError(f"{key} is {value!r}; expected one email address, like name@example.org")


@dataclass(frozen=True)
class StorageSettings:
    data_dir: Path = field(default_factory=lambda: Path("~/.local/share/claimwatch").expanduser())
    database_url: str = ""
    max_media_mb: int = 2048

    def __post_init__(self) -> None:
        within("storage", self, 1, 1024 * 1024, "max_media_mb")

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

    def __post_init__(self) -> None:
        within("review", self, *PORTS, "port")
        within("review", self, 1, YEAR_MINUTES // 60, "session_hours")
        within("review", self, 1, 1_000_000, "login_max_failures")
        within("review", self, 0, YEAR_MINUTES, "login_lockout_minutes")
        within("review", self, 1, 10 * 366, "api_token_days")


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
        if self.enabled and not (self.recipients and self.sender):
            raise ConfigError("digest.enabled is true: set digest.recipients and digest.sender")
        if self.attempts < 1:
            raise ConfigError(f"digest.attempts is {self.attempts}; it must be at least 1")
        within("digest", self, 1, 100, "attempts")
        within("digest", self, 0, 3600, "retry_seconds")
        one_line("digest.subject_prefix", self.subject_prefix)
        for n, recipient in enumerate(self.recipients):
            email_address(f"digest.recipients[{n}]", recipient)
        if self.sender:
            email_address("digest.sender", self.sender)

    @property
    def send_time(self) -> time:
        try:
            hour, minute = (int(part) for part in self.send_at.split(":"))
            return time(hour, minute)
        except ValueError:
            raise ConfigError(
                f'digest.send_at is {self.send_at!r}; expected a local time like "07:00"'
            ) from None

    @property
    def zone(self) -> ZoneInfo:
        return time_zone(self.timezone, "digest.timezone")


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

    def __post_init__(self) -> None:
        within("smtp", self, *PORTS, "port")
        above_zero("smtp", self, 3600, "timeout")


@dataclass(frozen=True)
class LaunchOrigin:
    """A place claims are launched from; range checks measure from the nearest origin."""

    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class ScoringWeights:
    """Log-odds weights of the score's features; `claimwatch claims calibrate` refits them."""

    bias: float = 0.0
    media_none: float = -0.3
    media_fresh: float = 0.4
    media_recycled: float = -1.5
    media_recycled_confirmed: float = -3.0
    media_shared: float = -0.4
    media_same_scene: float = -0.4
    target_named: float = 0.4
    target_vague: float = -0.6
    range_ok: float = 0.2
    range_excess: float = -1.5
    alert_match: float = 2.0
    alert_missing: float = -0.3
    analyst_corroborated: float = 2.5
    analyst_contradicted: float = -2.5
    delay_prompt: float = 0.2
    delay_late: float = -0.3
    posted_before_claimed: float = -1.5
    burst: float = -0.2
    weekday_mismatch: float = -1.0
    edited: float = -0.3
    deleted: float = -1.0
    repost: float = -0.2
    track_record: float = 1.0


@dataclass(frozen=True)
class ScoringSettings:
    """How claims are scored: time windows, ranges, the channel prior and the weights."""

    timezone: str = "Asia/Baghdad"
    alert_before_hours: float = 2.0
    alert_after_hours: float = 6.0
    alert_lookback_hours: float = 12.0
    recycle_gap_hours: float = 24.0
    prompt_hours: float = 12.0
    late_hours: float = 24.0
    burst_minutes: float = 10.0
    burst_min_claims: int = 3
    repost_days: float = 3.0
    prior_alpha: float = 2.0
    prior_beta: float = 2.0
    corroboration_credit: float = 0.3
    missing_alert_debit: float = 0.1
    track_max_shift: float = 1.5
    corroborated_at: float = 75.0
    plausible_at: float = 55.0
    unverified_at: float = 40.0
    doubtful_at: float = 20.0
    drone_range_km: float = 1200.0
    cruise_missile_range_km: float = 1000.0
    ballistic_missile_range_km: float = 700.0
    rocket_range_km: float = 40.0
    origins: tuple[LaunchOrigin, ...] = (
        LaunchOrigin("al-Qaim", 34.37, 41.09),
        LaunchOrigin("al-Rutba", 33.04, 40.28),
    )
    calibrate_min_labels: int = 30
    calibrate_min_per_class: int = 5
    calibrate_l2: float = 1.0
    weights: ScoringWeights = field(default_factory=ScoringWeights)

    def __post_init__(self) -> None:
        self.zone  # noqa: B018 - fail at load time, naming the key
        cuts = (self.corroborated_at, self.plausible_at, self.unverified_at, self.doubtful_at)
        if list(cuts) != sorted(cuts, reverse=True) or not 0 <= self.doubtful_at <= 100:
            raise ConfigError(
                "scoring label thresholds must fall from corroborated_at to doubtful_at "
                f"within 0-100; got {cuts}"
            )
        if self.prior_alpha <= 0 or self.prior_beta <= 0:
            raise ConfigError("scoring.prior_alpha and scoring.prior_beta must be above 0")
        year_hours = YEAR_MINUTES / 60
        hours = ("alert_before_hours", "alert_after_hours", "alert_lookback_hours")
        within("scoring", self, 0, year_hours, *hours, "recycle_gap_hours", "prompt_hours")
        within("scoring", self, 0, year_hours, "late_hours")
        within("scoring", self, 0, YEAR_MINUTES, "burst_minutes")
        within("scoring", self, 0, 366, "repost_days")
        within("scoring", self, 2, 1000, "burst_min_claims")
        within("scoring", self, 0, 10, "corroboration_credit", "missing_alert_debit")
        within("scoring", self, 0, 10, "track_max_shift")
        ranges = ("drone_range_km", "cruise_missile_range_km", "ballistic_missile_range_km")
        within("scoring", self, 0, 20000, *ranges, "rocket_range_km")
        within("scoring", self, 2, 1_000_000, "calibrate_min_labels")
        within("scoring", self, 1, 1_000_000, "calibrate_min_per_class")
        within("scoring", self, 0, 1e6, "calibrate_l2")
        if not self.origins:
            raise ConfigError("scoring.origins is empty: list at least one launch origin")

    @property
    def zone(self) -> ZoneInfo:
        return time_zone(self.timezone, "scoring.timezone")


@dataclass(frozen=True)
class AlertsSettings:
    """Israel's Home Front Command alert history, used to corroborate claims."""

    live: bool = False
    history_url: str = (
        "https://alerts-history.oref.org.il/Shared/Ajax/GetAlarmsHistory.aspx?lang=he&mode=1"
    )
    timeout_seconds: float = 20.0

    def __post_init__(self) -> None:
        above_zero("alerts", self, 3600, "timeout_seconds")


CollectMethod = Literal["telegram-web", "telegram", "x"]
TELEGRAM_MEDIA_HOSTS = (
    "t.me",
    "telegram.org",
    "*.telegram.org",
    "telesco.pe",
    "*.telesco.pe",
    "telegram-cdn.org",
    "*.telegram-cdn.org",
)
X_MEDIA_HOSTS = ("pbs.twimg.com", "video.twimg.com")


@dataclass(frozen=True)
class ChannelSettings:
    """A channel or account to collect: one [[channels]] table."""

    handle: str
    method: CollectMethod = "telegram-web"
    platform: Literal["telegram", "x"] | None = None
    group: str = ""
    since: str = ""
    enabled: bool = True

    def __post_init__(self) -> None:
        if not self.handle.strip():
            raise ConfigError("a [[channels]] entry has an empty handle")
        expected = "x" if self.method == "x" else "telegram"
        if self.platform not in (None, expected):
            raise ConfigError(
                f"channel {self.handle!r}: method {self.method!r} collects from {expected}, "
                f"not from platform {self.platform!r}"
            )
        self.since_date  # noqa: B018 - fail at load time, naming the channel

    @property
    def platform_name(self) -> Literal["telegram", "x"]:
        return "x" if self.method == "x" else "telegram"

    @property
    def since_date(self) -> date | None:
        """The backfill start: nothing older is collected on the first run."""
        if not self.since:
            return None
        try:
            return date.fromisoformat(self.since)
        except ValueError:
            raise ConfigError(
                f"channel {self.handle!r}: since is {self.since!r}; expected a date like "
                '"2024-01-31"'
            ) from None


@dataclass(frozen=True)
class CollectSettings:
    """How `claimwatch collect` fetches: pace, retries, media limits, deletion checks."""

    interval_minutes: int = 15
    throttle_seconds: float = 1.0
    timeout_seconds: float = 30.0
    retries: int = 3
    max_wait_seconds: int = 300
    backoff_minutes: int = 5
    max_media_mb: int = 512
    user_agent: str = (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0 Safari/537.36"
    )
    recheck_recent: int = 30
    media_retries: int = 5

    def __post_init__(self) -> None:
        within("collect", self, 1, YEAR_MINUTES, "interval_minutes")
        within("collect", self, 0, YEAR_MINUTES, "backoff_minutes")
        above_zero("collect", self, 3600, "timeout_seconds")
        within("collect", self, 0, 3600, "throttle_seconds")
        within("collect", self, 0, 100, "retries", "media_retries")
        within("collect", self, 0, YEAR_MINUTES * 60, "max_wait_seconds")
        within("collect", self, 1, 1024 * 1024, "max_media_mb")
        within("collect", self, 0, 1_000_000, "recheck_recent")

    @property
    def max_media_bytes(self) -> int:
        return self.max_media_mb * 1024 * 1024


@dataclass(frozen=True)
class TelegramSettings:
    """The Telegram API account (`claimwatch login`) and the public web preview."""

    api_id: int = 0
    api_hash: Secret | None = None
    session: str = "claimwatch"
    flood_sleep_threshold: int = 60
    flood_max_wait: int = 900
    flood_retries: int = 3
    batch_size: int = 100
    web_url: str = "https://t.me"
    media_hosts: tuple[str, ...] = TELEGRAM_MEDIA_HOSTS

    def __post_init__(self) -> None:
        within("telegram", self, 0, 2**31 - 1, "api_id")
        within("telegram", self, 0, YEAR_MINUTES * 60, "flood_sleep_threshold", "flood_max_wait")
        within("telegram", self, 0, 100, "flood_retries")
        within("telegram", self, 1, 100, "batch_size")

    @property
    def api_configured(self) -> bool:
        return bool(self.api_id and self.api_hash)


@dataclass(frozen=True)
class XSettings:
    """The X API v2, used only when a bearer token is configured."""

    bearer_token: Secret | None = None
    api_url: str = "https://api.x.com"
    page_size: int = 20
    first_run_pages: int = 1
    exclude: tuple[str, ...] = ()
    recheck_recent: int = 0
    media_hosts: tuple[str, ...] = X_MEDIA_HOSTS

    def __post_init__(self) -> None:
        if not 5 <= self.page_size <= 100:
            raise ConfigError(f"x.page_size is {self.page_size}; X allows 5 to 100")
        within("x", self, 1, 1000, "first_run_pages")
        within("x", self, 0, 1_000_000, "recheck_recent")
        unknown = set(self.exclude) - {"retweets", "replies"}
        if unknown:
            raise ConfigError(f"x.exclude has {sorted(unknown)}; allowed: retweets, replies")


@dataclass(frozen=True)
class ServiceSettings:
    """How `claimwatch run` schedules its jobs and logs."""

    collect_minutes: float = 10.0
    media_minutes: float = 5.0
    score_minutes: float = 5.0
    alerts_minutes: float = 15.0
    digest_check_minutes: float = 15.0
    web: bool = True
    shutdown_seconds: float = 8.0
    log_format: Literal["text", "json"] = "text"
    log_level: Literal["debug", "info", "warning", "error"] = "info"

    def __post_init__(self) -> None:
        intervals = ("collect", "media", "score", "alerts", "digest_check")
        for name in intervals:
            if getattr(self, f"{name}_minutes") <= 0:
                raise ConfigError(f"service.{name}_minutes must be above 0")
            above_zero("service", self, YEAR_MINUTES, f"{name}_minutes")
        if self.shutdown_seconds < 0:
            raise ConfigError("service.shutdown_seconds must be 0 or more")
        within("service", self, 0, 24 * 3600, "shutdown_seconds")


@dataclass(frozen=True)
class MediaSettings:
    """How media/ fingerprints files and decides that two of them show the same footage."""

    sample_rate: float = 4.0
    max_samples: int = 3600
    index_radius: int = 12
    frame_radius: int = 12
    min_frames: float = 8.0
    min_seconds: float = 3.0
    min_appearance: float = 0.4
    min_motion: float = 0.5
    min_detail_motion: float = 0.4
    min_motion_energy: float = 3.0
    still_appearance: float = 0.92
    boilerplate_videos: int = 3
    max_candidates: int = 40
    scene: bool = True
    scene_days: float = 3.0
    scene_min_inliers: int = 25
    scene_max_pairs: int = 5000
    scene_candidates: int = 10
    workers: int = 2

    def __post_init__(self) -> None:
        if not 0.25 <= self.sample_rate <= 30:
            raise ConfigError(f"media.sample_rate is {self.sample_rate}; use 0.25 to 30 frames/s")
        for name in ("index_radius", "frame_radius"):
            if not 0 <= getattr(self, name) <= 20:
                raise ConfigError(f"media.{name} is {getattr(self, name)}; use 0 to 20 bits")
        for name in ("min_appearance", "min_motion", "min_detail_motion", "still_appearance"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ConfigError(f"media.{name} is {getattr(self, name)}; use 0 to 1")
        within("media", self, 1, 1000, "min_frames")
        within("media", self, 0, 3600, "min_seconds")
        within("media", self, 0, 255, "min_motion_energy")
        within("media", self, 2, 1_000_000, "boilerplate_videos")
        within("media", self, 0, 366, "scene_days")
        within("media", self, 4, 100_000, "scene_min_inliers")  # a homography needs 4 points
        within("media", self, 1, 1000, "scene_candidates")
        if self.scene_max_pairs < 0:
            raise ConfigError(f"media.scene_max_pairs is {self.scene_max_pairs}; use 0 or more")
        if self.workers < 1 or self.max_samples < 1 or self.max_candidates < 1:
            raise ConfigError(
                "media.workers, media.max_samples and media.max_candidates must be >= 1"
            )


@dataclass(frozen=True)
class Settings:
    storage: StorageSettings = field(default_factory=StorageSettings)
    media: MediaSettings = field(default_factory=MediaSettings)
    digest: DigestSettings = field(default_factory=DigestSettings)
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    review: ReviewSettings = field(default_factory=ReviewSettings)
    scoring: ScoringSettings = field(default_factory=ScoringSettings)
    alerts: AlertsSettings = field(default_factory=AlertsSettings)
    collect: CollectSettings = field(default_factory=CollectSettings)
    telegram: TelegramSettings = field(default_factory=TelegramSettings)
    x: XSettings = field(default_factory=XSettings)
    channels: tuple[ChannelSettings, ...] = ()
    service: ServiceSettings = field(default_factory=ServiceSettings)
    source: str = "defaults"


def load(path: Path | None = None, env: dict[str, str] | None = None) -> Settings:
    """Read settings from `path` (or $CLAIMWATCH_CONFIG, or ./claimwatch.toml) and env."""
    env = environment() if env is None else env
    path = config_path(path, env)
    data = read_toml(path) if path is not None else {}
    origin = str(path) if path is not None else "the defaults"
    if "source" in data:  # where the settings came from, not a setting
        raise ConfigError(f"unknown setting 'source' in {origin}")
    env = {k: v for k, v in env.items() if k != "CLAIMWATCH_SOURCE"}
    return build(Settings, {**data, "source": origin}, env, origin)


def config_path(path: Path | None, env: Mapping[str, str]) -> Path | None:
    """The settings file: `path`, or $CLAIMWATCH_CONFIG, or ./claimwatch.toml if there is one."""
    if path is None and env.get("CLAIMWATCH_CONFIG"):
        path = Path(env["CLAIMWATCH_CONFIG"])
    if path is None and Path(DEFAULT_CONFIG_NAME).exists():
        path = Path(DEFAULT_CONFIG_NAME)
    return path


def with_data_dir(settings: Settings, data_dir: Path) -> Settings:
    """The same settings with another data directory and its default SQLite database."""
    storage = replace(settings.storage, data_dir=data_dir, database_url="")
    return replace(settings, storage=storage)
