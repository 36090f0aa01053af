"""Match one file from outside against the archive: `claimwatch media match FILE`.

The file is fingerprinted but not archived; each archived file it matches is shown with
the posts that carry it, so an analyst sees at once where and when the footage was
posted before. Given the day the file claims to show (`around`), the archived files posted
within `media.scene_days` of it are also searched for the same scene filmed by another
camera, as the archive does for its own new files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from config.settings import MediaSettings
from media.camera import CameraCheck
from media.camera_groups import split_cameras
from media.fingerprint import VideoFingerprint, fingerprint_file
from media.leads import SceneSearch
from media.matcher import Matcher
from media.posted import PostedAt, posts_carrying
from media.process import archive_features, archive_matcher, posted_between, stored_path
from media.results import MatchResult, swapped
from storage import Store


@dataclass(frozen=True)
class ArchiveMatch:
    """An archived file the given file matches, and where it was posted."""

    result: MatchResult
    posts: tuple[PostedAt, ...]


@dataclass(frozen=True)
class FileMatches:
    path: Path
    fingerprint: VideoFingerprint
    matches: tuple[ArchiveMatch, ...]

    def to_json(self) -> dict[str, Any]:
        fp = self.fingerprint
        return {
            "file": str(self.path),
            "duration_s": round(fp.duration, 3),
            "frames_hashed": fp.frames_hashed,
            "matches": [_match_json(m) for m in self.matches],
        }


def match_file(
    store: Store, settings: MediaSettings, path: Path, around: datetime | None = None
) -> FileMatches:
    """Copies of the footage in `path` among the archive's fingerprinted files (and, as
    same_scene, archived files the same scene was filmed in by another camera: among the
    copy candidates, and among the files posted within `scene_days` of `around`)."""
    fingerprint = fingerprint_file(path, settings.sample_rate, settings.max_samples)
    matcher = archive_matcher(store, settings)
    results = matcher.query(fingerprint)
    if settings.scene:

        def located(key: str) -> Path:  # the file asked about is the key ""
            return path if key == "" else stored_path(store, key)

        results = split_cameras(results, CameraCheck(located))
        if around is not None:
            results += _scene_leads(store, settings, matcher, located, fingerprint, results, around)
    found = tuple(ArchiveMatch(result, posts_carrying(store, result.b)) for result in results)
    return FileMatches(path, fingerprint, found)


def _scene_leads(
    store: Store,
    settings: MediaSettings,
    matcher: Matcher,
    located: Callable[[str], Path],
    fingerprint: VideoFingerprint,
    results: list[MatchResult],
    around: datetime,
) -> list[MatchResult]:
    """Same-scene leads between the file (key "") and the archived files posted within
    `scene_days` of `around`, told from the file's side."""
    window = timedelta(days=settings.scene_days)
    nearby = [
        k for k in sorted(posted_between(store, around - window, around + window)) if k in matcher
    ]
    matcher.hold("", fingerprint)
    search = SceneSearch(matcher, located, settings, archive_features(store))
    leads = search.leads(results, ["", *nearby], lambda x, y: "" in (x, y))
    return [lead if lead.a == "" else swapped(lead) for lead in leads]


def _match_json(match: ArchiveMatch) -> dict[str, Any]:
    r = match.result
    return {
        "archived": r.b,
        "kind": r.kind,
        "similarity": r.similarity,
        "mirrored": r.mirrored,
        "speed": r.speed,
        "segments": [
            {
                "file_start": round(s.a_start, 2),
                "file_end": round(s.a_end, 2),
                "archived_start": round(s.b_start, 2),
                "archived_end": round(s.b_end, 2),
            }
            for s in r.segments
        ],
        "posts": [p.to_json() for p in match.posts],
    }
