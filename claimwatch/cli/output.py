"""Terminal output: rich on a terminal, plain log lines otherwise, JSON when asked."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

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
        columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=err_console, transient=True) as bar:
            yield from bar.track(items, total=total)
        return
    step = max(1, (total or 0) // 10)
    for done, item in enumerate(items, start=1):
        yield item
        if total and (done % step == 0 or done == total):
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
