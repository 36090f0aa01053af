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
from claimwatch.demo.sample import HANDLE
from claimwatch.importing import import_tg_export
from claimwatch.text import counted
from storage import Store
from storage.records import Segment


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
    first = import_tg_export(ctx.store, ctx.export_dir, HANDLE, "Islamic Resistance in Iraq")
    later = import_tg_export(ctx.store, ctx.later_export_dir, HANDLE, "Islamic Resistance in Iraq")
    counts = ctx.store.archive.counts()
    data = {
        "imported_posts": first.result.new_posts,
        "media_files": counts["media_files"],
        "reimport_new_posts": later.result.new_posts,
        "reimport_new_revisions": later.result.new_revisions,
        "counts": counts,
    }
    lines = [
        f"imported {counted(first.result.new_posts, 'post')} and "
        f"{counted(counts['media_files'], 'media file')}",
        f"re-import of a later export: {counted(later.result.new_posts, 'new post')}, "
        f"{counted(later.result.new_revisions, 'new revision')} (an edited claim; the first "
        "text is kept)",
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
        f"{counted(len(claims), 'attack claim')} in {counted(len(posts), 'post')} (the rest: "
        f"statements, condolences, threats, news); {vague} name no specific place",
        "targets: " + ", ".join(f"{name} {n}" for name, n in targets.most_common()),
        "weapons: " + ", ".join(f"{name} {n}" for name, n in weapons.most_common()),
    ]
    lines += [
        f"message {m['message_id']} says {m['stated_weekday']} but {m['claimed_date']} "
        f"was a {m['actual']}"
        for m in odd
    ]
    return StageReport(data, lines)


def media_stage(ctx: DemoContext) -> StageReport:
    """Fingerprint the archived clips and photos, then find re-used footage (`media process`)."""
    from media.process import process_pending

    report = process_pending(ctx.store, ctx.settings)
    matches = ctx.store.matches.list()
    pairs: list[dict[str, Any]] = [
        {
            "kind": match.kind, "similarity": match.similarity,
            "first": _first_post(ctx.store, match.a), "later": _first_post(ctx.store, match.b),
            "recycled": match.first_posted is not None,
            "segments": [[s.a_start, s.a_end, s.b_start, s.b_end] for s in match.segments],
        }
        for match in matches
    ]  # fmt: skip
    data = {
        "fingerprinted": report.fingerprinted, "failed": report.failed, "copies": report.copies,
        "recycled": report.recycled, "same_scene": report.same_scene, "pairs": pairs,
    }  # fmt: skip
    lines = [
        f"fingerprinted {report.fingerprinted} media files ({report.failed} failed) in "
        f"{report.seconds:.1f} s: {report.copies} copies, {report.recycled} of them recycled "
        f"(footage posted earlier), {report.same_scene} same-scene leads"
    ]
    for pair, match in zip(pairs, matches, strict=True):
        verb = "re-uses footage of" if pair["kind"] == "copy" else "films the scene of"
        lines.append(
            f"    {pair['kind']} {pair['similarity']:.2f}: message {pair['later']} {verb} "
            f"message {pair['first']}{_seconds(match.segments)}"
        )
    return StageReport(data, lines)


def _seconds(segments: tuple[Segment, ...]) -> str:
    if not segments:
        return ""
    s = segments[0]
    if s.a_end - s.a_start < 0.5:
        return f" (its frame at {max(0.0, s.a_start):.0f} s)"
    return f" ({s.a_start:.0f}-{s.a_end:.0f} s shown at {s.b_start:.0f}-{s.b_end:.0f} s)"


def _first_post(store: Store, sha256: str) -> str:
    posts = store.archive.posts_with_media(sha256)
    if not posts:
        return sha256[:12]
    post = posts[0].post
    return f"#{post.message_id} of {post.posted_at:%Y-%m-%d}"


DEMO_ALERTS = Path(__file__).parent / "data" / "oref-uav-alerts-2024-09.csv"


def scoring_stage(ctx: DemoContext) -> StageReport:
    """Import real UAV alerts, extract the claims, score each and show its top two reasons."""
    from claimwatch.phrase import told
    from scoring.alerts_import import import_csv
    from scoring.model import top_reasons
    from scoring.pipeline import score_claims
    from scoring.present import sentence

    alerts = import_csv(ctx.store, DEMO_ALERTS)
    report = score_claims(ctx.store, ctx.settings)
    lines = [
        f"imported {counted(alerts.new, 'real UAV alert')} (Sep-Oct 2024); "
        f"{counted(report.claims_found, 'claim')} in {counted(report.extracted, 'post')}; labels: "
        + ", ".join(f"{n} {label}" for label, n in sorted(report.labels.items())),
    ]
    scores = []
    for claim in ctx.store.claims.list(newest_first=False):
        if claim.score is None:
            continue
        targets = ", ".join(t.name for t in claim.extraction.targets) or "no target"
        reasons = [f.explanation for f in top_reasons(claim.score)]
        scores.append({"claim": claim.id, "posted_at": claim.posted_at.isoformat(),
                       "targets": targets, "score": claim.score.value, "label": claim.score.label,
                       "reasons": [sentence(r) for r in reasons]})  # fmt: skip
        lines.append(f"#{claim.id} {claim.posted_at:%Y-%m-%d} {targets}: "
                     f"{claim.score.value:.0f} {claim.score.label}")  # fmt: skip
        lines += [f"    {told(reason)}" for reason in reasons]
    data = {"alerts_imported": alerts.new, "claims": report.claims_found,
            "labels": report.labels, "scores": scores}  # fmt: skip
    return StageReport(data, lines)


DEMO_ANALYST = "analyst"


def review_stage(ctx: DemoContext) -> StageReport:
    """Make an analyst account, cut the queue's keyframes and say how to open the page."""
    import secrets

    from review.accounts import add_user
    from review.warm import warm_thumbnails

    password = secrets.token_urlsafe(9)
    add_user(ctx.store, DEMO_ANALYST, password)
    warmed = warm_thumbnails(ctx.store, pages=3)
    pending = ctx.store.matches.counts().get("pending", 0)
    command = f"claimwatch --data-dir {ctx.settings.storage.data_dir} serve"
    url = f"http://{ctx.settings.review.host}:{ctx.settings.review.port}/"
    data = {
        "awaiting_review": pending, "keyframes_cut": warmed.keyframes,
        "keyframe_failures": warmed.failures, "user": DEMO_ANALYST, "password": password,
        "command": command, "url": url,
    }  # fmt: skip
    lines = [
        f"{counted(pending, 'match', 'matches')} awaiting review; "
        f"{counted(warmed.keyframes, 'keyframe')} cut for the queue"
        + (f" ({warmed.failures} could not be cut)" if warmed.failures else ""),
        f"run `{command}`, open {url} and log in as {DEMO_ANALYST} with password {password}",
    ]
    return StageReport(data, lines)


def digest_stage(ctx: DemoContext) -> StageReport:
    """Write the daily digest of the sample's busiest day to digest.html; keep it last, as
    it reports on what every other stage found."""
    from digest.footage import reposted_at
    from digest.schedule import busiest_day
    from digest.service import compose_day
    from storage.timeutil import utcnow

    options = ctx.settings.digest
    moments = [c.posted_at for c in ctx.store.claims.list()]
    recycled = [reposted_at(ctx.store, m) for m in ctx.store.matches.list()]
    moments += [moment for moment in recycled if moment is not None] * 2  # footage weighs more
    day = busiest_day(moments, options.send_time, options.zone)
    if day is None:
        return StageReport({"path": None}, ["no claims in the archive: no digest written"])
    composed = compose_day(ctx.store, ctx.settings, day, utcnow())
    path = ctx.workdir / "digest.html"
    path.write_text(composed.preview_html(), encoding="utf-8")
    d = composed.digest
    data = {
        "path": str(path), "day": day.isoformat(), "claims": len(d.claims),
        "recycled_footage": d.recycled_flagged,
        "same_scene_leads": d.same_scene_flagged, "awaiting_review": d.awaiting_review,
        "rate_changes": len(d.headline.shifts), "inline_images": len(composed.images),
        "message_bytes": composed.size,
    }  # fmt: skip
    lines = [
        f"digest of {day} (busiest day) written to {path}: {counted(len(d.claims), 'claim')}, "
        f"{d.footage_summary}, "
        f"{counted(d.awaiting_review, 'match', 'matches')} awaiting review; as an email "
        f"{composed.size / 1024:.0f} KB with {counted(len(composed.images), 'inline image')}",
    ]
    return StageReport(data, lines)


STAGES: list[tuple[str, Stage]] = [
    ("archive", archive_stage),
    ("collection", collection_stage),
    ("extraction", extraction_stage),
    ("media", media_stage),
    ("scoring", scoring_stage),
    ("review", review_stage),
    ("digest", digest_stage),
]
