"""Same-scene leads: evidence between two files does not depend on which one comes first."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from config.settings import MediaSettings
from media.scan import ScanReport, scan_paths
from media.scene import Features, compare_scenes
from tests.media import clips

SIZE = (480, 270)


def _features(points: np.ndarray, descriptors: np.ndarray) -> Features:
    return Features((2.0,), (points.astype(np.float32),), (descriptors,), SIZE)


def _scene() -> tuple[Features, Features]:
    """Terrain seen by two cameras, where the second's detector found each point twice.

    From the first file each keypoint has two equally good partners, so the ratio test
    keeps none of them; from the second each has exactly one.
    """
    rng = np.random.default_rng(7)
    points = rng.uniform((10, 10), (470, 260), size=(120, 2))
    descriptors = rng.integers(0, 256, size=(120, 32), dtype=np.uint8)
    shifted = points * 0.9 + (12.0, 8.0)
    twice = np.concatenate([shifted, shifted + 0.5])
    return _features(points, descriptors), _features(twice, np.concatenate([descriptors] * 2))


def test_a_scene_found_one_way_is_found_the_other_way() -> None:
    first, second = _scene()

    forward = compare_scenes(first, second, min_inliers=25)
    backward = compare_scenes(second, first, min_inliers=25)

    assert forward is not None and backward is not None
    assert forward.inliers == backward.inliers
    assert (forward.a_time, forward.b_time) == (backward.b_time, backward.a_time)


def test_unrelated_frames_share_no_scene_either_way() -> None:
    first, _ = _scene()
    rng = np.random.default_rng(8)
    other = _features(
        rng.uniform((10, 10), (470, 260), size=(120, 2)),
        rng.integers(0, 256, size=(120, 32), dtype=np.uint8),
    )

    assert compare_scenes(first, other, min_inliers=25) is None
    assert compare_scenes(other, first, min_inliers=25) is None


@pytest.fixture(scope="module")
def angles(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = clips.clip_folder(request.config)
    wide = clips.spec(23, width=480, height=270)
    launch = clips.drawn(cache, "launch-seen-twice", wide)
    root = tmp_path_factory.mktemp("angles")
    shutil.copy(launch, root / "launch.mp4")
    shutil.copy(clips.edited(cache, launch, "crop", seed=23), root / "repost.mp4")
    angle = clips.other_angle(cache, "launch-seen-twice-angle", wide)
    shutil.copy(angle, root / "other camera.mp4")
    other = clips.drawn(cache, "another-launch", clips.spec(31, width=480, height=270))
    shutil.copy(other, root / "another launch.mp4")
    return root


def _kinds(report: ScanReport) -> dict[frozenset[str], str]:
    return {frozenset((m.a, m.b)): m.kind for m in report.matches}


def test_a_second_camera_is_a_lead_whichever_order_the_files_come_in(angles: Path) -> None:
    paths = sorted(angles.iterdir())
    forward = scan_paths(angles, paths, workers=1)
    backward = scan_paths(angles, paths[::-1], workers=1)

    assert _kinds(forward) == _kinds(backward)
    kinds = _kinds(forward)
    assert kinds[frozenset(("launch.mp4", "repost.mp4"))] == "copy"
    assert kinds[frozenset(("launch.mp4", "other camera.mp4"))] == "same_scene"
    assert kinds[frozenset(("repost.mp4", "other camera.mp4"))] == "same_scene"
    assert not [pair for pair in kinds if "another launch.mp4" in pair]


def test_the_same_scene_search_gives_the_same_answer_in_one_thread_or_two(angles: Path) -> None:
    paths = sorted(angles.iterdir())

    one, two = scan_paths(angles, paths, workers=1), scan_paths(angles, paths, workers=2)

    assert one.matches == two.matches
    assert "same_scene" in _kinds(two).values()


@pytest.fixture(scope="module")
def night(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = clips.clip_folder(request.config)
    dark = clips.spec(23, width=480, height=270, night=True)
    root = tmp_path_factory.mktemp("night")
    shutil.copy(clips.drawn(cache, "night-launch", dark), root / "launch.mp4")
    shutil.copy(clips.other_angle(cache, "night-launch-angle", dark), root / "other camera.mp4")
    other = clips.drawn(
        cache, "another-night-launch", clips.spec(123, width=480, height=270, night=True)
    )
    shutil.copy(other, root / "another launch.mp4")
    return root


def test_a_second_camera_at_night_is_a_lead_and_another_night_launch_is_not(night: Path) -> None:
    kinds = _kinds(scan_paths(night, sorted(night.iterdir()), workers=1))

    assert kinds == {frozenset(("launch.mp4", "other camera.mp4")): "same_scene"}


def test_beyond_the_pair_limit_a_second_camera_is_checked_against_the_groups_most_alike(
    angles: Path, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    crowded = tmp_path / "crowded"
    shutil.copytree(angles, crowded)
    cache = clips.clip_folder(request.config)
    for seed in (41, 42):
        other = clips.drawn(cache, f"launch-{seed}", clips.spec(seed, width=480, height=270))
        shutil.copy(other, crowded / f"launch {seed}.mp4")
    narrow = MediaSettings(scene_max_pairs=0, scene_candidates=1)

    report = scan_paths(crowded, sorted(crowded.iterdir()), narrow, workers=1)

    kinds = _kinds(report)
    assert kinds[frozenset(("launch.mp4", "other camera.mp4"))] == "same_scene"
    assert kinds[frozenset(("repost.mp4", "other camera.mp4"))] == "same_scene"
    assert [kind for kind in kinds.values() if kind == "same_scene"] == ["same_scene"] * 2
    # five groups of footage (the launch and its repost are one): 10 pairs, each group
    # checked against the one most alike
    note = report.scene_narrowing or ""
    assert note.startswith(
        "same-scene leads: 10 pairs of footage groups, more than media.scene_max_pairs (0); "
    )
    checked = re.search(r"checked the (\d+) pairs whose scenery looks most alike", note)
    assert checked is not None and 1 <= int(checked.group(1)) <= 5


def test_below_the_pair_limit_every_pair_is_checked_and_nothing_is_said(angles: Path) -> None:
    report = scan_paths(angles, sorted(angles.iterdir()), MediaSettings(), workers=1)

    assert report.scene_narrowing is None
