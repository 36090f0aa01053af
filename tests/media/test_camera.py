"""A copy is one camera's footage; the same scene seen from elsewhere is another camera.

A re-upload maps onto its original by one affine map (crop, zoom, tilt, mirror, bars);
another camera's view of the scene is in perspective. Hash verification cannot always
tell a near view from a crop, so accepted copies are measured again on SIFT matches.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np
import pytest

from config.settings import MediaSettings
from media.camera import MIN_EFFECT_PX, MIN_F, CameraCheck, CameraEvidence, affine_or_homography
from media.camera_groups import split_cameras
from media.results import MatchResult
from media.scan import scan_paths
from storage.records import Segment
from tests.media import clips

WIDE = (480, 270)  # perspective is measured 480 pixels wide


def test_perspective_is_told_from_an_affine_map_and_from_noise() -> None:
    rng = np.random.default_rng(5)
    src = rng.uniform([0, 0], [480, 270], (300, 2))
    noise = rng.normal(0, 0.7, src.shape)
    affine = np.array([[0.9, 0.05, 12.0], [-0.04, 0.92, -7.0]])
    copied = src @ affine[:, :2].T + affine[:, 2] + noise
    f_ratio, effect = affine_or_homography(src, copied) or (np.inf, np.inf)
    assert f_ratio < 10 and effect < 1.0

    square = np.array([[0, 0], [480, 0], [480, 270], [0, 270]], np.float32)
    leaning = np.array([[24, 13], [480, 0], [480, 270], [24, 257]], np.float32)
    view = np.asarray(cv2.getPerspectiveTransform(square, leaning), np.float64)
    seen = cv2.perspectiveTransform(src.reshape(-1, 1, 2), view).reshape(-1, 2) + noise
    f_ratio, effect = affine_or_homography(src, seen) or (0.0, 0.0)
    assert f_ratio > 10 * MIN_F and effect > MIN_EFFECT_PX


@pytest.fixture(scope="module")
def folder(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = clips.clip_folder(request.config)
    launch = clips.drawn(
        cache, "launch-wide", clips.spec(11, width=WIDE[0], height=WIDE[1], duration_s=6.0)
    )
    root = tmp_path_factory.mktemp("cameras")
    shutil.copy(launch, root / "launch.mp4")
    for family in ("crop", "mirror", "rotate_zoom", "letterbox"):
        shutil.copy(clips.edited(cache, launch, family, seed=11), root / f"{family}.mp4")
    shutil.copy(clips.from_elsewhere(cache, launch, 0.05), root / "elsewhere.mp4")
    return root


def test_a_scan_reports_a_view_from_elsewhere_as_same_scene_and_keeps_every_copy(
    folder: Path,
) -> None:
    report = scan_paths(folder, workers=1)
    kinds = {frozenset((m.a, m.b)): m for m in report.matches}
    copies = ["launch.mp4", "crop.mp4", "mirror.mp4", "rotate_zoom.mp4", "letterbox.mp4"]
    for i, a in enumerate(copies):
        for b in copies[i + 1 :]:
            assert kinds[frozenset((a, b))].kind == "copy", (a, b)
    for a in copies:
        lead = kinds[frozenset((a, "elsewhere.mp4"))]
        assert lead.kind == "same_scene", a
        # the aligned seconds found by hashing are kept for the analyst
        (segment,) = lead.segments
        assert segment.a_end - segment.a_start > 3


def test_with_same_scene_leads_off_a_view_from_elsewhere_stays_a_copy(folder: Path) -> None:
    report = scan_paths(folder, settings=MediaSettings(scene=False), workers=1)
    lead = [
        m for m in report.matches if "elsewhere.mp4" in (m.a, m.b) and "launch.mp4" in (m.a, m.b)
    ]
    assert [m.kind for m in lead] == ["copy"]


class Verdicts:
    """A camera check that knows which pairs are other cameras and which cannot be measured."""

    def __init__(
        self, other: set[frozenset[str]], unknown: frozenset[frozenset[str]] = frozenset()
    ) -> None:
        self.other, self.unknown = other, unknown
        self.asked: list[frozenset[str]] = []

    def evidence(
        self, a: str, b: str, segments: Sequence[Segment], mirrored: bool
    ) -> CameraEvidence | None:
        pair = frozenset((a, b))
        self.asked.append(pair)
        if pair in self.unknown:
            return None
        return CameraEvidence(5, 500.0, 4.0) if pair in self.other else CameraEvidence(5, 1.0, 0.1)


def copy(a: str, b: str, similarity: float = 0.9) -> MatchResult:
    return MatchResult(a, b, "copy", similarity, (Segment(0.0, 5.0, 0.0, 5.0),))


def kinds(results: list[MatchResult]) -> dict[str, str]:
    return {f"{r.a}-{r.b}": r.kind for r in results}


def group(*members: str) -> list[MatchResult]:
    return [copy(a, b) for i, a in enumerate(members) for b in members[i + 1 :]]


def test_a_second_camera_is_split_off_its_copy_group() -> None:
    results = group("src", "crop", "mirror", "angle")
    angle = {frozenset(("angle", x)) for x in ("src", "crop", "mirror")}
    split = kinds(split_cameras(results, Verdicts(angle)))
    assert split == {
        "src-crop": "copy", "src-mirror": "copy", "src-angle": "same_scene",
        "crop-mirror": "copy", "crop-angle": "same_scene", "mirror-angle": "same_scene",
    }  # fmt: skip


def test_the_second_camera_found_first_does_not_split_the_copies_apart() -> None:
    # the angle has the most copies, so the search starts from it
    results = [
        *group("src", "crop", "mirror"),
        *(copy("angle", x) for x in ("src", "crop", "mirror", "angle-reupload")),
    ]
    angle = {frozenset(("angle", x)) for x in ("src", "crop", "mirror")}
    split = kinds(split_cameras(results, Verdicts(angle)))
    assert split["src-crop"] == split["src-mirror"] == split["crop-mirror"] == "copy"
    assert split["angle-src"] == split["angle-crop"] == split["angle-mirror"] == "same_scene"
    assert split["angle-angle-reupload"] == "copy"  # a re-upload of the second camera's clip


def test_a_pair_that_cannot_be_measured_stays_a_copy() -> None:
    results = group("src", "night-copy")
    check = Verdicts(set(), unknown=frozenset({frozenset(("src", "night-copy"))}))
    assert kinds(split_cameras(results, check)) == {"src-night-copy": "copy"}
    assert check.asked == [frozenset(("src", "night-copy"))]


def test_leads_and_separate_groups_are_left_as_they_are() -> None:
    lead = MatchResult("x", "y", "same_scene", 0.5, (Segment(1.0, 1.0, 2.0, 2.0),))
    results = [*group("a", "b"), *group("c", "d"), lead]
    assert split_cameras(results, Verdicts(set())) == results


def test_a_file_that_cannot_be_read_any_more_leaves_the_copy_standing(
    folder: Path, tmp_path: Path
) -> None:
    (tmp_path / "broken.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42 but nothing else")
    paths = {"launch.mp4": folder / "launch.mp4", "broken.mp4": tmp_path / "broken.mp4"}
    check = CameraCheck(paths.__getitem__)
    results = [copy("launch.mp4", "broken.mp4"), copy("launch.mp4", "gone.mp4")]
    assert check.evidence("launch.mp4", "broken.mp4", results[0].segments, False) is None
    assert [r.kind for r in split_cameras(results, check)] == ["copy", "copy"]
