"""Turn a TOML document plus CLAIMWATCH_* environment variables into typed settings.

The loader is generic: it walks the dataclasses in config/settings.py by their type hints,
so adding a setting is adding a field. Every error names the key and the file.
"""

from __future__ import annotations

import dataclasses
import math
import os
import tomllib
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

from claimwatch.errors import ConfigError

T = TypeVar("T")
ENV_PREFIX = "CLAIMWATCH_"


class Secret:
    """A secret value: never printed, never logged, read only from env or a file."""

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    def __bool__(self) -> bool:
        return bool(self._value)


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except IsADirectoryError:
        raise ConfigError(f"config file {path} is a directory, not a file") from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"config file {path} is not UTF-8 text (byte {exc.start} cannot be read)"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None


def build(cls: type[T], data: Mapping[str, Any], env: Mapping[str, str], origin: str) -> T:
    """Build the settings dataclass `cls` from TOML `data` and environment `env`."""
    return _build_dataclass(cls, data, env, origin, prefix=())


def _build_dataclass(
    cls: type[T],
    data: Mapping[str, Any],
    env: Mapping[str, str],
    origin: str,
    prefix: tuple[str, ...],
) -> T:
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    secrets = {n for n in names if hints[n] in (Secret, Secret | None)}
    allowed = names | {f"{s}_file" for s in secrets}
    for key in data:
        if key not in allowed:
            raise ConfigError(f"unknown setting '{_dotted(prefix, key)}' in {origin}")
        if key in secrets:
            raise ConfigError(
                f"'{_dotted(prefix, key)}' is a secret: set {_env_name(prefix, key)} "
                f"or '{_dotted(prefix, key)}_file' instead of writing it in {origin}"
            )
    values: dict[str, Any] = {}
    for name in names:
        hint = hints[name]
        if name in secrets:
            values[name] = _secret(prefix, name, data, env, origin)
            continue
        env_key = _env_name(prefix, name)
        if _is_dataclass_type(hint):
            section = data.get(name, {})
            if not isinstance(section, Mapping):
                raise ConfigError(f"'{_dotted(prefix, name)}' in {origin} must be a table")
            values[name] = _build_dataclass(hint, section, env, origin, (*prefix, name))
        elif env_key in env and _is_scalar(hint):
            values[name] = _convert(hint, env[env_key], env_key, None, from_env=True)
        elif name in data:
            values[name] = _convert(hint, data[name], _dotted(prefix, name), origin)
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if required and f.name not in values:
            raise ConfigError(f"missing setting '{_dotted(prefix, f.name)}' in {origin}")
    return cls(**values)


def _secret(
    prefix: tuple[str, ...],
    name: str,
    data: Mapping[str, Any],
    env: Mapping[str, str],
    origin: str,
) -> Secret | None:
    env_key = _env_name(prefix, name)
    if env.get(env_key):
        return Secret(env[env_key])
    file_key = f"{name}_file"
    if file_key in data:
        path = Path(str(data[file_key])).expanduser()
        try:
            return Secret(path.read_text(encoding="utf-8").strip())
        except OSError as exc:
            raise ConfigError(
                f"'{_dotted(prefix, file_key)}' in {origin}: cannot read {path}: {exc.strerror}"
            ) from None
    return None


def _convert(
    hint: Any, value: Any, key: str, origin: str | None = None, from_env: bool = False
) -> Any:
    """`value` of the setting `key` as `hint`; `origin` None means `key` is an env variable."""
    where = f"environment variable {key}" if origin is None else f"'{key}' in {origin}"
    kind = get_origin(hint)
    if kind in (Union, types.UnionType):
        options = [a for a in get_args(hint) if a is not type(None)]
        if value is None or (from_env and value == ""):
            return None
        return _convert(options[0], value, key, origin, from_env)
    if kind is Literal:
        if value not in get_args(hint):
            choices = ", ".join(repr(a) for a in get_args(hint))
            raise ConfigError(f"{where} is {value!r}; it must be one of {choices}")
        return value
    if kind in (list, tuple):
        (item,) = get_args(hint)[:1]
        if not isinstance(value, list):
            raise ConfigError(f"{where} must be a list")
        items = [_convert_item(item, v, f"{key}[{i}]", origin) for i, v in enumerate(value)]
        return tuple(items) if kind is tuple else items
    return _convert_scalar(hint, value, where, from_env)


def _convert_item(hint: Any, value: Any, key: str, origin: str | None) -> Any:
    if _is_dataclass_type(hint):
        if not isinstance(value, Mapping):
            raise ConfigError(f"'{key}' in {origin} must be a table")
        return _build_dataclass(hint, value, {}, str(origin), (key,))
    return _convert(hint, value, key, origin)


def _convert_scalar(hint: Any, value: Any, where: str, from_env: bool) -> Any:
    # A float is never an int (8750.7 is not a port) and no setting may be NaN or infinite.
    expected = "a finite number" if hint is float else getattr(hint, "__name__", str(hint))
    try:
        if hint is bool:
            return _to_bool(value, from_env)
        if hint is int and isinstance(value, int | str) and not isinstance(value, bool):
            return int(value)
        if hint is float and isinstance(value, int | float | str) and not isinstance(value, bool):
            number = float(value)
            if math.isfinite(number):
                return number
        if hint is str and (isinstance(value, str) or from_env):
            return str(value)
        if hint is Path and isinstance(value, str):
            return Path(value).expanduser()
    except (ValueError, OverflowError):
        pass
    raise ConfigError(f"{where} is {value!r}; expected {expected}")


def _to_bool(value: Any, from_env: bool) -> bool:
    if isinstance(value, bool):
        return value
    if from_env and str(value).lower() in {"1", "true", "yes", "on"}:
        return True
    if from_env and str(value).lower() in {"0", "false", "no", "off"}:
        return False
    raise ValueError(value)


def _is_dataclass_type(hint: Any) -> bool:
    return isinstance(hint, type) and dataclasses.is_dataclass(hint)


def _is_scalar(hint: Any) -> bool:
    return get_origin(hint) not in (list, tuple)


def _dotted(prefix: tuple[str, ...], key: str) -> str:
    return ".".join((*prefix, key))


def _env_name(prefix: tuple[str, ...], key: str) -> str:
    return ENV_PREFIX + "_".join((*prefix, key)).upper()


def environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k.startswith(ENV_PREFIX)}
