"""The key that signs session cookies and API tokens.

It comes from the environment or a file named in the config; failing that, a random key is
generated once into the data directory, readable by its owner only, so sessions survive a
restart without anyone having to invent a secret.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import tempfile
from pathlib import Path

from claimwatch.errors import ConfigError
from config.settings import ReviewSettings

KEY_FILE = "review-secret.key"
MIN_LENGTH = 32


def secret_key(settings: ReviewSettings, data_dir: Path) -> str:
    """The configured key, or the one kept in `<data_dir>/review-secret.key`."""
    if settings.secret_key:
        return _checked(settings.secret_key.reveal(), "review.secret_key")
    path = data_dir / KEY_FILE
    if not path.exists():
        _create(path)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ConfigError(f"{path} can be read by other users (mode {mode:o}): run chmod 600 on it")
    return _checked(path.read_text(encoding="ascii").strip(), str(path))


def _create(path: Path) -> None:
    """Write a new key under a temporary name, then link it into place unless one won."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".review-secret-")
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_urlsafe(48) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        # When another process created it first, both use that one.
        with contextlib.suppress(FileExistsError):
            os.link(tmp_name, path)
    finally:
        os.unlink(tmp_name)


def _checked(key: str, where: str) -> str:
    if len(key) < MIN_LENGTH:
        raise ConfigError(f"{where} is too short: use at least {MIN_LENGTH} random characters")
    return key
