"""Scan a folder: fingerprint every video and image in it and match them all to each other.

This is `claimwatch media scan` and what the benchmark calls. Nothing is stored: the
index lives in memory for the run. A file that cannot be decoded, or whose matching
fails, is reported with its error and the scan goes on. Files are fingerprinted, and
then their candidate pairs compared, by `workers` processes; the CPU seconds reported
per file are that file's own, whatever the parallelism.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from config.settings import MediaSettings
from media.camera import CameraCheck
from media.camera_groups import split_cameras
from media.fingerprint import VideoFingerprint, fingerprint_files
from media.leads import SceneSearch
from media.matcher import Matcher
from media.progress import StepProgress, named_steps
from media.results import MatchResult

MEDIA_SUFFIXES = frozenset(
    {
        ".mp4",
        ".m4v",
        ".mov",
        ".webm",
        ".mkv",
        ".avi",
        ".3gp",
        ".ts",
        ".mts",  # camcorders (AVCHD)
        ".m2ts",
        ".flv",
        ".wmv",
        ".ogv",
        ".h264",  # raw streams, as drones' and dash cameras' recorders write them
        ".264",
        ".hevc",
        ".h265",
        ".mpg",
        ".mpeg",
        ".gif",
        ".jpg",
        ".jpeg",
        ".png",
        ".webp",
        ".bmp",
        ".tif",
        ".tiff",
    }
)


# What a scan does, in order (the same-scene steps only when `media.scene` is on).
STEPS = ("fingerprinting", "matching", "checking cameras", "searching same scenes")


@dataclass(frozen=True)
class ScannedFile:
    """One file of the scan: `path` relative to the scanned folder, as given."""

    path: str
    duration_s: float = 0.0
    frames_hashed: int = 0
    seconds_to_fingerprint: float = 0.0
    error: str | None = None


@dataclass(frozen=True)
class ScanReport:
    """Every file scanned (failures carry `error`) and every match between them."""

    files: list[ScannedFile]
    matches: list[MatchResult] = field(default_factory=list)
    scene_narrowing: str | None = None  # pairs of groups left out (SceneSearch.narrowing)

    @property
    def videos(self) -> list[ScannedFile]:
        return [f for f in self.files if f.error is None]

    @property
    def failed(self) -> list[ScannedFile]:
        return [f for f in self.files if f.error is not None]

    def to_json(self) -> dict[str, Any]:
        """{"videos": [...], "matches": [...]} exactly as `media scan --json` prints it."""
        return {
            "videos": [
                {
                    "path": f.path,
                    "duration_s": round(f.duration_s, 3),
                    "frames_hashed": f.frames_hashed,
                    "seconds_to_fingerprint": round(f.seconds_to_fingerprint, 4),
                }
                for f in self.videos
            ],
            "matches": [
                {
                    "a": m.a,
                    "b": m.b,
                    "kind": m.kind,
                    "similarity": m.similarity,
                    "segments": [
                        {
                            "a_start": round(s.a_start, 2),
                            "a_end": round(s.a_end, 2),
                            "b_start": round(s.b_start, 2),
                            "b_end": round(s.b_end, 2),
                        }
                        for s in m.segments
                    ],
                }
                for m in self.matches
            ],
        }


def media_paths(root: Path) -> list[Path]:
    """Every file under `root` whose name says video or image, sorted."""
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in MEDIA_SUFFIXES)


def scan_paths(
    root: Path,
    paths: Sequence[Path] | None = None,
    settings: MediaSettings | None = None,
    workers: int | None = None,
    progress: StepProgress | None = None,
) -> ScanReport:
    """Fingerprint `paths` (default: every media file under `root`) and match all pairs.

    Paths in the report are relative to `root` (POSIX style). Copies are reported as
    `copy`; when `settings.scene` is on, other cameras of one scene as `same_scene`.
    `progress` hears (step, done, total) as each step goes: STEPS names them in order.
    """
    heard = named_steps(progress, STEPS)
    settings = settings or MediaSettings()
    settings = replace(settings, workers=workers or settings.workers)
    chosen = list(paths) if paths is not None else media_paths(root)
    names = [_relative(root, p) for p in chosen]
    files: list[ScannedFile] = []
    fingerprinted: list[tuple[str, VideoFingerprint]] = []
    outcomes = fingerprint_files(chosen, settings)
    for done, (name, outcome) in enumerate(zip(names, outcomes, strict=True), start=1):
        scanned = _scanned(name, outcome)
        files.append(scanned)
        heard[0](done, len(names))
        if isinstance(outcome, VideoFingerprint):
            fingerprinted.append((name, outcome))
    matcher = Matcher(settings)
    matcher.add_many(fingerprinted)
    failures: dict[str, str] = {}

    def failed(name: str, exc: Exception) -> None:
        failures[name] = f"{name}: matching failed: {type(exc).__name__}: {exc}"

    matches = matcher.all_pairs(failed, settings.workers, heard[1])
    files = [replace(f, error=failures[f.path]) if f.path in failures else f for f in files]
    narrowing = None
    if settings.scene:
        sources = dict(zip(names, chosen, strict=True))
        indexed = [f.path for f in files if f.error is None]
        cameras = CameraCheck(sources.__getitem__)
        matches = split_cameras(matches, cameras, settings.workers, heard[2])
        search = SceneSearch(matcher, sources.__getitem__, settings)
        matches += search.leads(matches, indexed, progress=heard[3])
        narrowing = search.narrowing()
    return ScanReport(files, sorted(matches, key=lambda m: (m.a, m.b)), narrowing)


def _relative(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _scanned(name: str, outcome: VideoFingerprint | str) -> ScannedFile:
    if isinstance(outcome, str):
        return ScannedFile(name, error=outcome)
    return ScannedFile(
        name, outcome.duration, outcome.frames_hashed, outcome.seconds_to_fingerprint
    )
