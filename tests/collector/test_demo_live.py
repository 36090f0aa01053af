"""The demo's collection stage: an export served as a t.me/s page and collected live."""

from __future__ import annotations

from pathlib import Path

import config
from claimwatch.demo.live import collect_live
from storage import open_store
from tests.exports import media_file, message, write_export


def test_the_sample_is_collected_then_nothing_new_then_its_changes(tmp_path: Path) -> None:
    export = tmp_path / "export"
    messages = [message(i, f"بيان رقم {i} <b>&</b>") for i in range(1, 24)]
    messages[4]["file"] = media_file(export, "video_files/launch.mp4", b"mp4 bytes")
    messages[4]["media_type"] = "video_file"
    messages[7]["photo"] = media_file(export, "photos/p.jpg", b"jpeg bytes")
    write_export(export, messages)

    data, lines = collect_live(export, tmp_path / "live", config.Settings())

    assert data["errors"] == []
    assert data["first_run"] == {"new_posts": 23, "revisions": 0, "media_stored": 2,
                                 "media_missing": 0, "deleted": 0, "batches": 3}  # fmt: skip
    assert data["second_run"]["new_posts"] == 0
    later = data["later_run"]
    assert (later["new_posts"], later["revisions"], later["deleted"]) == (1, 1, 1)
    assert lines[1] == "a second run fetched nothing new (0 new posts)"
    store = open_store(
        f"sqlite:///{tmp_path / 'live' / 'claimwatch.db'}", tmp_path / "live", 10**8, migrate=False
    )
    try:
        first = store.archive.find("telegram", "sample_channel", 1)
        assert first is not None and first.post.text == "بيان رقم 1 <b>&</b>"
        video = store.archive.find("telegram", "sample_channel", 5)
        assert video is not None and video.media[0].path.read_bytes() == b"mp4 bytes"
        assert store.archive.counts()["deleted_posts"] == 1
    finally:
        store.close()
