"""The documentation keeps up: every setting in config/example.toml, every command in README."""

from __future__ import annotations

import dataclasses
import re
import typing
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

import config
from claimwatch.cli.main import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLE = (Path(config.__file__).parent / "example.toml").read_text(encoding="utf-8")


def commands(group: click.Group, prefix: str = "claimwatch") -> Iterator[tuple[str, click.Command]]:
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        yield path, command
        if isinstance(command, click.Group):
            yield from commands(command, path)


def settings_keys(cls: type, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(section, key) for every leaf setting."""
    hints = typing.get_type_hints(cls)
    for field in dataclasses.fields(cls):
        hint = hints[field.name]
        item = typing.get_args(hint)[0] if typing.get_origin(hint) in (list, tuple) else hint
        if isinstance(item, type) and dataclasses.is_dataclass(item):
            yield from settings_keys(item, f"{prefix}{field.name}.")
        elif prefix:
            yield prefix.rstrip("."), field.name


ALL_COMMANDS = list(commands(cli))
ALL_KEYS = list(settings_keys(config.Settings))


@pytest.mark.parametrize(("path", "command"), ALL_COMMANDS, ids=[p for p, _ in ALL_COMMANDS])
def test_every_command_is_in_the_readme_and_has_an_example(
    path: str, command: click.Command
) -> None:
    assert f"`{path}" in README, f"README.md does not document `{path}`"
    if not isinstance(command, click.Group) or command.callback is not None:
        assert "Example:" in (command.help or ""), f"`{path} --help` has no Example:"


@pytest.mark.parametrize(("section", "key"), ALL_KEYS, ids=[f"{s}.{k}" for s, k in ALL_KEYS])
def test_every_setting_is_in_the_example_file(section: str, key: str) -> None:
    header = re.compile(rf"^#?\s*\[\[?{re.escape(section)}\]?\]", re.MULTILINE)
    assert header.search(EXAMPLE), f"config/example.toml has no [{section}] section"
    assert re.search(rf"^#?\s*{re.escape(key)}(_file)?\s*=", EXAMPLE, re.MULTILINE), (
        f"config/example.toml does not document {section}.{key}"
    )


def test_the_readme_test_command_is_what_ci_runs() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert ci in README
