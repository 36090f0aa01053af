"""The log format alone, from settings that cannot be loaded whole.

`claimwatch run` reports a wrong setting as it logs everything else: as a JSON record
when `service.log_format = "json"`, which may still be read when another setting is
wrong. Only when the file itself cannot be read (missing, not UTF-8, not TOML), or the
format it names is not one there is, does the report fall back to a plain line.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from pathlib import Path

from claimwatch.errors import ConfigError
from config.loader import environment, read_toml
from config.settings import ServiceSettings, config_path

ENV_KEY = "CLAIMWATCH_SERVICE_LOG_FORMAT"
FORMATS = typing.get_args(typing.get_type_hints(ServiceSettings)["log_format"])


def log_format(path: Path | None = None, env: Mapping[str, str] | None = None) -> str | None:
    """`service.log_format` as `config.load` would read it, or None when it cannot tell."""
    env = environment() if env is None else env
    path = config_path(path, env)
    try:
        data = read_toml(path) if path is not None else {}
    except ConfigError:
        return None
    service = data.get("service", {})
    written = service.get("log_format", "text") if isinstance(service, Mapping) else "text"
    chosen = env.get(ENV_KEY, written)
    return chosen if chosen in FORMATS else None
