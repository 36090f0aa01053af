"""`claimwatch media scan`: the JSON an analyst or a script reads, and bad files in the folder."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from claimwatch.cli.main import cli
from media.matcher import Matcher
from media.results import MatchResult
from tests.media import clips


@pytest.fixture(scope="module")
def folder(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = clips.clip_folder(request.config)
    launch = clips.drawn(cache, "launch", clips.spec(11))
    copy = clips.edited(cache, launch, "crop", seed=11)
    root = tmp_path_factory.mktemp("scan")
    (root / "channel a").mkdir()
    shutil.copy(launch, root / "channel a" / "launch.mp4")
    shutil.copy(copy, root / "repost.mp4")
    (root / "broken.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42 but nothing else")
    (root / "notes.txt").write_text("not media, not scanned")
    return root


def test_scan_json_has_the_documented_shape(folder: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        cli, ["--data-dir", str(tmp_path), "media", "scan", str(folder), "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) == {"videos", "matches"}
    assert sorted(v["path"] for v in report["videos"]) == ["channel a/launch.mp4", "repost.mp4"]
    for video in report["videos"]:
        assert set(video) == {"path", "duration_s", "frames_hashed", "seconds_to_fingerprint"}
        assert video["duration_s"] == pytest.approx(clips.SECONDS, abs=0.1)
        assert video["frames_hashed"] > 10
    (match,) = [m for m in report["matches"] if m["kind"] == "copy"]
    assert set(match) == {"a", "b", "kind", "similarity", "segments"}
    assert {match["a"], match["b"]} == {"channel a/launch.mp4", "repost.mp4"}
    assert 0 < match["similarity"] <= 1
    for segment in match["segments"]:
        assert set(segment) == {"a_start", "a_end", "b_start", "b_end"}
        assert segment["a_end"] - segment["a_start"] > 3


def test_a_corrupt_file_is_reported_and_the_scan_goes_on(folder: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path), "media", "scan", str(folder)])
    assert result.exit_code == 0, result.output
    assert "broken.mp4" in result.output and "cannot decode" in result.output
    assert "2 files fingerprinted, 1 failed" in result.output
    assert "copy" in result.output


def test_scan_says_how_far_each_step_got_and_keeps_its_json_clean(
    folder: Path, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        cli, ["--data-dir", str(tmp_path), "media", "scan", str(folder), "--json"]
    )

    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["videos"]) == 2  # stdout is the JSON alone
    last: dict[str, str] = {}  # each step's latest line: "done/total"
    for line in result.stderr.splitlines():
        step, _, count = line.partition(": ")
        if step != "warning":  # the broken file's
            last[step] = count
    assert list(last) == ["fingerprinting", "matching", "checking cameras"]
    assert last["fingerprinting"] == "3/3"  # the broken file is tried too
    done, total = last["matching"].split("/")
    assert done == total
    assert last["checking cameras"] == "1/1"  # one copy group, so no pair of groups to search


def test_a_file_whose_matching_fails_is_reported_and_the_others_still_match(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compare = Matcher.compare

    def failing(self: Matcher, key_a: str, *args: Any, **kwargs: Any) -> MatchResult | None:
        if key_a == "channel a/launch.mp4":
            raise MemoryError("cannot allocate 12 GiB")
        return compare(self, key_a, *args, **kwargs)

    monkeypatch.setattr(Matcher, "compare", failing)
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path), "media", "scan", str(folder)])
    assert result.exit_code == 0, result.output
    assert "launch.mp4: matching failed: MemoryError: cannot allocate 12 GiB" in result.output
    assert "1 file fingerprinted, 2 failed" in result.output
    # the pair is still found from the other file's side
    assert "copy" in result.output and "repost.mp4" in result.output


def test_a_folder_with_too_many_footage_groups_says_which_pairs_it_checked(
    folder: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    crowded = tmp_path / "crowded"
    shutil.copytree(folder, crowded)
    for seed in (12, 13, 14):
        other = clips.drawn(clips.clip_folder(request.config), f"launch-{seed}", clips.spec(seed))
        shutil.copy(other, crowded / f"other {seed}.mp4")
    result = CliRunner().invoke(
        cli,
        ["--data-dir", str(tmp_path / "data"), "media", "scan", str(crowded)],
        env={"CLAIMWATCH_MEDIA_SCENE_MAX_PAIRS": "0", "CLAIMWATCH_MEDIA_SCENE_CANDIDATES": "1"},
    )
    assert result.exit_code == 0, result.output
    assert "same-scene leads: 6 pairs of footage groups, more than media.scene_max_pairs (0)" in (
        result.output
    )
    assert "pairs whose scenery looks most alike (media.scene_candidates: 1 per group)" in (
        result.output
    )
    assert "copy" in result.output  # copies are still found
    assert re.search(r"^searching same scenes: (\d+)/\1$", result.stderr, re.MULTILINE)
