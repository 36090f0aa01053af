"""The demo's stages. Each takes the demo context and returns what it did, as data and lines.

A capability joins the demo by adding one function here and one entry to STAGES; the
function calls the same library code as the capability's CLI command.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import config
from claimwatch.importing import import_tg_export
from storage import Store


@dataclass
class DemoContext:
    store: Store
    settings: config.Settings
    workdir: Path
    export_dir: Path
    later_export_dir: Path
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StageReport:
    data: dict[str, Any]
    lines: list[str]


Stage = Callable[[DemoContext], StageReport]


def archive_stage(ctx: DemoContext) -> StageReport:
    """Import the export, then a later export of the same channel with one edited post."""
    first = import_tg_export(ctx.store, ctx.export_dir, group="Islamic Resistance in Iraq")
    later = import_tg_export(ctx.store, ctx.later_export_dir, group="Islamic Resistance in Iraq")
    counts = ctx.store.archive.counts()
    data = {
        "imported_posts": first.result.new_posts,
        "media_files": counts["media_files"],
        "reimport_new_posts": later.result.new_posts,
        "reimport_new_revisions": later.result.new_revisions,
        "counts": counts,
    }
    lines = [
        f"imported {first.result.new_posts} posts and {counts['media_files']} media files",
        f"re-import of a later export: {later.result.new_posts} new posts, "
        f"{later.result.new_revisions} new revision (an edited claim; the first text is kept)",
    ]
    return StageReport(data, lines)


STAGES: list[tuple[str, Stage]] = [
    ("archive", archive_stage),
]
