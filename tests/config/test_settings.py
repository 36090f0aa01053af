"""Settings: one TOML file plus environment overrides, with errors naming key and file."""

from __future__ import annotations

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
