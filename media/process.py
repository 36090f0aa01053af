"""Fingerprint the archive's pending media and record what each new file matches.

`claimwatch media process` and the service's media job. Each run:

1. fingerprints every `pending` file (and every file whose fingerprint is from an older
   algorithm, after them; the service takes at most `older_limit` of those a run, so an
   upgrade that fingerprints the archive again never holds up new footage), on both
   cores; a corrupt or truncated file is marked `failed` with its error and the run goes
   on;
2. matches each new fingerprint against the whole archive (the index is rebuilt from
   the fingerprints table, or a long-lived matcher is reused) and then adds it, so new
   files are matched with each other too; its copies are checked for a second camera
   once per group of archived files already stored as copies of each other;
3. stores every match with `a` the file posted first (`first_posted` names it): a copy
   of footage first posted earlier is what the scorer and the review page call recycled;
4. looks for same-scene leads between new files and archived files posted within
   `media.scene_days` of them, never between two files stored as copies.

A file whose matching fails unexpectedly keeps its fingerprint, is marked `failed` with
the error (so `claimwatch status` shows it) and the run goes on with the next file.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import config
from config.settings import MediaSettings
from media.camera import CameraCheck
from media.camera_groups import copy_groups, split_new_file
from media.feature_cache import FeatureCache
from media.fingerprint import (
    ALGORITHM,
    VideoFingerprint,
    fingerprint_files,
    from_bytes,
    to_bytes,
)
from media.leads import SceneSearch
from media.matcher import Matcher
from media.progress import Progress, StepProgress, named_steps
from media.results import MatchResult
from storage import Store
from storage.records import Fingerprint, Match, MediaFile, Segment

log = logging.getLogger(__name__)
# What a run does, in order (the same-scene search only when `media.scene` is on).
STEPS = ("fingerprinting", "matching", "searching same scenes")


@dataclass(frozen=True)
class ProcessReport:
    """What one run did."""

    fingerprinted: int = 0
    failed: int = 0
    copies: int = 0
    recycled: int = 0
    same_scene: int = 0
    seconds: float = 0.0
    errors: tuple[str, ...] = field(default=())

    def summary(self) -> str:
        return (
            f"{self.fingerprinted} fingerprinted, {self.failed} failed, {self.copies} copies "
            f"({self.recycled} recycled), {self.same_scene} same-scene leads"
        )


def process_pending(
    store: Store,
    settings: config.Settings,
    limit: int | None = None,
    workers: int | None = None,
    matcher: Matcher | None = None,
    older_limit: int | None = None,
    progress: StepProgress | None = None,
) -> ProcessReport:
    """Fingerprint pending media, then match and store; see the module docstring.
    `progress` hears (step, done, total) as each step goes: STEPS names them in order."""
    started = time.monotonic()
    heard = named_steps(progress, STEPS)
    media = settings.media
    todo = _todo(store, limit, older_limit)
    new, errors = _fingerprint_all(store, todo, media, workers, heard[0])
    matcher = matcher if matcher is not None else archive_matcher(store, media, exclude=set(new))
    copies: list[Match] = []  # and second cameras split off them, as same_scene
    matched: list[str] = []
    cameras = CameraCheck(lambda sha: stored_path(store, sha)) if media.scene else None
    for done, (sha, fingerprint) in enumerate(new.items(), start=1):
        try:
            copies.extend(_match_new(store, matcher, sha, fingerprint, cameras))
        except Exception as exc:  # one file's failure must not stop the archive's run
            errors.append(_match_failed(store, sha, exc))
            continue
        finally:
            heard[1](done, len(new))
        matched.append(sha)
    leads = (
        _scene_leads(store, matcher, matched, copies, media, heard[2])
        if media.scene and new
        else []
    )
    return ProcessReport(
        fingerprinted=len(new),
        failed=len(errors),
        copies=sum(m.kind == "copy" for m in copies),
        recycled=sum(_recycled(store, m) for m in copies),
        same_scene=len(leads) + sum(m.kind == "same_scene" for m in copies),
        seconds=round(time.monotonic() - started, 2),
        errors=tuple(errors),
    )


def _match_new(
    store: Store,
    matcher: Matcher,
    sha: str,
    fingerprint: VideoFingerprint,
    cameras: CameraCheck | None,
) -> list[Match]:
    """Store what a new fingerprint copies (a second camera as a same_scene lead), then
    index it for the files after it."""
    results = matcher.query(fingerprint, sha) if sha not in matcher else []
    if cameras is not None and results:
        others = {r.b if r.a == sha else r.a for r in results}
        results = split_new_file(results, sha, _stored_groups(store, others), cameras)
    if sha not in matcher:
        matcher.add(sha, fingerprint)
    return [_store(store, r) for r in results]


def _stored_groups(store: Store, shas: set[str]) -> list[list[str]]:
    """`shas` grouped by the copies stored between them (one camera each); a copy an
    analyst ruled "not the same" links nothing."""
    return copy_groups(sorted(shas), _as_results(_trusted(store.matches.among(shas))))


def _trusted(matches: Sequence[Match]) -> list[Match]:
    return [m for m in matches if m.status != "not_same"]


def _as_results(matches: Sequence[Match]) -> list[MatchResult]:
    return [MatchResult(m.a, m.b, m.kind, m.similarity, m.segments) for m in matches]


def _match_failed(store: Store, sha: str, exc: Exception) -> str:
    """Mark the file failed with what went wrong; returns the error as reported."""
    media = store.media.get(sha)
    name = media.path.name if media is not None else sha[:12]
    error = f"{name}: matching failed: {type(exc).__name__}: {exc}"
    log.exception("media %s: matching failed", sha[:12])
    store.media.set_status(sha, "failed", error)
    return error


def archive_matcher(
    store: Store,
    settings: MediaSettings,
    exclude: set[str] | None = None,
    matcher: Matcher | None = None,
) -> Matcher:
    """A matcher over every stored fingerprint of the current algorithm.

    Only the index is held in memory; full fingerprints are read back from the table
    when a candidate must be compared. Given a `matcher` built earlier, only the
    fingerprints it lacks are read and added (a long-lived service tops its index up).
    """
    if matcher is None:
        matcher = Matcher(settings, loader=lambda sha: _load(store, sha))
    skip = exclude or set()
    missing = {k for k in store.fingerprints.keys(ALGORITHM) if k not in matcher and k not in skip}
    stored = store.fingerprints.iter_all(ALGORITHM, only=missing)
    matcher.add_many((s.sha256, from_bytes(s.data)) for s in stored)
    return matcher


def _load(store: Store, sha256: str) -> VideoFingerprint:
    stored = store.fingerprints.get(sha256)
    if stored is None:
        raise KeyError(sha256)
    return from_bytes(stored.data)


def _todo(store: Store, limit: int | None, older_limit: int | None) -> list[MediaFile]:
    pending = store.media.with_status("pending", limit)
    limits = [n for n in (limit, older_limit) if n is not None]
    stale = store.fingerprints.missing(ALGORITHM, min(limits) if limits else None)
    files = pending + [f for f in (store.media.get(sha) for sha in stale) if f is not None]
    return files[:limit] if limit else files


def _fingerprint_all(
    store: Store,
    files: list[MediaFile],
    settings: MediaSettings,
    workers: int | None,
    progress: Progress,
) -> tuple[dict[str, VideoFingerprint], list[str]]:
    """Fingerprint and store each file, or mark it failed; returns the new fingerprints."""
    new: dict[str, VideoFingerprint] = {}
    errors: list[str] = []
    outcomes = fingerprint_files([f.path for f in files], settings, workers)
    for done, (media, outcome) in enumerate(zip(files, outcomes, strict=True), start=1):
        progress(done, len(files))
        if isinstance(outcome, str):
            store.media.set_status(media.sha256, "failed", outcome)
            errors.append(outcome)
            continue
        store.fingerprints.put(
            Fingerprint(
                media.sha256, ALGORITHM, outcome.frames_hashed, outcome.duration, to_bytes(outcome)
            )
        )
        store.media.set_status(
            media.sha256,
            "done",
            duration=None if outcome.still else outcome.duration,
            width=outcome.width or None,
            height=outcome.height or None,
        )
        new[media.sha256] = outcome
    return new, errors


def first_post(store: Store, sha256: str) -> datetime | None:
    """When the file was first posted, as far as the archive knows."""
    posts = store.archive.posts_with_media(sha256)
    return posts[0].post.posted_at if posts else None


def _store(store: Store, result: MatchResult) -> Match:
    """Upsert a result with `a` the file posted first (kept as found when unknown)."""
    a, b, segments = result.a, result.b, result.segments
    when_a, when_b = first_post(store, a), first_post(store, b)
    if when_a is not None and when_b is not None and when_b < when_a:
        a, b = b, a
        segments = tuple(Segment(s.b_start, s.b_end, s.a_start, s.a_end) for s in segments)
    first = a if when_a is not None and when_b is not None and when_a != when_b else None
    return store.matches.upsert(
        Match(
            a=a,
            b=b,
            kind=result.kind,
            similarity=result.similarity,
            segments=segments,
            algorithm=ALGORITHM,
            first_posted=first,
        )
    )


def _recycled(store: Store, match: Match) -> bool:
    return match.kind == "copy" and match.first_posted is not None


def _scene_leads(
    store: Store,
    matcher: Matcher,
    new: Sequence[str],
    copies: Sequence[Match],
    settings: MediaSettings,
    progress: Progress,
) -> list[Match]:
    """Same-scene leads between new files and files posted within `scene_days` of them."""
    window = timedelta(days=settings.scene_days)
    posted = {sha: first_post(store, sha) for sha in new}
    nearby = set(new)
    for when in {w for w in posted.values() if w is not None}:
        nearby |= posted_between(store, when - window, when + window)
    keys = [k for k in nearby if k in matcher]
    fresh = set(new)

    def posted_at(sha: str) -> datetime | None:  # asked for every cross pair of two groups
        if sha not in posted:
            posted[sha] = first_post(store, sha)
        return posted[sha]

    def candidate(x: str, y: str) -> bool:
        if x not in fresh and y not in fresh:
            return False
        wx, wy = posted_at(x), posted_at(y)
        return wx is None or wy is None or abs(wx - wy) <= window

    # the archive's own matches between these files too: its copies group them (a new
    # re-upload that copies only some of a clip's copies is not a second camera of the
    # rest), and its leads are not searched again
    found = _as_results([*copies, *_trusted(store.matches.among(keys))])
    search = SceneSearch(
        matcher, lambda sha: stored_path(store, sha), settings, archive_features(store)
    )
    leads = [_store(store, lead) for lead in search.leads(found, keys, candidate, progress)]
    narrowing = search.narrowing()
    if narrowing is not None:
        log.warning("%s, posted within %s days of new files", narrowing, settings.scene_days)
    return leads


def posted_between(store: Store, since: datetime, until: datetime) -> set[str]:
    """The SHA-256 of every file of the posts posted between `since` and `until`."""
    shas: set[str] = set()
    for post in store.archive.iter_posts(since=since):
        if post.post.posted_at > until:
            break
        shas.update(m.sha256 for m in post.media)
    return shas


def archive_features(store: Store) -> FeatureCache:
    """The local features kept for the archive's files, under `<data>/features`."""
    return FeatureCache(store.data_dir / "features")


def stored_path(store: Store, sha256: str) -> Path:
    media = store.media.get(sha256)
    if media is None:
        raise KeyError(sha256)
    return media.path
