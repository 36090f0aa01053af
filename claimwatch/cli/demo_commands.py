"""`claimwatch demo`: the whole product on a sample channel, offline, in under a minute."""

from __future__ import annotations

from pathlib import Path

import click

from claimwatch.app import App
from claimwatch.cli.output import console, emit_json, err_console, escape
from claimwatch.demo.run import run_demo
from claimwatch.text import counted


@click.command()
@click.option(
    "--dir",
    "workdir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("claimwatch-demo"),
    show_default=True,
    help="Folder for the sample channel and its archive (replaced if an earlier demo made it).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def demo(app: App, workdir: Path, as_json: bool) -> None:
    """Build a sample channel offline, archive it and run every stage on it.

    Needs no network and no credentials. Afterwards the archive is in DIR/data, so any
    command can be pointed at it with --data-dir.

    Example: claimwatch demo --dir /tmp/cw-demo && claimwatch --data-dir /tmp/cw-demo/data status
    """
    if app.data_dir is not None:
        raise click.UsageError(
            "the demo keeps its own archive, apart from yours: choose its folder with "
            "`claimwatch demo --dir DIR` instead of --data-dir"
        )
    say = (lambda line: None) if as_json else (lambda line: err_console.print(escape(line)))
    result = run_demo(workdir, say)
    if as_json:
        emit_json(result.summary)
        return
    summary = result.summary
    console.print(
        f"[bold]claimwatch demo[/bold]: sample channel {escape(summary['channel'])} "
        f"({counted(summary['posts'], 'post')}, {counted(summary['clips'], 'clip')}, "
        f"{counted(summary['photos'], 'photo')})"
    )
    for name, lines in result.sections:
        console.print(f"[bold]{name}[/bold]")
        for line in lines:
            console.print(f"  {escape(line)}")
    console.print(f"archive: {escape(summary['data_dir'])}  ({summary['seconds']} s)")


def register(group: click.Group) -> None:
    group.add_command(demo)
