"""Settings: one TOML file plus environment overrides, with errors naming key and file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import config
from claimwatch.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "claimwatch.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_use_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    settings = config.load(write(tmp_path, f'[storage]\ndata_dir = "{tmp_path}"\n'), env={})
    assert settings.storage.url == f"sqlite:///{tmp_path / 'claimwatch.db'}"


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "[storage]\nmax_media_mb = 10\n")
    settings = config.load(path, env={"CLAIMWATCH_STORAGE_MAX_MEDIA_MB": "25"})
    assert settings.storage.max_media_bytes == 25 * 1024 * 1024


def test_an_unknown_key_is_named_with_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "[storage]\nmax_media_gb = 1\n")
    with pytest.raises(ConfigError, match=rf"unknown setting 'storage.max_media_gb' in {path}"):
        config.load(path, env={})


def test_a_wrong_type_is_named_with_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, '[storage]\nmax_media_mb = "lots"\n')
    with pytest.raises(
        ConfigError, match=rf"'storage.max_media_mb' in {path} is 'lots'; expected int"
    ):
        config.load(path, env={})


def test_a_wrong_environment_value_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="environment variable CLAIMWATCH_STORAGE_MAX_MEDIA_MB"):
        config.load(write(tmp_path, ""), env={"CLAIMWATCH_STORAGE_MAX_MEDIA_MB": "ten"})


def test_invalid_toml_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "[storage\n")
    with pytest.raises(ConfigError, match=rf"config file {path} is not valid TOML"):
        config.load(path, env={})


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        config.load(tmp_path / "nope.toml", env={})


def test_the_example_file_loads(tmp_path: Path) -> None:
    example = Path(config.__file__).parent / "example.toml"
    settings = config.load(example, env={})
    assert settings.storage.max_media_mb > 0


def test_a_directory_given_as_the_config_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=rf"config file {tmp_path} is a directory, not a file"):
        config.load(tmp_path, env={})


def test_a_config_file_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    path = tmp_path / "claimwatch.toml"
    path.write_bytes(b"[storage]\nmax_media_mb = 10 # \xff\n")
    with pytest.raises(ConfigError, match=rf"config file {path} is not UTF-8 text"):
        config.load(path, env={})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[review]\nport = [8750]\n", r"'review.port' in .* is \[8750\]; expected int"),
        ("[review]\nport = { a = 1 }\n", r"'review.port' in .* is \{'a': 1\}; expected int"),
        ("[review]\nport = 8750.7\n", r"'review.port' in .* is 8750.7; expected int"),
        ("[smtp]\ntimeout = [1]\n", r"'smtp.timeout' in .* is \[1\]; expected a finite number"),
        ("[smtp]\ntimeout = nan\n", r"'smtp.timeout' in .* is nan; expected a finite number"),
        ("[service]\nmedia_minutes = inf\n", r"'service.media_minutes' .* is inf; expected a fin"),
        ("[smtp]\ntimeout = 1" + "0" * 400 + "\n", r"'smtp.timeout' in .*; expected a finite"),
    ],
)
def test_a_value_of_the_wrong_kind_is_refused_not_converted(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        config.load(write(tmp_path, text), env={})


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e400"])
def test_an_environment_number_that_is_not_finite_is_refused(value: str) -> None:
    env = {"CLAIMWATCH_SERVICE_COLLECT_MINUTES": value}
    with pytest.raises(ConfigError, match=r"CLAIMWATCH_SERVICE_COLLECT_MINUTES is .*; expected a"):
        config.load(None, env=env)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("REVIEW_PORT", "70000", "review.port is 70000; use 1 to 65535"),
        ("SMTP_PORT", "0", "smtp.port is 0; use 1 to 65535"),
        ("STORAGE_MAX_MEDIA_MB", "0", "storage.max_media_mb is 0; use 1 to"),
        ("COLLECT_TIMEOUT_SECONDS", "0", "collect.timeout_seconds is 0; use above 0"),
        ("COLLECT_RETRIES", "-1", "collect.retries is -1; use 0 to 100"),
        ("COLLECT_INTERVAL_MINUTES", "0", "collect.interval_minutes is 0; use 1 to"),
        ("TELEGRAM_BATCH_SIZE", "0", "telegram.batch_size is 0; use 1 to 100"),
        ("REVIEW_SESSION_HOURS", "100000000", "review.session_hours is 100000000; use 1 to"),
        ("DIGEST_RETRY_SECONDS", "-5", "digest.retry_seconds is -5; use 0 to 3600"),
        ("SERVICE_COLLECT_MINUTES", "1e300", "service.collect_minutes is 1e+300; use above 0"),
        ("SERVICE_SHUTDOWN_SECONDS", "1e12", "service.shutdown_seconds is 1e+12; use"),
    ],
)
def test_a_number_out_of_its_range_is_refused_naming_the_setting(
    key: str, value: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        config.load(None, env={f"CLAIMWATCH_{key}": value})


def test_a_channel_entry_is_named_by_its_place_in_the_list(tmp_path: Path) -> None:
    path = write(tmp_path, '[[channels]]\nhandle = "a"\n\n[[channels]]\nhandel = "b"\n')
    with pytest.raises(ConfigError, match=rf"^unknown setting 'channels\[1\].handel' in {path}$"):
        config.load(path, env={})
    path = write(tmp_path, '[[channels]]\nmethod = "telegram-web"\n')
    with pytest.raises(ConfigError, match=rf"^missing setting 'channels\[0\].handle' in {path}$"):
        config.load(path, env={})


def test_source_is_not_a_setting(tmp_path: Path) -> None:
    path = write(tmp_path, 'source = "elsewhere"\n')
    with pytest.raises(ConfigError, match=rf"unknown setting 'source' in {path}"):
        config.load(path, env={})
    assert config.load(None, env={"CLAIMWATCH_SOURCE": "elsewhere"}).source == "the defaults"


@pytest.mark.parametrize(
    ("line", "error"),
    [
        (
            'sender = "cw@example.org\\r\\nBcc: all@example.net"',
            "digest.sender holds the control character U+000D; give one line",
        ),
        (
            'subject_prefix = "[cw]\\nBcc: all@example.net"',
            "digest.subject_prefix holds the control character U+000A; give one line",
        ),
        (
            'recipients = ["lead@example.org, all@example.net"]',
            "digest.recipients[0] is 'lead@example.org, all@example.net'; expected one email",
        ),
        ('recipients = ["lead"]', "digest.recipients[0] is 'lead'; expected one email address"),
    ],
)
def test_digest_addresses_and_subject_are_one_line_each(
    tmp_path: Path, line: str, error: str
) -> None:
    path = write(tmp_path, f"[digest]\n{line}\n")
    with pytest.raises(ConfigError, match=re.escape(error)):
        config.load(path, env={})


def test_digest_addresses_may_carry_a_display_name(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[digest]\nsender = "claimwatch <digest@example.org>"\n'
        'recipients = ["Lead Analyst <lead@example.org>", "desk@localhost"]\n',
    )
    settings = config.load(path, env={})
    assert settings.digest.recipients == ("Lead Analyst <lead@example.org>", "desk@localhost")


@pytest.mark.parametrize(
    ("section", "line", "error"),
    [
        ("scoring", "alert_after_hours = -6", "scoring.alert_after_hours is -6; use 0 to 8784"),
        ("scoring", "burst_min_claims = 1", "scoring.burst_min_claims is 1; use 2 to 1000"),
        ("scoring", "rocket_range_km = -40", "scoring.rocket_range_km is -40; use 0 to 20000"),
        ("media", "scene_days = -3", "media.scene_days is -3; use 0 to 366"),
        ("media", "scene_min_inliers = 3", "media.scene_min_inliers is 3; use 4 to 100000"),
        ("media", "boilerplate_videos = 1", "media.boilerplate_videos is 1; use 2 to 1000000"),
    ],
)
def test_scoring_and_media_numbers_out_of_range_are_refused(
    tmp_path: Path, section: str, line: str, error: str
) -> None:
    path = write(tmp_path, f"[{section}]\n{line}\n")
    with pytest.raises(ConfigError, match=re.escape(error)):
        config.load(path, env={})


@pytest.mark.parametrize(
    ("text", "env", "expected"),
    [
        ('[service]\nlog_format = "json"\ncollect_minutes = 0\n', {}, "json"),
        ("[service]\ncollect_minutes = 0\n", {"CLAIMWATCH_SERVICE_LOG_FORMAT": "json"}, "json"),
        ("[collect]\nthrottle_seconds = -1\n", {}, "text"),
        ('[service]\nlog_format = "xml"\n', {}, None),
        ('[service]\nlog_format = "json"\nshutdown_seconds =\n', {}, None),
        ('service = "json"\n', {}, "text"),
    ],
)
def test_the_log_format_is_read_from_settings_wrong_elsewhere(
    tmp_path: Path, text: str, env: dict[str, str], expected: str | None
) -> None:
    assert config.log_format(write(tmp_path, text), env) == expected
