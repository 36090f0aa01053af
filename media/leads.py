"""Same-scene leads across a set of files: which pairs to check, and the checking.

Copies are grouped first (a clip and its re-uploads are one group), so a second camera
is compared with one representative of each group rather than with every re-upload;
when a group pair shares the scene, each cross pair is confirmed on its own frames, so
the reported seconds are right for each file. Which group pairs are candidates is the
caller's choice: every pair in a scan, pairs posted close in time in the archive, a file
from outside and the files posted near the day it claims to show (`media match --around`).
In the archive, each file's features are kept on disk between searches (feature_cache.py).
Features are made and pairs checked in `media.workers` threads (decoding, ORB, matching
and RANSAC leave Python's lock); the leads come out in the same order for any number.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from itertools import combinations
from pathlib import Path

import numpy as np

from claimwatch.errors import MediaDecodeError
from config.settings import MediaSettings
from media.camera_groups import copy_groups
from media.feature_cache import FeatureCache
from media.matcher import Matcher
from media.progress import Progress
from media.results import MatchResult
from media.scene import Features, SceneEvidence, compare_scenes, features, lead_segment, pick_times
from media.scene_words import alike_pairs
from media.threads import single_threaded

PROBES = 2  # members of each group tried before a group pair is given up

log = logging.getLogger(__name__)


class SceneSearch:
    """Finds same-scene leads among the files a matcher holds."""

    def __init__(
        self,
        matcher: Matcher,
        path_of: Callable[[str], Path],
        settings: MediaSettings,
        cache: FeatureCache | None = None,
    ) -> None:
        """`cache` keeps each file's features from one search to the next (the archive's
        keys are SHA-256s of the files, which never change under a key)."""
        self._matcher = matcher
        self._path_of = path_of
        self._settings = settings
        self._cache = cache
        self._features: dict[str, Features | None] = {}
        self.checked = 0  # group pairs the last search checked
        self.skipped = 0  # and those it left out as least alike (more than scene_max_pairs)

    def leads(
        self,
        copies: Sequence[MatchResult],
        keys: Iterable[str],
        candidate: Callable[[str, str], bool] | None = None,
        progress: Progress | None = None,
    ) -> list[MatchResult]:
        """`same_scene` results between groups of `keys` that are not copies of each other.

        Group pairs that `copies` already links by a same_scene result (a second camera
        split off a copy group, see camera_groups.py) are not searched again.

        `candidate(a, b)` limits which group pairs are checked (default: all): a group pair
        is checked when any of its cross pairs is a candidate, so a second camera posted
        next to a re-upload is compared with the footage the re-upload copies. When there
        are more than `media.scene_max_pairs` group pairs (hours of CPU in a folder of
        thousands), each group is checked only against the `media.scene_candidates`
        groups whose scenery looks most alike (scene_words.py); `skipped` says how many
        pairs were left out and `checked` how many were not.
        `progress` hears of each pair of groups checked.
        """
        groups = [self._typical_first(g) for g in copy_groups(list(keys), copies)]
        linked = _linked(groups, [m for m in copies if m.kind == "same_scene"])
        pairs, total = self._pairs(groups, linked, candidate)
        self.checked, self.skipped = len(pairs), total - len(pairs)
        self._prefetch(list(dict.fromkeys(k for p in pairs for i in p for k in groups[i][:PROBES])))
        found: list[MatchResult] = []
        with single_threaded(), ThreadPoolExecutor(self._settings.workers) as pool:
            checked = pool.map(lambda p: self._group_leads(groups[p[0]], groups[p[1]]), pairs)
            for done, leads in enumerate(checked, start=1):  # in the order of `pairs`
                found += leads
                if progress is not None:
                    progress(done, len(pairs))
        return found

    def _pairs(
        self,
        groups: list[list[str]],
        linked: set[tuple[int, int]],
        candidate: Callable[[str, str], bool] | None,
    ) -> tuple[list[tuple[int, int]], int]:
        """The group pairs to check, and how many there were to choose from."""
        limit = self._settings.scene_max_pairs

        def wanted(i: int, j: int) -> bool:
            return (i, j) not in linked and (
                candidate is None or any(candidate(x, y) for x in groups[i] for y in groups[j])
            )

        everything = len(groups) * (len(groups) - 1) // 2 - len(linked)
        if candidate is None and everything > limit:  # never listed whole: it may be huge
            return sorted(p for p in self._alike(groups) if wanted(*p)), everything
        pairs = [p for p in combinations(range(len(groups)), 2) if wanted(*p)]
        if len(pairs) <= limit:
            return pairs, len(pairs)
        alike = self._alike(groups)
        return [p for p in pairs if p in alike], len(pairs)

    def narrowing(self) -> str | None:
        """What the last search left out, in words for the operator (None: nothing)."""
        if not self.skipped:
            return None
        total, settings = self.checked + self.skipped, self._settings
        return (
            f"same-scene leads: {total:,} pairs of footage groups, more than "
            f"media.scene_max_pairs ({settings.scene_max_pairs:,}); checked the "
            f"{self.checked:,} pairs whose scenery looks most alike "
            f"(media.scene_candidates: {settings.scene_candidates} per group)"
        )

    def _group_leads(self, first: list[str], second: list[str]) -> list[MatchResult]:
        tried = [(x, y) for x in first[:PROBES] for y in second[:PROBES]]
        if all(self._check(x, y) is None for x, y in tried):
            return []
        found = []
        for x in first:
            for y in second:
                evidence = self._check(x, y)
                if evidence is not None:
                    found.append(_lead(x, y, evidence, self._settings))
        return found

    def _alike(self, groups: list[list[str]]) -> set[tuple[int, int]]:
        """Group pairs whose scenery looks most alike, from their probes' descriptors."""
        probes = [group[:PROBES] for group in groups]
        self._prefetch([key for keys in probes for key in keys])
        described = []
        for keys in probes:
            shown = [self._features_of(key) for key in keys]
            described.append([d for f in shown if f is not None for d in f.descriptors])
        return alike_pairs(described, self._settings.scene_candidates)

    def _prefetch(self, keys: list[str]) -> None:
        """Features of `keys` in `media.workers` threads (decoding and ORB leave Python's
        lock), each on one core."""
        missing = [key for key in keys if key not in self._features]
        with single_threaded(), ThreadPoolExecutor(self._settings.workers) as pool:
            list(pool.map(self._features_of, missing))

    def _typical_first(self, group: list[str]) -> list[str]:
        """Members closest to the group's typical length first: not a compilation or a trim."""
        if len(group) < 3:
            return group
        lengths = {k: self._matcher.fingerprint(k).duration for k in group}
        middle = float(np.median(list(lengths.values())))
        return sorted(group, key=lambda k: (abs(lengths[k] - middle), k))

    def _check(self, a: str, b: str) -> SceneEvidence | None:
        fa, fb = self._features_of(a), self._features_of(b)
        if fa is None or fb is None:
            return None
        return compare_scenes(fa, fb, self._settings.scene_min_inliers)

    def _features_of(self, key: str) -> Features | None:
        if key not in self._features:
            try:
                self._features[key] = self._stored_or_made(key)
            except (MediaDecodeError, OSError, KeyError):
                self._features[key] = None  # unreadable now: no lead, the copy result stands
        return self._features[key]

    def _stored_or_made(self, key: str) -> Features:
        times = pick_times(self._matcher.fingerprint(key))
        stored = self._cache.get(key, times) if self._cache is not None else None
        if stored is not None:
            return stored
        made = features(self._path_of(key), times)
        if self._cache is not None:
            try:
                self._cache.put(key, times, made)
            except OSError as exc:  # the lead does not need the copy on disk
                log.warning("cannot keep the local features of %s: %s", key, exc)
        return made


def _linked(groups: list[list[str]], leads: Sequence[MatchResult]) -> set[tuple[int, int]]:
    """Group pairs (i, j), i < j, that a same-scene result already links."""
    group_of = {key: number for number, group in enumerate(groups) for key in group}
    linked = set()
    for lead in leads:
        i, j = group_of.get(lead.a), group_of.get(lead.b)
        if i is not None and j is not None and i != j:
            linked.add((min(i, j), max(i, j)))
    return linked


def _lead(a: str, b: str, evidence: SceneEvidence, settings: MediaSettings) -> MatchResult:
    similarity = min(1.0, evidence.inliers / (4.0 * settings.scene_min_inliers))
    return MatchResult(
        a, b, "same_scene", round(similarity, 3), (lead_segment(evidence),), frames=1
    )
