"""Fixtures for the digest: settings pointing at a local SMTP server, a seeded archive."""

from __future__ import annotations

from pathlib import Path

import pytest

import config
from config.settings import DigestSettings, Settings, SmtpSettings
from storage import Store
from tests.digest.seed import Seeded, seed


@pytest.fixture
def seeded(store: Store, tmp_path: Path) -> Seeded:
    return seed(store, tmp_path / "photos")


@pytest.fixture
def settings(store: Store) -> Settings:
    base = config.with_data_dir(Settings(), store.data_dir)
    return digest_settings(base, SmtpSettings(host="127.0.0.1", port=1, security="none"))


def digest_settings(base: Settings, smtp: SmtpSettings) -> Settings:
    from dataclasses import replace

    options = DigestSettings(
        enabled=True,
        recipients=("analyst@example.org", "lead@example.org"),
        sender="claimwatch <digest@example.org>",
        retry_seconds=1.0,
    )
    return replace(base, digest=options, smtp=smtp)
