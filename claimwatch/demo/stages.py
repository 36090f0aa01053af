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


def collection_stage(ctx: DemoContext) -> StageReport:
    """Collect the sample channel live from a local stand-in of its t.me/s web preview."""
    from claimwatch.demo.live import collect_live

    data, lines = collect_live(ctx.export_dir, ctx.workdir / "live", ctx.settings)
    return StageReport(data, lines)


def extraction_stage(ctx: DemoContext) -> StageReport:
    """Read every archived post as `claims parse` does: claims, targets, weapons, odd dates."""
    from collections import Counter

    from scoring.dates import WEEKDAY_NAMES
    from scoring.extract import extract

    posts = list(ctx.store.archive.iter_posts())
    claims = [(p, e) for p in posts if (e := extract(p.post.text, p.post.posted_at)).is_claim]
    targets = Counter(t.name for _, e in claims for t in e.targets)
    weapons = Counter(w.system or w.category for _, e in claims for w in e.weapons)
    odd = [
        {"message_id": p.post.message_id, "claimed_date": e.claimed_date.isoformat(),
         "stated_weekday": e.stated_weekday, "actual": WEEKDAY_NAMES[e.claimed_date.weekday()]}
        for p, e in claims
        if e.claimed_date and e.stated_weekday
        and WEEKDAY_NAMES[e.claimed_date.weekday()] != e.stated_weekday
    ]  # fmt: skip
    vague = sum(e.vague_target for _, e in claims)
    data = {"posts": len(posts), "claims": len(claims), "vague_targets": vague,
            "targets": dict(targets.most_common()), "weapons": dict(weapons.most_common()),
            "weekday_mismatches": odd}  # fmt: skip
    lines = [
        f"{len(claims)} attack claims in {len(posts)} posts (the rest: statements, condolences, "
        f"threats, news); {vague} name no specific place",
        "targets: " + ", ".join(f"{name} {n}" for name, n in targets.most_common()),
        "weapons: " + ", ".join(f"{name} {n}" for name, n in weapons.most_common()),
    ]
    lines += [
        f"message {m['message_id']} says {m['stated_weekday']} but {m['claimed_date']} "
        f"was a {m['actual']}"
        for m in odd
    ]
    return StageReport(data, lines)


STAGES: list[tuple[str, Stage]] = [
    ("archive", archive_stage),
    ("collection", collection_stage),
    ("extraction", extraction_stage),
]
