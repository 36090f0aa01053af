"""The matcher: which archived videos show the same footage as a given one, and where.

Three stages, cheapest first:

1. nominate - every window of every frame of the query (and of its mirror image) is
   looked up in the Hamming index of archived frames; videos hit by a few distinct
   query frames become candidates. The same lookups count, per query frame, how many
   archived videos contain it, which is what boilerplate.py weighs frames by;
2. align - each candidate is compared with the query frame by frame (compare.py) and the
   pairs are aligned in time (align.py): a copy is a line b = speed * a + offset;
3. verify - each aligned segment must look alike under one geometric transform and move
   alike (verify.py), which separates a copy from another launch at the same spot.

Results are typed (`MatchResult`), never a bare score. Same-scene leads (another camera)
are found by scene.py on top of this, where the files themselves are at hand.

    matcher = Matcher(settings.media)
    matcher.add("a.mp4", fingerprint_file(Path("a.mp4")))
    for result in matcher.query(fingerprint_file(Path("b.mp4"))): ...
    matcher.all_pairs()  # every pair among what was added, each reported once
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from config.settings import MediaSettings
from media.align import Alignment, align
from media.boilerplate import weights as boilerplate_weights
from media.compare import closest_distances, frame_hits
from media.fingerprint import VideoFingerprint
from media.index import HammingIndex
from media.pairs import run_jobs
from media.progress import Progress
from media.results import Accepted, MatchResult, copy_result, swapped
from media.threads import single_threaded
from media.verify import same_footage, verify
from media.windows import INDEXED

Loader = Callable[[str], VideoFingerprint]
ErrorHandler = Callable[[str, Exception], None]
NOMINATE_EVERY = 2  # look up every other query frame
MIRRORS = (False, True)  # plain, then a's mirror image against b
BOILERPLATE_WEIGHT = 0.5  # frames weighing less are left out of verification


@dataclass(frozen=True)
class PairJob:
    """Pairs one video judges: itself against `others`, with its boilerplate `weights`."""

    key: str
    others: tuple[str, ...]
    weights: NDArray[np.float64]


class Matcher:
    """An index of fingerprints to match new ones against.

    Fingerprints are kept in memory unless a `loader` is given, which then fetches a
    candidate's fingerprint by key when it must be compared in full (process.py passes
    one that reads the fingerprints table, so only the index lives in memory).
    """

    def __init__(self, settings: MediaSettings | None = None, loader: Loader | None = None) -> None:
        self.settings = settings or MediaSettings()
        self._loader = loader
        self._index = HammingIndex()
        self._keys: list[str] = []
        self._number: dict[str, int] = {}
        self._bases: list[int] = []
        self._kept: dict[str, VideoFingerprint] = {}

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._number

    def add(self, key: str, fingerprint: VideoFingerprint) -> None:
        """Index `fingerprint` under `key` (a file's SHA-256 or path); keys are unique."""
        self.add_many([(key, fingerprint)])

    def add_many(self, items: Iterable[tuple[str, VideoFingerprint]]) -> None:
        """Index many fingerprints with one update of the index (a whole archive at start:
        one sort of a million hashes instead of one every few thousand)."""
        parts: list[NDArray[np.uint64]] = []
        base = len(self._index)
        try:
            for key, fingerprint in items:
                if key in self._number:
                    raise ValueError(f"{key} is already in the matcher")
                self._number[key] = len(self._keys)
                self._keys.append(key)
                self._bases.append(base)
                parts.append(fingerprint.hashes[:, list(INDEXED)].ravel())
                base += len(parts[-1])
                if self._loader is None:
                    self._kept[key] = fingerprint
        finally:  # what was registered is indexed, even when a later item is refused
            if parts:
                self._index.add(np.concatenate(parts))

    def hold(self, key: str, fingerprint: VideoFingerprint) -> None:
        """Keep `fingerprint` under `key` without indexing it: a file from outside the
        archive, asked about once, that the loader cannot read."""
        self._kept[key] = fingerprint

    def fingerprint(self, key: str) -> VideoFingerprint:
        if key in self._kept:
            return self._kept[key]
        if self._loader is None:
            raise KeyError(key)
        return self._loader(key)

    def query(self, fingerprint: VideoFingerprint, key: str = "") -> list[MatchResult]:
        """Copies of `fingerprint` among the indexed videos (other than `key` itself)."""
        with single_threaded():
            return self._query(fingerprint, key)

    def _query(self, fingerprint: VideoFingerprint, key: str) -> list[MatchResult]:
        candidates, weights = self._nominate(fingerprint, self._number.get(key))
        results = []
        for number in candidates:
            other = self._keys[number]
            found = self.compare(key, fingerprint, other, self.fingerprint(other), weights)
            if found is not None:
                results.append(found)
        return sorted(results, key=lambda r: -r.similarity)

    def all_pairs(
        self,
        on_error: ErrorHandler | None = None,
        workers: int = 1,
        progress: Progress | None = None,
    ) -> list[MatchResult]:
        """Every copy among the indexed videos, each unordered pair once.

        Each pair is judged from the side of the first video (in the order added) that
        nominates the other, with that video's boilerplate weights; `workers` processes
        share the comparisons and the answer is the same for any number of them. With
        `on_error`, a video whose matching raises is handed to it with the error, its
        pairs are tried from the other video's side and the rest goes on; without, the
        error propagates. `progress` hears of each video judged (done, of total).
        """
        with single_threaded():  # forked workers inherit it
            return self._all_pairs(on_error, workers, progress)

    def _all_pairs(
        self, on_error: ErrorHandler | None, workers: int, progress: Progress | None
    ) -> list[MatchResult]:
        jobs = self._plan(on_error)
        results: list[MatchResult] = []
        outcomes = run_jobs(self, jobs, workers)
        for done, (job, outcome) in enumerate(zip(jobs, outcomes, strict=True), start=1):
            if progress is not None:
                progress(done, len(jobs))
            for other, found in zip(job.others, outcome, strict=True):
                if isinstance(found, Exception):
                    if on_error is None:
                        raise found
                    on_error(job.key, found)
                    found = self._from_other_side(other, job.key, on_error)
                if found is not None:
                    results.append(found)
        return results

    def _plan(self, on_error: ErrorHandler | None) -> list[PairJob]:
        """Which video judges which pairs: the first in order that nominates the other."""
        seen: set[tuple[str, str]] = set()
        jobs = []
        for key in self._keys:
            try:
                candidates, weights = self._nominate(self.fingerprint(key), self._number[key])
            except Exception as exc:
                if on_error is None:
                    raise
                on_error(key, exc)
                continue
            others = []
            for number in candidates:
                other = self._keys[number]
                pair = (min(key, other), max(key, other))
                if pair not in seen:
                    seen.add(pair)
                    others.append(other)
            if others:
                jobs.append(PairJob(key, tuple(others), weights))
        return jobs

    def judge(self, job: PairJob) -> list[MatchResult | Exception | None]:
        """Each pair of `job` compared; a pair whose comparison raises gives the error."""
        fingerprint = self.fingerprint(job.key)
        out: list[MatchResult | Exception | None] = []
        for other in job.others:
            try:
                out.append(
                    self.compare(job.key, fingerprint, other, self.fingerprint(other), job.weights)
                )
            except Exception as exc:
                out.append(exc)
        return out

    def _from_other_side(self, key: str, other: str, on_error: ErrorHandler) -> MatchResult | None:
        try:
            fingerprint = self.fingerprint(key)
            _, weights = self._nominate(fingerprint, self._number[key])
            return self.compare(key, fingerprint, other, self.fingerprint(other), weights)
        except Exception as exc:
            on_error(key, exc)
            return None

    def compare(
        self,
        key_a: str,
        a: VideoFingerprint,
        key_b: str,
        b: VideoFingerprint,
        weights: NDArray[np.float64] | None = None,
    ) -> MatchResult | None:
        """Decide whether a and b are copies; `weights` are a's boilerplate weights.

        Frames common in the archive count little from a's point of view. A clip re-posted
        by many channels and then cut into a compilation is common from the compilation's
        point of view but not from the clip's: when the pair fails only for lack of weight,
        it is judged again from b's side, with b's own weights.
        """
        if not len(a.times) or not len(b.times):
            return None
        nearest = [closest_distances(a.mirrored if m else a.hashes, b.hashes) for m in MIRRORS]
        accepted = self._accepted(a, b, weights, nearest)
        if accepted:
            return copy_result(key_a, a, key_b, b, accepted)
        retry = weights is not None and key_b in self._number
        if retry and self._has_unweighted_line(a, b, nearest):
            _, weights_b = self._nominate(b, self._number[key_b])
            accepted = self._accepted(b, a, weights_b)
            if accepted:
                return swapped(copy_result(key_b, b, key_a, a, accepted))
        return None

    def _has_unweighted_line(
        self, a: VideoFingerprint, b: VideoFingerprint, nearest: list[NDArray[np.uint8]]
    ) -> bool:
        """Would a and b align if every frame counted in full?"""
        s = self.settings
        return any(
            align(
                frame_hits(a, b, s.frame_radius, mirrored, nearest=nearest[mirrored]),
                s.min_frames,
                max_lines=1,
            )
            for mirrored in MIRRORS
        )

    def _accepted(
        self,
        a: VideoFingerprint,
        b: VideoFingerprint,
        weights: NDArray[np.float64] | None,
        nearest: list[NDArray[np.uint8]] | None = None,
    ) -> list[Accepted]:
        """The verified copy segments of a in b; `nearest` as compare.closest_distances."""
        s = self.settings
        still = a.still or b.still or len(a.times) < 3 or len(b.times) < 3
        found: list[Accepted] = []
        # boilerplate (a shared intro card) must not vouch for a copy: verify without it
        drop = np.zeros(len(a.times), bool) if weights is None else weights < BOILERPLATE_WEIGHT
        shown = a if still else _without(a, drop)
        for mirrored in MIRRORS:
            known = None if nearest is None else nearest[mirrored]
            hits = frame_hits(a, b, s.frame_radius, mirrored, weights, known)
            min_support = 1.0 if still else s.min_frames
            for line in align(hits, min_support, max_lines=3):
                if (not still and line.a_end - line.a_start < s.min_seconds) or _overlaps(
                    found, line
                ):
                    continue
                evidence = verify(shown, b, line, mirrored)
                if same_footage(evidence, self.settings, still):
                    found.append(Accepted(line, evidence, mirrored))
        return found

    def _nominate(
        self, fingerprint: VideoFingerprint, exclude: int | None
    ) -> tuple[list[int], NDArray[np.float64]]:
        """Candidate video numbers (strongest first) and the query frames' boilerplate weights.

        A video's vote is the summed weight of the distinct query frames found in it, so
        videos that share only the channel intro with the query rank last. Every other
        frame is looked up (neighbours 0.25 s apart look alike); the frames in between take
        their neighbour's weight.
        """
        n, windows = fingerprint.hashes.shape
        if not len(self._keys) or not n:
            return [], np.ones(n)
        asked = np.arange(0, n, NOMINATE_EVERY)
        queries = np.concatenate(
            [fingerprint.hashes[asked].ravel(), fingerprint.mirrored[asked].ravel()]
        )
        frame_of = np.tile(np.repeat(asked, windows), 2)
        found = self._index.search(queries, self.settings.index_radius)
        video = np.searchsorted(np.asarray(self._bases), found.entry, side="right") - 1
        frame = frame_of[found.query]
        if exclude is not None:
            frame, video = frame[video != exclude], video[video != exclude]
        pairs = np.unique(frame.astype(np.int64) * len(self._keys) + video)
        frame, video = pairs // len(self._keys), pairs % len(self._keys)
        asked_df = np.bincount(frame, minlength=n).astype(np.int64)[asked]
        asked_weights = boilerplate_weights(asked_df, self.settings.boilerplate_videos)
        weights = asked_weights[np.minimum(np.arange(n) // NOMINATE_EVERY, len(asked) - 1)]
        votes = np.bincount(video, weights=weights[frame], minlength=len(self._keys))
        needed = 0.99 if len(asked) < 3 else 2.0
        ranked = [int(v) for v in np.argsort(-votes, kind="stable") if votes[v] >= needed]
        return ranked[: self.settings.max_candidates], weights


def _without(fp: VideoFingerprint, drop: NDArray[np.bool_]) -> VideoFingerprint:
    """The fingerprint without some of its frames (times unchanged)."""
    if not drop.any():
        return fp
    keep = ~drop
    return replace(
        fp,
        times=fp.times[keep],
        hashes=fp.hashes[keep],
        mirrored=fp.mirrored[keep],
        thumbs=fp.thumbs[keep],
        shots=fp.shots[keep],
    )


def _overlaps(found: list[Accepted], line: Alignment) -> bool:
    """True when `line` covers the same stretch of a as an accepted segment."""
    for other in found:
        overlap = min(other.line.a_end, line.a_end) - max(other.line.a_start, line.a_start)
        if overlap > 0.5 * max(line.a_end - line.a_start, 1e-6):
            return True
    return False
