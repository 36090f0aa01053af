"""Fixtures for the collector tests: a fake t.me, a fake clock, settings pointing at them."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import config
from tests.collector.clock import FakeClock
from tests.collector.fake_tme import FakeTme, serve_testchan

MakeSettings = Callable[..., config.Settings]


@pytest.fixture
def tme() -> Iterator[FakeTme]:
    fake = FakeTme()
    serve_testchan(fake)
    yield fake
    fake.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def settings_toml(
    data_dir: Path, web_url: str, channels: list[dict[str, Any]], **sections: dict[str, Any]
) -> str:
    """Settings for tests: media only from 127.0.0.1, no throttle, a 1 MiB media cap."""
    tables: dict[str, dict[str, Any]] = {
        "storage": {"data_dir": str(data_dir)},
        "collect": {"throttle_seconds": 0, "retries": 2, "max_media_mb": 1, "recheck_recent": 0},
        "telegram": {"web_url": web_url, "media_hosts": ["127.0.0.1"]},
    }
    for name, values in sections.items():
        tables.setdefault(name, {}).update(values)
    text = "".join(f"[{name}]\n{_keys(values)}\n" for name, values in tables.items())
    return text + "".join(f"[[channels]]\n{_keys(entry)}\n" for entry in channels)


def _keys(values: dict[str, Any]) -> str:
    # JSON scalars and string lists are valid TOML values.
    return "".join(f"{key} = {json.dumps(value)}\n" for key, value in values.items())


def channel(handle: str, method: str = "telegram-web", **fields: Any) -> dict[str, Any]:
    return {"handle": handle, "method": method, **fields}


@pytest.fixture
def make_settings(tmp_path: Path, tme: FakeTme) -> MakeSettings:
    def make(*channels: dict[str, Any], **sections: dict[str, Any]) -> config.Settings:
        path = tmp_path / "claimwatch.toml"
        path.write_text(
            settings_toml(tmp_path / "data", tme.url, list(channels), **sections), encoding="utf-8"
        )
        return config.load(path, env={})

    return make
