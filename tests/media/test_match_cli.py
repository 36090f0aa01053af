"""`claimwatch media match FILE`: where a clip from outside was posted before."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

import config
from claimwatch.cli.main import cli
from media.process import process_pending
from storage.records import Batch, Channel, MediaRef, Post
from tests.media import clips
from tests.media.archive import data_dir_store


def test_match_names_the_archived_file_and_its_post(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    folder = clips.clip_folder(request.config)
    launch = clips.drawn(folder, "launch", clips.spec(11))
    data = tmp_path / "data"
    store = data_dir_store(data)
    when = datetime(2024, 10, 1, 21, 0, tzinfo=UTC)
    post = Post("telegram", "first_channel", 3, when, "عملية", "telegram-web",
                url="https://t.me/first_channel/3",
                media=(MediaRef("video", path=launch, mime="video/mp4"),))  # fmt: skip
    store.archive.ingest(Batch(Channel("telegram", "first_channel"), (post,)))
    process_pending(store, config.with_data_dir(config.Settings(), data), workers=1)
    store.close()

    repost = clips.edited(folder, launch, "logo_banner", seed=11)
    result = CliRunner().invoke(
        cli, ["--data-dir", str(data), "media", "match", str(repost), "--json"]
    )
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    (match,) = found["matches"]
    assert match["kind"] == "copy" and match["similarity"] > 0.5
    assert match["posts"] == [{
        "channel": "first_channel", "message_id": 3, "posted_at": when.isoformat(),
        "url": "https://t.me/first_channel/3",
    }]  # fmt: skip
    assert match["segments"][0]["file_end"] - match["segments"][0]["file_start"] > 3

    other = clips.drawn(folder, "other", clips.spec(12))
    text = CliRunner().invoke(cli, ["--data-dir", str(data), "media", "match", str(other)])
    assert text.exit_code == 0 and "no archived file shows this footage" in text.output


def test_a_view_from_elsewhere_is_matched_as_the_same_scene(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    folder = clips.clip_folder(request.config)
    launch = clips.drawn(
        folder, "launch-wide", clips.spec(11, width=480, height=270, duration_s=6.0)
    )
    data = tmp_path / "data"
    store = data_dir_store(data)
    when = datetime(2024, 10, 1, 21, 0, tzinfo=UTC)
    post = Post("telegram", "first_channel", 3, when, "عملية", "telegram-web",
                media=(MediaRef("video", path=launch, mime="video/mp4"),))  # fmt: skip
    store.archive.ingest(Batch(Channel("telegram", "first_channel"), (post,)))
    process_pending(store, config.with_data_dir(config.Settings(), data), workers=1)
    store.close()

    elsewhere = clips.from_elsewhere(folder, launch, 0.05)
    result = CliRunner().invoke(
        cli, ["--data-dir", str(data), "media", "match", str(elsewhere), "--json"]
    )
    assert result.exit_code == 0, result.output
    (match,) = json.loads(result.stdout)["matches"]
    assert match["kind"] == "same_scene"
    assert match["segments"][0]["file_end"] - match["segments"][0]["file_start"] > 3


def test_around_a_day_a_second_camera_is_found_among_the_files_posted_near_it(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    folder = clips.clip_folder(request.config)
    wide = clips.spec(11, width=480, height=270, duration_s=6.0)
    launch = clips.drawn(folder, "launch-wide", wide)
    other = clips.drawn(folder, "another-launch", clips.spec(31, width=480, height=270))
    data = tmp_path / "data"
    store = data_dir_store(data)
    when = datetime(2024, 10, 1, 21, 0, tzinfo=UTC)
    for number, (clip, day) in enumerate(((launch, 1), (other, 2)), start=3):
        post = Post("telegram", "first_channel", number, when.replace(day=day), "عملية",
                    "telegram-web", url=f"https://t.me/first_channel/{number}",
                    media=(MediaRef("video", path=clip, mime="video/mp4"),))  # fmt: skip
        store.archive.ingest(Batch(Channel("telegram", "first_channel"), (post,)))
    process_pending(store, config.with_data_dir(config.Settings(), data), workers=1)
    store.close()
    angle = clips.other_angle(folder, "launch-wide-angle", wide)

    def match(*more: str) -> list[dict[str, object]]:
        args = ["--data-dir", str(data), "media", "match", str(angle), "--json", *more]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        matches: list[dict[str, object]] = json.loads(result.stdout)["matches"]
        return matches

    assert match() == []  # no hash of the other camera's view meets the launch's
    (lead,) = match("--around", "2024-10-02")
    assert lead["kind"] == "same_scene"
    assert [p["message_id"] for p in lead["posts"]] == [3]  # type: ignore[attr-defined]
    assert match("--around", "2024-11-20") == []  # nothing posted within scene_days

    text = CliRunner().invoke(
        cli, ["--data-dir", str(data), "media", "match", str(angle), "--around", "2024-10-02"]
    )
    assert "same_scene" in text.output and "films the scene of archived at" in text.output
    assert "posted 2024-10-01 21:00 UTC by first_channel #3" in text.output
