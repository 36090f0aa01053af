"""`claimwatch media process`: archived media fingerprinted, failures marked, matches stored."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import config
from claimwatch.cli.main import cli
from media.camera import CameraCheck, CameraEvidence
from media.fingerprint import ALGORITHM, VideoFingerprint, from_bytes
from media.matcher import Matcher
from media.process import archive_matcher, process_pending
from media.results import MatchResult
from storage import Store
from storage.records import Batch, Channel, MediaRef, Post
from tests.media import clips
from tests.media.archive import data_dir_store

WHEN = datetime(2024, 10, 1, 21, 0, tzinfo=UTC)


def post(channel: str, message_id: int, days: float, path: Path) -> Batch:
    return Batch(
        Channel("telegram", channel),
        (
            Post(
                "telegram",
                channel,
                message_id,
                WHEN + timedelta(days=days),
                "عملية",
                "telegram-web",
                media=(MediaRef("video", path=path, mime="video/mp4", file_name=path.name),),
            ),
        ),
    )


def stored_fingerprint(store: Store, sha: str) -> VideoFingerprint:
    stored = store.fingerprints.get(sha)
    assert stored is not None
    return from_bytes(stored.data)


def sha_of(store: Store, channel: str, message_id: int) -> str:
    found = store.archive.find("telegram", channel, message_id)
    assert found is not None and found.media
    return found.media[0].sha256


@pytest.fixture
def settings() -> config.Settings:
    return replace(config.Settings(), media=replace(config.Settings().media, scene=False))


def test_process_fingerprints_marks_failures_and_stores_the_copy(
    store: Store, request: pytest.FixtureRequest, tmp_path: Path, settings: config.Settings
) -> None:
    folder = clips.clip_folder(request.config)
    launch = clips.drawn(folder, "launch", clips.spec(11))
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(launch.read_bytes()[:5000])
    # the repost arrives first in the archive, but was posted later
    store.archive.ingest(
        post("repost_channel", 7, days=4, path=clips.edited(folder, launch, "mirror", 11))
    )
    store.archive.ingest(post("first_channel", 3, days=0, path=launch))
    store.archive.ingest(post("first_channel", 4, days=1, path=broken))

    report = process_pending(store, settings)

    original, repost = sha_of(store, "first_channel", 3), sha_of(store, "repost_channel", 7)
    failed = store.media.get(sha_of(store, "first_channel", 4))
    assert (report.fingerprinted, report.failed, report.copies, report.recycled) == (2, 1, 1, 1)
    assert failed is not None and failed.status == "failed"
    assert "cannot decode video" in (failed.error or "") and str(tmp_path) not in (
        failed.error or ""
    )
    assert store.fingerprints.count(ALGORITHM) == 2
    (match,) = store.matches.for_media(original)
    assert (match.a, match.b, match.first_posted, match.kind) == (
        original,
        repost,
        original,
        "copy",
    )
    done = store.media.get(original)
    assert (
        done is not None and done.status == "done" and done.duration == pytest.approx(7.0, abs=0.1)
    )


def test_a_second_run_keeps_the_analysts_decision(
    store: Store, request: pytest.FixtureRequest, settings: config.Settings
) -> None:
    folder = clips.clip_folder(request.config)
    launch = clips.drawn(folder, "launch", clips.spec(11))
    store.archive.ingest(post("first_channel", 3, days=0, path=launch))
    store.archive.ingest(
        post("repost_channel", 7, days=2, path=clips.edited(folder, launch, "crop", 11))
    )
    process_pending(store, settings)
    (match,) = store.matches.list()
    assert match.id is not None
    store.matches.set_status(match.id, "recycled")

    store.archive.ingest(
        post("third_channel", 9, days=5, path=clips.edited(folder, launch, "trim", 11))
    )
    report = process_pending(store, settings)
    assert (report.fingerprinted, report.failed) == (1, 0)
    kept = store.matches.get(match.id)
    assert kept is not None and kept.status == "recycled"
    assert len(store.matches.for_media(sha_of(store, "third_channel", 9))) == 2  # copy of both
    assert process_pending(store, settings).fingerprinted == 0  # nothing left pending


def test_a_file_whose_matching_fails_is_marked_and_the_run_goes_on(
    store: Store,
    request: pytest.FixtureRequest,
    settings: config.Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = clips.clip_folder(request.config)
    launch = clips.drawn(folder, "launch", clips.spec(11))
    odd = clips.drawn(folder, "other-launch", clips.spec(12))
    store.archive.ingest(post("first_channel", 3, days=0, path=launch))
    store.archive.ingest(post("first_channel", 4, days=1, path=odd))
    store.archive.ingest(
        post("repost_channel", 7, days=2, path=clips.edited(folder, launch, "mirror", 11))
    )
    bad = sha_of(store, "first_channel", 4)
    query = Matcher.query

    def failing(self: Matcher, fingerprint: VideoFingerprint, key: str = "") -> list:
        if key == bad:
            raise ValueError("operands could not be broadcast together")
        return query(self, fingerprint, key)

    monkeypatch.setattr(Matcher, "query", failing)

    report = process_pending(store, settings)

    assert (report.fingerprinted, report.failed, report.copies) == (3, 1, 1)
    assert report.errors == (
        f"{bad}.mp4: matching failed: ValueError: operands could not be broadcast together",
    )
    failed = store.media.get(bad)
    assert failed is not None and failed.status == "failed"
    assert failed.error == report.errors[0]
    assert store.fingerprints.get(bad) is not None  # the work done is kept
    (match,) = store.matches.list()
    assert {match.a, match.b} == {
        sha_of(store, "first_channel", 3),
        sha_of(store, "repost_channel", 7),
    }


WIDE = clips.spec(11, width=480, height=270, duration_s=6.0)


def posted_launch(store: Store, folder: Path) -> Path:
    """A launch wide enough for local features, posted by first_channel as message 1."""
    launch = clips.drawn(folder, "launch-wide", WIDE)
    store.archive.ingest(post("first_channel", 1, days=0, path=launch))
    return launch


def test_a_view_from_elsewhere_is_stored_as_a_same_scene_lead_not_a_copy(
    store: Store, request: pytest.FixtureRequest
) -> None:
    folder = clips.clip_folder(request.config)
    launch = posted_launch(store, folder)
    store.archive.ingest(
        post("repost_channel", 2, days=1, path=clips.edited(folder, launch, "crop", 11))
    )
    store.archive.ingest(
        post("other_channel", 3, days=1.5, path=clips.from_elsewhere(folder, launch, 0.05))
    )

    report = process_pending(store, config.Settings())

    original = sha_of(store, "first_channel", 1)
    crop, elsewhere = sha_of(store, "repost_channel", 2), sha_of(store, "other_channel", 3)
    kinds = {frozenset((m.a, m.b)): m.kind for m in store.matches.list()}
    assert kinds == {
        frozenset((original, crop)): "copy",
        frozenset((original, elsewhere)): "same_scene",
        frozenset((crop, elsewhere)): "same_scene",
    }
    assert (report.copies, report.recycled, report.same_scene) == (1, 1, 2)


def test_a_busy_window_checks_the_most_alike_groups_and_logs_what_it_left_out(
    store: Store, request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture
) -> None:
    folder = clips.clip_folder(request.config)
    launch = posted_launch(store, folder)
    store.archive.ingest(
        post("other_channel", 2, days=1, path=clips.from_elsewhere(folder, launch, 0.05))
    )
    for number, seed in enumerate((41, 42), start=3):
        other = clips.drawn(folder, f"launch-wide-{seed}", replace(WIDE, seed=seed))
        store.archive.ingest(post("third_channel", number, days=0.5, path=other))
    settings = config.Settings()
    busy = replace(settings, media=replace(settings.media, scene_max_pairs=0, scene_candidates=1))

    report = process_pending(store, busy)

    original, elsewhere = sha_of(store, "first_channel", 1), sha_of(store, "other_channel", 2)
    kinds = {frozenset((m.a, m.b)): m.kind for m in store.matches.list()}
    assert kinds == {frozenset((original, elsewhere)): "same_scene"}
    assert report.same_scene == 1
    said = re.search(
        r"same-scene leads: (\d+) pairs of footage groups, more than media.scene_max_pairs "
        r"\(0\); checked the (\d+) pairs whose scenery looks most alike "
        r"\(media.scene_candidates: 1 per group\), posted within 3.0 days of new files",
        caplog.text,
    )
    assert said is not None and 1 <= int(said.group(2)) < int(said.group(1))


class Missing(Matcher):
    """The archive's matcher, blind to one pair: a re-upload that copies only some of a
    clip's earlier re-uploads (a crop against a caption bar, say)."""

    blind: frozenset[str] = frozenset()

    def query(self, fingerprint: VideoFingerprint, key: str = "") -> list[MatchResult]:
        return [r for r in super().query(fingerprint, key) if {r.a, r.b} != self.blind]


def test_each_new_re_upload_is_checked_once_per_camera_and_never_a_lead_of_its_copies(
    store: Store, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = clips.clip_folder(request.config)
    launch = clips.drawn(folder, "launch-wide", WIDE)
    measured: list[tuple[str, str]] = []
    evidence = CameraCheck.evidence

    def counted(check: CameraCheck, a: str, b: str, *args: Any) -> CameraEvidence | None:
        measured.append((a, b))
        return evidence(check, a, b, *args)

    monkeypatch.setattr(CameraCheck, "evidence", counted)
    settings = config.Settings()
    matcher = Missing(settings.media, loader=lambda sha: stored_fingerprint(store, sha))
    uploads = [launch] + [
        clips.edited(folder, launch, f, 11) for f in ("caption_bar", "crop", "trim")
    ]
    for day, upload in enumerate(uploads):
        store.archive.ingest(post("channel", day + 1, days=day, path=upload))
        if day == 2:  # the crop copies the original, but is not seen to copy the caption bar
            matcher.blind = frozenset((sha_of(store, "channel", 2), sha_of(store, "channel", 3)))
        measured.clear()
        process_pending(
            store, settings, matcher=archive_matcher(store, settings.media, matcher=matcher)
        )

    original = sha_of(store, "channel", 1)
    matches = store.matches.list()
    assert {m.kind for m in matches} == {"copy"}  # no lead between the caption bar and the crop
    assert sum(original in (m.a, m.b) for m in matches) == 3
    trim = sha_of(store, "channel", 4)
    assert len(measured) == 1 and trim in measured[0]  # not once per earlier upload


def launch_in_data_dir(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, Path, Store]:
    """(the clip, the data folder, its archive) with the clip posted as first_channel #3."""
    launch = clips.drawn(clips.clip_folder(request.config), "launch", clips.spec(11))
    store = data_dir_store(tmp_path / "data")
    store.archive.ingest(post("first_channel", 3, days=0, path=launch))
    return launch, tmp_path / "data", store


def test_files_that_failed_before_are_tried_again_on_request(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """After an upgrade that reads more files, `--retry-failed` gives the failed another go."""
    _, data, store = launch_in_data_dir(request, tmp_path)
    sha = sha_of(store, "first_channel", 3)
    store.media.set_status(sha, "failed", "launch.mp4: truncated: frames stop at 0.0 s of 7.0 s")
    store.close()

    def run(*options: str) -> dict[str, Any]:
        args = ["--data-dir", str(data), "media", "process", *options, "--json"]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        return dict(json.loads(result.stdout))

    assert (run()["fingerprinted"], run()["retried"]) == (0, 0)  # failed files stay failed
    listed = CliRunner().invoke(cli, ["--data-dir", str(data), "media", "failed", "--json"])
    (entry,) = json.loads(listed.stdout)["failed"]
    assert entry["error"] == "launch.mp4: truncated: frames stop at 0.0 s of 7.0 s"
    assert entry["posts"] == [{"channel": "first_channel", "message_id": 3,
                               "posted_at": WHEN.isoformat(), "url": None}]  # fmt: skip
    shown = CliRunner().invoke(cli, ["--data-dir", str(data), "media", "failed"]).output
    assert "launch.mp4: truncated" in shown and "by first_channel #3" in shown
    report = run("--retry-failed")
    assert (report["retried"], report["fingerprinted"], report["failed"]) == (1, 1, 0)
    store = data_dir_store(data)
    done = store.media.get(sha)
    store.close()
    assert done is not None and (done.status, done.error) == ("done", None)
    text = CliRunner().invoke(cli, ["--data-dir", str(data), "media", "process", "--retry-failed"])
    assert text.exit_code == 0 and "0 failed files queued again" in text.output
    after = CliRunner().invoke(cli, ["--data-dir", str(data), "media", "failed"])
    assert after.exit_code == 0 and after.output.strip() == "no archived file failed"


def test_the_command_says_how_far_each_step_got_on_stderr(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    launch, data, store = launch_in_data_dir(request, tmp_path)
    crop = clips.edited(clips.clip_folder(request.config), launch, "crop", 11)
    store.archive.ingest(post("repost_channel", 7, days=1, path=crop))
    store.close()

    result = CliRunner().invoke(cli, ["--data-dir", str(data), "media", "process", "--json"])

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["copies"] == 1  # stdout is the JSON alone
    assert result.stderr.splitlines() == [
        "fingerprinting: 1/2",
        "fingerprinting: 2/2",
        "matching: 1/2",
        "matching: 2/2",
    ]  # one copy group: no pair of groups to search for the same scene
