"""Copy groups split by camera: which accepted copies are really a second camera.

Copies form groups (a clip and its re-uploads, linked by copy matches). Within a group,
starting from the member with the most copies, each member is measured (camera.py)
against the member it was reached from. One that shows another camera is measured
against the other cameras found so far and joins the first it matches, or starts a new
one. Copies between members of different cameras become `same_scene` leads; a pair that
cannot be measured (too dark, too short) keeps the camera it was reached from, so the
copy stands.

In the archive, a new file's copies lead to files already grouped by the copies stored
between them; the new file is measured once per such group (`split_new_file`).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Protocol

from media.camera import CameraEvidence
from media.progress import Progress
from media.results import MatchResult
from media.threads import single_threaded
from storage.records import Segment


class Measures(Protocol):
    """camera.CameraCheck: how far two aligned clips are from one affine map."""

    def evidence(
        self, a: str, b: str, segments: Sequence[Segment], mirrored: bool
    ) -> CameraEvidence | None: ...


def split_cameras(
    results: Sequence[MatchResult],
    check: Measures,
    workers: int = 1,
    progress: Progress | None = None,
) -> list[MatchResult]:
    """`results` with each copy between two cameras turned into a same_scene lead.

    Groups are measured in `workers` threads (decoding and SIFT leave Python's lock);
    `progress` hears of each group measured.
    """
    links: dict[str, dict[str, MatchResult]] = {}
    for result in results:
        if result.kind == "copy":
            links.setdefault(result.a, {})[result.b] = result
            links.setdefault(result.b, {})[result.a] = result
    # in each group, the member with the most copies (then the first by name)
    hubs = [min(g, key=lambda k: (-len(links[k]), k)) for g in copy_groups(list(links), results)]
    labelled = []
    with single_threaded(), ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for labels in pool.map(lambda hub: _label_group(hub, links, check), hubs):
            labelled.append(labels)
            if progress is not None:
                progress(len(labelled), len(hubs))
    camera = {key: (group, n) for group, labels in enumerate(labelled) for key, n in labels.items()}
    return [
        replace(r, kind="same_scene")
        if r.kind == "copy" and camera.get(r.a) != camera.get(r.b)
        else r
        for r in results
    ]


def split_new_file(
    results: Sequence[MatchResult], key: str, groups: Sequence[Sequence[str]], check: Measures
) -> list[MatchResult]:
    """`results` of the new file `key` against archived files, each copy between two
    cameras turned into a same_scene lead.

    `groups` are archived files already known to show one camera (linked by stored
    copies): `key` is measured against the member it copies most closely, and the verdict
    holds for the whole group, so a clip re-posted a hundred times is measured once per
    camera rather than a hundred times.
    """
    group_of = {member: str(n) for n, group in enumerate(groups) for member in group}

    def group(r: MatchResult) -> str:
        other = r.b if r.a == key else r.a
        return group_of.get(other, other)

    closest: dict[str, MatchResult] = {}
    for r in (r for r in results if r.kind == "copy"):
        best = closest.setdefault(group(r), r)
        if r.similarity > best.similarity:
            closest[group(r)] = r
    with single_threaded():
        other_camera = {g for g, link in closest.items() if _other_camera(link, key, check)}
    return [
        replace(r, kind="same_scene") if r.kind == "copy" and group(r) in other_camera else r
        for r in results
    ]


def copy_groups(keys: list[str], copies: Sequence[MatchResult]) -> list[list[str]]:
    """Keys grouped by copy matches (union-find), each group sorted."""
    parent = {k: k for k in keys}

    def root(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for m in copies:
        if m.kind == "copy" and m.a in parent and m.b in parent:
            parent[root(m.a)] = root(m.b)
    grouped: dict[str, list[str]] = {}
    for k in keys:
        grouped.setdefault(root(k), []).append(k)
    return [sorted(g) for g in grouped.values()]


def _label_group(
    hub: str, links: dict[str, dict[str, MatchResult]], check: Measures
) -> dict[str, int]:
    """A camera number for each member of the hub's group."""
    camera = {hub: 0}
    cameras = {0: hub}  # camera -> the member it was first seen in
    queue = [hub]
    while queue:
        here = queue.pop(0)
        for other, link in sorted(links[here].items(), key=lambda kv: (-kv[1].similarity, kv[0])):
            if other in camera:
                continue
            camera[other] = camera[here]
            if _other_camera(link, here, check):
                fresh = max(cameras) + 1
                camera[other] = _camera_of(other, camera[here], cameras, links, check, fresh)
                cameras.setdefault(camera[other], other)
            queue.append(other)
    return camera


def _camera_of(
    key: str,
    not_this: int,
    cameras: dict[int, str],
    links: dict[str, dict[str, MatchResult]],
    check: Measures,
    fresh: int,
) -> int:
    """The first known camera whose first member `key` copies plainly, else `fresh`."""
    for number, member in cameras.items():
        link = links[key].get(member)
        if number != not_this and link is not None and not _other_camera(link, member, check):
            return number
    return fresh


def _other_camera(link: MatchResult, measured_from: str, check: Measures) -> bool:
    """Whether `link` joins two cameras, measured on `measured_from`'s seconds (a member
    measured against many others has its frames measured once)."""
    segments = link.segments
    if link.a != measured_from:
        segments = tuple(Segment(s.b_start, s.b_end, s.a_start, s.a_end) for s in segments)
    other = link.b if link.a == measured_from else link.a
    evidence = check.evidence(measured_from, other, segments, link.mirrored)
    return evidence is not None and evidence.other_camera
