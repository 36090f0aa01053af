"""[service] settings: documented defaults, overrides from the environment, bad values named."""

from __future__ import annotations

import pytest

import config
from claimwatch.errors import ConfigError


def test_intervals_come_from_the_environment_in_fractions_of_minutes() -> None:
    env = {"CLAIMWATCH_SERVICE_COLLECT_MINUTES": "0.5", "CLAIMWATCH_SERVICE_LOG_FORMAT": "json"}
    service = config.load(None, env=env).service
    assert (service.collect_minutes, service.log_format) == (0.5, "json")
    assert (service.media_minutes, service.shutdown_seconds, service.web) == (5.0, 8.0, True)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("MEDIA_MINUTES", "0", "service.media_minutes must be above 0"),
        ("DIGEST_CHECK_MINUTES", "-1", "service.digest_check_minutes must be above 0"),
        ("SHUTDOWN_SECONDS", "-2", "service.shutdown_seconds must be 0 or more"),
        ("LOG_FORMAT", "xml", "LOG_FORMAT is .xml.; it must be one of .text., .json."),
    ],
)
def test_a_bad_value_is_refused_naming_its_key(key: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        config.load(None, env={f"CLAIMWATCH_SERVICE_{key}": value})
