"""Terminal output: rich on a terminal, plain log lines otherwise, JSON when asked."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from claimwatch.display import FSI, PDI, json_text
from claimwatch.phrase import Phrase

T = TypeVar("T")
# A --limit every database can take as a number (SQLite's and PostgreSQL's integers).
LIMIT = click.IntRange(1, 2**31 - 1)
console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def emit_json(data: Any) -> None:
    click.echo(json_text(data, indent=2, default=str))


def progress(items: Iterable[T], total: int | None, label: str) -> Iterator[T]:
    """Iterate with a progress bar on a terminal, with a log line every 10% otherwise."""
    if err_console.is_terminal:
        with _bars() as bar:
            yield from bar.track(items, total=total, description=label)
        return
    for done, item in enumerate(items, start=1):
        yield item
        _tenth(label, done, total or 0)


@contextmanager
def steps() -> Iterator[Callable[[str, int, int], None]]:
    """A reporter of (step, done, total): a bar per step on a terminal, a log line every
    10% of each step otherwise."""
    if not err_console.is_terminal:
        yield _tenth
        return
    with _bars() as bar:
        tasks: dict[str, TaskID] = {}

        def report(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = bar.add_task(step, total=total)
            bar.update(tasks[step], completed=done, total=total)

        yield report


def _bars() -> Progress:
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    return Progress(*columns, console=err_console, transient=True)


def _tenth(label: str, done: int, total: int) -> None:
    """A log line at every tenth of `total` done, and at the end."""
    if total and (done % max(1, total // 10) == 0 or done == total):
        print(f"{label}: {done}/{total}", file=sys.stderr, flush=True)


def warn(message: str) -> None:
    err_console.print(f"[yellow]warning:[/yellow] {escape(message)}")


def escape(text: str) -> str:
    """Hostile text shown on a terminal: rich markup and control characters made inert."""
    from rich.markup import escape as rich_escape

    return rich_escape(_printable(text))


def escape_phrase(phrase: Phrase) -> str:
    """A phrase on a terminal, each field isolated: its bidi controls made inert, then wrapped
    in FSI ... PDI, so right-to-left text in it cannot reorder the words after it."""
    from rich.markup import escape as rich_escape

    shown = (
        _printable(part) if isinstance(part, str) else FSI + _printable(part.text) + PDI
        for part in phrase
    )
    return rich_escape("".join(shown))


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() or ch in "\n\t" else "\ufffd" for ch in text)
