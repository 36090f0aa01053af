"""Local features kept between runs: each archived file is read for them once."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

import config
import media.scene
from media.feature_cache import FeatureCache
from media.process import process_pending
from media.scene import Features, features
from storage import Store
from tests.media import clips
from tests.media.test_process import post, sha_of, stored_fingerprint

ASKED = (1.0, 2.5, 4.0)
WIDE = clips.spec(11, width=480, height=270, duration_s=6.0)


@pytest.fixture
def launch(request: pytest.FixtureRequest) -> Path:
    folder = clips.clip_folder(request.config)
    return clips.drawn(folder, "launch-wide", WIDE)


@pytest.fixture
def decoded(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times each archived file (by SHA-256) was decoded for its local features."""
    counts: Counter[str] = Counter()
    frames_at = media.scene.frames_at

    def counted(
        path: Path, times: Sequence[float], nearest: bool = True
    ) -> list[NDArray[np.uint8] | None]:
        counts[path.stem] += 1
        return frames_at(path, times, nearest)

    monkeypatch.setattr(media.scene, "frames_at", counted)
    return counts


def _same(a: Features, b: Features) -> bool:
    return (
        a.times == b.times
        and a.size == b.size
        and all(np.array_equal(x, y) for x, y in zip(a.points, b.points, strict=True))
        and all(np.array_equal(x, y) for x, y in zip(a.descriptors, b.descriptors, strict=True))
    )


def test_stored_features_come_back_exactly(launch: Path, tmp_path: Path) -> None:
    made = features(launch, ASKED)
    cache = FeatureCache(tmp_path / "features")

    cache.put("ab" * 32, ASKED, made)
    stored = cache.get("ab" * 32, ASKED)

    assert len(made.times) == len(ASKED) and stored is not None and _same(stored, made)


def test_features_taken_at_other_seconds_or_damaged_are_not_trusted(
    launch: Path, tmp_path: Path
) -> None:
    cache = FeatureCache(tmp_path / "features")
    key = "cd" * 32
    cache.put(key, ASKED, features(launch, ASKED))
    assert cache.get(key, (1.0, 2.5)) is None  # a new fingerprint picked other seconds
    assert cache.get("ef" * 32, ASKED) is None

    path = tmp_path / "features" / key[:2] / f"{key}.npz"
    path.write_bytes(path.read_bytes()[:300])
    assert cache.get(key, ASKED) is None

    # a planted file holding Python objects is refused, never unpickled
    np.savez(path, version=np.array([object()], dtype=object), asked=np.array(ASKED))
    assert cache.get(key, ASKED) is None


def _two_launches(store: Store, folder: Path, launch: Path) -> tuple[str, str]:
    """The launch and an unrelated one, posted and processed: no copy, no lead."""
    other = clips.drawn(folder, "another-launch", clips.spec(31, width=480, height=270))
    store.archive.ingest(post("first_channel", 1, days=0, path=launch))
    store.archive.ingest(post("other_channel", 2, days=0.5, path=other))
    process_pending(store, config.Settings())
    return sha_of(store, "first_channel", 1), sha_of(store, "other_channel", 2)


def _second_camera(store: Store, folder: Path, launch: Path) -> tuple[str, int]:
    """A second camera's view of the launch, posted and processed: its SHA, the leads."""
    elsewhere = clips.other_angle(folder, "launch-wide-angle", WIDE)
    store.archive.ingest(post("third_channel", 3, days=1, path=elsewhere))
    report = process_pending(store, config.Settings())
    return sha_of(store, "third_channel", 3), report.same_scene


def test_a_new_post_decodes_only_its_own_file_for_the_scene_search(
    store: Store, request: pytest.FixtureRequest, launch: Path, decoded: Counter[str]
) -> None:
    folder = clips.clip_folder(request.config)
    first, second = _two_launches(store, folder, launch)
    assert decoded == {first: 1, second: 1}

    decoded.clear()
    third, leads = _second_camera(store, folder, launch)

    assert decoded == {third: 1}
    assert leads == 1
    (lead,) = [m for m in store.matches.list() if m.kind == "same_scene"]
    assert {lead.a, lead.b} == {first, third}


def test_a_damaged_features_file_is_made_again(
    store: Store, request: pytest.FixtureRequest, launch: Path, decoded: Counter[str]
) -> None:
    folder = clips.clip_folder(request.config)
    first, _ = _two_launches(store, folder, launch)
    damaged = store.data_dir / "features" / first[:2] / f"{first}.npz"
    damaged.write_bytes(b"not features")

    decoded.clear()
    _, leads = _second_camera(store, folder, launch)

    assert decoded[first] == 1 and leads == 1
    asked = media.scene.pick_times(stored_fingerprint(store, first))
    assert FeatureCache(store.data_dir / "features").get(first, asked) is not None


def test_features_that_cannot_be_kept_still_give_the_lead(
    store: Store,
    request: pytest.FixtureRequest,
    launch: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    folder = clips.clip_folder(request.config)
    store.data_dir.mkdir(parents=True, exist_ok=True)
    (store.data_dir / "features").write_text("a file where the folder would be")

    with caplog.at_level(logging.WARNING, logger="media.leads"):
        _two_launches(store, folder, launch)
        _, leads = _second_camera(store, folder, launch)

    assert leads == 1
    assert "cannot keep the local features of" in caplog.text


def test_only_archived_files_named_by_their_sha256_are_kept(launch: Path, tmp_path: Path) -> None:
    cache = FeatureCache(tmp_path / "features")
    made = features(launch, ASKED)

    for key in ("", "../../escape", "AB" * 32, "ab" * 31):
        cache.put(key, ASKED, made)
        assert cache.get(key, ASKED) is None

    assert not (tmp_path / "features").exists() and not (tmp_path / "escape.npz").exists()
