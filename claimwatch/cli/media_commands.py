"""`claimwatch media ...`: fingerprint footage and find recycled clips."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from claimwatch.app import App
from claimwatch.cli.output import LIMIT, console, emit_json, escape, steps, warn
from claimwatch.text import counted

if TYPE_CHECKING:
    from media.posted import PostedAt


@click.group()
def media() -> None:
    """Fingerprint videos and images and find re-posted footage.

    Example: claimwatch media scan ./downloads --json
    """


@media.command("scan")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print files and matches as JSON.")
@click.pass_obj
def scan(app: App, folder: Path, as_json: bool) -> None:
    """Match every video and image under FOLDER against each other; nothing is stored.

    A file that cannot be decoded or matched is reported and skipped. Same-scene leads
    are searched between every two groups of footage, up to media.scene_max_pairs pairs;
    beyond that, each group against the media.scene_candidates groups most alike.

    Example: claimwatch media scan ./telegram-downloads --json
    """
    from media.scan import scan_paths

    with steps() as heard:
        report = scan_paths(folder, settings=app.settings.media, progress=heard)
    for failed in report.failed:
        error = failed.error or ""
        warn(error if error.startswith(f"{failed.path}: ") else f"{failed.path}: {error}")
    if report.scene_narrowing:
        warn(report.scene_narrowing)
    if as_json:
        emit_json(report.to_json())
        return
    console.print(
        f"{counted(len(report.videos), 'file')} fingerprinted, {len(report.failed)} failed, "
        f"{counted(len(report.matches), 'match', 'matches')}"
    )
    for m in report.matches:
        where = "; ".join(
            f"{s.a_start:.1f}-{s.a_end:.1f}s = {s.b_start:.1f}-{s.b_end:.1f}s" for s in m.segments
        )
        console.print(
            f"{m.kind:<10} {m.similarity:.2f}  {escape(m.a)}  ~  {escape(m.b)}  ({where})"
        )


@media.command("match")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--around",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The day the file claims to show: also look for the same scene, filmed by another "
    "camera, among files posted within media.scene_days of it.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the matches as JSON.")
@click.pass_obj
def match(app: App, file: Path, around: datetime | None, as_json: bool) -> None:
    """Match one video or image against the archive and show where it was posted before.

    Example: claimwatch media match repost.mp4 --around 2024-10-31
    """
    from media.lookup import match_file

    day = around.replace(hour=12, tzinfo=UTC) if around is not None else None
    found = match_file(app.store, app.settings.media, file, day)
    if as_json:
        emit_json(found.to_json())
        return
    if not found.matches:
        console.print("no archived file shows this footage")
    for m in found.matches:
        r = m.result
        console.print(f"{r.kind:<10} {r.similarity:.2f}  {r.b}")
        for s in r.segments:
            if r.kind == "same_scene":  # a lead: one frame of each that share the scene
                here, there = f"{s.a_start:.1f}s", f"{s.b_start:.1f}s"
                console.print(f"    this file at {here} films the scene of archived at {there}")
                continue
            here, there = f"{s.a_start:.1f}-{s.a_end:.1f}s", f"{s.b_start:.1f}-{s.b_end:.1f}s"
            console.print(f"    this file {here} = archived {there}")
        for p in m.posts:
            console.print(_posted(p))


def _posted(p: PostedAt) -> str:
    return (
        f"    posted {p.posted_at:%Y-%m-%d %H:%M} UTC by {escape(p.channel)} "
        f"#{p.message_id} {escape(p.url or '')}"
    )


@media.command("process")
@click.option("--limit", type=LIMIT, help="Fingerprint at most this many files.")
@click.option(
    "--retry-failed",
    is_flag=True,
    help="Try the files that failed before again (after an upgrade that reads more files).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the run's report as JSON.")
@click.pass_obj
def process(app: App, limit: int | None, retry_failed: bool, as_json: bool) -> None:
    """Fingerprint pending archived media, then record copies and same-scene leads.

    Corrupt or truncated files are marked failed with their error; the run goes on.

    Example: claimwatch media process --limit 500
    """
    from media.process import process_pending

    retried = app.store.media.retry_failed() if retry_failed else 0
    with steps() as heard:
        report = process_pending(app.store, app.settings, limit=limit, progress=heard)
    if as_json:
        emit_json({**report.__dict__, "errors": list(report.errors), "retried": retried})
        return
    if retry_failed:
        console.print(f"{counted(retried, 'failed file')} queued again")
    for error in report.errors:
        warn(error)
    console.print(f"{escape(report.summary())} in {report.seconds:.1f} s")


@media.command("failed")
@click.option("--limit", type=LIMIT, help="List at most this many files.")
@click.option("--json", "as_json", is_flag=True, help="Print the files as JSON.")
@click.pass_obj
def failed(app: App, limit: int | None, as_json: bool) -> None:
    """List the archived files that could not be fingerprinted, with why and where they
    were posted, oldest first.

    Example: claimwatch media failed --json
    """
    from media.posted import posts_carrying

    files = app.store.media.with_status("failed", limit)
    posts = {f.sha256: posts_carrying(app.store, f.sha256) for f in files}
    if as_json:
        emit_json({"failed": [
            {"sha256": f.sha256, "kind": f.kind, "mime": f.mime, "size": f.size,
             "error": f.error, "posts": [p.to_json() for p in posts[f.sha256]]}
            for f in files
        ]})  # fmt: skip
        return
    if not files:
        console.print("no archived file failed")
        return
    for f in files:
        console.print(
            f"{f.sha256[:12]}  {escape(f.kind)}  {f.size:,} bytes: {escape(f.error or '')}"
        )
        for p in posts[f.sha256]:
            console.print(_posted(p))
    console.print(
        f"{counted(len(files), 'file')}; `claimwatch media process --retry-failed` tries them "
        "again (after an upgrade that reads more files)"
    )


def register(group: click.Group) -> None:
    group.add_command(media)
